; Covers: instrument 0 (global) code: global variables computed from expressions, ftgen
; tables built in the header, init-time prints, and notes scheduled from instr 0.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 25
nchnls = 2
0dbfs = 1

giSine  ftgen 0, 0, 8192, 10, 1
giSaw   ftgen 0, 0, 8192, 10, 1, 0.5, 0.333, 0.25, 0.2, 0.166
giRoot  = 440 / 2 ^ (9 / 12)      ; middle C
giCount = 0
print giRoot

instr 1
  kenv linen 0.2, 0.02, p3, 0.2
  a1 oscili kenv, giRoot * p4, giSaw
  a2 oscili kenv, giRoot * p4 * 1.5, giSine
  outs a1, a2
endin

schedule 1, 0, 1, 1
schedule 1, 0.5, 1, 1.25
schedule 1, 1, 1.5, 2
</CsInstruments>
<CsScore>
f 0 2.5
e
</CsScore>
</CsoundSynthesizer>
