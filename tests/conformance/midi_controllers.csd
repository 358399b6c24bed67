; Covers: channel state left by MIDI messages (midi_controllers.mid, played
; with -F) read by a held note, every block: ctrl7, ctrl14, ctrl21 and
; midic7/midictrl on the note's channel, pitch bend (pchbend, cpsmidib),
; channel and polyphonic aftertouch (aftouch, polyaft); initc7 in the
; header sets a controller before any message; i-rate reads at note start.
<CsoundSynthesizer>
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 8
0dbfs = 1

initc7 1, 21, 0.25

instr 1
  k7 ctrl7 1, 1, 0, 0.5
  k14 ctrl14 1, 1, 20, -0.4, 0.4
  k21 ctrl21 1, 1, 20, 21, 0, 0.9
  km midic7 20, 0.1, 0.3
  kc midictrl 21, 0, 0.5
  kb pchbend -0.5, 0.5
  kb0 pchbend
  ka aftouch 0, 0.6
  kp polyaft notnum(), 0, 0.7
  kcps cpsmidib 2
  i21 ctrl7 1, 21, 0, 1
  ivol midictrl 7
  asig oscili 0.3, kcps, 1
  outch 1, a(k7), 2, a(k14), 3, a(k21 + i21 * 0.1), 4, a(km + kc)
  outch 5, a(kb + kb0 * 0.1), 6, a(ka), 7, a(kp + ivol / 1270), 8, asig
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1
f0 2.7
</CsScore>
</CsoundSynthesizer>
