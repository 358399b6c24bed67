; Covers: orchestra header defaults when nothing is set (sr 44100, ksmps 10, nchnls 1,
; 0dbfs 32768): a mono two-note phrase with amplitudes in the default 16-bit scale.
<CsoundSynthesizer>
<CsInstruments>
instr 1
  kenv linseg 0, 0.05, p4, p3 - 0.1, p4, 0.05, 0
  asig oscili kenv, p5, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5 0.25
i 1 0   1   10000 330
i 1 0.5 1.2  8000 440
e
</CsScore>
</CsoundSynthesizer>
