; Covers: score sections "s" (time restarts at each section, a section ends when its
; last note does), "s" with an end time (extra silence), and "b" base time offsets.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kenv linen 0.2, 0.02, p3, 0.1
  asig oscili kenv, p4, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5
i 1 0   0.4 330
i 1 0.3 0.4 440
s
i 1 0   0.3 392
i 1 0.2 0.3 523
s 0.8
b 0.25
i 1 0   0.3 294
b 0.5
i 1 0   0.3 349
e
</CsScore>
</CsoundSynthesizer>
