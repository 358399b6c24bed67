; Covers: if/elseif/else/endif at k-rate inside a performance loop, a k-rate condition on
; a ramp, and the ternary at k-rate: a tone that steps through three pitches.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  kt line 0, p3, 3
  if kt < 1 then
    kfreq = 300
    kpan  = 0.2
  elseif kt < 2 then
    kfreq = 400
    kpan  = 0.5
  else
    kfreq = 500
    kpan  = 0.8
  endif
  if kt > 2.5 then
    kamp = 0.1
  else
    kamp = 0.25
  endif
  kbright = (kt > 1.5 ? 2 : 1)
  asig oscili kamp, kfreq * kbright, 1
  outs asig * (1 - kpan), asig * kpan
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3 0.1
i 1 0 2.5
e
</CsScore>
</CsoundSynthesizer>
