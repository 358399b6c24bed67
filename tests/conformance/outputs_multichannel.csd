<CsoundSynthesizer>
; Checks the fixed-layout output opcodes on eight channels: outo, outh,
; outq, outq1-outq4, outs1/outs2, outc (more signals than channels are
; dropped) and outall.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 8
0dbfs = 1

instr 1
  a1 oscili 0.1, 110, 1
  a2 oscili 0.1, 165, 1
  a3 oscili 0.1, 220, 1
  a4 oscili 0.1, 275, 1
  a5 oscili 0.1, 330, 1
  a6 oscili 0.1, 385, 1
  a7 oscili 0.1, 440, 1
  a8 oscili 0.1, 495, 1
  outo a1, a2, a3, a4, a5, a6, a7, a8
  outh a8, a7, a6, a5, a4, a3
  outq a2, a4, a6, a8
endin

instr 2
  a1 oscili 0.2, 130, 1
  a2 oscili 0.2, 260, 1
  outq1 a1
  outq2 a2
  outq3 a1
  outq4 a2
  outs1 a2
  outs2 a1
  outc a1, a2, a1, a2, a1, a2, a1, a2, a1, a2
  outall a2 * 0.5
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
i 1 0   0.5
i 2 0.5 0.5
e
</CsScore>
</CsoundSynthesizer>
