; Covers: out with one and with several arguments (summing into channels), outs, and
; several instruments adding into the same output in one block.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kenv linen 0.2, 0.02, p3, 0.1
  aL oscili kenv, p4, 1
  aR oscili kenv, p4 * 1.01, 1
  out aL, aR
endin

instr 2
  kenv linen 0.15, 0.02, p3, 0.1
  a1 oscili kenv, p4, 1
  outs a1, a1 * 0.25
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5
i 1 0   1.5 220
i 2 0.5 1.5 330
i 2 0.5 1.5 440
e
</CsScore>
</CsoundSynthesizer>
