; A short piece (about 10 s) for the README's quick start: a soft pad, a plucked bass and
; a bell melody over a global echo-free mix bus, using only rhapsody's core opcodes.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

giSoft ftgen 1, 0, 8192, 10, 1, 0.5, 0.3, 0.15, 0.08, 0.04
giBell ftgen 2, 0, 8192, 9, 1, 1, 0, 2.76, 0.4, 0, 5.4, 0.2, 0, 8.93, 0.1, 0
giSine ftgen 3, 0, 8192, 10, 1
gaL init 0
gaR init 0

instr Pad        ; p4 pitch (pch), p5 amplitude, p6 pan
  kenv linseg 0, p3 * 0.4, p5, p3 * 0.4, p5 * 0.8, p3 * 0.2, 0
  kvib oscili 0.003, 4.5, giSine
  ifrq = cpspch(p4)
  a1 oscili kenv, ifrq * (1 + kvib), giSoft
  a2 oscili kenv, ifrq * 1.003, giSoft
  aL, aR pan2 (a1 + a2) * 0.5, p6
  gaL += aL
  gaR += aR
endin

instr Bass       ; p4 pitch (pch), p5 amplitude
  kenv expon p5, p3, p5 * 0.02
  kbright expseg 3000, 0.15, 400, p3 - 0.15, 300
  a1 oscili kenv, cpspch(p4), giSoft
  a2 oscili kenv * 0.3, kbright, giSine
  gaL += a1 + a2 * 0.1
  gaR += a1 + a2 * 0.1
endin

instr Bell       ; p4 pitch (pch), p5 amplitude, p6 pan
  kenv expseg 0.0001, 0.005, p5, p3 - 0.005, 0.0001
  asig oscili kenv, cpspch(p4), giBell
  aL, aR pan2 asig, p6
  gaL += aL
  gaR += aR
endin

instr Mix
  kfade linseg 1, p3 - 0.5, 1, 0.5, 0
  outs gaL * kfade, gaR * kfade
  clear gaL, gaR
endin
</CsInstruments>
<CsScore>
i "Mix" 0 10.5
; pad chords: Cmaj7, Am7, Fmaj7, G6
i "Pad" 0   2.6 7.00 0.07 0.2
i "Pad" 0   2.6 7.04 0.06 0.5
i "Pad" 0   2.6 7.07 0.06 0.8
i "Pad" 0   2.6 7.11 0.05 0.4
i "Pad" 2.5 2.6 6.09 0.07 0.2
i "Pad" 2.5 2.6 7.00 0.06 0.5
i "Pad" 2.5 2.6 7.04 0.06 0.8
i "Pad" 2.5 2.6 7.07 0.05 0.4
i "Pad" 5   2.6 6.05 0.07 0.2
i "Pad" 5   2.6 6.09 0.06 0.5
i "Pad" 5   2.6 7.00 0.06 0.8
i "Pad" 5   2.6 7.04 0.05 0.4
i "Pad" 7.5 3   6.07 0.07 0.2
i "Pad" 7.5 3   6.11 0.06 0.5
i "Pad" 7.5 3   7.02 0.06 0.8
i "Pad" 7.5 3   7.04 0.05 0.4
; bass
i "Bass" 0    1.2 5.00 0.25
i "Bass" 1.25 1.2 5.07 0.2
i "Bass" 2.5  1.2 5.09 0.25
i "Bass" 3.75 1.2 5.04 0.2
i "Bass" 5    1.2 5.05 0.25
i "Bass" 6.25 1.2 5.00 0.2
i "Bass" 7.5  2.5 5.07 0.25
; bell melody
i "Bell" 0.5  1.5 8.07 0.12 0.7
i "Bell" 1.0  1.5 8.04 0.10 0.3
i "Bell" 1.5  1.5 9.00 0.12 0.6
i "Bell" 2.5  2   8.11 0.12 0.4
i "Bell" 3.5  1.5 8.09 0.10 0.7
i "Bell" 4.25 1.5 8.07 0.10 0.5
i "Bell" 5    2   8.09 0.12 0.3
i "Bell" 6    1.5 9.00 0.10 0.7
i "Bell" 6.75 1.5 9.04 0.12 0.5
i "Bell" 7.5  3   9.02 0.12 0.5
i "Bell" 8.5  2   8.11 0.08 0.3
e
</CsScore>
</CsoundSynthesizer>
