<CsoundSynthesizer>
; Checks tone and atone (fixed and moving khp, iskip) on a sawtooth, and
; port/portk gliding the pitch of a sine between notes.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

; tone/atone on a sawtooth whose cutoff sweeps, as a mellow pluck
instr 1
  asaw  oscili 0.4, p4, 1
  khp   expseg 4000, p3, 200
  alow  tone asaw, khp
  ahigh atone asaw, 800
  alow2 tone alow, 3000, 0
  outs alow2, ahigh
endin

; portamento: portk with a changing half-time, port with isig
instr 2
  kstep  = (timeinsts() < p3 / 2 ? 220 : 330)
  khtim  line 0.01, p3, 0.2
  kglide portk kstep, khtim, 110
  kslow  port kstep, 0.1
  a1     oscili 0.3, kglide, 2
  a2     oscili 0.3, kslow, 2
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f 1 0 8192 7 -1 8192 1
f 2 0 8192 10 1
i 1 0   1   110
i 1 1   1   165
i 2 2   1.5
e
</CsScore>
</CsoundSynthesizer>
