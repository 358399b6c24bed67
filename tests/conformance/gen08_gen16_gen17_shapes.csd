; Covers: GEN08 (a cubic spline as an oscillator's waveform), GEN16 (curved segments as a
; note's amplitude envelope, read with tablei over p3) and GEN17 (a step table as a pitch
; sequence, read with table at k-rate): a short arpeggio whose notes swell and fade.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 2
0dbfs = 1

instr 1
  ; the envelope: GEN16 table 3 read once over the note
  kidx line 0, p3, 1
  kenv tablei kidx, 3, 1
  ; the pitch: GEN17 table 4 of semitone steps, one step per eighth of the note
  kstep table kidx * 8, 4
  kcps = p4 * semitone(kstep)
  asig oscili kenv * 0.4, kcps, 2
  outs asig, asig * 0.7
endin
</CsInstruments>
<CsScore>
; table 2: a smooth spline waveform through six points (GEN08)
f 2 0 4096 8 0 600 0.9 700 0.3 800 -0.7 900 -0.4 1096 0
; table 3: envelope with a slow curved rise and a fast curved fall (GEN16)
f 3 0 1025 16 0 200 2 1 500 0 0.8 324 -3 0
; table 4: eight steps of a minor arpeggio, in semitones (GEN17)
f 4 0 8 -17 0 0 1 3 2 7 3 12 4 15 5 12 6 7 7 3
i 1 0   1.6 220
i 1 1.7 1.2 262
i 1 3.0 2.0 196
e
</CsScore>
</CsoundSynthesizer>
