; Covers: negative p3 (held notes with no end), turning a held note off from the score with
; a negative p1 of the same fractional instance, and turnoff called by an instrument.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kenv linseg 0, 0.05, 0.2, 0.1, 0.15
  asig oscili kenv, p4, 1
  outs asig, asig * 0.5
endin

instr 2
  ktime line 0, 1, 1
  asig oscili 0.15, p4, 1
  outs asig * 0.3, asig
  if ktime >= 0.6 then
    turnoff          ; ends this held note after 0.6 s
  endif
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5 0.2
i 1.1 0   -1 220
i 1.2 0.5 -1 330
i -1.1 1.2 0
i 2   0.2 -1 550
i -1.2 2.0 0
f 0 2.6
e
</CsScore>
</CsoundSynthesizer>
