; Covers: GEN01 in an orchestra that leaves 0dbfs at its default (32768):
; the file's samples come into the table in those units, as csound's do,
; so a sound file played from a table keeps its level (once it came out
; 32768 times too quiet). Read by ftgen and by an f statement, played
; with poscil3 at the file's own speed and backwards, and with loscil.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1

giTone ftgen 1, 0, 0, -1, "mono_tone.wav", 0, 0, 0

instr 1        ; the whole file at its own speed (p4 = 1) or backwards (-1)
  ifn = p5
  kcps = p4 / (ftlen(ifn) / ftsr(ifn))
  a1 poscil3 0.8, kcps, ifn
  out a1
endin

instr 2        ; a sampler over the same file, a fifth up
  a1 loscil 0.5, 660, 2, 440, 0
  out a1
endin
</CsInstruments>
<CsScore>
f 2 0 0 -1 "mono_tone.wav" 0 0 0
i1 0   0.5 1  1
i1 0.5 0.5 -1 2
i2 1   0.4
e 1.5
</CsScore>
</CsoundSynthesizer>
