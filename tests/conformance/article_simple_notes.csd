; Covers: the article's orchestra (sr 96000, ksmps 100: linen, oscili with cpsoct, pan2,
; outs) with a few notes of the kind that are sent to it live: a rising three-note line.
<CsoundSynthesizer>
<CsInstruments>
sr = 96000
ksmps = 100
nchnls = 2
0dbfs = 1

instr 1
  kenv linen p4, p7, p3, p8
  asig oscili kenv, cpsoct(p5), p6
  aL, aR pan2 asig, p9
  outs aL, aR
endin
</CsInstruments>
<CsScore>
f 1 0 16384 10 1 0.5 0.3 0.2
;  start dur amp  oct   tab rise dec  pan
i 1 0    1   0.3  8.0   1   0.05 0.3  0.2
i 1 0.5  1   0.25 8.333 1   0.05 0.3  0.5
i 1 1    1.5 0.2  8.583 1   0.1  0.6  0.8
e
</CsScore>
</CsoundSynthesizer>
