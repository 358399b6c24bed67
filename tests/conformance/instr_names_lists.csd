; Covers: instruments defined by number, by name, and by a list (instr 2, 3), named
; instruments called from the score by quoted name, and p1 as the instance number.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  a1 oscili 0.2, 220, 1
  outs a1, a1
endin

instr 2, 3
  ; the same body answers to 2 and 3; p1 selects the pitch
  a1 oscili 0.15, 110 * p1 * 1.5, 1
  asilent = 0
  outs a1, asilent
endin

instr Bell
  kenv expon 0.3, p3, 0.001
  a1 oscili kenv, p4, 1
  az = 0
  outs az, a1
endin

instr Drone
  kenv linen 0.1, 0.2, p3, 0.2
  a1 oscili kenv, 55, 1
  outs a1, a1
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.4 0.2
i 1 0 0.5
i 2 0.5 0.5
i 3 1 0.5
i "Bell" 1.5 1 880
i "Drone" 0 2.5
e
</CsScore>
</CsoundSynthesizer>
