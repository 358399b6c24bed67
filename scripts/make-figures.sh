#!/bin/sh
# Makes the article's figures 2-8 from the walkthrough scripts (02..04) and
# puts them into book/src/images/ for the tutorial: one render, no sound.
#   scripts/make-figures.sh            (uses target/release/rhapsody, else target/debug, else builds)
#   RHAPSODY=path/to/rhapsody scripts/make-figures.sh
set -eu
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
if [ -z "${RHAPSODY:-}" ]; then
    if [ -x "$target/release/rhapsody" ]; then RHAPSODY=$target/release/rhapsody
    else cargo build --quiet && RHAPSODY=$target/debug/rhapsody
    fi
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# After the scripts, end at once: the figures are drawn, the two-minute
# piece of 04 need not be rendered.
echo 'score_event("e", []);' > "$out/stop.rhai"
"$RHAPSODY" render csd/simple.csd scripts/02_tables.rhai scripts/03_waveforms.rhai \
    scripts/04_hyperbolic_paraboloid.rhai "$out/stop.rhai" --plots "$out" -n -m0 >/dev/null
mkdir -p book/src/images
copy() { cp "$out/$1.png" "book/src/images/$2.png"; echo "book/src/images/$2.png ($(wc -c < "book/src/images/$2.png") bytes)"; }
copy table-1 fig2-sine
copy notched-sine fig3-notched-sine
copy tables-101-111-121 fig4-waveforms
copy tables-101-to-111 fig5-triangle-to-square
copy tables-111-to-121 fig6-square-to-impulse
copy skewlines-5x400 fig7-surface-5-rulings
copy skewlines-17x400 fig8-surface-17-rulings
