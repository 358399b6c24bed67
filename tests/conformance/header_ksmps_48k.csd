; Covers: sr with ksmps (kr derived), an odd ksmps (7) that does not divide note times, and
; note boundaries that fall inside a k-block: a short plucked arpeggio at 48 kHz.
<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 7
nchnls = 1
0dbfs = 1

instr 1
  kenv expseg 0.001, 0.005, 0.4, p3 - 0.005, 0.001
  asig oscil kenv, p4, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 16384 10 1 0.5 0.33 0.25 0.2
i 1 0     0.4 261.63
i 1 0.123 0.4 329.63
i 1 0.251 0.4 392.00
i 1 0.377 0.6 523.25
e
</CsScore>
</CsoundSynthesizer>
