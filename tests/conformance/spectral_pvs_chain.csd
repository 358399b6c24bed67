<CsoundSynthesizer>
; Checks the f-signal path: pvsanal -> pvsynth round trip of a buzz (Hann
; window, overlap N/4), then transformations of the same analysis: pvscale up
; a fifth, pvsmix of two sources, pvsfreeze holding the spectrum, and pvsgain.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

giSine ftgen 1, 0, 8192, 10, 1

instr 1 ; round trip (left) and pvscale by 1.5 (right)
  asrc buzz 0.3, 220, 12, giSine
  fsrc pvsanal asrc, 1024, 256, 1024, 1
  fup  pvscale fsrc, 1.5
  aout pvsynth fsrc
  aup  pvsynth fup
  outs aout, aup
endin

instr 2 ; pvsmix of two buzzes (left) and a freeze after 0.5 s with gain (right)
  a1 buzz 0.2, 330, 8, giSine
  a2 buzz 0.2, 415, 5, giSine
  f1 pvsanal a1, 512, 128, 512, 1
  f2 pvsanal a2, 512, 128, 512, 1
  fmix pvsmix f1, f2
  kfrz = (timeinsts() > 0.5 ? 1 : 0)
  ffrz pvsfreeze f1, kfrz, kfrz
  fg   pvsgain ffrz, 0.5
  outs pvsynth(fmix), pvsynth(fg)
endin
</CsInstruments>
<CsScore>
i 1 0 1.5
i 2 1.6 1.5
</CsScore>
</CsoundSynthesizer>
