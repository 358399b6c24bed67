; Covers: diskin2 on a mono float WAV and a stereo 16-bit 22.05 kHz WAV (sample-rate
; conversion) at pitch 1 and 0.5, with skip time, looping, linear and nearest-sample
; windows, and a k-rate pitch glide; soundin (mono, with skip).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1 ; mono file at pitch p4
  a1 diskin2 "mono_tone.wav", p4
  outs a1, a1 * 0.5
endin

instr 2 ; stereo file at pitch p4, from 0.1 s, looping
  aL, aR diskin2 "stereo_tone.wav", p4, 0.1, 1
  outs aL, aR
endin

instr 3 ; gliding pitch, linear and nearest-sample windows
  kp line 1, p3, 0.6
  a1 diskin2 "mono_tone.wav", kp, 0, 1, 0, 2
  a2 diskin2 "mono_tone.wav", 0.75, 0.05, 0, 0, 1
  outs a1 * 0.5, a2 * 0.5
endin

instr 4 ; soundin from a skip time
  a1 soundin "mono_tone.wav", p4
  outs a1 * 0.7, a1 * 0.7
endin
</CsInstruments>
<CsScore>
i 1 0 0.6 1
i 1 0.6 1.1 0.5
i 2 1.8 0.8 1
i 2 2.7 1.2 0.5
i 3 4 1.2
i 4 5.3 0.5 0
i 4 5.9 0.4 0.2
e
</CsScore>
</CsoundSynthesizer>
