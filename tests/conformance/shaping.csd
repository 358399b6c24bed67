<CsoundSynthesizer>
; Checks the waveshapers: pdclip (bipolar with a moving width and an offset
; beyond the width, unipolar with a full scale of 2), pdhalf and pdhalfy
; (uni- and bipolar phasors whose shape sweeps past -1 and 1, read through a
; cosine), powershape (an exponent swept through 1 and 0 at a full scale),
; polynomial and chebyshevpoly with k-rate coefficients.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 2
0dbfs = 1

instr 1
  kw    line 0, p3, 0.95
  kc    line -1.5, p3, 1.5
  asin  oscili 0.9, p4, 1
  a1    pdclip asin, kw, kc, 1
  aph   phasor p4 * 0.5
  a2    pdclip aph * 2, kw, kc * 0.5, 0, 2
  outs  a1 * 0.5, a2 * 0.25
endin

instr 2
  ks    line -1.2, p3, 1.2
  aph   phasor p4
  a1    pdhalf aph, ks
  a2    pdhalfy aph, -ks
  abi   = aph * 2 - 1
  a3    pdhalf abi, ks * 0.8, 1
  a4    pdhalfy abi * 3, ks, 1, 3
  ac1    tablei a1, 2, 1
  ac2    tablei a2, 2, 1
  ac3    tablei a3 * 0.5 + 0.5, 2, 1
  outs  (ac1 + ac2) * 0.3, ac3 * 0.3 + a4 * 0.05
endin

instr 3
  kx    expseg 0.05, p3 * 0.5, 4, p3 * 0.5, 1
  asin  oscili 1, p4, 1
  a1    powershape asin, kx
  a2    powershape asin * 4, kx, 4
  kz    linseg 1, p3 * 0.5, 0, p3 * 0.5, 1
  a3    powershape asin, kz
  outs  a1 * 0.4 + a3 * 0.1, a2 * 0.1
endin

instr 4
  k1    line 1, p3, 0
  k2    line 0, p3, 0.6
  k3    line -0.3, p3, 0.4
  asin  oscili 1, p4, 1
  a1    chebyshevpoly asin, 0.1, k1, k2, k3, 0, 0.2
  a2    polynomial asin * 0.9, 0, k1, 0, k3, k2
  outs  a1 * 0.4, a2 * 0.4
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
f 2 0 8193 9 1 1 270
i 1 0 1 220
i 2 1 1.2 180
i 3 2.2 1 330
i 4 3.2 1 250
e
</CsScore>
</CsoundSynthesizer>
