<CsoundSynthesizer>
; Checks syncphasor: a free master (a-rate frequency with vibrato) hard-syncing
; a slave whose frequency sweeps at k-rate (the classic sync sweep, read
; through a sine table), a slave running backwards (negative frequency), the
; initial phase, and the sync outputs themselves.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

gisin ftgen 1, 0, 8192, 10, 1

instr 1
  anosync init 0
  avib  oscili 3, 5, 1
  am, async syncphasor p4 + avib, anosync
  kcps  expseg p4 * 1.5, p3, p4 * 5
  as, asy2 syncphasor kcps, async, 0.25
  ab, asy3 syncphasor -kcps * 0.7, async
  aenv  linseg 0, 0.02, 0.3, p3 - 0.04, 0.3, 0.02, 0
  a1    tablei as, 1, 1
  a2    tablei ab, 1, 1
  outs  a1 * aenv, (a2 + asy2 * 0.2 + asy3 * 0.1) * aenv
endin
</CsInstruments>
<CsScore>
i 1 0 1.5 110
i 1 1.5 1 164.8
</CsScore>
</CsoundSynthesizer>
