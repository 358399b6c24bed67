<CsoundSynthesizer>
; Statistical check (noise_conformance_tests): random, randomh, randomi,
; rnd and birnd choosing pitches and levels of sines, after `seed`; RMS
; and octave-band energy must match csound's.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

seed 42

; short notes, each with a random pitch (within 420-680 Hz) and level
instr 1
  ifreq random 450, 650
  ifreq = ifreq + birnd(30)
  iamp  = 0.1 + rnd(0.2)
  kenv  linseg 0, 0.01, 1, p3 - 0.02, 1, 0.01, 0
  asig  oscili iamp * kenv, ifreq, 1
  outs  asig, asig * 0
endin

; a held sine: randomh level, randomi vibrato, a random a-rate hiss
instr 2
  klev  randomh 0.05, 0.4, 40
  kvib  randomi -10, 10, 6, 3
  kwob  random -2, 2
  asig  oscili klev, 300 + kvib + kwob, 1
  ahiss random -0.05, 0.05
  alev  randomh 0, 1, 200, 2, 0.5
  ai    randomi 0, 1, 100, 1
  outs  asig * 0.3, asig + ahiss * alev + ai * 0.01
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
i 1 0    0.1
i 1 0.1  0.1
i 1 0.2  0.1
i 1 0.3  0.1
i 1 0.4  0.1
i 1 0.5  0.1
i 1 0.6  0.1
i 1 0.7  0.1
i 1 0.8  0.1
i 1 0.9  0.1
i 1 1.0  0.1
i 1 1.1  0.1
i 1 1.2  0.1
i 1 1.3  0.1
i 1 1.4  0.1
i 1 1.5  0.1
i 1 1.6  0.1
i 1 1.7  0.1
i 1 1.8  0.1
i 1 1.9  0.1
i 1 2.0  0.1
i 1 2.1  0.1
i 1 2.2  0.1
i 1 2.3  0.1
i 1 2.4  0.1
i 1 2.5  0.1
i 1 2.6  0.1
i 1 2.7  0.1
i 1 2.8  0.1
i 1 2.9  0.1
i 1 3.0  0.1
i 1 3.1  0.1
i 1 3.2  0.1
i 1 3.3  0.1
i 1 3.4  0.1
i 1 3.5  0.1
i 1 3.6  0.1
i 1 3.7  0.1
i 1 3.8  0.1
i 1 3.9  0.1
i 2 0 4
e
</CsScore>
</CsoundSynthesizer>
