<CsoundSynthesizer>
; Checks the level followers: rms driving an oscillator, gain, balance2,
; follow, follow2 and max_k in its four modes, on plucked and swelling tones.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

; rms of an enveloped sawtooth drives a sine; gain sets a fixed level
instr 1
  kenv  expseg 0.001, 0.05, 0.8, p3 - 0.05, 0.01
  asaw  oscili kenv, p4, 1
  krms  rms asaw
  krms2 rms asaw, 40
  asin  oscili krms + krms2, p4 * 2, 2
  ag    gain asaw, 0.1
  outs asin, ag
endin

; balance2 restores a filtered signal's level; follow and follow2 track it
instr 2
  kenv  linseg 0, 0.2, 0.7, 0.3, 0.2, p3 - 0.5, 0
  asaw  oscili kenv, p4, 1
  alp   tone asaw, 300
  ab    balance2 alp, asaw
  ab2   balance2 alp, asaw, 50
  af    follow asaw, 0.01
  af2   follow2 asaw, 0.005, 0.1
  asin  oscili 0.2, p4 * 3, 2
  outs ab + ab2 * 0.5, asin * af + asin * af2
endin

; max_k between triggers from metro, all four modes
instr 3
  kenv  linseg 0, 0.3, 0.9, p3 - 0.3, 0
  asig  oscili kenv, p4, 2
  asaw  oscili 0.3, p4 * 1.5, 1
  atot  = asig + asaw
  ktr   metro 20
  k1    max_k atot, ktr, 1
  k2    max_k atot, ktr, 2
  k3    max_k atot, ktr, 3
  k4    max_k atot, ktr, 4
  a1    oscili k1 * 0.3, 440, 2
  a2    oscili k2 * 0.3, 550, 2
  a3    oscili k3 * 0.3, 660, 2
  a4    oscili k4, 770, 2
  outs a1 + a2, a3 + a4
endin
</CsInstruments>
<CsScore>
f 1 0 8192 7 -1 8192 1
f 2 0 8192 10 1
i 1 0   1   110
i 2 1   1   147
i 3 2   1   220
e
</CsScore>
</CsoundSynthesizer>
