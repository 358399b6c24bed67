; Covers: vco's three waves (saw, square with a k-rate pulse-width sweep,
; triangle/ramp), an a-rate frequency with vibrato, an a-rate amplitude,
; ileak, inyx and iphs: an analog-style bass line and a PWM pad.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 20
nchnls = 2
0dbfs = 1

instr 1        ; saw bass, then a hollow square (ileak) and a ramp
  aenv linseg 0, 0.02, 0.4, p3 - 0.07, 0.3, 0.05, 0
  a1 vco aenv, p4, p5, 0.3, 1, 0.5
  a2 vco 0.2, p4 * 2, 2, 0.5, 1, 0.5, 0.99999, 0.25, 0.5
  outs a1, a2
endin

instr 2        ; PWM pad with vibrato at audio rate
  kpw line 0.1, p3, 0.8
  avib poscil 2, 5, 1
  aenv linseg 0, 0.1, 0.3, p3 - 0.2, 0.3, 0.1, 0
  a1 vco aenv, p4 + avib, 2, kpw, 1, 0.1
  a2 vco 0.3, p4 * 1.01, 3, 0.5, 1, 0.1
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f1 0 65536 10 1
i1 0   0.6 55    1
i1 0.6 0.6 82.4  2
i1 1.2 0.6 73.4  3
i2 1.8 1.5 220
e 3.5
</CsScore>
</CsoundSynthesizer>
