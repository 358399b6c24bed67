<CsoundSynthesizer>
; Checks vincr (several notes adding into a global audio bus), denorm (on the
; bus and on a pair of signals, inaudible) and clear (emptying the bus once a
; block) feeding a feedback delay, as the manual's delay examples do.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

gabus init 0
gisin ftgen 1, 0, 4096, 10, 1, 0.3, 0.1

instr 1
  aenv  expseg 0.001, 0.01, 0.3, p3 - 0.01, 0.001
  asig  oscili aenv, p4, 1
  vincr gabus, asig
  vincr gabus, asig * 0.25
  outs  asig, asig * 0.5
endin

instr 99
  denorm gabus
  abuf  delayr 0.5
  adel  deltapi 0.3
  aleft = gabus + adel * 0.5
  aright = adel
  denorm aleft, aright
        delayw aleft
  outs  aleft * 0.5, aright * 0.7
  clear gabus
endin
</CsInstruments>
<CsScore>
i 99 0 4
i 1 0 0.3 440
i 1 0.25 0.3 550
i 1 0.5 0.4 660
i 1 0.6 0.8 330
i 1 1.5 0.5 880
</CsScore>
</CsoundSynthesizer>
