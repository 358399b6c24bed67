<CsoundSynthesizer>
; Checks tablemix every block (a moving gain, a negative length working
; backwards, offsets that wrap), tableimix at init, and tablekt/tableikt
; reading a table whose number changes at control rate.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

gi1 ftgen 1, 0, 256, 10, 1, 0, 0.4
gi2 ftgen 2, 0, 1024, 7, 0, 256, 1, 768, -1
gi3 ftgen 3, 0, 256, 7, 0, 256, 1
gi4 ftgen 4, 0, 256, 10, 0, 1
gi5 ftgen 5, 0, 256, 7, 1, 256, 0

instr 1
  kg    linseg 0, p3 * 0.5, 0.7, p3 * 0.5, 0.1
  tablemix 3, 0, 256, 1, 0, 1 - kg, 2, 100, kg
  tablemix 4, 250, -200.5, 1, 30, 0.5, 4, 10, kg
  a1    poscil 0.4, 110, 3
  a2    poscil 0.4, 165, 4
  outs  a1, a2
endin

instr 2
  tableimix 5, 10, 240, 1, 0, 0.5, 2, 7, 0.5
  kfn   = (timeinsts() < p3 * 0.5 ? 1 : 5)
  aph   phasor 220
  a1    tablekt aph, kfn, 1
  a2    tableikt aph * 256, (kfn == 1 ? 2 : 4), 0, 0, 1
  outs  a1 * 0.4, a2 * 0.4
endin
</CsInstruments>
<CsScore>
i 1 0 1
i 2 1 1
e
</CsScore>
</CsoundSynthesizer>
