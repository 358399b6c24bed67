; Covers: GEN09 (partials with arbitrary numbers, strengths and phases, inharmonic too)
; and GEN19 (partials with phase and DC offset), normalized and raw (-19), played by oscili.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kenv linen 0.2, 0.05, p3, 0.3
  asig oscili kenv, p4, p5
  outs asig, asig * 0.7
endin
</CsInstruments>
<CsScore>
f 1 0 8192 9 1 1 0 3 0.33 180 5 0.2 0
f 2 0 8192 9 1 1 90 2.01 0.5 0 4.1 0.25 45
f 3 0 8192 19 1 1 0 0 2 0.5 90 0
f 4 0 8192 -19 0.5 1 0 0.5 3 0.3 0 0
i 1 0   0.8 220 1
i 1 0.6 0.8 110 2
i 1 1.2 0.8 330 3
i 1 1.8 0.8 165 4
e
</CsScore>
</CsoundSynthesizer>
