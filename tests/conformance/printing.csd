; Covers: print, printk (with a period), prints and printks (format strings, %d %f) used
; alongside sound; the audio depends on the printed values so the test still checks it.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  ifreq = 110 * p4
  print ifreq, p4
  prints "note %d at %f Hz\n", p4, ifreq
  kenv linen 0.2, 0.05, p3, 0.1
  printk 0.25, kenv
  printks "env %5.3f\n", 0.2, kenv
  asig oscili kenv, ifreq, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5
i 1 0   1 2
i 1 0.5 1 3
i 1 1   1 4
e
</CsScore>
</CsoundSynthesizer>
