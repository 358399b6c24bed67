; Covers: delayr/delayw with deltap, deltapi (k and a delay), deltap3 and deltapn taps
; (deltapn at fractional k and a delays: csound reads whole samples)
; in a feedback echo; delay (fixed, and iskip); vdelay as a flanger swept by an LFO.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1 ; plucked notes into a two-tap feedback echo
  aenv expon 1, p3, 0.01
  asig oscili 0.3 * aenv, p4, 1
  adump delayr 0.5
  atap1 deltap 0.25
  kt line 0.1, p3, 0.3
  atap2 deltapi kt
  alfo oscili 0.002, 3, 1
  atap3 deltapi 0.2 + alfo
  atap4 deltap3 0.137 + alfo
  atap5 deltapn 5000
  kn line 3000.5, p3, 8000.25
  atap6 deltapn kn + alfo * 1000
  delayw asig + atap1 * 0.4
  adir delay asig, 0.05
  outs adir + atap1 + atap3 * 0.5 + atap5 * 0.3, atap6 * 0.3 + atap2 + atap4 * 0.5 + adump * 0.3
endin

instr 2 ; vdelay flanger on a buzzy tone
  asig oscili 0.2, p4, 2
  alfo oscili 4, 0.5, 1
  aflang vdelay asig, 5 + alfo, 20
  afix vdelay asig, 3.3, 10
  outs asig + aflang, asig + afix
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
f 2 0 4096 10 1 0.5 0.33 0.25 0.2 0.16
i 1 0 1.5 330
i 1 0.6 1.2 495
i 2 2 1.5 110
e
</CsScore>
</CsoundSynthesizer>
