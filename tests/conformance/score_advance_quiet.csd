; Covers: score "a" (advance: the skipped span of score time is not rendered, notes
; sounding in it are cut into) and "q" (mute and unmute an instrument from a time on).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kenv linen 0.2, 0.02, p3, 0.05
  asig oscili kenv, p4, 1
  out asig
endin

instr 2
  asig oscili 0.1, p4, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3
a 0 1.0 0.5
i 1 0   0.4 300
i 1 0.6 0.6 350
i 1 1.1 0.3 400
i 1 1.6 0.5 450
i 2 0.1 0.3 600
q 2 0.45 0
i 2 0.5 0.4 700
q 2 1.6 1
i 2 1.7 0.4 800
e
</CsScore>
</CsoundSynthesizer>
