; Covers: loscil and loscil3 reading GEN01 tables: a mono sample played
; once at a higher pitch (no loop), a forward sustain loop, a
; back-and-forth loop, and a stereo file (whole-file loop); lposcil with
; a loop end moving at k-rate and a start before the loop; the default
; loop mode playing the sustain loop a WAV file's sampler chunk names
; (looped_tone.wav: mono_tone.wav with a forward loop over frames
; 2000..9999), with the same table also played with its loop switched off.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1        ; mono sample: once, then looped, then back and forth
  if p5 == 0 then
    a1 loscil 0.5, p4, 1, 440, 0
  elseif p5 == 1 then
    a1 loscil 0.5, p4, 1, 440, 1, 1000, 9000
  else
    a1 loscil3 0.5, p4, 1, 440, 2, 2000, 12000
  endif
  outs a1, a1
endin

instr 2        ; stereo file, whole-file loop, cubic
  a1, a2 loscil3 0.4, p4, 2, 220, 1
  outs a1, a2
endin
instr 3        ; lposcil: a shrinking loop, and one entered from before it
  kend line 15000, p3, 4000
  a1 lposcil 0.4, 1.3, 1000, kend, 1
  a2 lposcil 0.4, 0.7, 2000, 9000, 1, 500
  outs a1, a2
endin
instr 4        ; the file's own loop (default mode), then none (mode 0)
  a1 loscil 0.5, p4, 3, 440
  a2 loscil3 0.5, p4, 3, 440, 0
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f1 0 0 1 "mono_tone.wav" 0 0 0
f2 0 0 1 "stereo_tone_44k.wav" 0 0 0
f3 0 0 1 "looped_tone.wav" 0 0 0
i1 0   0.6 660 0
i1 0.6 1   440 1
i1 1.6 1   523 2
i2 2.6 1.2 330
i3 3.8 1
i4 4.8 1.5 587
e 6.5
</CsScore>
</CsoundSynthesizer>
