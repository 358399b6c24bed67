<CsoundSynthesizer>
; Checks the Butterworth sections: butterlp/butterhp with k-rate and
; a-rate cutoffs, butterbp/butterbr with k-rate and a-rate centre and
; bandwidth, and the butlp/buthp/butbp/butbr aliases, on a sawtooth chord.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  asaw  oscili 0.2, p4, 1
  asaw2 oscili 0.2, p4 * 1.5, 1
  amix  = asaw + asaw2
  kcut  expseg 150, p3, 6000
  acut  oscili 1500, 2, 2
  acut  = acut + 2000
  alp   butterlp amix, kcut
  alp2  butlp amix, acut
  ahp   butterhp amix, 2000
  ahp2  buthp amix, acut
  outs  alp + alp2 * 0.5, (ahp + ahp2 * 0.5) * 0.8
endin

instr 2
  asaw  oscili 0.3, p4, 1
  kcf   expseg 300, p3, 3000
  kbw   line 50, p3, 500
  acf   oscili 300, 4, 2
  acf   = acf + 800
  abp   butterbp asaw, kcf, kbw
  abp2  butbp asaw, acf, 100
  abr   butterbr asaw, kcf, 200
  abr2  butbr asaw, 1000, acf
  outs  abp + abp2, (abr + abr2) * 0.4
endin
</CsInstruments>
<CsScore>
f 1 0 8192 7 -1 8192 1
f 2 0 8192 10 1
i 1 0 1.5 110
i 2 1.5 1.5 82.5
e
</CsScore>
</CsoundSynthesizer>
