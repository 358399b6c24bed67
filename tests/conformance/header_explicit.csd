; Covers: explicit header statements sr, kr (ksmps derived from sr/kr), nchnls, 0dbfs and
; A4 (tuning reference used by mtof and cpsmidinn): a stereo fifth tuned to A4 = 432.
<CsoundSynthesizer>
<CsInstruments>
sr     = 48000
kr     = 1200
nchnls = 2
0dbfs  = 1
A4     = 432

instr 1
  kenv linen 0.3, 0.1, p3, 0.3
  a1   oscili kenv, mtof(p4), 1
  a2   oscili kenv, cpsmidinn(p4 + 7), 1
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1 0.3 0.1
i 1 0 1.5 69
i 1 1 1.5 64
e
</CsScore>
</CsoundSynthesizer>
