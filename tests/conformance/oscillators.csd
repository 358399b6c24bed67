; Covers: oscil, oscili and poscil (k and a amplitude/frequency, initial phase, negative
; frequency, a short table) and phasor driving table reads: a four-voice texture.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kvib oscil 6, 5, 1
  a1 oscil 0.15, 220 + kvib, 2
  a2 oscili 0.15, 330, 2, 0.25
  afm oscili 50, 110, 1
  a3 poscil 0.12, 440 + afm, 1
  a4 poscil 0.1, -275, 3
  outs a1 + a2, a3 + a4
endin

instr 2
  aph phasor 165
  a1 tablei aph, 2, 1
  kph phasor 2, 0.5
  outs a1 * 0.1 * kph, a1 * 0.1 * (1 - kph)
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
f 2 0 4096 10 1 0.5 0.33 0.25 0.2
f 3 0 64 10 1 0.3
i 1 0 2
i 2 0.5 1.5
e
</CsScore>
</CsoundSynthesizer>
