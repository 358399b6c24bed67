<CsoundSynthesizer>
; Checks that rand, randh and randi reproduce csound's own generator
; sample for sample: default and given seeds, 16-bit and 31-bit modes,
; offsets, a- and k-rate forms, a-rate amplitude and frequency.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

; a breathy tone: band-limited random pitch wobble plus a noise burst
instr 1
  kenv  linseg 0, 0.05, 1, p3 - 0.1, 1, 0.05, 0
  kvib  randi 8, 6, 0.3
  kjit  randh 3, 20, 0.7, 1
  asig  oscili 0.3 * kenv, p4 + kvib + kjit, 1
  anz   rand 0.05 * kenv
  anz2  rand 0.05 * kenv, 0.42, 1, 0.01
  outs  asig + anz, asig + anz2
endin

; sample-and-hold noise at audio rate, 16-bit and 31-bit
instr 2
  aamp  linseg 0, p3 / 2, 0.4, p3 / 2, 0
  acps  linseg 200, p3, 3000
  ah    randh aamp, acps
  ai    randi 0.3, acps, 0.9, 1
  ah2   randh 0.2, 500, 0.25, 1, 0.05
  ai2   randi aamp, 1000
  krn   rand 1, 0.1, 1
  outs  ah + ah2 * krn, ai * aamp + ai2
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1 0.5 0.3
i 1 0 1.5 220
i 2 1.5 1.5
e
</CsScore>
</CsoundSynthesizer>
