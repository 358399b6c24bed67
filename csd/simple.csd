; The article's orchestra: one linen/oscili/pan2 voice at 96 kHz. The score only keeps
; Csound running for four hours (f 0 14400); notes and tables are sent to it live.
<CsoundSynthesizer>
<CsInstruments>
sr = 96000
ksmps = 100
nchnls = 2
0dbfs = 1

instr 1
  kenv linen p4, p7, p3, p8
  asig oscili kenv, cpsoct(p5), p6
  aL, aR pan2 asig, p9
  outs aL, aR
endin
</CsInstruments>
<CsScore>
f 0 14400
</CsScore>
</CsoundSynthesizer>
