; Covers: table and tablei (raw and normalized index, wrap mode, offset, guard point),
; tablew writing a wavetable at k-rate, ftgen at i-time inside an instrument and ftlen.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

giMelody ftgen 0, 0, 8, -2, 0, 2, 4, 5, 7, 9, 11, 12
giBuf    ftgen 0, 0, 1024, 10, 1

instr 1        ; melody from table, guard-point interpolation with tablei wrap
  ilen  ftlen giMelody
  kidx  phasor 8 / p3
  ksemi table kidx * ilen, giMelody
  kfrq  = 220 * 2 ^ (ksemi / 12)
  aph   phasor kfrq
  a1    tablei aph, 1, 1, 0, 1
  a2    table aph * 1024, 1, 0, 256, 1
  kenv  linen 0.2, 0.02, p3, 0.1
  outs a1 * kenv, a2 * kenv
endin

instr 2        ; rewrites a wavetable while it plays
  itab ftgen 0, 0, 512, 10, 1, 0.5
  ilen ftlen itab
  kcnt init 0
  kval = (kcnt % 2 == 0 ? 0.5 : -0.5)
  tablew kval, kcnt % ilen, itab
  kcnt += 7
  a1 oscili 0.15, 196, itab
  outs a1, a1
endin
</CsInstruments>
<CsScore>
f 1 0 1024 10 1 0.3 0.1
i 1 0 2
i 2 0.5 1.5
e
</CsScore>
</CsoundSynthesizer>
