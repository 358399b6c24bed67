; Covers: printed text of printk2 (plain, with inumspaces, with inamed), puts (i-rate trigger at
; note start, a metro trigger that repeats the same positive value, a trigger that changes value)
; and printarray (i-array with default and given formats and a label, long arrays wrapped after 80
; characters, k-array with a metro trigger and with -1), compared line by line with csound's by
; tests/printed_output.rs; the audio is a level that follows the printed k values.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 100
nchnls = 1
0dbfs = 1

instr 1
  iNotes[] fillarray 60, 62.5, 64, 67
  printarray iNotes
  printarray iNotes, "%6.2f", "P: notes"
  iLong[] init 25
  printarray iLong
  kTick metro 20
  kCount init 0
  kCount += kTick
  kLev[] fillarray 0.1, 0.2, 0.3
  kLev[0] = kCount / 10
  printarray kLev, kTick, "%.3f", "P: levels"
  kStep = int(kCount / 2)
  printk2 kStep
  printk2 kStep, 4
  printk2 kCount, 2, 1
  puts "P: started", 1
  puts "P: tick", kTick
  puts "P: step changed", kStep + 1
  azero init 0
  out azero + kLev[0] * 0.1 + kStep * 0.01
endin

instr 2
  kArr[] fillarray 1, -2.5
  printarray kArr, -1, "%g"
  azero init 0
  out azero + 0.01
endin
</CsInstruments>
<CsScore>
i 1 0 0.3
i 2 0.35 0.005
</CsScore>
</CsoundSynthesizer>
