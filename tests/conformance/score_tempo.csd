; Covers: the score tempo statement "t" with breakpoints: an accelerando from 60 to 180
; beats per minute, then a constant tempo, applied to note starts and durations in beats.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kenv expseg 0.001, 0.01, 0.3, p3 - 0.01, 0.001
  asig oscili kenv, p4, 1
  out asig
endin
</CsInstruments>
<CsScore>
t 0 60 3 180 4 120
f 1 0 4096 10 1 0.2
i 1 0   0.5 440
i 1 0.5 0.5 494
i 1 1   0.5 554
i 1 1.5 0.5 587
i 1 2   0.5 659
i 1 2.5 0.5 740
i 1 3   0.5 831
i 1 3.5 0.5 880
i 1 4   1   440
e
</CsScore>
</CsoundSynthesizer>
