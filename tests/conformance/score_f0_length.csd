; Covers: "f 0 N" extends the performance to N seconds past the last note (silence at the
; end), and its interplay with notes scheduled at run time beyond the score's notes.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kenv linen 0.25, 0.02, p3, 0.1
  asig oscili kenv, p4, 1
  out asig
  if p4 < 400 then
    event_i "i", 1, 1.0, 0.5, p4 * 1.5   ; a late echo, kept alive only by f 0
  endif
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.4
f 0 2.5
i 1 0 0.5 300
i 1 0.5 0.3 600
e
</CsScore>
</CsoundSynthesizer>
