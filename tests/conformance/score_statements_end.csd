; Covers: later sections start at the block nearest the previous section's end (with
; ksmps = 32 a 1.0125 s section ends between blocks, and a note 0.5 s into the next
; section lands on csound's block, as does the one after a section that two notes end
; at x.5 blocks); "d" turns off a held note;
; "e 0 10" does not cut or stretch the end; the table comes from a score #include.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 1
0dbfs = 1

instr 1
  kenv linseg 0, 0.01, 0.2, 0.2, 0.1
  asig oscili kenv, p4, 1
  out asig
endin

instr Held
  asig oscili 0.1, 660, 1
  out asig
endin
</CsInstruments>
<CsScore>
#include "score_statements_end.inc"
i 1 0 1.0125 220
s
i 1 0.5 0.2 330
i 1 0.9 0.1 440
s
i 1 0.3 0.1 550
i 1 0.4 -1 275
d 1 0.7 0
i "Held" 0.5 0.2
s
i 1 0 2 330
i 1 2 2 440
s
i 1 0.5 0.1 550
e 0 10
</CsScore>
</CsoundSynthesizer>
