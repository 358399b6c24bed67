#!/bin/sh
# Regenerates the expected GEN tables from Csound 6.18 (the oracle).
# Each line of cases.txt is: name size gen-number arguments...
# For each case this writes <name>.txt: "len N" then the N + 1 points
# (guard point last), as the csound binary computes them. Cases named
# stat_* (random tables) keep only "len N", mean, sd, min and max.
# Usage: sh tests/data/gens/make.sh   (needs `csound` on PATH)
set -eu
cd "$(dirname "$0")"
here=$PWD
root=$(cd ../../.. && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
grep -v '^#' cases.txt | grep -v '^[[:space:]]*$' | while read -r name size gen args; do
  out="$here/$name.txt"
  rm -f "$out" "$tmp/vals.txt"
  cat > "$tmp/case.csd" <<CSD
<CsoundSynthesizer>
<CsOptions>
-n -d
</CsOptions>
<CsInstruments>
sr = 44100
ksmps = 10
nchnls = 1
0dbfs = 1
instr 1
  ilen = ftlen(1)
  fprints "$tmp/vals.txt", "len %d\n", ilen
  ii = 0
  while ii < ilen do
    fprints "$tmp/vals.txt", "%.17g\n", tab_i(ii, 1)
    ii += 1
  od
  ; tab_i refuses the guard point; recover it from an interpolated read
  ; halfway between the last point and the guard point.
  ihalf tablei ilen - 0.5, 1
  fprints "$tmp/vals.txt", "%.17g\n", 2 * ihalf - tab_i(ilen - 1, 1)
endin
</CsInstruments>
<CsScore>
f 1 0 $size $gen $args
i 1 0 0.001
</CsScore>
</CsoundSynthesizer>
CSD
  (cd "$root" && timeout 20 csound "$tmp/case.csd" </dev/null >"$tmp/log.txt" 2>&1) || true
  if [ -s "$tmp/vals.txt" ] && [ "${name#stat_}" != "$name" ]; then
    # Random tables (GEN21): keep only the statistics of the points before
    # the guard point, which is all that should match.
    { echo "# f 1 0 $size $gen $args"
      awk 'NR == 1 { print; n = $2; next }
           NR - 1 <= n { s += $1; ss += $1 * $1
                         if (NR == 2 || $1 < lo) lo = $1
                         if (NR == 2 || $1 > hi) hi = $1 }
           END { m = s / n; printf "mean %.17g\nsd %.17g\nmin %.17g\nmax %.17g\n",
                 m, sqrt(ss / n - m * m), lo, hi }' "$tmp/vals.txt"; } > "$out"
  elif [ -s "$tmp/vals.txt" ]; then
    { echo "# f 1 0 $size $gen $args"; cat "$tmp/vals.txt"; } > "$out"
  else
    echo "csound made no table for $name:" >&2
    tail -5 "$tmp/log.txt" >&2
    exit 1
  fi
done
