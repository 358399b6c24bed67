; Covers: the random distributions at a-rate (unirand, linrand, trirand,
; exprand, bexprnd, gauss in both forms, weibull, betarand, poisson,
; rnd31 with positive and negative powers, cauchy and pcauchy clipped) and
; at k-rate as a stepped pitch, and dust/dust2 impulses: each plays in turn as a noise burst,
; compared by level and octave-band energy.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  if p4 == 0 then
    a1 unirand 0.5
    a2 linrand 0.5
  elseif p4 == 1 then
    a1 trirand 0.5
    a2 exprand 0.1
  elseif p4 == 2 then
    a1 bexprnd 0.1
    a2 gauss 0.5
  elseif p4 == 3 then
    a1 gauss 0.1, 0.1
    a2 weibull 0.2, 2
  elseif p4 == 4 then
    a1 betarand 0.5, 2, 3
    a2 poisson 2
    a2 = a2 * 0.1
  elseif p4 == 5 then
    a1 rnd31 0.5, 2
    a2 rnd31 0.5, -0.5
  else
    a1 cauchy 0.2
    a1 limit a1, -0.02, 0.02
    a2 pcauchy 0.2
    a2 limit a2, 0, 0.02
  endif
  aenv linseg 0, 0.01, 1, p3 - 0.02, 1, 0.01, 0
  outs a1 * aenv, a2 * aenv
endin

instr 2        ; k-rate draws as a random walk of pitches
  kstep trirand 2
  kamp unirand 0.1
  a1 poscil 0.1 + kamp, 440 * 2 ^ (kstep / 12), 1
  outs a1, a1
endin
instr 3        ; crackle: dust and dust2 at a few hundred impulses a second
  a1 dust 0.6, 300
  a2 dust2 0.6, 800
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1
i1 0   0.4 0
i1 0.4 0.4 1
i1 0.8 0.4 2
i1 1.2 0.4 3
i1 1.6 0.4 4
i1 2.0 0.4 5
i1 2.4 0.4 6
i2 2.8 0.5
i3 3.3 0.6
e 4
</CsScore>
</CsoundSynthesizer>
