<CsoundSynthesizer>
; Checks locsig in its two- and four-channel forms (a direction sweeping
; through every quadrant and past 360, a distance from inside the speakers
; to far away) with locsend, and space with spsend at points inside and
; outside the square (kx, ky moving); the sends feed nreverb.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 4
0dbfs = 1

gar1 init 0
gar2 init 0

instr 1
  asig  oscili 0.4, p4, 1
  kdeg  line -40, p3, 420
  kdist expseg 0.6, p3, 12
  a1, a2 locsig asig, kdeg, kdist, 0.2
  ar1, ar2 locsend
  aq1, aq2, aq3, aq4 locsig asig * 0.5, kdeg * 1.3, kdist, 0.4
  as1, as2, as3, as4 locsend
  gar1 = gar1 + ar1 + as1
  gar2 = gar2 + ar2 + as3
  outq  a1 + aq1, a2 + aq2, aq3, aq4 + as2 + as4
endin

instr 2
  asig  oscili 0.4, p4, 1
  kx    line -2.5, p3, 3
  ky    line 0.3, p3, -2
  a1, a2, a3, a4 space asig, 0, 0, 0.3, kx, ky
  ar1, ar2, ar3, ar4 spsend
  gar1 = gar1 + ar1 + ar3
  gar2 = gar2 + ar2 + ar4
  outq  a1, a2, a3, a4
endin

instr 9
  ar1   nreverb gar1, 1, 0.3
  ar2   nreverb gar2, 1, 0.3
  outq  ar1 * 0.2, ar2 * 0.2, ar2 * 0.1, ar1 * 0.1
  gar1  = 0
  gar2  = 0
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1 0.4 0.2
i 1 0 2 220
i 2 2 2 330
i 9 0 5
e
</CsScore>
</CsoundSynthesizer>
