; Covers: GEN10 harmonic series, normalized (10) and raw (-10), with zero harmonics and a
; non-power-of-two size, and table p2 creation times: a chord of three timbres.
<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 16
nchnls = 1
0dbfs = 1

instr 1
  kenv linen p5, 0.05, p3, 0.2
  asig poscil kenv, p4, p6
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
f 2 0 4096 10 1 0 0.333 0 0.2 0 0.143
f 3 0 4096 -10 0.3 0.15 0.1 0.075
f 4 0 1000 10 1 0.5 0.25 0.125
i 1 0   2 196 0.2 1
i 1 0.3 2 247 0.15 2
i 1 0.6 2 294 1 3
i 1 0.9 1.5 392 0.1 4
e
</CsScore>
</CsoundSynthesizer>
