; Covers: function-call syntax for opcodes (asig = oscili(...)), nested calls, calls in
; expressions, the rate converters i() and k(), and out() called as a function.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 20
nchnls = 1
0dbfs = 1

instr 1
  kenv = linseg(0, 0.05, 0.3, p3 - 0.15, 0.2, 0.1, 0)
  kvib = oscili(3, 5.5, 1)
  ibase = cpspch(p4)
  asig = oscili(kenv, ibase + kvib, 1) + oscili(kenv * 0.3, ibase * 2.01, 1)
  out(asig * 0.8)
endin

instr 2
  kline line 200, p3, 400
  ifirst = i(kline)        ; value of a k variable at init time
  kstep  = k(ifirst) + kline * 0.5
  out(oscili(linen(0.2, 0.1, p3, 0.2), kstep, 1))
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1 0.3 0.1
i 1 0   0.8 8.00
i 1 0.5 0.8 8.04
i 1 1.0 1.0 8.07
i 2 0.5 1.5
e
</CsScore>
</CsoundSynthesizer>
