; Covers: strings at run time. Score string p-fields read with `S = p4` and strget,
; strcmp/strlen/strindex/strrindex/strtod/strtol choosing pitches and levels, strcat,
; strsub (forward and reversed), strupper/strlower, strset/strget by number, sprintf and
; the k-rate forms (sprintfk, strcatk, strlenk, strtodk, strcmpk) changing a pitch every
; block, strings passed to a UDO and to schedule, and printf/printks/prints/puts with %s.
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 32
nchnls = 2
0dbfs = 1

gisine ftgen 0, 0, 8192, 10, 1
gSbase = "base"
strset 7, "seven"

opcode Named, a, Sk
  Sname, kamp xin
  ilen strlen Sname
  a1 oscili kamp, 110 * ilen, gisine
  xout a1
endop

instr 1
  Sname = p4
  Sother strget p5
  Sall strcat Sname, Sother
  Sup strupper Sall
  Slow strlower Sup
  Smid strsub Sall, 1, 4
  Sback strsub Sall, -1, 0
  prints "P: %s + %s = %s (%s, %s) [%s] [%s]\n", Sname, Sother, Sall, Sup, Slow, Smid, Sback
  ilen strlen Sall
  ifirst strindex Sall, "e"
  ilast strrindex Sall, "e"
  isame strcmp Slow, Sall
  inum strtod "1.5"
  ihex strtol "0x10"
  print ilen, ifirst, ilast, isame, inum, ihex
  ifreq = 100 * ilen + 10 * ifirst + ilast + ihex
  iamp = (isame == 0 ? 0.2 : 0.1) * inum
  a1 oscili iamp, ifreq, gisine
  a2 Named Sname, 0.05
  outs a1, a2
endin

instr 2
  kcount init 0
  kcount += 1
  Snum sprintfk "%d", kcount % 7 + 2
  Sx strcatk Snum, "0"
  kval strtodk Sx
  klen strlenk Sx
  Sseven strget 7
  keq strcmpk Sseven, "seven"
  ktrig = (kcount % 64 == 1 ? kcount : 0)
  printf "P: block %d gives %s (%d chars)\n", ktrig, kcount, Sx, klen
  printks "P: every 0.1 s: %s and %s\n", 0.1, Sx, gSbase
  a1 oscili 0.2 + 0.1 * keq, kval * 5, gisine
  outs a1, a1 * 0.5
endin

instr 3
  S1 sprintf "%s-%03d", gSbase, p4
  puts S1, 1
  schedule 4, 0, 0.2, S1, p4
endin

instr 4
  Sgot = p4
  printf_i "P: instr 4 got %s\n", 1, Sgot
  ilen strlen Sgot
  a1 oscili 0.1, 50 * ilen + p5, gisine
  outs a1, a1
endin
</CsInstruments>
<CsScore>
i 1 0 0.3 "one" 7
i 1 0.3 0.3 "three" 7
i 2 0.6 0.3
i 3 0.9 0.1 12
i 3 1.0 0.1 345
f 0 1.3
</CsScore>
</CsoundSynthesizer>
