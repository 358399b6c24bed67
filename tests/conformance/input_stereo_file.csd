; Covers: audio input from a file (`-i` in the options, found beside the CSD as csound
; finds it): ins and inch (a k-rate channel number that moves, fractional numbers
; rounded half to even), input processed (filter, delay) and mixed; notes that start
; late read the input where the performance is, not from its start; after the file's
; end (0.3 s) the input is silence. The conformance runner needs no marker: the -i
; flag travels in the options section and both engines resolve it against the CSD's folder.
<CsoundSynthesizer>
<CsOptions>
-i stereo_tone_44k.wav
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1 ; the stereo input, straight through at p4
  aL, aR ins
  outs aL * p4, aR * p4
endin

instr 2 ; channels swapped with inch, the right one filtered
  aR, aL inch 2, 1
  aL butlp aL, 2000
  outs aR * 0.5, aL * 0.5
endin

instr 3 ; a channel number that moves: 1, then 1.5 (-> 2), then 2.5 (-> 2)
  kch linseg 1, p3 / 2, 1, 0, 1.5, p3 / 4, 1.5, 0, 2.5, p3 / 4, 2.5
  a1 inch kch
  adel delay a1, 0.01
  outs a1 * 0.6, adel * 0.6
endin

instr 4 ; mono sum of the input with a ring modulator, past the file's end
  aL, aR ins
  amod oscili 1, 300
  asum = (aL + aR) * amod * 0.4
  outs asum, asum + 0.05
endin
</CsInstruments>
<CsScore>
i 1 0     0.05 1
i 2 0.06  0.05
i 1 0.1   0.03 0.7
i 3 0.13  0.12
i 4 0.25  0.2
e
</CsScore>
</CsoundSynthesizer>
