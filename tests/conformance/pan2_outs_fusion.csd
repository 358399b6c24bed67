; Covers: pan2 straight into outs (which rhapsody fuses into one pass) next to the cases it
; must leave apart: a panned signal also sent to a reverb bus, a k-rate goto after the
; fused pair, an a-rate pan position, `out` with two signals, and an odd ksmps.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 7
nchnls = 2
0dbfs = 1

gaVerb init 0

instr 1 ; a plucked-like tone panned by a slow LFO, straight to the output
  kenv linen 0.3, 0.01, p3, 0.2
  asig oscili kenv, p4, 1
  kpan oscili 0.5, 0.7
  aL, aR pan2 asig, kpan + 0.5, p5
  outs aL, aR
  kcount init 0
  kcount = kcount + 1
  if kcount < 50 kgoto skip
  kcount = 0
skip:
endin

instr 2 ; the left channel also feeds the reverb bus
  kenv linen 0.2, 0.05, p3, 0.3
  asig oscili kenv, p4, 1
  aL, aR pan2 asig, 0.2
  outs aL, aR
  gaVerb = gaVerb + aL * 0.4
endin

instr 3 ; a-rate pan, written with out
  asig oscili 0.2, p4, 1
  apan oscili 0.5, 3
  aL, aR pan2 asig, apan + 0.5, 2
  out aL, aR
endin

instr 99 ; a plain comb reverb on the bus
  aWet comb gaVerb, 1.2, 0.05
  outs aWet * 0.3, aWet * 0.3
  gaVerb = 0
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5 0.25 0.125
i 99 0 3.5
i 1 0   1.0 262 0
i 1 0.5 1.0 330 1
i 1 1.0 1.0 392 3
i 2 0.2 1.5 196
i 2 1.2 1.2 247
i 3 2.0 1.0 523
e
</CsScore>
</CsoundSynthesizer>
