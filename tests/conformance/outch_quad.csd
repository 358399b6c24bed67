; Covers: outch writing to chosen channels of a four-channel output (several
; channel/signal pairs in one call, a channel number from a p-field, fractional
; channel numbers rounded halves to even: 2.5 plays on 2, 3.6 on 4) and out on nchnls 4.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 4
0dbfs = 1

instr 1
  kenv linen 0.2, 0.02, p3, 0.1
  asig oscili kenv, p4, 1
  outch p5, asig
endin

instr 2
  kenv linen 0.1, 0.02, p3, 0.1
  a1 oscili kenv, 110, 1
  a2 oscili kenv, 165, 1
  outch 1, a1, 4, a2
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3
i 1 0   0.5 440 1
i 1 0.5 0.5 550 2
i 1 1   0.5 660 3
i 1 1.5 0.5 880 4
i 2 0   2
i 1 2   0.5 330 2.5
i 1 2.5 0.5 495 3.6
i 1 3   0.5 770 0.7
e
</CsScore>
</CsoundSynthesizer>
