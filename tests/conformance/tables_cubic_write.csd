; Covers: table3 at a, k and i rate (raw and normalised index, offset, wrap and clamp),
; tableiw building a wavetable at init, ftsr and ftchnls driving playback of a GEN01 sample.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

giwave ftgen 10, 0, 16, -2, 0

instr 1 ; write a 16-point wavetable at init, then play it with cubic interpolation
  ii = 0
  while ii < 16 do
    tableiw sin(ii * 2 * $M_PI / 16) + 0.3 * sin(ii * 6 * $M_PI / 16), ii, 10
    ii += 1
  od
  tableiw 0, 0, 10, 0, 0, 2
  aph phasor p4
  acub table3 aph, 10, 1, 0, 1
  alin tablei aph, 10, 1, 0, 1
  kenv table3 timeinsts() / p3 * 8, 2
  outs acub * 0.2 * kenv, alin * 0.2 * kenv
endin

instr 2 ; play the sample at its own rate, found with ftsr and ftchnls
  isr ftsr 1
  ich ftchnls 1
  ilen = ftlen(1)
  istart table3 0.25, 1, 1
  aidx line 0, p3, p3 * isr * p4 / ich
  asmp table3 aidx, 1, 0, 0, 0
  asmp2 table3 aidx * 0.5, 1, 0, ilen / 4, 1
  outs asmp * 0.5 + istart, asmp2 * 0.5
endin
</CsInstruments>
<CsScore>
f 1 0 0 1 "mono_tone.wav" 0 0 0
f 2 0 8 -2 0 0.5 1 0.8 0.6 0.5 0.3 0
i 1 0 1 220
i 1 1 1 330
i 2 2 0.5 1
i 2 2.6 0.5 1.5
e
</CsScore>
</CsoundSynthesizer>
