; Covers: freeverb (changing room size, damping, iSRate 88200) and reverbsc (default
; and with israte/ipitchm, changing feedback and cutoff, including its random delay
; modulation) on a short melody sent through global audio.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

gaL init 0
gaR init 0

instr 1 ; a plucked note, panned, sent to the reverbs
  aenv expon 1, p3, 0.001
  asig oscili 0.25 * aenv, p4, 1
  aL = asig * p5
  aR = asig * (1 - p5)
  gaL = gaL + aL
  gaR = gaR + aR
  outs aL * 0.3, aR * 0.3
endin

instr 98 ; freeverb
  kroom line 0.6, p3, 0.9
  kdamp line 0.2, p3, 0.6
  a1, a2 freeverb gaL, gaR, kroom, kdamp
  a3, a4 freeverb gaL, gaR, 0.7, 0.5, 88200
  outs (a1 + a3) * 0.5, (a2 + a4) * 0.5
endin

instr 99 ; reverbsc, then clear the sends
  kfb line 0.7, p3, 0.9
  kfco expon 12000, p3, 3000
  a1, a2 reverbsc gaL, gaR, kfb, kfco
  a3, a4 reverbsc gaL, gaR * 0.5, 0.8, 6000, 48000, 0.5
  outs (a1 + a3) * 0.5, (a2 + a4) * 0.5
  gaL = 0
  gaR = 0
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5 0.3 0.2 0.1
i 1 0 0.3 392 0.2
i 1 0.4 0.3 494 0.8
i 1 0.8 0.3 587 0.5
i 1 1.2 0.6 784 0.3
i 98 0 3
i 99 0 3
e
</CsScore>
</CsoundSynthesizer>
