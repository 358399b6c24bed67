<CsoundSynthesizer>
; Checks the a() converter: a k-rate envelope and an i-rate value brought to
; audio rate ramp linearly across each block (from 0 before the first block),
; as csound 6.18 does, rather than stepping; ksmps 64 makes the steps large.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 64
nchnls = 2
0dbfs = 1

gisin ftgen 1, 0, 8192, 10, 1

instr 1
  kenv  linseg 0, 0.05, 1, p3 - 0.15, 0.6, 0.1, 0
  klfo  oscili 0.5, 6, 1
  asig  oscili 0.3, p4, 1
  ilev  = p5
  outs  asig * a(kenv), asig * a(ilev) * a(kenv + klfo * kenv)
endin
</CsInstruments>
<CsScore>
i 1 0 1 220 0.5
i 1 1 1 330 0.8
</CsScore>
</CsoundSynthesizer>
