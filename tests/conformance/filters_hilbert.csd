<CsoundSynthesizer>
; Checks hilbert: both outputs of the transformer on a bright tone, and the
; frequency shifter built from them (single-sideband modulation with a
; shift that sweeps through zero), up on the left and down on the right.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

gisin ftgen 1, 0, 8192, 10, 1
gibuz ftgen 2, 0, 8192, 10, 1, 0.5, 0.3, 0.25, 0.2, 0.15, 0.1

instr 1
  ain   oscili 0.3, p4, 2
  areal, aimag hilbert ain
  kshift line p5, p3, p6
  acos  oscili 1, kshift, 1, 0.25
  asin  oscili 1, kshift, 1
  aup   = areal * acos - aimag * asin
  adown = areal * acos + aimag * asin
  outs  aup, adown
endin

instr 2
  ain   oscili 0.3, p4, 2
  areal, aimag hilbert ain
  outs  areal, aimag
endin
</CsInstruments>
<CsScore>
i 1 0 2 220 -200 300
i 2 2 1 440
</CsScore>
</CsoundSynthesizer>
