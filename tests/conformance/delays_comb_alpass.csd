; Covers: comb as a tuned resonator (loop time = one period, changing krvt), comb with
; insmps, alpass chains with k-rate and audio-rate reverberation times, and iskip on a tie;
; delay1 making two- and three-point FIR filters (low-pass and notch).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 2
0dbfs = 1

instr 1 ; noise-like burst rung through a comb tuned to p4 Hz
  kenv linseg 1, 0.02, 0, p3 - 0.02, 0
  aexc oscili 0.2 * kenv, 1234, 2
  krvt line 2, p3, 0.5
  ares comb aexc, krvt, 1 / p4
  ashort comb aexc, 0.5, 300, 0, 1
  amix = ares * 0.3 + ashort * 0.1
  outs amix, amix * 0.2
endin

instr 2 ; a diffusing chain of all-passes
  asig oscili 0.2, p4, 2
  aenv linseg 0, 0.01, 1, p3 - 0.11, 1, 0.1, 0
  asig = asig * aenv
  a1 alpass asig, 0.5, 0.0131
  artv expon 1, p3, 0.1
  a2 alpass a1, artv, 0.0087
  a3 alpass a2, 0.3, 0.0031, 1
  outs a3 * 0.1, a3 * 0.5
endin
instr 3 ; delay1: averaging successive samples (low-pass) and x(n) + x(n-2) (notch)
  asaw oscili 0.4, p4, 1
  ad1 delay1 asaw
  ad2 delay1 ad1
  outs (asaw + ad1) * 0.5, (asaw + ad2) * 0.5
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
f 2 0 4096 10 1 0 0.5 0 0.3 0.2 0.1 0.05
i 1 0 1 220
i 1 1 1 330
i 2 0.5 0.4 196
i 2 1.5 0.5 247
i 3 2 0.5 440
i 3 2.5 0.5 660
e
</CsScore>
</CsoundSynthesizer>
