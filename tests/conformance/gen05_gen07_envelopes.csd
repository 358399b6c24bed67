; Covers: GEN07 (straight-line segments) and GEN05 (exponential segments) tables used as
; an amplitude envelope and a pitch contour read with tablei over each note, and a
; GEN07 triangle waveform played through oscil.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kidx  line 0, p3, 1
  kenv  tablei kidx, 2, 1          ; GEN07 envelope, normalized index
  kglide tablei kidx, 3, 1         ; GEN05 contour
  a1    oscil 0.3 * kenv, p4 * kglide, 1
  a2    oscili 0.3 * kenv, p4 * kglide * 1.5, 4
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
f 2 0 1024 7 0 100 1 300 0.6 524 0.6 100 0
f 3 0 1024 -5 1 512 2 512 1.5
f 4 0 4096 7 -1 2048 1 2048 -1
i 1 0   1.2 220
i 1 1.0 1.5 330
e
</CsScore>
</CsoundSynthesizer>
