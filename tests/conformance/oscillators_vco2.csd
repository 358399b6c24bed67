; Covers: vco2 (band-limited tables chosen per k-period from the frequency):
; sawtooth, square with a pulse-width sweep, triangle, ramp with moving
; slope, parabola, pulse and phase-modulated sawtooth, each gliding in
; pitch at k-rate from low to high (crossing many tables), and inyx.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1        ; a bass line gliding up an octave and a half, one waveform per note
  kcps expon p4, p3, p4 * 2.8
  kpw  line 0.1, p3, 0.85
  iscale = (p5 == 6 ? 0.03 : 1)   ; the pulse is not normalised
  kenv linseg 0, 0.02, 0.3 * iscale, p3 - 0.07, 0.25 * iscale, 0.05, 0
  a1 vco2 kenv, kcps, p5, kpw, p6
  a2 vco2 kenv * 0.5, kcps * 1.5, p5, 0.5, 0, 0.3
  outs a1, a2
endin

instr 2        ; phase modulation (imode + 16): a k-rate phase wobble
  kphs poscil 0.2, 3
  kenv linseg 0, 0.02, 0.25, p3 - 0.07, 0.25, 0.05, 0
  a1 vco2 kenv, p4, p5 + 16, 0.3, kphs
  outs a1, a1 * 0.5
endin
</CsInstruments>
<CsScore>
i1 0   0.8 55   0  0
i1 0.8 0.8 110  2  0
i1 1.6 0.8 220  12 0.25
i1 2.4 0.8 330  4  0
i1 3.2 0.5 880  8  0
i1 3.7 0.5 1760 6  0
i2 4.2 0.8 440  0
i2 5.0 0.8 220  2
e 6
</CsScore>
</CsoundSynthesizer>
