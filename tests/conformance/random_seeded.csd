<CsoundSynthesizer>
; Checks that a fixed `seed` gives csound's own numbers, sample for sample:
; the distributions at a-, k- and i-rate (drawn from csound's shared
; Mersenne Twister), random/randomh/randomi in each mode (its 32-bit
; congruence), rnd/birnd (not affected by seed) and GEN21 tables drawn
; after the seed.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

seed 1234

; a-rate draws of each distribution in turn, as short bursts
instr 1
  if p4 == 0 then
    a1 unirand 0.4
    a2 linrand 0.4
  elseif p4 == 1 then
    a1 trirand 0.3
    a2 exprand 0.05
  elseif p4 == 2 then
    a1 bexprnd 0.05
    a2 gauss 0.3
  elseif p4 == 3 then
    a1 cauchy 2
    a2 pcauchy 2
  elseif p4 == 4 then
    a1 weibull 0.1, 1.5
    a2 betarand 0.5, 2, 3
  else
    a1 poisson 2.5
    a1 = a1 * 0.05
    a2 gauss 0, 0.1
  endif
  aenv linseg 0, 0.01, 1, p3 - 0.02, 1, 0.01, 0
  outs a1 * aenv, a2 * aenv
endin

; k- and i-rate draws steering sines
instr 2
  ipitch unirand 12
  ioct   linrand 1
  kstep  trirand 3
  klev   randomh 0.05, 0.2, 20, p4, 0.1
  kvib   randomi -4, 4, 7, p4, 1
  kjit   random -1, 1
  kx     init 0.3
  krnd   = rnd(kx) + birnd(kx)
  a1 oscili klev, 220 * 2 ^ ((ipitch + kstep) / 12) + kvib + kjit, 1
  a2 oscili 0.1 + krnd * 0.1, 330 * (1 + ioct) + kvib, 1
  outs a1, a2
endin

; GEN21 tables (drawn after the seed) read as wavetables
instr 3
  a1 oscili 0.3, 110, p4
  a2 oscili 0.3, 165, p4 + 1
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
f 10 0 1024 -21 1 1
f 11 0 1024 -21 6 1
f 12 0 1024 -21 9 1 2 2
f 13 0 1024 -21 10 1 2
i 1 0   0.3 0
i 1 0.3 0.3 1
i 1 0.6 0.3 2
i 1 0.9 0.3 3
i 1 1.2 0.3 4
i 1 1.5 0.3 5
i 2 1.8 0.4 0
i 2 2.2 0.4 1
i 2 2.6 0.4 2
i 2 3.0 0.4 3
i 3 3.4 0.3 10
i 3 3.7 0.3 12
</CsScore>
</CsoundSynthesizer>
