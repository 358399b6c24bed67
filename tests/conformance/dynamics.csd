<CsoundSynthesizer>
; Checks balance (default and given ihp), limit at a-, k- and i-rate
; (including low > high), clip in its three methods, dcblock (default and
; given gain) and dcblock2 (default and given order) on a sawtooth with a
; DC offset and a swelling envelope; wrap and mirror at a-, k- and i-rate
; folding an overdriven sine and a rising control line.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  kenv  linseg 0, p3 * 0.5, 1, p3 * 0.5, 0
  asaw  oscili 0.8, p4, 1
  asin  oscili kenv, p4, 2
  abal  balance asaw, asin
  abal2 balance asaw, asin, 50
  alim  limit asaw, -0.3, 0.5
  klim  limit kenv, 0.2, 0.6
  ilim  limit 2, 1, 1.5
  amean limit asaw, 0.5, -0.5
  outs  (abal + abal2 * 0.5 + alim * klim * ilim) * 0.4, amean + alim * 0.1
endin

instr 2
  kenv  linseg 0, p3 * 0.5, 1.5, p3 * 0.5, 0
  asaw  oscili kenv, p4, 1
  a0    clip asaw, 0, 0.8
  a1    clip asaw, 1, 0.7
  a2    clip asaw, 2, 0.9
  a3    clip asaw, 0, 1, 0.2
  outs  (a0 + a3 * 0.5) * 0.6, a1 * 0.5 + a2 * 0.5
endin

instr 3
  asaw  oscili 0.4, p4, 1
  adc   = asaw + 0.3
  a1    dcblock adc
  a2    dcblock adc, 0.995
  a3    dcblock2 adc
  a4    dcblock2 adc, 32
  outs  (a1 + a2) * 0.5, (a3 + a4) * 0.5
endin
instr 4        ; wrap and mirror: folded sines, and folded control lines
  a1 oscili 1.3, p4
  aw wrap a1, -0.5, 0.7
  am mirror a1, -0.6, 0.4
  kl line -2, p3, 3
  kw wrap kl, 0, 1
  km mirror kl, -0.5, 1
  iw wrap 7.3, 1, 2
  im mirror -4.1, 1, 2
  ao oscili 0.2, 300 + kw * 200 + km * 100 + iw * 10 + im * 20
  outs aw * 0.3 + ao, am * 0.3
endin
</CsInstruments>
<CsScore>
f 1 0 8192 7 -1 8192 1
f 2 0 8192 10 1
i 1 0 1 110
i 2 1 1 165
i 3 2 1 82.5
i 4 3 1 220
e
</CsScore>
</CsoundSynthesizer>
