; Covers: MIDI notes from midi_notes.mid (played with -F): channel N starts
; instrument N; note-off releases linsegr, madsr and xtratim notes (release
; reads 1 in their extra time); velocity 0 is a note-off; a key played
; twice needs two note-offs (the first releases the older note, the other
; holds to the end); a program change routes channel 1 to
; instrument 3 (program 2 + 1); ampmidi, veloc, cpsmidi, notnum.
<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  iamp ampmidi 0.3
  kenv linsegr 0, 0.01, 1, 0.1, 0.5, 0.2, 0
  asig oscili iamp * kenv, cpsmidi(), 1
  outch 1, asig
endin

instr 2
  ivel veloc 0, 0.3
  aenv madsr 0.02, 0.05, 0.6, 0.15
  asig oscili ivel * aenv, cpsmidi(), 1
  outch 2, asig
endin

instr 3
  xtratim 0.1
  krel release
  kenv linseg 0, 0.005, 1
  ikey notnum
  asig oscili 0.2 * kenv * (1 - krel * 0.7), mtof(ikey) * 0.5, 1
  outch 1, asig, 2, a(krel) * 0.1
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1
f0 2.2
</CsScore>
</CsoundSynthesizer>
