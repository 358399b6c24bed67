<CsoundSynthesizer>
; Checks taninv2 at i-rate (every quadrant, x = 0 and y = 0), k-rate (an
; angle swept round the circle, as a pitch) and a-rate (the phase of a
; quadrature pair, a sawtooth), and its function form.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

gisin ftgen 1, 0, 8192, 10, 1
gicos ftgen 2, 0, 8192, 9, 1, 1, 90

instr 1
  i1 taninv2 1, 2
  i2 taninv2 -1, -2
  i3 taninv2 0, -1
  i4 taninv2 1, 0
  i5 taninv2 0, 0
  print i1, i2, i3, i4, i5
  ky    oscili 1, 0.5, 1
  kx    oscili 1, 0.5, 2
  kang  taninv2 ky, kx
  ay    oscili 1, p4, 1
  ax    oscili 1, p4, 2
  aph   taninv2 ay, ax
  asaw  = aph / 3.14159 * 0.2
  avib oscili 0.2, 440 * (1 + taninv2(ky, kx) / 12 + i2 / 100), 1
  outs  asaw, avib + kang * 0.01
endin
</CsInstruments>
<CsScore>
i 1 0 2 110
i 1 2 1 220
</CsScore>
</CsoundSynthesizer>
