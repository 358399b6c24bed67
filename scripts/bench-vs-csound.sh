#!/usr/bin/env bash
# Renders csd/voices1000.csd and the article's piece with csound and with rhapsody in one run, and prints the wall-clock times and ratios.
#
# The piece runs live in rhapsody (csd/simple.csd + scripts/04_hyperbolic_paraboloid.rhai);
# for csound, benches/hp_score.rs runs it once with event recording and writes an
# equivalent CSD (the script's tables as GEN -2 data, the 6800 `i` statements).
# rhapsody also renders that generated CSD, for a like-for-like score.
#
# Usage: scripts/bench-vs-csound.sh [RUNS]   (default 3 runs each; the best is kept)
# The last two rows run both programs with -j 2.
# Environment: CARGO_TARGET_DIR (default target), CSOUND (default csound),
# RHAPSODY (a built binary: skips the build), HP_CSD (an already generated piece CSD).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS="${1:-3}"
CSOUND="${CSOUND:-csound}"
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="$(mktemp -d /tmp/bench-vs-csound.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

if [ -z "${RHAPSODY:-}" ]; then
    cargo build --release --quiet --bin rhapsody
    RHAPSODY="$TARGET/release/rhapsody"
fi
if [ -z "${HP_CSD:-}" ]; then
    HP_CSD="$OUT/hp.csd"
    cargo bench --quiet --bench hp_score -- "$HP_CSD" >/dev/null
fi

# Best (smallest) wall-clock and CPU (user+sys) seconds of RUNS runs of a
# command, as "WALL CPU". CPU time is steadier than wall clock on a busy machine.
best_of() {
    local best="" bestcpu="" t
    for _ in $(seq "$RUNS"); do
        t=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 ) || { echo "failed: $*" >&2; return 1; }
        local wall cpu
        wall=$(echo "$t" | awk '{print $1}')
        cpu=$(echo "$t" | awk '{print $2 + $3}')
        if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc -l)" = 1 ]; then best=$wall; fi
        if [ -z "$bestcpu" ] || [ "$(echo "$cpu < $bestcpu" | bc -l)" = 1 ]; then bestcpu=$cpu; fi
    done
    echo "$best $bestcpu"
}

row() {
    local name="$1" csw csc rhw rhc
    read -r csw csc <<<"$2"
    read -r rhw rhc <<<"$3"
    printf '%-34s %8.2f %8.2f %8.2f %8.2f %7.2f %7.2f\n' "$name" "$csw" "$rhw" \
        "$(echo "$rhw / $csw" | bc -l)" "$csc" "$rhc" "$(echo "$rhc / $csc" | bc -l)"
}

echo "best of $RUNS runs, seconds; ratio = rhapsody / csound (below 1: rhapsody faster)"
printf '%-34s %8s %8s %8s %8s %7s %7s\n' "piece" "cs wall" "rh wall" "ratio" "cs cpu" "rh cpu" "ratio"

cs=$(best_of "$CSOUND" -d -m0 csd/voices1000.csd -o "$OUT/cs1000.wav")
rh=$(best_of "$RHAPSODY" render csd/voices1000.csd -o "$OUT/rh1000.wav")
row "voices1000.csd (10 s, 1000 voices)" "$cs" "$rh"

cs=$(best_of "$CSOUND" -d -m0 "$HP_CSD" -o "$OUT/cshp.wav")
rh=$(best_of "$RHAPSODY" render csd/simple.csd scripts/04_hyperbolic_paraboloid.rhai -o "$OUT/rhhp.wav")
row "hyperbolic paraboloid (Rhai)" "$cs" "$rh"
rh=$(best_of "$RHAPSODY" render "$HP_CSD" -o "$OUT/rhhp2.wav")
row "hyperbolic paraboloid (CSD)" "$cs" "$rh"

# Both cores: csound's -j 2 against ours (same output as one thread in
# rhapsody; see the book's architecture chapter).
cs=$(best_of "$CSOUND" -d -m0 -j 2 csd/voices1000.csd -o "$OUT/cs1000j.wav")
rh=$(best_of "$RHAPSODY" render csd/voices1000.csd -j 2 -o "$OUT/rh1000j.wav")
row "voices1000.csd, -j 2" "$cs" "$rh"
cs=$(best_of "$CSOUND" -d -m0 -j 2 "$HP_CSD" -o "$OUT/cshpj.wav")
rh=$(best_of "$RHAPSODY" render "$HP_CSD" -j 2 -o "$OUT/rhhpj.wav")
row "hyperbolic paraboloid (CSD), -j 2" "$cs" "$rh"
