; Covers: ; and // line comments, /* */ block comments (also across lines and inside a
; statement) in orchestra and score, and line continuation with a backslash.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100   ; a trailing comment
ksmps = 10   // another style
nchnls = 1
0dbfs = 1
/* a block comment
   spanning lines: instr 5 here is not an instrument
instr 5
endin
*/
instr 1  ; the only instrument
  kenv linseg 0, 0.05, /* inline */ 0.3, \
              p3 - 0.1, 0.2, 0.05, 0
  asig oscili kenv, p4, 1   // oscillator
  out asig
endin
</CsInstruments>
<CsScore>
; score comment
f 1 0 4096 10 1 0.5 /* block */ 0.25
i 1 0 0.8 330   ; trailing
/* i 1 0 1 9000  commented-out note */
i 1 0.8 0.8 392 // slash comment
i 1 1.6 0.8 494
e
</CsScore>
</CsoundSynthesizer>
