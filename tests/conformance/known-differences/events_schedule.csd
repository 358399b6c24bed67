; Covers: event_i (i-time) and event (k-time, triggered from a k-cycle counter),
; schedule from an instrument, a named instrument target, and turnoff of the caller.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1        ; a sequencer: spawns notes, then stops itself
  event_i "i", "Blip", 0, 0.2, 440
  schedule 2, 0.25, 0.3, 550
  kcount init 0
  kcount += 1
  if kcount % 1764 == 0 then          ; every 0.4 s at 4410 k-cycles/s
    event "i", 2, 0, 0.3, 330 + kcount / 10
  endif
  if kcount >= 7000 then
    turnoff
  endif
endin

instr 2
  kenv expon 0.25, p3, 0.01
  asig oscili kenv, p4, 1
  out asig
endin

instr Blip
  kenv line 0.2, p3, 0
  asig oscili kenv, p4 * 2, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5
i 1 0 5
f 0 2.2
e
</CsScore>
</CsoundSynthesizer>
