; Covers: mono audio input (`in`, nchnls_i = 1 beside nchnls = 2) from a float WAV:
; the input through an envelope and a comb filter, two notes at once reading the
; same block of input, and inch 1 on the same bus.
<CsoundSynthesizer>
<CsOptions>
-i mono_tone.wav
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
nchnls_i = 1
0dbfs = 1

instr 1
  a1 in
  kenv linseg 0, 0.05, 1, p3 - 0.1, 1, 0.05, 0
  asilent = 0
  outs a1 * kenv * 0.5, asilent
endin

instr 2
  a1 inch 1
  acomb comb a1, 0.2, 0.005
  asilent = 0
  outs asilent, acomb * 0.2
endin
</CsInstruments>
<CsScore>
i 1 0    0.4
i 2 0.1  0.45
e
</CsScore>
</CsoundSynthesizer>
