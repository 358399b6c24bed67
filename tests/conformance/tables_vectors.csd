<CsoundSynthesizer>
; Checks the vector opcodes on tables (vadd, vmult, vpow, vexp, their _i
; forms, vaddv, vsubv, vmultv, vdivv, vpowv, vexpv, vcopy, vcopy_i, vmap,
; vlimit), offsets past either end, and the one-pass readers oscil1 and
; oscil1i and the control-rate delay delayk.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

giA ftgen 10, 0, 16, -2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
giB ftgen 11, 0, 16, -2, 0.5, 0.25, 2, 1.5, 1, 3, 0.1, 0.2, 4, 1, 1, 2, 0.5, 0.5, 3, 2
giC ftgen 12, 0, 16, -2, 0
giD ftgen 13, 0, 16, -2, 0
giMap ftgen 14, 0, 8, -2, 3, 1, 0, 2, 7, 5, 4, 6
giE ftgen 15, 0, 8, -7, 0, 8, 1
giPan ftgen 16, 0, 8, -2, 0.5, 0.2, 0.8, 0.1, 0.9, 0, 1, 0.5

; reads sixteen points of table p4 as the partial amplitudes of a tone
instr 99
  ifn = p4
  kcnt = 0
  asum = 0
  while kcnt < 8 do
    kamp table kcnt, ifn
    asig oscili 0.01 * kamp, 110 * (kcnt + 1), 1
    asum += asig
    kcnt += 1
  od
  outs asum, asum
endin

instr 1
  vcopy_i 12, 10, 16
  vmult_i 12, 0.5, 8, 4
  vadd_i 12, 1, 6, -2
  vpow_i 12, 1.5, 4, 14
  vexp_i 12, 1.1, 3, 10
  vcopy_i 13, 11, 12, 2, 1
  vsubv_i 13, 10, 20, -3, 2
  schedule 99, 0, 0.5, 12
  schedule 99, 0.5, 0.5, 13
endin

instr 2
  ktick metro 8
  if ktick == 1 then
    vadd 12, 0.25, 8
    vmult 13, 1.05, 10, 3
    vaddv 12, 11, 6, 1, 2
    vmultv 13, 11, 16
    vdivv 13, 10, 8, 8, 0
    vlimit 13, 0, 3, 16
  endif
  asum = 0
  kcnt = 0
  while kcnt < 8 do
    ka table kcnt, 12
    kb table kcnt + 8, 13
    a1 oscili 0.004 * ka, 110 * (kcnt + 1), 1
    a2 oscili 0.004 * kb, 165 * (kcnt + 1), 1
    asum += a1 + a2
    kcnt += 1
  od
  outs asum, asum * 0.5
endin

instr 3
  ktick metro 4
  if ktick == 1 then
    vpowv 12, 11, 4, 0, 4
    vexpv 13, 15, 4, 2
    vcopy 13, 12, 5, 10, -2
    vpow 12, 0.9, 16
    vexp 13, 1.01, 4, 12
  endif
  k1 table 2, 12
  k2 table 11, 13
  a1 oscili 0.1, 200 + k1 * 10, 1
  a2 oscili 0.1, 300 + k2 * 10, 1
  outs a1, a2
endin

instr 4
  vmap 13, 14, 8
  kpan  oscil1 0.2, 1, p3 - 0.4, 16
  kpi   oscil1i 0, 1, p3, 16
  kback oscil1 0.1, 0.5, -0.5, 16
  ksine oscil1i 0, 1, 1
  asig oscili 0.2, 220, 1
  aL, aR pan2 asig, kpan
  kenv linseg 0, 0.1, 1, p3 - 0.2, 1, 0.1, 0
  kdel delayk kenv, 0.25
  kdel2 delayk kpi, 0.1, 2
  a2 oscili 0.1 * kdel, 330 + 100 * kback + 50 * ksine, 1
  a3 oscili 0.1 * kdel2, 440, 1
  k9 table 3, 13
  outs aL + a2, aR + a3 + k9 * 0.01
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
i 1 0 0.1
i 2 1 1
i 3 2 1
i 4 3 2
e
</CsScore>
</CsoundSynthesizer>
