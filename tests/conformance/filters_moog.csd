<CsoundSynthesizer>
; Checks moogladder (k-rate and a-rate cutoff and resonance, istor) and
; moogvcf (k-rate and a-rate cutoff and resonance, iscale) on a sawtooth
; bass line with a filter envelope.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  asaw  oscili 0.5, p4, 1
  kcf   expseg 5000, p3 * 0.3, 400, p3 * 0.7, 200
  acf   oscili 800, 5, 2
  acf   = acf + 1500
  ares  oscili 0.3, 0.7, 2
  ares  = ares + 0.5
  a1    moogladder asaw, kcf, 0.6
  a2    moogladder asaw, acf, ares
  a3    moogladder asaw, 2000, 0.9, 0
  outs  a1 + a2 * 0.5 + a3 * 0.3, a2
endin

instr 2
  asaw  oscili 0.4, p4, 1
  kfco  expseg 3000, p3, 300
  kres  line 0.2, p3, 0.8
  afco  oscili 600, 3, 2
  afco  = afco + 1200
  ares  oscili 0.2, 1, 2
  ares  = ares + 0.5
  a1    moogvcf asaw, kfco, kres
  a2    moogvcf asaw, afco, ares
  a3    moogvcf asaw * 2, 1000, 0.5, 2
  outs  a1, a2 * 0.5 + a3 * 0.25
endin
</CsInstruments>
<CsScore>
f 1 0 8192 7 -1 8192 1
f 2 0 8192 10 1
i 1 0 1.5 55
i 2 1.5 1.5 73.4
e
</CsScore>
</CsoundSynthesizer>
