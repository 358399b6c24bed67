; Covers: #define without and with arguments, $NAME and $NAME. expansion, #include of a
; file next to the CSD (macros_include.inc) and #undef; score macros too.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

#define AMP #0.2#
#define ENV(a'd) #linen $a, 0.02, p3, $d#
#include "macros_include.inc"

instr 1
  kenv $ENV($AMP.'0.1)
  asig oscili kenv, $BASEFREQ.*p4*2, 1
  outs asig, asig * 0.5
endin
#undef AMP
</CsInstruments>
<CsScore>
#define TAB #f 1 0 4096 10 1 0.3 0.2#
$TAB
#define NOTE(t'r) #i 1 $t 0.5 $r#
$NOTE(0'1)
$NOTE(0.5'1.25)
$NOTE(1'1.5)
i 2 0 2 1
e
</CsScore>
</CsoundSynthesizer>
