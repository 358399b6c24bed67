<CsoundSynthesizer>
; Checks reson (k-rate and a-rate centre, scaling modes 0/1/2), areson
; (k-rate centre, modes 0/1/2) and lowpass2 sweeping its cutoff and Q, on a
; sawtooth; areson with an a-rate centre and/or bandwidth (csound applies
; their changes a block late, and a reused instance starts from the
; coefficients its previous note left), over two notes in a row.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

; a vowel-ish sweep: reson with each scaling mode, areson notching
instr 1
  asaw  oscili 0.3, p4, 1
  kcf   expseg 300, p3, 2500
  acf   oscili 400, 3, 2
  acf   = acf + 1200
  a1    reson asaw, kcf, 80, 1
  a2    reson asaw, acf, 150, 2
  a3    reson asaw, 700, 200
  a4    areson asaw, kcf, 300, 1
  a5    areson asaw, 1000, 500, 2
  a6    areson asaw, kcf * 0.5, 400
  outs  (a1 + a2 + a3 * 0.002) * 0.6, a4 * 0.5 + a5 * 0.3 + a6 * 0.002
endin

; lowpass2: resonant low-pass sweeping cutoff and Q
instr 2
  asaw  oscili 0.2, p4, 1
  kcf   expseg 200, p3, 5000
  kq    line 1, p3, 20
  a1    lowpass2 asaw, kcf, kq
  a2    lowpass2 asaw, 1500, 5
  outs  a1, a2
endin

; areson with a-rate arguments: a wah-like notch under a slow vibrato
instr 3
  asaw  oscili 0.3, p4, 1
  acf   oscili 400, 3, 2
  acf   = acf + 1200
  abw   oscili 100, 2, 2
  abw   = abw + 300
  a1    areson asaw, acf, 300, 1
  a2    areson asaw, 1000, abw, 2
  a3    areson asaw, acf, abw
  outs  a1 * 0.6 + a3 * 0.002, a2 * 0.5
endin
</CsInstruments>
<CsScore>
f 1 0 8192 7 -1 8192 1
f 2 0 8192 10 1
i 1 0 1.5 110
i 2 1.5 1.5 82.5
i 3 3 0.7 110
i 3 3.8 0.7 165
e
</CsScore>
</CsoundSynthesizer>
