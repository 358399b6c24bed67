; Covers: k-rate arrays as a step sequencer. A metro advances a k index through a k-array of
; pitches (fillarray) and a k-array of levels (init, then written at k-rate with kArr[k] = ...),
; reading kArr[kStep] each block; lenarray at k-rate wraps the index; a k-array expression
; (kB[] = kA * 2 - 1) and a compound element update (kLev[kStep] *= 0.9) change the sound.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 64
nchnls = 1
0dbfs = 1

instr 1
  kNotes[] fillarray 60, 63, 67, 70, 72, 67
  kLev[] init 6
  kStep init 0
  kInit init 1
  if kInit == 1 then
    kI = 0
    while kI < lenarray(kNotes) do
      kLev[kI] = 0.1 + 0.05 * (kI % 3)
      kI += 1
    od
    kInit = 0
  endif
  kTick metro 8
  if kTick == 1 then
    kStep = (kStep + 1) % lenarray(kNotes)
    kLev[kStep] = kLev[kStep] * 0.9
  endif
  kOct[] = kNotes * 2 - 1
  kFreq = cpsmidinn(kNotes[kStep])
  aTone poscil kLev[kStep], kFreq
  aSub poscil 0.05, kOct[kStep] * 2
  out aTone + aSub
endin
</CsInstruments>
<CsScore>
i 1 0 2.5
</CsScore>
</CsoundSynthesizer>
