; Covers: `kx = asig`, which csound 6 accepts: the k variable takes the block's
; first sample (here of a slow sine and of a line read back at k-rate).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 64
nchnls = 1
0dbfs = 1

instr 1
  aslow oscili 1, 3, 1
  kx = aslow
  kstep = floor(line(0, p3, 6))
  out oscili(0.2 + 0.1 * kx, 220 + 55 * kstep, 1)
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
i 1 0 1.5
</CsScore>
</CsoundSynthesizer>
