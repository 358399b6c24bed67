<CsoundSynthesizer>
; Checks the whole-array functions cbrt, limit1, hypot, fmax, fmin, fmod
; (array and array, array and scalar), maxarray/minarray with their index,
; and genarray/genarray_i, by sounding the results as frequencies.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  iA[] fillarray 8, 27, 64, 125
  iB[] fillarray 3, 4, 12, 5
  iC[] cbrt iA
  iD[] hypot iB, iC
  iE[] fmax iA, iD
  iF[] fmin iA, 30
  iG[] fmod iA, iB
  iH[] limit1 iB / 10
  iG2[] genarray 1, 6, 2/3
  imx, imxi maxarray iA
  imn, imni minarray iB
  kA[] genarray_i 100, 400, 100
  kB[] fillarray 1.5, 2.5, 0.5, 3.5
  kC[] fmod kA, kB
  kmx, kmxi maxarray kC
  kmn minarray kA
  a1 oscili 0.1, 100 * iC[p4] + iD[p4] + iE[p4], 1
  a2 oscili 0.1, 200 + iF[p4] + iG[p4] * 10 + iH[p4] * 100 + iG2[7] * 10, 1
  a3 oscili 0.05, imx + imxi * 10 + imn + imni * 100 + kmx * 10 + kmxi + kmn, 1
  a4 oscili 0.05, lenarray(iG2) * 50 + kC[p4] * 100, 1
  outs a1 + a3, a2 + a4
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
i 1 0 0.5 0
i 1 0.5 0.5 1
i 1 1 0.5 2
i 1 1.5 0.5 3
e
</CsScore>
</CsoundSynthesizer>
