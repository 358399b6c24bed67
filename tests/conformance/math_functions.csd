; Covers: sqrt, exp, log, log10, sin, cos, tan, min and max, and the rate converters
; i() and k(), computing the partials, vibrato and gains of a small organ chord.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  ibase = p4
  i2 = ibase * sqrt(4)                     ; octave
  i3 = ibase * exp(log(3))                 ; twelfth
  i4 = ibase * 10 ^ log10(5)               ; 5th harmonic
  igain = min(0.3, max(0.05, 1 / sqrt(p4 / 10)))
  kt  line 0, p3, 1
  kvib = sin(kt * 6.2831853 * 5) * 2 + cos(kt * 3.14159) * 1.5
  ktilt = tan(kt * 0.7) * 0.3                ; 0 .. 0.25
  kmx  max 0.2, ktilt, kt * 0.1
  kmn  min 0.8, 1 - ktilt
  iend = i(kt)                                 ; 0 at init time
  ksum = k(iend) + kmx
  a1 oscili igain, ibase + kvib, 1
  a2 oscili igain * kmn * 0.5, i2, 1
  a3 oscili igain * ksum, i3, 1
  a4 oscili igain * 0.2, i4, 1
  kenv linen 1, 0.05, p3, 0.2
  outs (a1 + a2) * kenv, (a3 + a4 + a1 * 0.5) * kenv
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
i 1 0   2 110
i 1 0.5 1.5 165
e
</CsScore>
</CsoundSynthesizer>
