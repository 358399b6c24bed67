; Covers: buzz (equal harmonics, k-rate harmonic count sweeping, a-rate
; amplitude, initial phase) and gbuzz (lowest harmonic above and below
; zero, kmul below and above 1, a-rate frequency), as pulse-like sources.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1        ; buzz with a sweeping number of harmonics
  knh line 1, p3, 30
  aenv linseg 0, 0.05, 0.3, p3 - 0.1, 0.3, 0.05, 0
  a1 buzz aenv, p4, knh, 1
  a2 buzz 0.2, p4 * 1.5, 8, 1, 0.25
  outs a1, a2
endin

instr 2        ; gbuzz with a rising multiplier
  kmul line 0.3, p3, 0.9
  a1 gbuzz 0.25, p4, 12, 1, kmul, 2
  avib poscil 3, 5, 3
  a2 gbuzz 0.2, p4 + avib, 6, p5, 1.2, 2
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1
f2 0 8192 11 1
f3 0 8192 10 1
i1 0   1.2 110
i1 1.2 1   165
i2 2.4 1   220 3
i2 3.4 1   147 -2
e 4.6
</CsScore>
</CsoundSynthesizer>
