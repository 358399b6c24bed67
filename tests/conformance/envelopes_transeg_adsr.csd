; Covers: transeg (a and k, straight, concave and convex segments) and adsr
; (a and k, with the sustain fitted inside p3 and a delay at k-rate; at
; k-rate without a delay, whose empty delay segment still costs csound a
; tick), shaping the amplitude and pitch of a short phrase.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 2
0dbfs = 1

instr 1        ; transeg: curved amplitude (a) and a gliding pitch (k)
  aenv transeg 0, 0.05, 2, 0.4, 0.3, -4, 0.15, p3 - 0.35, 3, 0
  kfrq transeg p4, 0.2, -2, p4 * 2, 0.3, 0, p4 * 1.5, 0.25, 5, p4
  a1 oscili aenv, kfrq, 1
  outs a1, a1 * 0.5
endin

instr 2        ; adsr at a-rate, and at k-rate with a delay
  aenv adsr 0.04, 0.1, 0.5, 0.2
  kenv adsr 0.02, 0.15, 0.3, 0.3, 0.1
  a1 oscili 0.4, p4, 1
  a2 oscili 0.4, p4 * 1.01, 1
  outs a1 * aenv, a2 * kenv
endin

instr 3        ; adsr at k-rate without a delay, on quick staccato notes
  kenv adsr 0.01, 0.05, 0.4, 0.05
  a1 oscili 0.4, p4, 1
  outs a1 * kenv, a1 * kenv * 0.5
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1 0.5 0.25 0.125
i1 0    1    220
i1 1    0.7  330
i1 1.8  1.2  165
i2 3.2  0.8  440
i2 4.1  0.6  494
i2 4.8  1.0  392
i3 6.0  0.15 523
i3 6.2  0.12 659
i3 6.4  0.3  784
e 6.8
</CsScore>
</CsoundSynthesizer>
