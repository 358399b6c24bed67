; Covers: if/elseif/else/endif at i-rate and the one-line "if ... igoto" form, picking the
; waveform table and pitch of each note of a phrase from its p4.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  if p4 == 0 then
    itab = 1
    ifreq = 220
  elseif p4 == 1 then
    itab = 2
    ifreq = 277.18
  elseif p4 >= 2 && p4 < 4 then
    itab = 3
    ifreq = 329.63
  else
    itab = 1
    ifreq = 440
  endif
  iamp = 0.25
  if p4 != 3 igoto skip
  iamp = 0.1             ; only for p4 == 3
skip:
  kenv linen iamp, 0.02, p3, 0.1
  asig oscili kenv, ifreq, itab
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
f 2 0 4096 10 1 0.5 0.33 0.25
f 3 0 4096 10 1 0 0.33 0 0.2
i 1 0   0.5 0
i 1 0.5 0.5 1
i 1 1   0.5 2
i 1 1.5 0.5 3
i 1 2   0.5 9
e
</CsScore>
</CsoundSynthesizer>
