; Covers: when notes sent from the orchestra start and end: event_i / schedule (delay counted
; from the current block) and event / schedkwhen (from the next block) with fractional delays and
; lengths, to lower and higher instrument numbers and to a named instrument; turnoff of the caller
; (the rest of its block is not performed); schedkwhen's kmintim.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 100
nchnls = 2
0dbfs = 1

instr 5                               ; the sequencer
  event_i "i", 4, 0, 0.01, 0.1
  event_i "i", 6, 0.0034, 0.0123, 0.2
  schedule 6, 0.0056, 0.0071, 0.05
  schedule "level", 0.011, 0.02, 0.03
  kc timeinstk
  if kc == 3 then
    event "i", 4, 0, 0.01, 0.15
    event "i", 6, 0.0011, 0.0034, 0.07
    event "i", "level", 0.0045, 0.0101, 0.11
  endif
  ktrig = (kc % 4 == 0 ? 1 : 0)
  schedkwhen ktrig, 0.02, 0, 6, 0.0012, 0.005, 0.013
  azero init 0
  out azero + 0.01 * kc
  if kc == 40 then
    turnoff
  endif
  outs azero + 0.001, azero + 0.002     ; not performed in the block of turnoff
endin

instr 4
  azero init 0
  outs azero + p4, azero
endin

instr 6
  azero init 0
  outs azero, azero + p4
endin

instr level
  azero init 0
  outs azero + p4, azero + p4
endin
</CsInstruments>
<CsScore>
i 5 0.1 1
i 5 0.3034 0.0456
e 0.6
</CsScore>
</CsoundSynthesizer>
