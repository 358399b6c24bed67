; Covers: copying a named variable into another (`aR = aL`, `kb = ka`,
; `ib = ia`) and then using both: the copy must not take the original's
; value away (a compiler shortcut once wrote an opcode's output straight
; into the copy, leaving the original silent). Also a copy inside an
; if/elseif/else and a copy of a UDO's output.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

opcode Detuned, a, k
  kcps xin
  a1 oscili 0.2, kcps * 1.003
  xout a1
endop

instr 1        ; a stereo voice whose right side is a copy of the left
  kenv linseg 0, 0.05, 0.4, p3 - 0.1, 0.3, 0.05, 0
  kamp = kenv
  icps = cpspch(p4)
  ifreq = icps
  aL oscili kamp, ifreq
  aR = aL
  outs aL, aR * kenv * 2
endin

instr 2        ; branches choose the voice; each copies into aR
  ich = p5
  if (ich == 1) then
    aL oscili 0.3, cpspch(p4)
    aR = aL
  elseif (ich == 2) then
    aL oscili 0.2, cpspch(p4)
    aR oscili 0.2, cpspch(p4) * 1.5
  else
    aL Detuned cpspch(p4)
    aR = aL
  endif
  kfade linseg 1, p3 - 0.05, 1, 0.05, 0
  outs aL * kfade, aR * kfade
endin
</CsInstruments>
<CsScore>
i1 0   1   8.00
i1 0.5 1   8.07
i2 1.5 0.8 8.04 1
i2 2.3 0.8 8.09 2
i2 3.1 0.8 9.00 3
e 4
</CsScore>
</CsoundSynthesizer>
