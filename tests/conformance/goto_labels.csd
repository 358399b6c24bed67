; Covers: labels, igoto (i-time only), kgoto (perf-time only), goto (both), and an i-time
; loop built from a label and a conditional igoto that sums partial frequencies.
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
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.25
i 1 0   0.6 2
i 1 0.5 0.6 5
i 1 1   0.6 8
i 1 1.5 0.8 12
e
</CsScore>
</CsoundSynthesizer>
