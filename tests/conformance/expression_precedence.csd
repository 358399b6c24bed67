; Covers: expression precedence and operators at i- and k-rate: + - * / % ^, unary minus,
; parentheses, comparisons, && ||, and the ternary ?: choosing pitches of a melody.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 1
0dbfs = 1

instr 1
  i1 = 2 + 3 * 4          ; 14
  i2 = (2 + 3) * 4        ; 20
  i3 = 2 ^ 3 * 2          ; 16
  i4 = 17 % 5 + 1         ; 3
  i5 = -2 + 10 / 4        ; 0.5
  i6 = 7 - 3 - 2          ; 2
  i7 = 16 / 4 / 2         ; 2
  i8 = (p4 > 2 && p4 < 5) || p4 == 7 ? 1 : 0
  i9 = p4 % 2 == 0 ? 1.5 : 1.25
  ifreq = 100 + i1 + i2 + i3 + i4 * 10 + i5 * 4 + i6 + i7 + p4 * 25 * i9 + i8 * 50
  kt    line 0, p3, 1
  kmod  = kt < 0.5 ? 1 + kt ^ 2 : 2 - (kt - 0.5) * 2 % 1
  kenv  linen 0.3, 0.02, p3, 0.1
  asig  oscili kenv, ifreq * kmod, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5
i 1 0   0.5 1
i 1 0.4 0.5 2
i 1 0.8 0.5 3
i 1 1.2 0.5 4
i 1 1.6 0.5 7
i 1 2.0 0.8 8
e
</CsScore>
</CsoundSynthesizer>
