#!/usr/bin/env bash
# pulse-null-sink.sh: starts a user-mode PulseAudio with a null sink, so that ALSA's
# "default" device (cpal id `alsa:default`) is a paced audio device on a machine
# without a sound card. For tests and CI; installs nothing.
#
# Needs the Debian packages `pulseaudio` and `libasound2-plugins` (.ci/run installs
# them). The latter ships /etc/alsa/conf.d/99-pulse.conf, which routes ALSA's
# `default` PCM to PulseAudio whenever a PulseAudio server is reachable, so no
# ~/.asoundrc or /etc/asound.conf is needed.
#
# Running as root works in plain user mode (no --system): PulseAudio warns
# "This program is not intended to be run as root" and carries on. Without
# XDG_RUNTIME_DIR its socket is /tmp/pulse-*/native, found by clients through
# ~/.config/pulse. -n skips default.pa (no hardware detection, no D-Bus);
# --exit-idle-time=-1 keeps it alive between tests.
#
# PULSE_EXIT_IDLE=SECONDS (default -1: never) makes a server this script
# starts exit on its own once no client has used it for that long: the test
# suite sets it, so that `cargo test` leaves no daemon behind (the script's
# own last `pactl` call restarts the count, so the caller has that long to
# connect).
#
# Idempotent: if a server is already running it only makes sure the null sink
# exists and is the default sink. Stop it with:  pulseaudio --kill
set -euo pipefail

SINK=rhapsody_null
LOG="${TMPDIR:-/tmp}/rhapsody-pulse.log"
EXIT_IDLE="${PULSE_EXIT_IDLE:--1}"

if ! command -v pulseaudio >/dev/null 2>&1 || ! command -v pactl >/dev/null 2>&1; then
    echo "pulse-null-sink: pulseaudio is not installed (apt-get install pulseaudio libasound2-plugins)" >&2
    exit 1
fi
if ! ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so >/dev/null 2>&1; then
    echo "pulse-null-sink: the ALSA pulse plugin is missing (apt-get install libasound2-plugins)" >&2
    exit 1
fi

if pulseaudio --check 2>/dev/null; then
    echo "pulse-null-sink: PulseAudio already running"
else
    pulseaudio --daemonize=yes --exit-idle-time="$EXIT_IDLE" -n \
        --load="module-native-protocol-unix" \
        --load="module-null-sink sink_name=$SINK rate=48000 channels=2 format=float32le" \
        --log-target="file:$LOG" 2>>"$LOG" || {
        echo "pulse-null-sink: pulseaudio failed to start; see $LOG" >&2
        exit 1
    }
    echo "pulse-null-sink: started PulseAudio (log: $LOG)"
fi

# Wait for the server to answer (it is normally ready at once).
for _ in $(seq 1 50); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.1
done
if ! pactl info >/dev/null 2>&1; then
    echo "pulse-null-sink: PulseAudio does not answer; see $LOG" >&2
    exit 1
fi

if ! pactl list short sinks | awk '{print $2}' | grep -qx "$SINK"; then
    pactl load-module module-null-sink sink_name="$SINK" rate=48000 channels=2 format=float32le >/dev/null
fi
pactl set-default-sink "$SINK"

echo "pulse-null-sink: null sink '$SINK' is the default; ALSA 'default' (alsa:default) plays to it"
echo "pulse-null-sink: stop with: pulseaudio --kill"
