; Covers: k- and a-rate forms of the maths functions and converters (cpsoct, ampdb, ampdbfs,
; octave/semitone/cent, int/frac/round/floor/ceil/abs, sqrt/exp/log/log2/log10, sin/cos/tan and
; inverses, sinh/cosh/tanh, pow with inorm, variadic min/max), driven by a k-rate ramp.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kt   timeinsts
  kx   = kt / p3                      ; 0 .. 1 over the note
  azero init 0
  ax   = azero + kx                  ; a-rate without a(), which interpolates in Csound 6.18
  ; k-rate chain
  k1   = sin(kx * 6.2) * cos(kx * 3.1) + tan(kx * 0.7) * 0.1
  k2   = sininv(kx * 0.9) * 0.3 + cosinv(kx * 0.8) * 0.1 + taninv(kx * 4) * 0.2
  k3   = sinh(kx) * 0.1 + cosh(kx) * 0.1 + tanh(kx * 3 - 1.5) * 0.3
  k4   = sqrt(kx) * 0.2 + exp(kx) * 0.05 + log(kx + 1) * 0.2 + log2(kx + 1) * 0.1 + log10(kx + 1) * 0.3
  k5   = (int(kx * 7.3) + frac(kx * 7.3) + round(kx * 5.5) + floor(kx * 4.7) + ceil(kx * 3.2)) * 0.02
  k6   = abs(kx - 0.5) + min(kx, 0.3, 0.7 - kx) + max(kx * 0.1, 0.05, kx - 0.8)
  k7   = pow(kx, 2.5, 2) + octave(kx) * 0.1 + semitone(kx * 12) * 0.1 + cent(kx * 1200) * 0.1
  k8   = ampdb(kx * -20) * 0.3 + ampdbfs(kx * -30) * 0.3 + cpsoct(8 + kx) / 2000
  k9   = cpspch(7 + kx * 0.12) / 2000 + octpch(8 + kx * 0.11) * 0.01 + pchoct(8 + kx) * 0.01 + octcps(200 + kx * 100) * 0.01
  k10  = dbamp(kx + 0.5) * 0.01 + dbfsamp(kx + 0.5) * 0.01 + cpsmidinn(60 + kx * 12) / 2000 + mtof(60 + kx * 12) / 2000
  kall = (k1 + k2 + k3 + k4 + k5 + k6 + k7 + k8 + k9 + k10) * 0.05
  ; a-rate chain
  a1   = sin(ax * 6.2) * cos(ax * 3.1) + tan(ax * 0.7) * 0.1
  a2   = sininv(ax * 0.9) * 0.3 + cosinv(ax * 0.8) * 0.1 + taninv(ax * 4) * 0.2
  a3   = sinh(ax) * 0.1 + cosh(ax) * 0.1 + tanh(ax * 3 - 1.5) * 0.3
  a4   = sqrt(ax) * 0.2 + exp(ax) * 0.05 + log(ax + 1) * 0.2 + log2(ax + 1) * 0.1 + log10(ax + 1) * 0.3
  a5   = (int(ax * 7.3) + frac(ax * 7.3) + round(ax * 5.5) + floor(ax * 4.7) + ceil(ax * 3.2)) * 0.02
  a6   = abs(ax - 0.5) + min(ax, azero + 0.3, 0.7 - ax) + max(ax * 0.1, azero + 0.05, ax - 0.8)
  a7   = pow(ax, 2.5, 2) + octave(ax) * 0.1 + semitone(ax * 12) * 0.1 + cent(ax * 1200) * 0.1
  a8   = ampdb(ax * -20) * 0.3 + ampdbfs(ax * -30) * 0.3 + cpsoct(8 + ax) / 2000
  aall = (a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8) * 0.05
  outs azero + kall - 0.1, aall - 0.1
endin
</CsInstruments>
<CsScore>
i 1 0 1
e
</CsScore>
</CsoundSynthesizer>
