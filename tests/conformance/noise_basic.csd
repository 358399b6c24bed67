<CsoundSynthesizer>
; Statistical check (noise_conformance_tests): rand, randh, randi and noise
; (several betas) as wind-like noise layers; RMS and octave-band energy
; must match csound's.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

; hiss and rumble: white rand, held randh, ramped randi
instr 1
  kenv  linseg 0, 0.1, 1, p3 - 0.2, 1, 0.1, 0
  awhite rand 0.2 * kenv, 0.37, 1
  ahold randh 0.15 * kenv, 1500, 0.61
  aramp randi 0.3 * kenv, 400, 0.2, 1
  outs  awhite + ahold, aramp + awhite * 0.3
endin

; coloured noise: noise with the beta of each note (p4)
instr 2
  kenv  linseg 0, 0.1, 1, p3 - 0.2, 1, 0.1, 0
  anz   noise 0.3 * kenv, p4
  outs  anz, anz * 0.5
endin
</CsInstruments>
<CsScore>
i 1 0 2
i 2 2 1.5 0
i 2 3.5 1.5 0.6
i 2 5 1.5 -0.5
e
</CsScore>
</CsoundSynthesizer>
