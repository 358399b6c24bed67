<CsoundSynthesizer>
; Checks the two-pole two-zero family (biquad, biquada, resonz, resonr,
; pareq in its three modes, rbjeq in its seven types, eqfil) and the stacks
; tonex, atonex and resonx, and svfilter's three outputs, on a sawtooth with
; swept and fixed controls.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 2
0dbfs = 1

; biquad with swept coefficients (a resonant low-pass), biquada with a
; wobbling audio-rate b0
instr 1
  asaw  oscili 0.3, p4, 1
  kfc   expseg 300, p3, 4000
  kth   = 2 * 3.14159265 * kfc / sr
  krad    = 0.98
  ab    biquad asaw, 0.02, 0, 0, 1, -2 * krad * cos(kth), krad * krad
  awob  oscili 0.05, 3, 2
  ab2   biquada asaw, 0.1 + awob, a(0.1), a(0), a(1), a(-1.6), a(0.7)
  outs ab, ab2
endin

; resonz and resonr, all scalings, k-rate and a-rate centre
instr 2
  asaw  oscili 0.3, p4, 1
  kcf   line 200, p3, 2000
  acf   line 300, p3, 1500
  a1    resonz asaw, kcf, 100, 0
  a2    resonz asaw, kcf, 50, 1
  a3    resonz asaw, acf, 80, 2
  a4    resonr asaw, kcf, 100, 0
  a5    resonr asaw, acf, 50, 1
  a6    resonr asaw, kcf, 80, 2
  outs a1 * 0.05 + a2 + a3, a4 * 0.05 + a5 + a6
endin

; pareq's modes, eqfil
instr 3
  asaw  oscili 0.3, p4, 1
  kv    line 0.2, p3, 3
  a1    pareq asaw, 800, kv, 0.7, 0
  a2    pareq asaw, 500, kv, 1.5, 1
  a3    pareq asaw, 2000, kv, 0.5, 2
  kcf   expseg 200, p3, 3000
  a4    eqfil asaw, kcf, 200, kv
  outs a1 + a2, a3 + a4
endin

; rbjeq's seven types
instr 4
  asaw  oscili 0.2, p4, 1
  kfc   expseg 300, p3, 3000
  a0    rbjeq asaw, kfc, 1, 2, 1, 0
  a2    rbjeq asaw, kfc, 1, 0.8, 1, 2
  a4    rbjeq asaw, kfc, 1, 4, 1, 4
  a6    rbjeq asaw, kfc, 1, 2, 1, 6
  a8    rbjeq asaw, kfc, 3, 2, 1, 8
  a10   rbjeq asaw, 400, 0.3, 1, 0.7, 10
  a12   rbjeq asaw, 2000, 2.5, 1, 1, 12
  outs a0 + a4 + a8 + a12, a2 + a6 + a10
endin

; the stacks
instr 5
  asaw  oscili 0.3, p4, 1
  khp   expseg 4000, p3, 300
  a1    tonex asaw, khp, 3
  a2    atonex asaw, 600
  ahp   line 200, p3, 2000
  a3    tonex asaw, ahp
  a4    resonx asaw, khp, 200, 2, 1
  a5    resonx asaw, 700, 100, 3, 2
  outs a1 + a4, a2 + a3 * 0.5 + a5
endin

; svfilter: unscaled and scaled, swept cutoff and Q
instr 6
  asaw  oscili 0.2, p4, 1
  kcf   expseg 200, p3, 3000
  kq    line 1, p3, 20
  al, ah, ab svfilter asaw, kcf, kq
  al2, ah2, ab2 svfilter asaw, 800, kq, 1
  outs al + ab2, ah * 0.5 + ab * 0.2 + al2 + ah2
endin
</CsInstruments>
<CsScore>
f 1 0 8192 7 -1 8192 1
f 2 0 8192 10 1
i 1 0   1   110
i 2 1   1   98
i 3 2   1   147
i 4 3   1   110
i 5 4   1   131
i 6 5   1   98
e
</CsScore>
</CsoundSynthesizer>
