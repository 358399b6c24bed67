; Covers: foscil and foscili: a bell (non-integer ratio, decaying index),
; a brass-like note (index following the envelope), an a-rate modulator
; ratio, the built-in sine (foscil with ifn left out) and an initial phase.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1        ; bell: c:m = 1:1.4, index falling with the amplitude
  kenv expon 0.4, p3, 0.001
  kndx expon 8, p3, 0.1
  a1 foscili kenv, p4, 1, 1.4, kndx, 1
  a2 foscil kenv, p4 * 0.5, 1, 1.4, kndx, 1, 0.25
  outs a1, a2
endin

instr 2        ; brass: index follows the envelope; a-rate ratio wobble
  kenv linseg 0, 0.05, 0.3, p3 - 0.15, 0.25, 0.1, 0
  amod poscil 0.01, 4, 2
  a1 foscil kenv, p4, 1, 1 + amod, kenv * 15, 1
  a2 foscil kenv, p4, 1, 2, 3
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1
f2 0 8192 10 1
i1 0 1.5 440
i2 1.5 1 220
e 2.6
</CsScore>
</CsoundSynthesizer>
