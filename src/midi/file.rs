//! Standard MIDI Files (`-F FILE.mid`): read with `midly` into the channel
//! messages of every track, merged in time order, each stamped with its time
//! in seconds from the file's tempo map. The engine plays them by score
//! time (see `Engine::set_midi_file`), live and offline alike.

use std::path::Path;

use midly::{MetaMessage, Smf, Timing, TrackEventKind};

use crate::engine::midi::{MidiMessage, TimedMidi};

/// Most bytes a MIDI file may have (a typo pointing at a big file is refused
/// before it is read into memory).
const MAX_FILE_BYTES: u64 = 64 << 20;

/// Read `path` into timed channel messages (system and meta events other
/// than tempo are skipped). Errors name the file.
pub fn read(path: &Path) -> Result<Vec<TimedMidi>, String> {
    let name = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read MIDI file {name}: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "MIDI file {name} has {size} bytes, more than the {MAX_FILE_BYTES} accepted"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read MIDI file {name}: {e}"))?;
    parse(&bytes).map_err(|e| format!("MIDI file {name}: {e}"))
}

/// Parse the bytes of a Standard MIDI File.
pub fn parse(bytes: &[u8]) -> Result<Vec<TimedMidi>, String> {
    let smf = Smf::parse(bytes).map_err(|e| e.to_string())?;
    // Every track's events at absolute ticks; tempo changes (from any track,
    // as format 1 files keep them in the first) apply to all.
    enum Item {
        Tempo(u32),
        Message(MidiMessage),
    }
    let mut items: Vec<(u64, usize, Item)> = Vec::new();
    for track in &smf.tracks {
        let mut tick = 0u64;
        for event in track {
            tick += u64::from(u32::from(event.delta));
            let item = match event.kind {
                TrackEventKind::Meta(MetaMessage::Tempo(t)) => Item::Tempo(u32::from(t)),
                TrackEventKind::Midi { channel, message } => {
                    Item::Message(convert(u8::from(channel), message))
                }
                _ => continue,
            };
            items.push((tick, items.len(), item));
        }
    }
    // Stable by tick: events at the same tick keep their track order.
    items.sort_by_key(|&(tick, order, _)| (tick, order));
    let mut out = Vec::with_capacity(items.len());
    match smf.header.timing {
        Timing::Metrical(per_beat) => {
            let per_beat = f64::from(u16::from(per_beat).max(1));
            // Microseconds per beat: 120 beats a minute until a tempo event.
            let mut tempo = 500_000.0;
            let (mut last_tick, mut seconds) = (0u64, 0.0);
            for (tick, _, item) in items {
                seconds += (tick - last_tick) as f64 * tempo / 1e6 / per_beat;
                last_tick = tick;
                match item {
                    Item::Tempo(t) => tempo = f64::from(t),
                    Item::Message(message) => out.push(TimedMidi {
                        time: seconds,
                        message,
                    }),
                }
            }
        }
        Timing::Timecode(fps, subframes) => {
            let per_second = f64::from(fps.as_f32()) * f64::from(subframes.max(1));
            for (tick, _, item) in items {
                if let Item::Message(message) = item {
                    out.push(TimedMidi {
                        time: tick as f64 / per_second,
                        message,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// midly's message as the engine's three bytes.
fn convert(channel: u8, message: midly::MidiMessage) -> MidiMessage {
    use midly::MidiMessage as M;
    let (kind, a, b) = match message {
        M::NoteOff { key, vel } => (0x80, u8::from(key), u8::from(vel)),
        M::NoteOn { key, vel } => (0x90, u8::from(key), u8::from(vel)),
        M::Aftertouch { key, vel } => (0xA0, u8::from(key), u8::from(vel)),
        M::Controller { controller, value } => (0xB0, u8::from(controller), u8::from(value)),
        M::ProgramChange { program } => (0xC0, u8::from(program), 0),
        M::ChannelAftertouch { vel } => (0xD0, u8::from(vel), 0),
        M::PitchBend { bend } => {
            let raw = bend.0.as_int();
            (0xE0, (raw & 0x7f) as u8, (raw >> 7) as u8)
        }
    };
    MidiMessage::new(kind | (channel & 0x0f), a, b)
}

/// The bytes of a one-track Standard MIDI File holding `events` (ticks of
/// 1/`per_beat` beat at 120 beats a minute, and a message each): for tests
/// and examples that need a small file.
pub fn write(per_beat: u16, events: &[(u32, MidiMessage)]) -> Result<Vec<u8>, String> {
    use midly::{Format, Header, TrackEvent, num::u15, num::u28};
    let mut sorted: Vec<(u32, MidiMessage)> = events.to_vec();
    sorted.sort_by_key(|e| e.0);
    let mut track = Vec::with_capacity(sorted.len() + 1);
    let mut last = 0;
    for (tick, m) in sorted {
        let (bytes, len) = m.bytes();
        let live = midly::live::LiveEvent::parse(&bytes[..len]).map_err(|e| e.to_string())?;
        let midly::live::LiveEvent::Midi { channel, message } = live else {
            return Err("not a channel message".into());
        };
        track.push(TrackEvent {
            delta: u28::new(tick - last),
            kind: TrackEventKind::Midi { channel, message },
        });
        last = tick;
    }
    track.push(TrackEvent {
        delta: u28::new(0),
        kind: TrackEventKind::Meta(MetaMessage::EndOfTrack),
    });
    let smf = Smf {
        header: Header::new(Format::SingleTrack, Timing::Metrical(u15::new(per_beat))),
        tracks: vec![track],
    };
    let mut out = Vec::new();
    smf.write_std(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_reads_back_with_times_in_seconds() {
        let on = MidiMessage::new(0x90, 60, 100);
        let off = MidiMessage::new(0x80, 60, 0);
        let bytes = write(480, &[(0, on), (960, off)]).unwrap();
        let events = parse(&bytes).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].message, on);
        assert!(
            (events[1].time - 1.0).abs() < 1e-12,
            "960 ticks at 120 bpm is 1 s"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse(b"MThd\0\0\0\x06garbage").is_err());
        assert!(parse(b"").is_err());
    }
}
