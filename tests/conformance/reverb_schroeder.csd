; Covers: reverb (with a changing reverberation time) fed by a global send, and a
; hand-made Schroeder reverb from comb (k-rate time, insmps) and alpass (k and a-rate time).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

gasend init 0

instr 1 ; short plucks into the send
  aenv expon 1, p3, 0.001
  asig oscili 0.3 * aenv, p4, 1
  gasend = gasend + asig
  outs asig * 0.5, asig * 0.5
endin

instr 99 ; the reverbs
  krvt line 1.5, p3, 0.8
  arev reverb gasend, krvt
  ac1 comb gasend, 1.2, 0.0297
  ac2 comb gasend, krvt, 0.0371
  ac3 comb gasend, 1.2, 1812, 0, 1
  ac4 comb gasend, 1.2, 0.0437
  asum = (ac1 + ac2 + ac3 + ac4) * 0.25
  aap1 alpass asum, 0.1, 0.005
  artv line 0.08, p3, 0.05
  aap2 alpass aap1, artv, 0.0017
  outs arev * 0.3, aap2 * 0.3
  gasend = 0
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.4 0.2
i 1 0 0.2 440
i 1 0.5 0.2 660
i 1 1 0.3 550
i 99 0 3
e
</CsScore>
</CsoundSynthesizer>
