; Covers: oscil/oscili fixed-point phase (a- and k-rate, a-rate frequency, initial phase, the built-in sine for ifn -1), poscil on a non-power-of-two table, phasor at a- and k-rate with initial phase.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kvib oscili 7.3, 5.7, 1, 0.3
  kamp oscil 0.1, 3.1
  afm oscil 40, 93.3, 2
  a1 oscili 0.2 + kamp, 311.7 + kvib + afm, 2, 0.7
  a2 oscil 0.25, 443.3
  a3 poscil 0.3, 171.9 + afm, 3, 0.25
  outs a1 + a2, a3
endin

instr 2
  aph phasor 187.3, 0.4
  kph phasor 1.7, 0.9
  a1 tablei aph, 2, 1, 0, 1
  outs a1 * 0.3 * kph, aph * 0.2 - 0.1
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
f 2 0 1024 10 1 0.5 0.25 0.125
f 3 0 1000 10 1 0 0.3
i 1 0 1.5
i 2 1.5 1
e
</CsScore>
</CsoundSynthesizer>
