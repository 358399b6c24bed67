; Covers: pan2 with its four panning modes (0 equal power, 1 square root, 2 linear,
; 3 alternative equal power) and a k-rate pan position sweeping left to right.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kpan line 0, p3, 1
  asig oscili 0.3, p4, 1
  aL, aR pan2 asig, kpan, p5
  outs aL, aR
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3
i 1 0   0.6 220 0
i 1 0.6 0.6 277 1
i 1 1.2 0.6 330 2
i 1 1.8 0.6 440 3
e
</CsScore>
</CsoundSynthesizer>
