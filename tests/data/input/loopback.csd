; A tone on the output and, read back from the input, its level: with PulseAudio's null sink
; the default source is the sink's monitor, so the input hears the output (tests/live_input.rs).
<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 2
0dbfs = 1
instr 1
  a1 oscili 0.3, 440
  outs a1, a1
endin
instr 2
  aL, aR ins
  k1 rms aL
  printks "input rms %f\n", 0.5, k1
endin
</CsInstruments>
<CsScore>
i1 0 6
i2 0 6
</CsScore>
</CsoundSynthesizer>
