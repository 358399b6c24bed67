<CsoundSynthesizer>
; Checks linsegb and expsegb (segments given by breakpoint times) at audio
; and control rate, and the half-cosine segments cosseg and cossegb.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  aenv  linsegb 0, 0.1, 1, 0.4, 0.3, 0.9, 0
  kenv  linsegb 0.2, 0.25, 0.8, 0.5, 0.1
  aexp  expsegb 0.001, 0.05, 1, 0.6, 0.01
  kexp  expsegb 1, 0.3, 2, 0.8, 0.5
  a1    oscili aenv * 0.3, 220 * kexp, 1
  a2    oscili kenv * 0.3, 330, 1
  a3    oscili aexp * 0.3, 440, 1
  outs a1 + a3, a2
endin

instr 2
  kenv  cosseg 0, 0.25, 1, 0.5, 0.2
  aenv  cosseg 0, 0.1, 1, 0.3, -0.5, 0.2, 0
  kb    cossegb 0, 0.2, 1, 0.6, 0.3
  ab    cossegb 0.5, 0.05, 1, 0.4, 0
  a1    oscili kenv * 0.3, 220, 1
  a2    oscili aenv * 0.3, 330, 1
  a3    oscili kb * 0.3, 440, 1
  a4    oscili ab * 0.3, 550, 1
  outs a1 + a3, a2 + a4
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
i 1 0 1
i 1 1.2 0.5
i 2 2 1
e
</CsScore>
</CsoundSynthesizer>
