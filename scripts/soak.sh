#!/usr/bin/env bash
# soak.sh: a long live session under the load a performance puts on it (issue #19).
#
#   scripts/soak.sh [SECONDS]      (default 600: ten minutes)
#
# Plays live on PulseAudio's null sink where `pulseaudio` is installed (started
# by scripts/pulse-null-sink.sh: a paced device with no sound card), on the
# silent clock otherwise, with:
#   - 300 voices that retrigger themselves (each note schedules the next);
#   - a watched script rewritten every second, so reloaded every second, which
#     edits a point of the table the voices read;
#   - every 30 s a burst of 5,000 notes from that script.
# At the end it prints the session's xruns and peak callback load (from its own
# end-of-performance report), the resident set size at the start and the end,
# and how many reloads ran. Exits 1 if the session did not end cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${1:-600}"
BIN="${RHAPSODY:-target/release/rhapsody}"
[ -x "$BIN" ] || { echo "no $BIN: cargo build --release --bin rhapsody first" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'exec 3>&- 2>/dev/null || true; rm -rf "$WORK"' EXIT

DEVICE=silent
# A server this script starts exits 10 s after the soak's last client (as in
# the test suite): the soak leaves no daemon behind. One already running is
# only reused.
if command -v pulseaudio >/dev/null && PULSE_EXIT_IDLE=10 scripts/pulse-null-sink.sh >/dev/null 2>&1; then
    DEVICE=default
fi

# The orchestra: instrument 1 is a voice that schedules its own next note
# when it starts (a chain that never ends); instrument 2 plays the bursts.
CSD="$WORK/soak.csd"
{
    cat <<'EOF'
<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 2
0dbfs = 1
instr 1
  schedule 1, p3, p3, p4, p5
  kenv linseg 0, p3 * 0.2, 1, p3 * 0.6, 1, p3 * 0.2, 0
  a1 oscili p4 * kenv, p5, 1
  outs a1, a1
endin
instr 2
  kenv expseg 1, p3, 0.001
  a1 oscili p4 * kenv, p5, 1
  outs a1, a1
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1 0.5 0.25
EOF
    for i in $(seq 0 299); do
        echo "i 1 $(awk "BEGIN { print $i * 0.01 }") $(awk "BEGIN { print 0.5 + ($i % 7) * 0.1 }") 0.001 $((110 + i * 3))"
    done
    echo "f 0 36000"
    echo "</CsScore>"
    echo "</CsoundSynthesizer>"
} >"$CSD"

LIVE="$WORK/live.rhai"
write_live() {
    local n="$1" burst="$2"
    {
        echo "// soak reload $n"
        echo "table_set(1, $(((n * 37) % 4096)), $(awk "BEGIN { print sin($n) * 0.5 }"));"
        if [ "$burst" = 1 ]; then
            echo 'for i in 0..5000 { note([2, i * 0.0002, 0.05, 0.0005, 200 + i % 400]); }'
        fi
        echo "print(\"soak-reload $n\");"
    } >"$LIVE.tmp"
    mv "$LIVE.tmp" "$LIVE"
}
write_live 0 0

OUT="$WORK/out.txt"
mkfifo "$WORK/in"
XDG_STATE_HOME="$WORK/state" "$BIN" "$CSD" --device "$DEVICE" <"$WORK/in" >"$OUT" 2>&1 &
PID=$!
exec 3>"$WORK/in"
echo "watch(\"$LIVE\")" >&3
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$PID/status"; }

# Let the start-up settle (PulseAudio stalls about 2 s after a stream starts).
sleep 5
RSS_START="$(rss_kb)"
PEAK_RSS="$RSS_START"
START=$SECONDS
n=0
while ((SECONDS - START < DURATION)); do
    sleep 1
    n=$((n + 1))
    write_live "$n" "$((n % 30 == 0 ? 1 : 0))"
    r="$(rss_kb || echo 0)"
    ((r > PEAK_RSS)) && PEAK_RSS=$r
    kill -0 "$PID" 2>/dev/null || break
done
sleep 2
RSS_END="$(rss_kb || echo 0)"
exec 3>&-
STATUS=0
wait "$PID" || STATUS=$?

RELOADS="$(grep -c '^soak-reload' "$OUT" || true)"
BURSTS=$((n / 30))
SUMMARY="$(grep -E '^played' "$OUT" | tail -1)"
echo "soak: $((SECONDS - START)) s on device '$DEVICE', 300 retriggering voices, $n saves, $BURSTS bursts of 5000 notes"
echo "reloads run: $RELOADS"
echo "RSS: ${RSS_START} kB at start, ${RSS_END} kB at end, ${PEAK_RSS} kB peak"
echo "session: ${SUMMARY:-no report}"
grep -E 'callback load:|errors in performance' "$OUT" | tail -2
echo "errors/warnings printed: $(grep -c -E '^(ERROR|WARNING)' "$OUT" || true)"
grep -E '^(ERROR|WARNING)' "$OUT" | sort | uniq -c | sort -rn | head -5
[ "$STATUS" = 0 ] && [ -n "$SUMMARY" ]
