; Covers: arrays as UDO inputs (an i-array and a k-array read with xin), the UDO working
; on its own copy (writing it leaves the caller's array as it was), and a UDO that
; reads fewer-looking inputs at the declared rates (an i variable for a k input).
<CsoundSynthesizer>
<CsInstruments>
sr = 44100
ksmps = 16
nchnls = 1
0dbfs = 1

opcode Weighted, k, k[]i[]
  kVals[], iWeights[] xin
  ksum = kVals[0] * iWeights[0] + kVals[1] * iWeights[1] + kVals[2] * iWeights[2]
  kVals[0] = 1000                     ; the caller's array does not change
  xout ksum
endop

opcode Scaled, a, ak
  asig, iscale xin
  xout asig * iscale
endop

instr 1
  iW[] fillarray 0.5, 0.25, 0.125
  kV[] fillarray 200, 400, 800
  kV[2] = kV[2] + timeinsts() * 100
  kfreq Weighted kV, iW
  asig oscili 0.2, kfreq + kV[0]
  aout Scaled asig, 0.5
  out aout
endin
</CsInstruments>
<CsScore>
i 1 0 0.5
i 1 0.6 0.3
</CsScore>
</CsoundSynthesizer>
