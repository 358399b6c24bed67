; Covers: tied notes: a held note (negative p3) continued by notes with the same
; fractional p1. tival tells a tie apart (louder tied notes) and tigoto skips the
; re-initialisation of the envelope and oscillator, so they continue while the pitch
; glides from the previous note to each new one.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

giLast = 220

instr 1
  itie   tival
  kpitch linseg giLast, 0.1, p4, 1, p4
  giLast = p4
  tigoto tied
  kenv   linseg 0, 0.05, 0.25, 10, 0.25
  asig   oscili kenv, kpitch, 1
tied:
  out asig * (itie == 1 ? 1 : 0.6)
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5
i 1.1 0   -1 220
i 1.1 0.5 -1 247
i 1.1 1.0 -1 262
i 1.1 1.5 0.5 294
i 1.2 2.2 0.4 330
e
</CsScore>
</CsoundSynthesizer>
