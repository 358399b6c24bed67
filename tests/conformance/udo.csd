; Covers: user-defined opcodes (opcode/xin/xout/endop): an a-rate voice UDO with k and i
; inputs, an i-rate helper UDO, a UDO calling another, and a UDO with two outputs.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 20
nchnls = 2
0dbfs = 1

opcode Semitone, i, ii
  ibase, isemi xin
  xout ibase * 2 ^ (isemi / 12)
endop

opcode Voice, a, kii
  kamp, ifreq, itab xin
  a1 oscili kamp, ifreq, itab
  a2 oscili kamp * 0.5, Semitone(ifreq, 12.1), itab
  xout a1 + a2
endop

opcode Spread, aa, ak
  ain, kpos xin
  xout ain * (1 - kpos), ain * kpos
endop

instr 1
  kenv linen 0.2, 0.02, p3, 0.2
  asig Voice kenv, Semitone(220, p4), 1
  aL, aR Spread asig, p5
  outs aL, aR
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.4 0.2 0.1
i 1 0   0.7 0  0.1
i 1 0.5 0.7 4  0.4
i 1 1   0.7 7  0.6
i 1 1.5 1   12 0.9
e
</CsScore>
</CsoundSynthesizer>
