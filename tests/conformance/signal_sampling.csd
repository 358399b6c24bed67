<CsoundSynthesizer>
; Checks rate conversion and sample-grid opcodes (upsamp, downsamp, interp,
; fold, diff, integ, mpulse), distort1 in its three modes, divz, ntrpol,
; maxabs/minabs, the accumulators (maxaccum, minaccum, maxabsaccum,
; minabsaccum) and the functions db, signum and powoftwo.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 20
nchnls = 2
0dbfs = 1

gamax init 0
gamin init 0

; control to audio and back
instr 1
  klfo  oscili 0.3, 5, 2
  a1    upsamp klfo
  a2    interp klfo
  a3    interp klfo, 0, 1
  asig  oscili 0.5, 220, 2
  kds   downsamp asig
  kds2  downsamp asig, 8
  a4    oscili kds + kds2, 330, 2
  outs a1 + a4, a2 - a3 * 0.5
endin

; fold, diff, integ, mpulse
instr 2
  asig  oscili 0.4, p4, 2
  kinc  line 1, p3, 7.5
  af    fold asig, kinc
  ad    diff asig
  ai    integ ad
  kd    diff kinc
  ki    integ kd
  am    mpulse 0.8, 0.013, 0.002
  am2   mpulse 0.5, -100
  ar    reson am + am2, 600, 50, 1
  outs af + ai * 0.5 + ki * 0.01, ad * 5 + ar
endin

; distort1's modes; divz and ntrpol
instr 3
  asig  oscili 0.6, p4, 2
  kpre  line 0.5, p3, 4
  a1    distort1 asig, kpre, 0.5, 0.1, 0.3, 1
  a2    distort1 asig * 20000, kpre, 0.5, 0.2, 0, 0
  a3    distort1 asig, kpre, 0.4, 0.5, 0.2, 2
  kden  line -1, p3, 1
  kq    divz 0.1, kden, 0.2
  aq    divz asig, a(kden * 10), 0.1
  asaw  oscili 0.3, p4 * 1.5, 1
  kpt   line 0, p3, 1
  ax    ntrpol asig, asaw, kpt
  kx    ntrpol 100, 400, kpt
  ax2   oscili 0.1, kx, 2
  outs a1 + a2 / 20000 + ax, a3 + aq * 0.1 + kq * 0.1 + ax2
endin

; maxabs/minabs, the accumulators, and db/signum/powoftwo
instr 4
  a1    oscili 0.4, p4, 2
  a2    oscili 0.3, p4 * 1.25, 1
  amx   maxabs a1, a2
  amn   minabs a1, a2, a1 * 0.5
  kamp  line -20, p3, -3
  a3    oscili db(kamp), p4 * 2, 2
  ks    = signum(kamp + 10)
  kp    = powoftwo(kamp / 10)
  a4    oscili 0.1 * kp, p4 * (1.5 + ks * 0.25), 2
  maxaccum gamax, a1
  minaccum gamin, a2
  outs amx + a3, amn + a4
endin

instr 5
  a1    oscili 0.3, p4, 2
  a2    oscili 0.2, p4 * 1.5, 2
  maxaccum gamax, a1
  maxabsaccum gamax, a2
  minabsaccum gamin, a1
endin

instr 9
  outs gamax, gamin
  clear gamax, gamin
endin
</CsInstruments>
<CsScore>
f 1 0 8192 7 -1 8192 1
f 2 0 8192 10 1
i 1 0   1
i 2 1   1   147
i 3 2   1   220
i 4 3   1   110
i 5 3   1.5 165
i 9 3   1.5
e
</CsScore>
</CsoundSynthesizer>
