; Covers: -T (--terminate-on-midi) with a MIDI file (midi_terminate.mid):
; the performance ends in the block after the file's last message although
; the score's note lasts 5 s and MIDI notes are still held; before that,
; MIDI notes and the score's note sound together.
<CsoundSynthesizer>
<CsOptions>
-T
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 1
0dbfs = 1

instr 1
  iamp ampmidi 0.2
  kenv linsegr 0, 0.02, 1, 0.1, 0
  asig oscili iamp * kenv, cpsmidi(), 1
  out asig
endin

instr 2
  asig oscili 0.1, 220, 1
  out asig
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1 0.3
i2 0 5
</CsScore>
</CsoundSynthesizer>
