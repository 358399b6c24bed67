; Covers: pan2 in modes 0-3 with an a-rate pan position (modes 0, 2, 3 also outside 0..1, which csound does not clamp) and a k-rate one.
<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 16
nchnls = 2
0dbfs = 1

instr 1
  asig poscil 0.5, 220, 1
  apan line p5, p3, p6
  aL, aR pan2 asig, apan, p4
  outs aL, aR
endin

instr 2
  asig poscil 0.5, 330, 1
  kpan poscil 0.5, 1.3, 1
  aL, aR pan2 asig, kpan + 0.5, p4
  outs aL, aR
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3
i 1 0 0.5 0 -0.2 1.2
i 1 0.5 0.5 1 0 1
i 1 1 0.5 2 -0.3 1.1
i 1 1.5 0.5 3 1.2 -0.2
i 2 2 0.25 0
i 2 2.25 0.25 1
i 2 2.5 0.25 2
i 2 2.75 0.25 3
e
</CsScore>
</CsoundSynthesizer>
