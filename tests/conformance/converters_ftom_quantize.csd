; Covers: ftom at i- and k-rate (and its irnd form rounding to whole MIDI notes) in a pitch
; quantiser: a gliding frequency snapped to the nearest semitone, next to the raw glide.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  kglide expon p4, p3, p5
  knote ftom kglide, 1            ; rounded to the nearest MIDI note
  kexact ftom kglide              ; fractional
  iStart ftom p4
  kq = cpsmidinn(knote)
  ; left: the quantised steps; right: the raw glide, detuned by its distance to the grid
  aL poscil 0.3, kq
  aR poscil 0.2, cpsmidinn(iStart + (kexact - iStart) * 0.5)
  outs aL, aR
endin
</CsInstruments>
<CsScore>
i 1 0 2.5 220 660
i 1 2.6 1.5 1000 300
e
</CsScore>
</CsoundSynthesizer>
