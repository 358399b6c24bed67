; Covers: score ramps: "<" linearly interpolates a p-field between the surrounding notes
; of the same instrument (rising pitches and falling amplitudes of a run).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kenv linen p4, 0.01, p3, 0.05
  asig oscili kenv, p5, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5 0.25
i 1 0    0.2 0.3 200
i 1 0.2  0.2 <   <
i 1 0.4  0.2 <   <
i 1 0.6  0.2 <   <
i 1 0.8  0.2 0.1 800
i 1 1.0  0.2 0.1 800
i 1 1.2  0.2 <   <
i 1 1.4  0.2 <   <
i 1 1.6  0.4 0.3 300
e
</CsScore>
</CsoundSynthesizer>
