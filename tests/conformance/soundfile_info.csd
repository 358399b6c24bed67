; Covers: diskin (diskin2's older form: linear interpolation) on a mono float
; and a stereo 16-bit 22.05 kHz file, at pitch 1, backwards, looping and from
; a skip time; filelen, filesr, filenchnls and filebit printed and used to
; choose the channels, loop exactly once and play the last half second.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1 ; a mono or a stereo file (filenchnls decides), at pitch p4
  Sfile = "mono_tone.wav"
  ilen filelen Sfile
  isr  filesr Sfile
  ich  filenchnls Sfile
  ibit filebit Sfile
  prints "%.4f s, %d Hz, %d channel(s), %d bits\n", ilen, isr, ich, ibit
  if ich == 1 then
    a1 diskin Sfile, p4
    outs a1, a1 * 0.5
  else
    aL, aR diskin "stereo_tone.wav", p4
    outs aL, aR
  endif
endin

instr 4 ; the stereo file, its header printed, looping at pitch p4
  ilen filelen "stereo_tone.wav"
  isr  filesr "stereo_tone.wav"
  ich  filenchnls "stereo_tone.wav"
  ibit filebit "stereo_tone.wav", 1
  prints "%.4f s, %d Hz, %d channel(s), %d bits\n", ilen, isr, ich, ibit
  aL, aR diskin "stereo_tone.wav", p4, 0, 1
  outs aL, aR
endin

instr 2 ; the file's last half second, then backwards with looping
  ilen filelen "stereo_tone.wav"
  aL, aR diskin "stereo_tone.wav", 1, ilen - 0.5
  aL2, aR2 diskin "stereo_tone.wav", -0.75, 0.2, 1
  outs aL + aL2 * 0.5, aR + aR2 * 0.5
endin

instr 3 ; a gliding pitch read from a number-free file name in a string
  Sfile = "mono_tone.wav"
  kp line 1.3, p3, 0.7
  a1 diskin Sfile, kp, 0.1, 1, 0, 0
  outs a1 * 0.6, a1 * 0.6
endin
</CsInstruments>
<CsScore>
i 1 0   0.6 1
i 4 0.7 0.6 0.8
i 4 1.4 1.2 1.5
i 2 2.8 1
i 3 4   1
e
</CsScore>
</CsoundSynthesizer>
