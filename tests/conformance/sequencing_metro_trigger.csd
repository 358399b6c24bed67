; Covers: sequencing triggers. metro (default and initial phase 0.5) drives schedkwhen; changed
; and changed2 watch a stepped value; trigger in its three modes watches an LFO crossing a
; threshold; each trigger is summed into the output as a level so the SNR proves when it fired.
; timeinstk, timeinsts, timek and times set the notes' pitches. samphold (a- and k-rate, with
; an audio gate and a metro gate) steps a pitch and a waveform.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 100
nchnls = 2
0dbfs = 1

instr 1                                 ; the sequencer
  kBeat metro 6
  kOff metro 4, 0.5
  schedkwhen kBeat, 0, 0, 2, 0, 0.08, 440
  schedkwhen kOff, 0, 0, 2, 0.01, 0.05, 660
  kStep = int(timeinsts() * 3)
  kCh changed kStep
  kCh2 changed2 kStep, kOff
  kLfo poscil 1, 2.5
  kUp trigger kLfo, 0.3, 0
  kDown trigger kLfo, 0.3, 1
  kBoth trigger kLfo, -0.2, 2
  azero init 0
  aMark = azero + 0.1 * kBeat + 0.05 * kOff + 0.03 * kCh + 0.02 * kCh2
  aCross = azero + 0.1 * kUp + 0.07 * kDown + 0.04 * kBoth
  outs aMark, aCross
  kT timeinstk
  kAbs timek
  if kT == 50 then
    event "i", 3, 0, 0.2, kAbs / 100 + times:k() + timeinsts()
  endif
endin

instr 2
  aEnv linseg 0, 0.005, 1, p3 - 0.01, 1, 0.005, 0
  aS poscil 0.2, p4
  azero init 0
  outs aS * aEnv, azero
endin

instr 3
  aS poscil 0.1, 200 + p4 * 50
  azero init 0
  outs azero, aS
endin
instr 4                                 ; samphold: stepped pitch and waveform
  asrc oscili 1, 97
  agate oscili 1, 13
  as samphold asrc, agate, 0.2
  kg metro 8
  ksig line 200, p3, 800
  ks samphold ksig, kg, 100
  as2 samphold asrc, kg
  ao oscili 0.3, ks
  outs as * 0.3 + ao, as2 * 0.3
endin
</CsInstruments>
<CsScore>
i 1 0.1 2
i 4 2.2 1
</CsScore>
</CsoundSynthesizer>
