; Covers: audio channels: chnmix from two instruments into a bus that a later instrument
; reads with chnget and empties with chnclear; chnset / chnget of an a-rate signal;
; chnset / chnget of a k-rate value alongside.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 2
0dbfs = 1

instr 1
  asig oscili 0.1, p4
  chnmix asig, "bus"
  kenv linseg 0, p3, 1
  chnset kenv, "level"
endin

instr 2
  asig oscili 0.05, p4 * 1.5
  chnmix asig, "bus"
  chnset asig * 2, "direct"
endin

instr 10
  abus chnget "bus"
  adirect chnget "direct"
  klevel chnget "level"
  outs abus * (0.5 + klevel), adirect
  chnclear "bus"
endin
</CsInstruments>
<CsScore>
i 1 0 0.5 440
i 1 0.25 0.5 550
i 2 0.1 0.6 330
i 10 0 1
</CsScore>
</CsoundSynthesizer>
