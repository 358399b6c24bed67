; Covers: GEN02 tables of literal values, normalized (positive GEN number) and raw (-2),
; used as a step sequence of pitch ratios and accent amplitudes read with table.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1

instr 1
  kphs  phasor 4 / p3              ; four steps per note
  kstep = int(kphs * 8)
  kratio table kstep, 2           ; raw values
  kacc   table kstep, 3           ; normalized to a peak of 1
  kenv  linen 0.25, 0.02, p3, 0.1
  asig  oscili kenv * (0.5 + 0.5 * kacc), p4 * kratio, 1
  out asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.4 0.2
f 2 0 8 -2 1 1.25 1.5 2 1.5 1.25 1 0.75
f 3 0 8 2 4 1 2 1 3 1 2 1
i 1 0 2 220
e
</CsScore>
</CsoundSynthesizer>
