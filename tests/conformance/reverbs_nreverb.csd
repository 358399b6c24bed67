<CsoundSynthesizer>
; Checks nreverb with its default loops (a moving reverberation time and
; high-frequency diffusion), reverb2 as its other name, and nreverb with
; loops from tables: times in seconds (raised to primes) and in samples.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  kenv  expseg 1, 0.05, 0.001, p3 - 0.05, 0.001
  asig  oscili kenv, p4, 1
  kt    line 1.5, p3, 0.5
  kh    line 0, p3, 0.8
  a1    nreverb asig, kt, kh
  a2    reverb2 asig, 0.8, 0.3
  outs  a1 * 0.3, a2 * 0.3
endin

instr 2
  kenv  expseg 1, 0.03, 0.001, p3 - 0.03, 0.001
  asig  oscili kenv, p4, 1
  a1    nreverb asig, 1.2, 0.5, 0, 4, 11, 2, 12
  a2    nreverb asig, 0.6, 0.1, 0, 3, 13, 3, 13
  outs  a1 * 0.3, a2 * 0.3
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1 0.5 0.3
; comb times in seconds then gains; all-pass times in samples then gains
f 11 0 8 -2 0.031 0.0373 0.041 0.0437 0.8 0.78 0.76 0.74
f 12 0 4 -2 -225 -341 0.7 0.72
f 13 0 8 -2 -1116 -1356 -1617 0.75 0.7 0.65 0 0
i 1 0 2 330
i 2 2 1.5 440
e
</CsScore>
</CsoundSynthesizer>
