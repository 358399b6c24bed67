<CsoundSynthesizer>
; Checks lowres (k-rate and a-rate cutoff and resonance, iskip), lowresx
; (default 4 layers, 2 and 3 layers, a-rate cutoff and resonance) and moogvcf2 (iscale left
; out = 0dbfs, and given) on a sawtooth line with filter sweeps.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

gisaw ftgen 1, 0, 4096, 7, 1, 4096, -1
gisin ftgen 2, 0, 4096, 10, 1

instr 1
  asaw  oscili 0.3, p4, 1
  kcut  expseg 3000, p3, 500
  kres  line 1, p3, 3
  acut  oscili 1000, 4, 2
  acut  = acut + 1500
  ares  oscili 1, 30, 2
  ares  = ares + 2
  a1    lowres asaw, kcut, kres
  a2    lowres asaw, acut, ares, 0
  outs  a1 * 0.5, a2 * 0.5
endin

instr 2
  asaw  oscili 0.3, p4, 1
  kcut  line 500, p3, 2000
  acut  oscili 400, 3, 2
  acut  = acut + 1200
  ares  oscili 0.2, 20, 2
  ares  = ares + 1
  a1    lowresx asaw, kcut, 1
  a2    lowresx asaw, acut, 1.2, 2
  a3    lowresx asaw, acut, ares, 3
  outs  a1 * 0.1, (a2 + a3) * 0.2
endin

instr 3
  asaw  oscili 0.4, p4, 1
  kfco  expseg 4000, p3, 250
  afco  oscili 500, 2, 2
  afco  = afco + 1200
  ares  oscili 0.3, 0.5, 2
  ares  = ares + 0.5
  a1    moogvcf2 asaw, kfco, 0.6
  a2    moogvcf2 asaw, afco, ares, 1
  outs  a1, a2
endin

; iskip: the tied notes keep the filter's state
instr 4
  asaw  oscili 0.3, p4, 1
  a1    lowres asaw, 800, 2, 1
  a2    lowresx asaw, 1200, 1, 3, 1
  outs  a1 * 0.5, a2 * 0.3
endin
</CsInstruments>
<CsScore>
i 1 0 2 110
i 1 2 1 165
i 2 3 2 82.5
i 3 5 2 55
i 4.1 7 -1 220
i 4.1 7.5 0.5 330
</CsScore>
</CsoundSynthesizer>
