; Covers: while/od and until/od loops at i-rate and at k-rate, and the += -= *= operators:
; an additive tone whose partial count and amplitudes come from loops.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 1
0dbfs = 1

instr 1
  ; i-rate while: sum 1/n for n = 1..p4 to normalize the amplitude
  isum = 0
  ipart = 1
  while ipart <= p4 do
    isum += 1 / ipart
    ipart += 1
  od
  ; i-rate until: the highest octave below 2000 Hz
  ifreq = p5
  until ifreq * 2 >= 2000 do
    ifreq *= 2
  od
  ; k-rate while: a counter that grows every block, capped by a loop
  kcount init 0
  kcount += 1
  ksteps = 0
  while ksteps < 4 && ksteps < kcount / 200 do
    ksteps += 1
  od
  kvol = 0.3 / isum
  kvol -= ksteps * 0.01
  a1 oscili kvol, p5, 1
  a2 oscili kvol * 0.5, ifreq, 1
  kenv linen 1, 0.05, p3, 0.2
  out (a1 + a2) * kenv
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1 0.5 0.33 0.25
i 1 0 1.5 3 220
i 1 1 1.5 6 165
e
</CsScore>
</CsoundSynthesizer>
