<CsoundSynthesizer>
; Checks lag and lagud at control rate, median and mediank, mac and maca,
; logcurve and expcurve, dot,
; ihold (a held note ended by a later turnoff), multitap's taps, and the
; mid-side pair st2ms/ms2st with a moving width.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  kstep = (timeinsts() < 0.3 ? 200 : (timeinsts() < 0.6 ? 500 : 300))
  kl    lag kstep, 0.2
  kud   lagud kstep, 0.05, 0.3
  a1    oscili 0.2, kl, 1
  a2    oscili 0.2, kud, 1
  outs a1, a2
endin

instr 2
  asig  oscili 0.3, 220, 1
  aspk  mpulse 0.8, 0.01
  am    median asig + aspk, 5, 8
  kin   oscili 100, 3, 1
  kt    = timek()
  km    mediank kin + (kt % 7 == 0 ? 300 : 0), 3, 8
  a2    oscili 0.2, 400 + km, 1
  outs am, a2
endin

instr 3
  a1    oscili 0.3, 220, 1
  a2    oscili 0.3, 330, 1
  kg    line 0, p3, 1
  am    mac kg, a1, 1 - kg, a2
  aw    oscili 0.5, 2, 1
  ama   maca aw, a1, a2, a2
  kx    line 0, p3, 1
  klog  logcurve kx, 8
  kexp  expcurve kx, 8
  kA[]  fillarray 1, 2, 3
  kB[]  fillarray 4, 5, 6
  kd    dot kA, kB
  a3    oscili 0.1, 200 + 300 * klog + kd, 1
  a4    oscili 0.1, 200 + 300 * kexp, 1
  outs am + a3, ama * 0.5 + a4
endin

instr 4
  ihold
  a1    oscili 0.2, 440, 1
  outs a1, a1
endin

instr 5
  kenv  linseg 1, 0.05, 0, p3 - 0.05, 0
  asig  oscili kenv * 0.4, 330, 1
  amt   multitap asig, 0.1, 0.6, 0.23, 0.4, 0.0005, 0.3
  outs amt, asig
endin

instr 6
  a1    oscili 0.3, 220, 1
  a2    oscili 0.2, 331, 1
  am, as st2ms a1, a2
  kw    line 0, p3, 1
  al, ar ms2st am, as, kw
  outs al, ar
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
i 1 0 1
i 2 1 1
i 3 2 1
i 4 3 0.2
i -4 3.7 0
i 5 4 1
i 6 5 1
e 6
</CsScore>
</CsoundSynthesizer>
