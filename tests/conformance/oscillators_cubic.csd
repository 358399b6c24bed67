; Covers: oscil3 and poscil3 (cubic interpolation, a- and k-rate, a short
; table, a non-power-of-two table for poscil3, initial phase), oscils (a
; recursive sine with a start phase) and lfo in all six shapes modulating
; pitch and amplitude, a- and k-rate.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1        ; oscil3 and poscil3 reading a coarse table, with vibrato
  kvib oscil3 4, 5.5, 1
  a1 oscil3 0.3, p4 + kvib, 2
  a2 poscil3 0.3, p4 * 1.5 + kvib, 3, 0.25
  outs a1, a2
endin

instr 2        ; a-rate frequency into oscil3 and poscil3, k-rate poscil3
  afm poscil3 30, 3, 1
  kamp poscil3 0.1, 2, 1, 0.5
  a1 oscil3 0.2 + kamp, p4 + afm, 2, 0.1
  a2 poscil3 0.2, p4 * 2 - afm, 2
  outs a1, a2
endin

instr 3        ; oscils
  a1 oscils 0.3, p4, 0.2
  a2 oscils 0.2, p4 * 1.25, 0
  outs a1, a2
endin

instr 4        ; lfo shape p5 on the pitch (k) and on the amplitude (a)
  kmod lfo 20, 6, p5
  aam lfo 0.15, 3, p5
  a1 poscil 0.15 + aam, p4 + kmod, 1
  outs a1, a1
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1
f2 0 64 10 1 0.5 0.3 0.2
f3 0 100 10 1 0 0.3
i1 0   1   220
i1 0.5 1   330
i2 1.5 1   262
i3 2.5 0.8 440
i4 3.3 0.5 330 0
i4 3.8 0.5 330 1
i4 4.3 0.5 330 2
i4 4.8 0.5 330 3
i4 5.3 0.5 330 4
i4 5.8 0.5 330 5
e 6.5
</CsScore>
</CsoundSynthesizer>
