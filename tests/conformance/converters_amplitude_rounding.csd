; Covers: ampdb, dbamp, int, frac, round, floor, ceil and abs on positive and negative
; values at i- and k-rate, building the amplitudes and pitches of a stepped melody.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  iamp  = ampdb(-12 + p4)                ; dB to amplitude
  idb   = dbamp(iamp * 2)                ; and back: about 6 dB more
  iv    = p5                             ; a fractional, possibly negative number
  isemi = int(iv) + floor(iv) + ceil(iv) + round(iv) + abs(iv) + frac(iv) * 4
  kt    line -2.7, p3, 2.7
  kstep = round(kt) + floor(kt) - ceil(kt) + int(kt) + abs(frac(kt))
  kenv  linen iamp, 0.02, p3, 0.1
  a1 oscili kenv, 220 * 2 ^ ((isemi + kstep) / 12), 1
  a2 oscili ampdb(idb - 6) * 0.5, 330 * 2 ^ (isemi / 12), 1
  outs a1, a2 * (kenv / iamp)
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5
i 1 0   1 0   1.3
i 1 0.7 1 -3  -1.6
i 1 1.4 1 -1  2.5
e
</CsScore>
</CsoundSynthesizer>
