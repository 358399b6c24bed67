; Covers: score carry rules: "." repeats the previous p-field, "+" starts a note when the
; previous one ends, "^+x" offsets from the previous start, omitted trailing p-fields
; are carried, and carrying stops at a different instrument.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  kenv linen p4, 0.02, p3, 0.05
  asig oscili kenv, p5, 1
  outs asig * (1 - p6), asig * p6
endin

instr 2
  kenv expon 0.2, p3, 0.01
  asig oscili kenv, p4, 1
  outs asig, asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.4 0.2
i 1 0    0.3 0.2 262 0.1
i 1 +    .   .   294
i 1 +    0.2 .   330 0.9
i 1 ^+0.3 .  .   349
i 1 .    0.4
i 2 0.5  0.5 523
i 2 ^+0.5 .
i 1 2.0  0.5 0.3 392 0.5
e
</CsScore>
</CsoundSynthesizer>
