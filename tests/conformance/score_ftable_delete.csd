; Covers: f statements at later score times replacing a table while notes use it, and a
; negative p1 in an f statement ("f -1 t") deleting a table before it is redefined.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kenv linen 0.2, 0.02, p3, 0.05
  asig oscili kenv, 330, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
i 1 0   0.5
f 1 0.6 4096 10 1 0.5 0.33 0.25 0.2
i 1 0.6 0.5
f -1 1.2
f 1 1.3 4096 10 0 1 0 1
i 1 1.3 0.5
e
</CsScore>
</CsoundSynthesizer>
