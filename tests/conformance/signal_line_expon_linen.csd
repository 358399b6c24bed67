; Covers: line and expon at a- and k-rate (going on past idur), and linen at a- and k-rate with rise + decay longer than idur and the decay running on below zero after idur.
<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  aln line 0.1, 0.3, 0.6
  kln line 0.6, 0.3, 0.1
  aex expon 0.05, 0.4, 0.5
  kex expon 300, 0.4, 500
  asig poscil 1, kex, 1
  outs asig * aln * aex, asig * kln * 0.3
endin

instr 2
  ; rise 0.3 + decay 0.25 > idur 0.4; the note lasts 0.7 s so the decay runs past zero
  aenv linen 0.4, 0.3, 0.4, 0.25
  kenv linen 0.4, 0.3003, 0.4, 0.2497
  asig poscil 1, 220, 1
  outs asig * aenv, asig * kenv
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.2 0.1
i 1 0 0.6
i 2 0.6 0.7
e
</CsScore>
</CsoundSynthesizer>
