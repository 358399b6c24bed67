; Covers: tonek, atonek, resonk and aresonk (iscl left out, which csound
; treats as 1, and 1 and 2) smoothing and
; shaping control signals: a stepped pitch line glides through tonek, an
; LFO rings through resonk, and both steer oscillators.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  kstep = (int(timeinsts() * 4) % 3) * 100 + 220
  kglide tonek kstep, 3
  kedge atonek kstep, 2
  klfo lfo 1, 3, 3
  kring resonk klfo, 5, 2, 1
  kring2 resonk klfo, 6, 3
  knotch aresonk klfo, 3, 2, 2
  knotch0 aresonk klfo, 4, 5
  a1 poscil 0.2, kglide + kedge * 0.1 + kring * 20, 1
  a2 poscil 0.2, 330 + knotch * 30 + kring2 * 0.5 + knotch0 * 5, 1
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1 0.5 0.3
i1 0 3
</CsScore>
</CsoundSynthesizer>
