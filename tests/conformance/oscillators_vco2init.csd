; Covers: vco2init (built-in sets shared as function tables, a user
; waveform from a table's spectrum with its own ipmul and sizes), vco2ft
; choosing a table per k-period for a falling glide, vco2ift at init,
; oscilikt reading them (a-rate with a k-rate table number, k-rate as a
; vibrato), and vco2 playing the user waveform -1 (imode 14).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 2
0dbfs = 1

giwave ftgen 1, 0, 4096, 7, 0, 512, 1, 1024, 0.3, 1536, -1, 1024, 0
ginext vco2init 1 + 8, 100
giuser vco2init -1, ginext, 1.1, 256, 4096, giwave

instr 1        ; a sawtooth falling three octaves through vco2ft's tables
  kcps expon p4, p3, p4 / 8
  kfn  vco2ft kcps, 0
  kvib oscilikt 0.004, 5, 1
  kenv linseg 0, 0.03, 0.3, p3 - 0.1, 0.3, 0.07, 0
  a1 oscilikt kenv, kcps * (1 + kvib), kfn
  outs a1, a1 * 0.4
endin

instr 2        ; a square chosen once at init, and the user waveform by vco2
  ifn  vco2ift p4, 3, 0.4
  kenv linseg 0, 0.03, 0.2, p3 - 0.1, 0.2, 0.07, 0
  a1 oscilikt kenv, p4, ifn, 0.25
  kcps line p4, p3, p4 * 1.5
  a2 vco2 kenv, kcps, 14
  outs a1, a2
endin
</CsInstruments>
<CsScore>
i1 0   1.5 3520
i2 1.6 1   220
i2 2.7 1   660
e 3.8
</CsScore>
</CsoundSynthesizer>
