; Covers: the zak space. zakinit in the header; two voices write audio to
; za locations (zaw, and zawm mixing into a bus) and control values to zk
; locations (zkw, zkwm mixing, ziw and ziwm at init); a mixer reads them
; (zar, zarg, zamod adding and multiplying, zkr, zir, zkmod adding and
; multiplying) and clears its buses each cycle (zacl, with and without
; klast, and zkcl).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

zakinit 3, 5

instr 1 ; a voice: its dry sound on za 1, mixed into the bus za 2
  kenv linseg 0, 0.02, 1, p3 - 0.04, 0.6, 0.02, 0
  a1 oscili 0.3 * kenv, p4, 1
  zaw a1, 1
  zawm a1, 2
  kvib oscili 5, 5, 2
  zkw kvib, 1
  zkwm kenv * 0.1, 2
  ziw p4, 3
  ziwm 1, 4
  ziwm 2, 4, 0
endin

instr 2 ; a second voice, mixed into the same buses
  kenv linseg 0, 0.05, 1, p3 - 0.1, 0.5, 0.05, 0
  a1 oscili 0.2 * kenv, p4, 1
  zawm a1, 2
  zawm a1 * 0.5, 3, 1
  zkwm kenv * 0.05, 2
endin

instr 9 ; the mixer
  adry zar 1
  abus zarg 2, 0.8
  atrem oscili 0.5, 3, 2
  zaw atrem + 0.5, 0
  amod zamod abus, -0
  amul zamod adry, -3
  aadd zamod adry, 3
  kv zkr 1
  kl zkr 2
  kpitch zkmod 440, 1
  kscale zkmod 1, -2
  ibase zir 3
  isum zir 4
  a2 oscili 0.1 * kscale, kpitch + ibase * 0.01 + isum, 2
  outs adry * 0.5 + amod + amul, abus * (0.5 + kl) + a2 + aadd * 0.3
  zacl 2
  zacl 3, 3
  zkcl 2, 2
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1 0.5 0.3 0.2
f 2 0 8192 10 1
i 9 0 3.2
i 1 0.1 1 220
i 2 0.5 1.2 330
i 1 1.5 1.2 262
i 2 2 1 392
e
</CsScore>
</CsoundSynthesizer>
