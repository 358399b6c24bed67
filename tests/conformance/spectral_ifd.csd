<CsoundSynthesizer>
; Checks pvsifd (instantaneous-frequency analysis): its (amplitude,
; frequency) frames resynthesised by pvsynth, for a gliding buzz (left) and
; for two sines with the Hamming window and a hop of N/8 (right). (Partial
; tracks are not compared here: rhapsody's `partials` finds the same
; frequencies but not csound's amplitudes, see tracks.rs.)
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

giSine ftgen 1, 0, 8192, 10, 1

instr 1
  kf   expon 150, p3, 300
  asrc buzz 0.4, kf, 12, giSine
  ff, fp pvsifd asrc, 1024, 256, 1
  a1 oscili 0.3, 660, giSine
  a2 oscili 0.2, 1234.5, giSine
  fh, fph pvsifd a1 + a2, 2048, 256, 0, 2
  outs pvsynth(ff), pvsynth(fh)
endin
</CsInstruments>
<CsScore>
i 1 0 1.5
</CsScore>
</CsoundSynthesizer>
