; Covers: score expressions in square brackets: + - * / ^ %, parentheses and nesting,
; used for start times, durations and pitches (a just-intonation chord and arpeggio).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kenv linen 0.15, 0.02, p3, 0.1
  asig oscili kenv, p4, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3
i 1 0       [1/3]     [220*5/4]
i 1 [1/3]   [1/3]     [220*3/2]
i 1 [2/3]   [1/3]     [220*2^1]
i 1 [1+0]   [3/2]     [(200+20)*(1+1/4)]
i 1 [1]     [3/2]     [220 * (7 % 4) / 2]
i 1 [1]     [3/2]     [110 * [2 + 1] - 110]
e
</CsScore>
</CsoundSynthesizer>
