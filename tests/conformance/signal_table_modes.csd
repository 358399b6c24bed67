; Covers: table/tablei at a-, k- and i-rate (index ramps avoid exact integers, where the last bit of a line decides the point) with clamping (fraction kept below 0 and above len-1), wrapping on power-of-two and other lengths, normalised index and offset; tablew limit/wrap/guard-point modes; ftgen 0 numbering from 101; ftlen.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

giA ftgen 0, 0, 8, -2, 0.1, 0.3, -0.2, 0.5, -0.4, 0.2, 0.6, -0.1
giB ftgen 0, 0, 6, -2, 0.2, -0.3, 0.4, 0.1, -0.5, 0.3
giW ftgen 0, 0, 8, -2, 0

instr 1
  ; index sweeps from -3 to 11 over the note, read every way
  kx line -3.00007, p3, 11.00031
  ax line -3.00007, p3, 11.00031
  k1 table kx, giA
  k2 table kx, giA, 0, 0, 1
  k3 tablei kx, giA
  k4 tablei kx, giA, 0, 0, 1
  a5 table ax, giB, 0, 0, 1
  a6 tablei ax, giB
  a7 tablei ax, giB, 0, 0, 1
  a8 tablei ax / 8, giA, 1, 0.25, 1
  i9 tablei 2.5, giA
  i10 table 7.5, giB, 0, 0, 1
  outs k1 + k2 + a5 + a6 + i9 + a8, k3 + k4 + a7 + i10 + ftlen(giB) * 0.01 + giW * 0.001
endin

instr 2
  ; writes with each mode, then reads the table back interpolating
  kx line -2.00013, p3, 12.00029
  tablew kx * 0.05, kx, giW, 0, 0, 0
  tablew kx * -0.03, kx * 1.3, giW, 0, 0, 1
  tablew kx * 0.02, kx * 0.7 - 1, giW, 0, 0, 2
  aw line 0, p3, 1
  tablew aw * 0.1, aw, giW, 1, 0.1, 2
  aph phasor 100
  a1 tablei aph, giW, 1, 0, 1
  outs a1, a1 * 0.5
endin
</CsInstruments>
<CsScore>
i 1 0 1
i 2 1 1
e
</CsScore>
</CsoundSynthesizer>
