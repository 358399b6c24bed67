; Covers: where the performance ends when the orchestra changes the notes. The
; score's last note lengthens its own p3 past the end; before that, notes
; started by the orchestra play out; a note it schedules for after the end is
; never played (csound drops it when nothing with a duration sounds).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 1
0dbfs = 1

instr 1
  ; starts a short note now and schedules one for long after everything
  event_i "i", 2, 0, 0.4, 440
  event_i "i", 2, 30, 1, 880
  kenv linseg 0, 0.02, 0.2, p3 - 0.04, 0.2, 0.02, 0
  out oscili(kenv, 220, 1)
endin

instr 2
  kenv linseg 0, 0.02, 0.15, p3 - 0.04, 0.15, 0.02, 0
  out oscili(kenv, p4, 1)
endin

instr 3
  p3 = p4
  kenv expseg 0.3, p3, 0.01
  out oscili(kenv, 330, 1)
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5
i 1 0 0.5
i 1 0.8 0.3
i 3 1.0 0.2 0.7
e
</CsScore>
</CsoundSynthesizer>
