; Covers: linseg/expseg at a- and k-rate with durations that are not whole samples or blocks, zero-length segments (a jump), and expseg going on past its last segment.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1
  aenv linseg 0, 0.10003, 0.8, 0, 0.3, 0.2502, 0.6, 0.31, 0
  kenv linseg 0, 0.10003, 0.8, 0, 0.3, 0.2502, 0.6, 0.31, 0
  asig poscil 0.5, 330, 1
  outs asig * aenv, asig * kenv
endin

instr 2
  aenv expseg 0.001, 0.05007, 0.7, 0.2, 0.1, 0.1003, 0.5, 0.3, 0.2
  kfrq expseg 200, 0.3003, 800, 0, 400, 0.2, 300
  asig poscil 0.5, kfrq, 1
  outs asig * aenv, asig * 0.2
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3
i 1 0 1.2
i 2 1.2 1.3
e
</CsScore>
</CsoundSynthesizer>
