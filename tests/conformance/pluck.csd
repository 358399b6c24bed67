; Covers: pluck with each decay method: 1 (simple averaging) and 6 (recursive
; filter) from a harmonic table, 2 (stretched), 3 (drum, roughness) and 4
; (stretched drum) from a pulse table, 5 (weighted averaging); a k-rate
; vibrato on kcps with a larger buffer (icps below kcps); and csound's own
; noise fill (ifn 0) with the shared random generators.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1 ; a plucked note: p4 Hz, table p5, method p6, parameters p7 p8
  a1 pluck 0.4, p4, p4, p5, p6, p7, p8
  outs a1, a1 * 0.7
endin

instr 2 ; vibrato on kcps, with a buffer tuned an octave lower
  kvib oscili 4, 5, 3
  kenv linseg 0.4, p3, 0.1
  a1 pluck kenv, p4 + kvib, p4 * 0.5, 1, 1
  outs a1 * 0.6, a1
endin

instr 3 ; noise-filled strings and a snare-like drum
  a1 pluck 0.3, p4, p4, 0, p5, p6, p7
  outs a1, a1
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5 0.3 0.2 0.1
f 2 0 1024 7 -1 512 1 512 -1
f 3 0 8192 10 1
i 1 0 0.6 220 1 1 0 0
i 1 0.5 0.6 330 1 6 0 0
i 1 1 0.6 196 2 2 1.5 0
i 1 1.5 0.4 110 2 3 0.4 0
i 1 2 0.6 150 2 4 0.3 2
i 1 2.5 0.6 261 1 5 0.6 0.3
i 2 3 1 294
i 3 4 0.6 247 1 0 0
i 3 4.4 0.6 370 1 0 0
i 3 4.8 0.4 180 3 0.5 0
i 3 5.2 0.6 220 4 0.2 3
e
</CsScore>
</CsoundSynthesizer>
