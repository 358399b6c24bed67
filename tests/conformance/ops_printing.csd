; Covers: print, printk (itime, ispace), prints, printks, printf_i and printf output text, compared
; line by line with csound's by tests/printed_output.rs (the audio is a plain level for the SNR test).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 100
nchnls = 1
0dbfs = 1

instr 1
  iamp = 0.5
  ib   = -1234567.891
  print iamp, ib, p3, 1.23456
  print 3
  kx init 0
  kx += 0.00907
  printk 0.1, kx
  printk 0, kx, 5
  printk 0.05, kx * 1000000
  prints "P: hello %d %5.2f|%-6.1f|%e %g %% x\n", 3.7, 2.3456, 1.5, 12345.678, 0.0001
  prints "P: tab\there \"q\" %s\n", 1
  prints "P: a%dA %dB %dC %i\n", 2.5, 3.5, -2.5, 7.9
  prints "P: %5d|%-5d|%+d|%05.1f\n", 42, 42, 5, 3.14159
  prints "P: %x|%X|%o|%u|%c|%3c|\n", 255, 255, 8, 7, 65, 66
  prints "P: %g %g %g %g %G %10.3g|%-10.2e|\n", 1e-5, 123456789, 0.5, 100, 1e-10, 3.14159, 31415.9
  prints "P: %#g|% d|%.0f|%.0f\n", 1, 4, 2.5, 3.5
  prints "P: %e %E %.3e %.3f %.3f\n", 0, -1.5e300, 1e-310, 0.0005, 0.0015
  prints "P: %f %f %d\n", 1
  printks "P: k=%f\n", 0.1, kx
  printks "P: every block %.2f\n", 0, kx
  printf_i "P: printf_i %.15f %.15f %.15f\n", 1, cpspch(8.01), cpsoct(8.123456), ampdb(-6)
  printf_i "P: not printed\n", 0
  kc timeinstk
  printf "P: printf when kc crosses 5: %d\n", (kc >= 5 ? 1 : 0), kc
  printf "P: printf on every change: %d\n", kc % 3, kc
  azero init 0
  out azero + 0.25
endin

instr 2
  print p4
  printk 0.1, p4
endin
</CsInstruments>
<CsScore>
i 1 0 0.25
i 2.5 0.1 0.1 7
e
</CsScore>
</CsoundSynthesizer>
