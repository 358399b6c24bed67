; Covers: an options section written as a command line (starting with the word "csound") and
; combined single-letter flags whose last letter takes a value (-dm0, -nm128 style).
<CsoundSynthesizer>
<CsOptions>
csound -dm0 -W
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 1
0dbfs = 1

instr 1
  asig oscili 0.2, p4
  out asig
endin
</CsInstruments>
<CsScore>
i 1 0 0.3 440
i 1 0.3 0.3 660
</CsScore>
</CsoundSynthesizer>
