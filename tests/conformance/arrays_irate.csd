; Covers: i-rate arrays. A chord whose pitches come from an i-array made by fillarray, with
; amplitudes in an array declared with init and filled by a while loop (elements written with
; iArr[i] = ...), lenarray, indexing in expressions (iArr[2] * 3), array-scalar and array-array
; arithmetic (iB[] = iA * 2, iA + iB) and an index truncated toward zero (iArr[1.7]).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  iRatios[] fillarray 1, 1.25, 1.5, 2
  iN lenarray iRatios
  iAmps[] init 4
  ii = 0
  while ii < iN do
    iAmps[ii] = 0.2 / (ii + 1)
    ii += 1
  od
  iFreqs[] = iRatios * p4                 ; array times scalar
  iDetune[] = iFreqs + iRatios            ; array plus array
  a1 poscil iAmps[0], iFreqs[0]
  a2 poscil iAmps[1], iFreqs[1]
  a3 poscil iAmps[2], iFreqs[2]
  a4 poscil iAmps[iN - 1], iFreqs[lenarray(iFreqs) - 1]
  aMix = a1 + a2 + a3 + a4
  aTop poscil 0.05, iDetune[3]
  aLow poscil 0.05, iRatios[2] * 3 + iFreqs[1.7] / 4
  aEnv linen 1, 0.05, p3, 0.2
  outs (aMix + aTop) * aEnv, (aMix + aLow) * aEnv
endin
</CsInstruments>
<CsScore>
i 1 0 1.2 220
i 1 1.3 1.2 330
</CsScore>
</CsoundSynthesizer>
