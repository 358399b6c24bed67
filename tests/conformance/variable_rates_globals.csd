; Covers: i-, k- and a-rate local variables, global gi/gk/ga variables shared between
; instruments, an audio bus summed with += and cleared with clear, and orchestra order.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 2
0dbfs = 1

giBase = 200
gkVib init 0
gaBus init 0

instr 1        ; control source: a slow vibrato written to a global k variable
  gkVib oscili 4, 5, 1
endin

instr 2        ; voices add into the global audio bus
  ifreq = giBase * p4
  kfreq = ifreq + gkVib
  asig  oscili 0.2, kfreq, 1
  aenv  linseg 0, 0.05, 1, p3 - 0.1, 1, 0.05, 0
  gaBus += asig * aenv
endin

instr 99       ; the mixer reads the bus, writes it out and clears it
  aL = gaBus * 0.8
  aR = gaBus * 0.5
  outs aL, aR
  clear gaBus
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
i 1  0 3
i 99 0 3
i 2 0   2 1
i 2 0.5 2 1.25
i 2 1   2 1.5
e
</CsScore>
</CsoundSynthesizer>
