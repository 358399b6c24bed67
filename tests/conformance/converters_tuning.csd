; Covers: cps2pch (12 and 19 equal steps, a table of ratios with steps
; past its end and a negative pitch), cpsxpch (a tritave of 13 steps, a
; ratio table over a 1.5 "octave") and tableng (i and k): a short
; melody whose pitches come from each tuning.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  if p5 == 0 then
    icps cps2pch p4, 12
  elseif p5 == 1 then
    icps cps2pch p4, 19
  elseif p5 == 2 then
    icps cps2pch p4, -2
  elseif p5 == 3 then
    icps cpsxpch p4, 13, 3, 50
  else
    icps cpsxpch p4, -2, 1.5, 110
  endif
  ilen tableng 2
  klen tableng 1
  aenv linseg 0, 0.02, 0.2, p3 - 0.07, 0.15, 0.05, 0
  a1 poscil aenv, icps, 1
  a2 poscil aenv * ilen / 5, icps * klen / 4096, 1
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f1 0 4096 10 1 0.3 0.1
f2 0 5 -2 1 1.125 1.25 1.5 1.75
i1 0   0.3 8.02  0
i1 0.3 0.3 8.07  1
i1 0.6 0.3 8.03  2
i1 0.9 0.3 8.07  2
i1 1.2 0.3 8.12  2
i1 1.5 0.3 -1.01 2
i1 1.8 0.3 5.04  3
i1 2.1 0.3 7.06  4
e 2.5
</CsScore>
</CsoundSynthesizer>
