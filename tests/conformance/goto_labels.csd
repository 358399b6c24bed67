; Covers: labels, igoto (i-time only), kgoto (perf-time only), goto (both), and an i-time
; loop built from a label and a conditional igoto that sums partial frequencies; loop_lt
; and loop_gt at i-time (a chord of partials), loop_le and loop_ge at k-time (a stepped
; arpeggio summed each block).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 1
0dbfs = 1

instr 1
  ; i-time loop: ifreq = 100 + 10 + 20 + ... + 10*p4
  icount = 1
  ifreq = 100
loop:
  ifreq = ifreq + icount * 10
  icount = icount + 1
  if icount <= p4 igoto loop

  igoto ionly            ; skip the next line at init time only
  ifreq = ifreq * 2
ionly:
  kamp = 0.2
  kgoto konly            ; skip the next line at perf time only
  kamp = 0.05
konly:
  goto both              ; skip at both times
  kamp = 0
both:
  kenv linen kamp, 0.02, p3, 0.1
  asig oscili kenv, ifreq, 1
  out asig
endin

instr 2        ; loop_lt builds a chord at init, loop_gt a descending sum
  indx = 0
  isum = 0
chord:
  isum = isum + p4 * (indx + 1) / (indx + 2)
  loop_lt indx, 1, 4, chord
  idown = 10
  iamp = 0
fade:
  iamp = iamp + 0.01
  loop_gt idown, 2.5, 0, fade
  kcount = 0
  ktot = 0
steps:
  ktot = ktot + kcount * 50
  loop_le kcount, 1, 3, steps
  kback = 4
  kpart = 0
down:
  kpart = kpart + kback
  loop_ge kback, 0.5, 1, down
  a1 oscili iamp * 4, isum + ktot * 0.2 + kpart, 1
  out a1
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.25
i 1 0   0.6 2
i 1 0.5 0.6 5
i 1 1   0.6 8
i 1 1.5 0.8 12
i 2 2.4 0.5 110
i 2 3 0.5 165
e
</CsScore>
</CsoundSynthesizer>
