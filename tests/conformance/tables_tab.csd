<CsoundSynthesizer>
; Checks the fast table opcodes: tab at a-rate (normalised phasor index over a
; waveform, the guard point reached) and at k-rate (raw index stepping a scale,
; halves rounded to even), tab_i, tabw_i changing a scale step, tabw at k-rate
; (normalised index) and at a-rate (recording a tone that a later note plays
; back with tab).
<CsOptions>
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

giWave  ftgen 1, 0, 1024, 10, 1, 0.5, 0.25
giScale ftgen 2, 0, 8, -2, 0, 2, 4, 5, 7, 9, 11, 12
giTape  ftgen 3, 0, 16384, -2, 0

; a melody read from the scale at k-rate, its waveform read at a-rate
instr 1
  kpos  phasor 1.5
  kstep tab kpos * 7.5, 2
  aph   phasor 220 * semitone(kstep)
  asig  tab aph, 1, 1
  aenv  linseg 0, 0.02, 0.3, p3 - 0.04, 0.3, 0.02, 0
  outs  asig * aenv, asig * aenv * 0.5
endin

; record a tone into table 3 with tabw at a-rate
instr 2
  aidx  line 0, p3, 16000
  aosc  oscili 0.4, 330, 1
  tabw  aosc, aidx, 3
endin

; play the recording back with tab at a-rate (normalised index)
instr 3
  aidx  line 0, p3, 0.975
  aout  tab aidx, 3, 1
  outs  aout, aout
endin

; tabw_i moves the top step, tab_i reads it; tabw at k-rate rewrites step 4
instr 4
  tabw_i p4, 7, 2
  itop  tab_i 7, 2
  ktrig metro 4
  kval  = itop - 1
  tabw  kval, 0.5, 2, 1
  kfive tab 4, 2
  aosc  oscili 0.2, 220 * semitone(kfive), 1
  aosc2 oscili 0.2, 220 * semitone(itop), 1
  outs  aosc, aosc2
endin
</CsInstruments>
<CsScore>
i 1 0 2
i 2 2 0.371
i 3 2.5 0.371
i 4 3 1 14
i 4 4 1 -3.5
i 1 5 1
</CsScore>
</CsoundSynthesizer>
