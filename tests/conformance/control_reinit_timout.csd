; Covers: reinitialisation while a note plays. timout branches around a reinit
; for a set time; reinit then runs the init pass again from its label to
; rireturn: the envelope restarts, the i-time step count rises (a new pitch) and
; the note's own performance goes on after the reinit statement. rigoto jumps
; only during a reinit pass (here: the first pass keeps a louder level). A
; second instrument lets timout jump over the reinit from 0.05 s for 0.13 s
; (both rounded to whole blocks), reinitialising a line from inside an if.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

instr 1
  istep = 0
  ilevel = 0.3
again:
  istep += 1
  rigoto quieter
  ilevel = 0.5
quieter:
  timout 0, p4, sound
  reinit again
sound:
  kenv   expseg ilevel, p4, 0.01
  rireturn
  asig   oscili kenv, 200 * istep, 1
  outs   asig, asig * 0.5
endin

instr 2
  icount init 0
restart:
  icount += 1
  kline  line 0, 0.18, 0.4
  timout 0.05, 0.13, play
  if kline > 0.2 then
    reinit restart
  endif
play:
  rireturn
  asig  oscili kline, 330 + 30 * icount, 1
  outs  asig * 0.3, asig
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.3 0.1
i 1 0   1.2 0.25
i 1 0.6 1.0 0.11
i 2 1.5 1.0
e
</CsScore>
</CsoundSynthesizer>
