; Covers: one instrument for score and MIDI notes (midi_interop.mid, played
; with -F): midinoteoncps and midinoteonkey fill p4 and p5 from a MIDI note,
; mididefault sets p6, a score note keeps its own p-fields; massign routes
; channel 2 to a named instrument; midiin, in an always-on score note, reads
; each message (status, channel, data) once.
<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 3
0dbfs = 1

massign 2, "lead"

instr 1
  midinoteoncps p4, p5
  mididefault 0.3, p6
  kenv linsegr 0, 0.01, 1, 0.05, 0
  asig oscili p5 / 127 * p6 * kenv, p4, 1
  outch 1, asig
endin

instr lead
  midinoteonkey p4, p5
  kenv linsegr 0, 0.02, 1, 0.1, 0
  asig oscili 0.25 * kenv, mtof(p4) * (1 + p5 / 1270), 1
  outch 2, asig
endin

instr 10
  kst, kch, kd1, kd2 midiin
  kst port kst, 0.01
  outch 3, a(kst / 1000 + kch / 100 + kd1 / 1000 + kd2 / 2000)
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1
i10 0 1.3
i1 1.05 0.2 330 100 0.2
e 1.3
</CsScore>
</CsoundSynthesizer>
