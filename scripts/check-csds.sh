#!/usr/bin/env bash
# Renders CSDs with the reference csound and flags errors, unexpected warnings and silence.
# Usage: scripts/check-csds.sh [FILE.csd ...]   (default: tests/conformance/*.csd csd/*.csd)
set -uo pipefail
files=("$@")
[ ${#files[@]} -eq 0 ] && files=("$(dirname "$0")"/../tests/conformance/*.csd)
tmp=$(mktemp -d)
status=0
for f in "${files[@]}"; do
  log="$tmp/$(basename "$f").log"
  out="$tmp/$(basename "$f").wav"
  if ! timeout 60 csound -f -d -o "$out" "$f" </dev/null >"$log" 2>&1; then
    echo "FAIL   $f (csound failed)"; grep -iE "error|not found|fail" "$log" | head -5; status=1; continue
  fi
  amps=$(grep -a "overall amps" "$log" | tail -1 | sed 's/.*overall amps://; s/\x1b\[[0-9;]*m//g')
  if grep -aiE "error|warning|invalid|not found|illegal|unknown" "$log" | grep -v "^0 errors in performance" | grep -vE "replacing previous ftable|Instrument [0-9]+ muted" | grep -q .; then
    echo "WARN   $f:"; grep -aiE "error|warning|invalid|not found|illegal|unknown" "$log" | grep -v "^0 errors in performance" | head -5 | sed 's/^/         /'
    status=1
  fi
  if ! echo "$amps" | grep -qE "[1-9]"; then
    echo "SILENT $f (overall amps:$amps)"; status=1
  else
    echo "ok     $f (overall amps:$amps)"
  fi
done
rm -rf "$tmp"
exit $status
