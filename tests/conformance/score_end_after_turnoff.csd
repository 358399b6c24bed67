; When the performance ends after the last event: csound checks whether anything still
; sounds only when a note reaches its scheduled end (p2 + p3) or the score's end. Here
; instr 1 turns itself off at 0.3 s and instr 2's scheduled end at 0.5 s finds nothing
; sounding, so the performance ends there, not at instr 1's 2 s. (Alone, a note that turns
; itself off keeps csound playing, silent, to its scheduled end: the manual's fillarray.csd.)
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kenv linseg 0, 0.05, p4, 0.25, 0
  asig oscili kenv, 330
  out asig
  if timeinsts() >= 0.3 then
    turnoff
  endif
endin

instr 2
  asig oscili linseg:k(p4, p3, 0), 550
  out asig
endin
</CsInstruments>
<CsScore>
i 1 0 2 0.4
i 2 0 0.5 0.3
e
</CsScore>
</CsoundSynthesizer>
