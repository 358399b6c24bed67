<CsoundSynthesizer>
; Checks the band filters, morphing and blurring of f-signals: a buzz whose
; pitch glides is band-passed (linear edges) and band-rejected (exponential
; edges), morphed with a second buzz, and blurred over 20 ms.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

giSine ftgen 1, 0, 8192, 10, 1

instr 1 ; band-pass (left) and band-reject (right)
  kf   expon 110, p3, 440
  asrc buzz 0.3, kf, 30, giSine
  fsrc pvsanal asrc, 1024, 256, 1024, 1
  fbp  pvsbandp fsrc, 300, 700, 1500, 2500
  fbr  pvsbandr fsrc, 400, 900, 1800, 3000, 2.3
  outs pvsynth(fbp), pvsynth(fbr)
endin

instr 2 ; morph moving from one buzz to another (left), blur (right)
  a1 buzz 0.25, 220, 10, giSine
  a2 buzz 0.25, 330, 6, giSine
  f1 pvsanal a1, 1024, 256, 1024, 1
  f2 pvsanal a2, 1024, 256, 1024, 1
  kamp line 0, p3, 1
  kfrq line 1, p3, 0
  fm pvsmorph f1, f2, kamp, kfrq
  kenv linseg 0, 0.3, 1, 0.2, 0.1, 0.5, 1
  a3 = a1 * kenv
  f3 pvsanal a3, 1024, 256, 1024, 1
  fb pvsblur f3, 0.02, 0.2
  outs pvsynth(fm), pvsynth(fb)
endin
</CsInstruments>
<CsScore>
i 1 0 1.5
i 2 1.6 1.5
</CsScore>
</CsoundSynthesizer>
