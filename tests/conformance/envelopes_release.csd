; Covers: the release phase. Notes with p3 and held notes (negative p3) ended
; by a score "i -N" event play on for their release: linsegr, expsegr,
; linenr, madsr and mxadsr (k- and a-rate) run their release segment from
; where they are; xtratim with release shapes a hand-made fade; turnoff
; inside a note with release time starts its release. linenr released
; during its rise (a short pluck under a long fade-in; a-rate rise of a
; fractional number of samples). madsr and mxadsr on notes that end before
; their attack and decay are over.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 2
0dbfs = 1

instr 1        ; linsegr (a) and expsegr (k) on a plucked-style note
  aenv linsegr 0, 0.02, 0.4, 0.15, 0.2, 0.3, 0
  kfrq expsegr p4, 0.1, p4 * 1.5, 0.2, p4, 0.25, p4 * 0.5
  a1 oscili aenv, kfrq, 1
  outs a1, a1 * 0.7
endin

instr 2        ; linenr (k and a), released by score or by i -2
  kenv linenr 0.3, 0.05, 0.4, 0.01
  aenv linenr 0.3, 0.02, 0.2, 0.05
  a1 oscili kenv, p4, 1
  a2 oscili aenv, p4 * 1.5, 1
  outs a1, a2
endin

instr 3        ; madsr at a-rate, mxadsr at k-rate with a delay
  aenv madsr 0.03, 0.1, 0.6, 0.25
  kenv mxadsr 0.05, 0.1, 0.5, 0.35, 0.02
  a1 oscili 0.3, p4, 1
  outs a1 * aenv, a1 * kenv
endin

instr 4        ; xtratim + release: a linear fade of 0.4 s made by hand
  xtratim 0.4
  krel release
  kfade init 1
  if krel == 1 then
    kfade = kfade - 1 / (0.4 * kr)
  endif
  a1 oscili 0.25 * kfade, p4, 1
  outs a1 * krel, a1
endin

instr 5        ; turnoff at a chosen time starts the release of linsegr
  kenv linsegr 0, 0.05, 0.3, 0.1, 0.2, 0.2, 0
  kt timeinsts
  if kt >= p4 then
    turnoff
  endif
  a1 oscili kenv, 660, 1
  outs a1, a1
endin

instr 7        ; madsr (a) and mxadsr (k) cut short in their attack or decay
  aenv madsr 0.05, 0.1, 0.5, 0.1
  kenv mxadsr 0.05, 0.1, 0.5, 0.15, 0.02
  a1 oscili 0.3, p4, 1
  outs a1 * aenv, a1 * kenv
endin

instr 6        ; linenr released before its rise is over
  kenv linenr 0.3, 0.3, 0.25, 0.01
  aenv linenr 0.3, 0.10002, 0.2, 0.01
  a1 oscili kenv, p4, 1
  a2 oscili aenv, p4 * 2, 1
  outs a1, a2
endin
</CsInstruments>
<CsScore>
f1 0 8192 10 1 0.3 0.1
i1 0    0.5  330
i1 0.3  -1   440
i-1 1.1 0    440
i2 1.5  0.6  220
i2.1 1.8 -1  275
i-2.1 2.6 0
i3 3.0  0.8  262
i3 3.2  -1   392
i-3 4.0 0
i4 4.5  0.5  523
i5 5.5  3    0.37
i6 6.5  0.1  330
i6 7.0  0.2  392
i7 7.6  0.03 440
i7 7.9  0.1  494
e 8.3
</CsScore>
</CsoundSynthesizer>
