; Covers: the envelope generators line, expon, linseg, expseg and linen (including a note
; shorter than its rise plus decay), shaping the amplitude and pitch of a phrase;
; expsega (percussive a-rate segments, the last one continuing).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1        ; line and expon
  kamp line 0.3, p3, 0
  kfrq expon 200, p3, 800
  a1 oscili kamp, kfrq, 1
  outs a1, a1
endin

instr 2        ; linseg and expseg, also at a-rate
  aenv linseg 0, 0.1, 0.3, 0.2, 0.1, p3 - 0.3, 0
  kfrq expseg 600, 0.3, 300, p3 - 0.3, 450
  a1 oscili 1, kfrq, 1
  outs a1 * aenv * 0.5, a1 * aenv
endin

instr 3        ; linen, k- and a-rate, with rise + decay longer than p3
  kenv linen 0.25, 0.4, p3, 0.4
  aenv linen 0.25, 0.05, p3, 0.2
  a1 oscili kenv, 330, 1
  a2 oscili aenv, 495, 1
  outs a1, a2
endin
instr 4        ; expsega: a struck note, its last segment going on
  aenv expsega 0.01, 0.02, 0.5, 0.3, 0.05, 0.2, 0.001
  a1 oscili aenv, p4
  outs a1, a1 * 0.5
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.4
i 1 0   1
i 2 0.5 1.2
i 3 1.5 0.6
i 3 2.0 0.8
i 4 2.9 0.4 523
i 4 3.2 0.8 392
e
</CsScore>
</CsoundSynthesizer>
