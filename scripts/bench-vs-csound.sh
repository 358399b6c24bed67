#!/usr/bin/env bash
# Renders csd/voices1000.csd and the article's piece with csound and with rhapsody in one run, and prints the wall-clock times and ratios.
#
# The piece runs live in rhapsody (csd/simple.csd + scripts/04_hyperbolic_paraboloid.rhai);
# for csound, benches/hp_score.rs runs it once with event recording and writes an
# equivalent CSD (the script's tables as GEN -2 data, the 6800 `i` statements).
# rhapsody also renders that generated CSD, for a like-for-like score.
#
# Usage: scripts/bench-vs-csound.sh [RUNS]   (default 3 runs each; the best is kept)
# Environment: CARGO_TARGET_DIR (default target), CSOUND (default csound).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS="${1:-3}"
CSOUND="${CSOUND:-csound}"
TARGET="${CARGO_TARGET_DIR:-target}"
OUT="$(mktemp -d /tmp/bench-vs-csound.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

cargo build --release --quiet --bin rhapsody
RHAPSODY="$TARGET/release/rhapsody"
HP_CSD="$OUT/hp.csd"
cargo bench --quiet --bench hp_score -- "$HP_CSD" >/dev/null

# Best (smallest) wall-clock seconds of RUNS runs of a command.
best_of() {
    local best="" t
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    printf '%.3f' "$best"
}

row() {
    local name="$1" cs="$2" rh="$3"
    printf '%-34s %9s s %9s s %8.2f\n' "$name" "$cs" "$rh" "$(echo "$rh / $cs" | bc -l)"
}

echo "best of $RUNS runs, wall clock; ratio = rhapsody / csound (below 1: rhapsody faster)"
printf '%-34s %11s %11s %8s\n' "piece" "csound" "rhapsody" "ratio"

cs=$(best_of "$CSOUND" -d -m0 csd/voices1000.csd -o "$OUT/cs1000.wav")
rh=$(best_of "$RHAPSODY" render csd/voices1000.csd -o "$OUT/rh1000.wav")
row "voices1000.csd (10 s, 1000 voices)" "$cs" "$rh"

cs=$(best_of "$CSOUND" -d -m0 "$HP_CSD" -o "$OUT/cshp.wav")
rh=$(best_of "$RHAPSODY" render csd/simple.csd scripts/04_hyperbolic_paraboloid.rhai -o "$OUT/rhhp.wav")
row "hyperbolic paraboloid (Rhai)" "$cs" "$rh"
rh=$(best_of "$RHAPSODY" render "$HP_CSD" -o "$OUT/rhhp2.wav")
row "hyperbolic paraboloid (CSD)" "$cs" "$rh"
