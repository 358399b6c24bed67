; Covers: the pitch converters cpspch, cpsoct, octpch, pchoct, octcps, cpsmidinn and mtof,
; at i-rate and k-rate, each one choosing the pitch of a note of a little tune.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  if p4 == 1 then
    ifreq = cpspch(8.09)
  elseif p4 == 2 then
    ifreq = cpsoct(8.75 + 1/12)
  elseif p4 == 3 then
    ifreq = cpsoct(octpch(9.00))
  elseif p4 == 4 then
    ifreq = cpspch(pchoct(8.5))
  elseif p4 == 5 then
    ifreq = cpsoct(octcps(330) + 0.25)
  elseif p4 == 6 then
    ifreq = cpsmidinn(67.5)
  else
    ifreq mtof 64
  endif
  kglide line 0, p3, 1
  kfreq = cpsoct(octcps(ifreq) + kglide / 12)     ; k-rate: a one-semitone glide
  kmid  = mtof(60 + kglide)                       ; k-rate mtof for a second voice
  kenv  linen 0.2, 0.02, p3, 0.08
  asig  oscili kenv, kfreq, 1
  asig2 oscili kenv * 0.3, kmid, 1
  out asig + asig2
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3 0.1
i 1 0   0.4 1
i 1 0.4 0.4 2
i 1 0.8 0.4 3
i 1 1.2 0.4 4
i 1 1.6 0.4 5
i 1 2.0 0.4 6
i 1 2.4 0.5 7
e
</CsScore>
</CsoundSynthesizer>
