<CsoundSynthesizer>
; Covers GEN04, 12, 13, 14, 18, 24, 41, 42, 51 and 52: each table is played
; as a wavetable or read as a sequence of values (GEN51's frequencies
; steer a sine), so every point reaches the output.
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

; table p4 as a waveform at p5 Hz, scaled by p6
instr 1
  aenv linseg 0, 0.01, 1, p3 - 0.02, 1, 0.01, 0
  a1 oscili p6 * aenv, p5, p4
  a2 oscili p6 * aenv, p5 * 1.5, p4
  outs a1, a2
endin

; waveshaping: a sine of amplitude p5 indexes the Chebyshev table p4
instr 2
  aenv linseg 0, 0.01, 1, p3 - 0.02, 1, 0.01, 0
  asin oscili p5, 220, 1
  a1 tablei asin, p4, 1, 0.5
  outs a1 * aenv * p6, a1 * aenv * p6 * 0.5
endin

; table p4 read as a sequence: each point for 20 ms steers a sine
instr 3
  kidx = int(timeinsts() / 0.02)
  kv   tab kidx, p4
  a1 oscili 0.2, p5 + kv * p6, 1
  outs a1, a1 * 0.5
endin
</CsInstruments>
<CsScore>
f 1 0 8192 10 1
f 2 0 1024 7 0 512 1 512 -0.5
f 3 0 256 10 1 0.5 0.3 0.2
f 4 0 1024 7 0.25 512 1 512 -0.5
f 10 0 1025 -4 4 0
f 11 0 513 -4 4 1
f 12 0 1025 -12 5
f 13 0 1025 13 1 1 0 1 -0.5 0.3 0.2
f 14 0 1025 14 1 0.8 0.5 1 0.5 -0.3
f 15 0 4096 18 2 1 0 2047 3 0.5 1024 4095
f 16 0 1024 -24 2 -0.3 0.8
f 17 0 32 -41 3 20 7 50 12 30
f 18 0 32 -42 0 4 0.5 10 12 0.5
f 19 0 32 -51 7 2 220 5 1 1.125 1.25 1.333 1.5 1.667 1.875
f 20 0 2048 -52 2 2 0 1 3 0 1
i 1 0   0.3 10 220 0.2
i 1 0.3 0.3 11 220 0.2
i 1 0.6 0.3 12 110 0.1
i 2 0.9 0.4 13 0.9 0.3
i 2 1.3 0.4 14 0.7 0.2
i 1 1.7 0.3 15 330 0.3
i 1 2.0 0.3 16 220 0.3
i 3 2.3 0.6 17 300 10
i 3 2.9 0.6 18 300 20
i 3 3.5 0.6 19 0 1
i 1 4.1 0.3 20 110 0.3
</CsScore>
</CsoundSynthesizer>
