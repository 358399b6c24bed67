; Covers: p-fields p1..p7 read at i-time (p2 start, p3 duration, pitch/amp/pan fields),
; a p-field used at k-rate through an i variable, and p3 changed by the instrument.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  iamp  = p4
  ifreq = p5
  ipan  = p6
  iatt  = p7
  kenv  linen iamp, iatt, p3, 0.1
  asig  oscili kenv, ifreq, 1
  outs asig * (1 - ipan), asig * ipan
endin

instr 2
  p3 = 0.25           ; the instrument shortens its own note
  kenv line p4, p3, 0
  asig oscili kenv, 110 * (1 + p2), 1
  outs asig, asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.2
i 1 0   1   0.3 440 0.2 0.05
i 1 0.5 1   0.2 550 0.8 0.3
i 1 1   1.5 0.25 660 0.5 0.5
i 2 0   2 0.3
i 2 1   2 0.3
e
</CsScore>
</CsoundSynthesizer>
