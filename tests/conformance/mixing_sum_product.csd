<CsoundSynthesizer>
; Checks sum (a mix of three audio signals; the sum of an i-array and of a
; k-array, also as sumarray) and product (ring modulation of audio signals;
; the product of an i-array and of a k-array) in a small chord.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

gisin ftgen 1, 0, 8192, 10, 1

instr 1
  iSteps[] fillarray 0, 4, 3
  kRatio[] fillarray 1, 1, 1
  kbend line 1, p3, 1.5
  kRatio[1] = kbend
  itop  sum iSteps
  iall  product iSteps
  ksum  sum kRatio
  ksum2 sumarray kRatio
  kprod product kRatio
  a1    oscili 0.1, p4, 1
  a2    oscili 0.1, p4 * semitone(4), 1
  a3    oscili 0.1, p4 * semitone(itop) * kprod, 1
  amix  sum a1, a2, a3
  amod  oscili 1, p4 * ksum / 3, 1
  aring product amix, amod, a(1 + iall)
  outs  amix, aring + amix * (ksum2 - ksum)
endin
</CsInstruments>
<CsScore>
i 1 0 1.5 220
i 1 1.5 1 330
</CsScore>
</CsoundSynthesizer>
