#!/usr/bin/env bash
# reload-rss.sh: does a live session grow when a file is run again and again, or
# when the console reads the same `let` line again and again? (issue #19: every
# re-run of a top-level `let` used to keep the old value; 1,000 console lines
# `let big2 = zeros(10000);` took the process from 13 to 177 MB.)
#
#   scripts/reload-rss.sh [N] [FILE]      (defaults: 10000, scripts/utils.rhai)
#
# Two runs of `rhapsody csd/simple.csd --device silent` with lines piped into its
# console: N lines `run("FILE")` with FILE's own top-level `let` added (so that a
# re-run replaces a value), then N lines `let big = zeros(10000);`. For each it
# prints the resident set size (VmRSS) after the first tenth of the lines (warm:
# allocator pools and Rhai's caches filled) and after the last, and the growth.
# Exits 1 if a run grew by more than LIMIT_KB (default 8192).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-10000}"
FILE="${2:-scripts/utils.rhai}"
BIN="${RHAPSODY:-target/release/rhapsody}"
LIMIT_KB="${LIMIT_KB:-8192}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[ -x "$BIN" ] || { echo "no $BIN: cargo build --release --bin rhapsody first" >&2; exit 2; }

# The reloaded file: FILE plus a top-level value of 10,000 numbers.
RELOADED="$WORK/reloaded.rhai"
{ cat "$FILE"; echo; echo 'let reload_payload = zeros(10000);'; } >"$RELOADED"

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# Wait until the console printed MARK (it evaluates lines in order).
wait_for() {
    local mark="$1" out="$2"
    for _ in $(seq 1 6000); do
        grep -q "^$mark\$" "$out" && return 0
        sleep 0.1
    done
    echo "timed out waiting for $mark" >&2
    return 1
}

FAILED=0
measure() {
    local name="$1" line="$2"
    local fifo="$WORK/$name.in" out="$WORK/$name.out"
    mkfifo "$fifo"
    XDG_STATE_HOME="$WORK/state" "$BIN" csd/simple.csd --device silent <"$fifo" >"$out" 2>&1 &
    local pid=$!
    exec 3>"$fifo"
    local warm=$((N / 10)) start end i
    for ((i = 1; i <= warm; i++)); do echo "$line" >&3; done
    echo 'print("mark-warm")' >&3
    wait_for mark-warm "$out"
    start="$(rss_kb "$pid")"
    local t0=$SECONDS
    for ((i = warm + 1; i <= N; i++)); do echo "$line" >&3; done
    echo 'print("mark-done")' >&3
    wait_for mark-done "$out"
    end="$(rss_kb "$pid")"
    exec 3>&-
    wait "$pid" || true
    local growth=$((end - start))
    printf '%-8s %6d lines: RSS %6d kB after %d, %6d kB after %d: %+d kB (%d s)\n' \
        "$name" "$N" "$start" "$warm" "$end" "$N" "$growth" "$((SECONDS - t0))"
    if [ "$growth" -gt "$LIMIT_KB" ]; then
        echo "  grew more than $LIMIT_KB kB" >&2
        FAILED=1
    fi
}

measure reload "run(\"$RELOADED\");"
measure let 'let big = zeros(10000);'
exit "$FAILED"
