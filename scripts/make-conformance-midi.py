#!/usr/bin/env python3
"""Writes the small Standard MIDI Files beside the MIDI conformance CSDs
(tests/conformance/NAME.mid plays into NAME.csd: see tests/conformance.rs).
Run from the repository root; the files are committed, this says how they
were made. 480 ticks a beat, 120 beats a minute: 960 ticks a second."""
import struct

def vlq(n):
    b = [n & 0x7f]
    n >>= 7
    while n:
        b.append((n & 0x7f) | 0x80)
        n >>= 7
    return bytes(reversed(b))

def smf(path, events, division=480):
    # A tick that falls exactly halfway between two control blocks (at 44.1
    # kHz and ksmps 10: ticks 16 mod 32) is rounded one way or the other by
    # float error alone: keep off those.
    events = [(t + 1 if t % 32 == 16 else t, m) for t, m in events]
    events = sorted(events, key=lambda e: e[0])
    track, last = b"", 0
    for tick, msg in events:
        track += vlq(tick - last) + bytes(msg)
        last = tick
    track += vlq(0) + bytes([0xFF, 0x2F, 0])
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, division))
        f.write(b"MTrk" + struct.pack(">I", len(track)) + track)

D = "tests/conformance/"

# Notes: channel 1 (linsegr), 2 (madsr), 3 (xtratim + release), a velocity-0
# note-off, the same key twice, a program change routing channel 1 to instr 3.
smf(D + "midi_notes.mid", [
    (13, [0x90, 60, 100]), (301, [0x80, 60, 0]),
    (100, [0x91, 67, 64]), (455, [0x81, 67, 0]),
    (205, [0x92, 72, 127]), (611, [0x92, 72, 0]),
    (700, [0x90, 64, 90]), (777, [0x90, 64, 30]), (1003, [0x80, 64, 0]),
    (1107, [0xC0, 2]), (1200, [0x90, 69, 110]), (1500, [0x80, 69, 50]),
    (1650, [0x91, 55, 1]), (1700, [0x81, 55, 0]),
])

# Controllers, bend and aftertouch on channel 1 while one long note holds.
ev = [(5, [0x90, 60, 100]), (2500, [0x80, 60, 0])]
for i in range(20):
    t = 40 + i * 97
    ev.append((t, [0xB0, 1, (i * 13) % 128]))
    ev.append((t + 11, [0xB0, 20, (i * 29) % 128]))
    ev.append((t + 23, [0xB0, 21, (i * 71) % 128]))
    ev.append((t + 31, [0xE0, (i * 37) % 128, (i * 11) % 128]))
    ev.append((t + 47, [0xD0, (i * 17) % 128]))
    ev.append((t + 59, [0xA0, 60, (i * 53) % 128]))
smf(D + "midi_controllers.mid", ev)

# Interop: p-fields filled from MIDI, a named instrument by massign,
# midiin reading raw messages.
smf(D + "midi_interop.mid", [
    (10, [0x90, 57, 80]), (400, [0x80, 57, 0]),
    (500, [0x91, 62, 120]), (900, [0x81, 62, 0]),
    (950, [0xB3, 7, 99]),
])

# -T: the file ends (its last message at tick 1333) while a note is held
# and the score's note plays on.
smf(D + "midi_terminate.mid", [
    (20, [0x90, 62, 90]), (600, [0x80, 62, 0]),
    (700, [0x90, 66, 70]), (1333, [0xB0, 1, 5]),
])
