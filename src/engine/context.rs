//! What an opcode sees of the engine while it runs: rates, tables, the
//! output bus, the message queue, the event queue and its own note's state.
//!
//! Everything here is preallocated: an opcode can report, schedule and end
//! its note without allocating.

use std::fmt::{self, Write};

use super::events::{EventQueue, LiveEvent};
use super::table::TableStore;

/// Marker returned by an opcode that failed; the message is already queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failed;

/// Text of bounded length, written without allocating (longer text is cut).
#[derive(Clone)]
pub struct FixedText {
    bytes: [u8; FixedText::CAPACITY],
    len: usize,
}

impl FixedText {
    pub const CAPACITY: usize = 500;

    pub fn new() -> FixedText {
        FixedText {
            bytes: [0; FixedText::CAPACITY],
            len: 0,
        }
    }

    pub fn as_str(&self) -> &str {
        // Only whole characters are ever copied in (see write_str).
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }
}

impl Default for FixedText {
    fn default() -> Self {
        FixedText::new()
    }
}

impl Write for FixedText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            let mut buf = [0; 4];
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            if self.len + encoded.len() > FixedText::CAPACITY {
                break;
            }
            self.bytes[self.len..self.len + encoded.len()].copy_from_slice(encoded);
            self.len += encoded.len();
        }
        Ok(())
    }
}

impl fmt::Debug for FixedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// What kind of engine message this is, so front ends can colour or filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    /// Output of print opcodes.
    Print,
    /// Engine information ("time advanced ...", "Setting instrument ...").
    Info,
    /// A warning (Csound's "WARNING:").
    Warning,
    /// An init or performance error in a note; the note was stopped.
    Error,
}

/// One message from the engine.
#[derive(Clone, Debug)]
pub struct Message {
    pub kind: MessageKind,
    pub text: FixedText,
}

/// Messages the engine wrote since the control side last drained them.
/// Fixed capacity; when full, further messages are counted, not stored.
pub struct Messages {
    queue: Vec<Message>,
    pub dropped: u64,
    /// Errors reported (counted for the end-of-performance report).
    pub errors: u64,
    pub warnings: u64,
}

impl Messages {
    pub fn with_capacity(n: usize) -> Messages {
        Messages {
            queue: Vec::with_capacity(n),
            dropped: 0,
            errors: 0,
            warnings: 0,
        }
    }

    /// Queue a formatted message (no allocation within capacity).
    pub fn send(&mut self, kind: MessageKind, args: fmt::Arguments) {
        match kind {
            MessageKind::Error => self.errors += 1,
            MessageKind::Warning => self.warnings += 1,
            _ => {}
        }
        if self.queue.len() == self.queue.capacity() {
            self.dropped += 1;
            return;
        }
        let mut text = FixedText::new();
        let _ = text.write_fmt(args);
        self.queue.push(Message { kind, text });
    }

    /// Take the queued messages (control side).
    pub fn drain(&mut self) -> std::vec::Drain<'_, Message> {
        self.queue.drain(..)
    }
}

/// The state of the note an opcode belongs to.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoteState {
    /// p1 as given (with any fraction).
    pub p1: f64,
    /// Instrument number (for messages).
    pub instr: i64,
    /// p3 as given by the event (`adsr` fits its segments inside it).
    pub p3: f64,
    /// Blocks performed so far by this note.
    pub blocks_done: u64,
    /// Blocks left before the note ends (None: held, negative p3).
    pub blocks_left: Option<u64>,
    /// The note took over a held note of the same p1 (a tie).
    pub tied: bool,
    /// Set by `turnoff`: the note ends after this block.
    pub turnoff: bool,
    /// True during the note's release (after its end, during `xtratim`).
    pub releasing: bool,
    /// Extra blocks requested by `xtratim`/`linenr`-style opcodes.
    pub extra_blocks: u64,
    /// The MIDI note that started it: channel 1 to 16 (0: not started by
    /// MIDI), key and velocity (0 to 127).
    pub midi_channel: u8,
    pub midi_key: u8,
    pub midi_velocity: u8,
    /// The host's name for this note (0: none): what a script's note
    /// handle steers (see `engine::steer`).
    pub handle: u64,
    /// A gain ramp on the note's output while it crossfades or fades out
    /// (see `engine::steer::Fade`).
    pub fade: super::steer::Fade,
    /// Where the note tried to write a non-finite value that other notes
    /// read (zak space, a channel, a table): see [`Ctx::shared_value`]. The
    /// engine reports it at the end of the block, once per note.
    pub poisoned: Option<&'static str>,
    /// `poisoned` was reported.
    pub poison_reported: bool,
}

impl NoteState {
    /// Ask for `blocks` of release time after the note's end (the largest
    /// request wins, as csound's "r" units and `xtratim`).
    pub fn extend(&mut self, blocks: u64) {
        self.extra_blocks = self.extra_blocks.max(blocks);
    }

    /// As [`Ctx::shared_value`], for opcodes that hold a borrow of the
    /// context's tables while they write.
    #[inline(always)]
    pub fn shared_value(&mut self, value: f64, store: &'static str) -> f64 {
        if value.is_finite() {
            value
        } else {
            self.poisoned.get_or_insert(store);
            0.0
        }
    }

    /// The note's time is up: play on for the extra blocks, releasing. A
    /// pending `turnoff` becomes the start of the release.
    pub fn start_release(&mut self) {
        self.releasing = true;
        self.turnoff = false;
        self.blocks_left = Some(self.extra_blocks);
    }
}

/// Engine values that do not change during a performance.
#[derive(Clone, Copy, Debug)]
pub struct Rates {
    pub sr: f64,
    pub kr: f64,
    pub ksmps: usize,
    pub nchnls: usize,
    /// Channels of audio input (`nchnls_i`; nchnls when the header leaves it).
    pub nchnls_i: usize,
    pub zero_dbfs: f64,
    pub a4: f64,
}

impl Default for Rates {
    /// Csound's defaults: sr 44100, ksmps 10 (kr 4410), one channel, 0dbfs 32768.
    fn default() -> Rates {
        Rates {
            sr: 44100.0,
            kr: 4410.0,
            ksmps: 10,
            nchnls: 1,
            nchnls_i: 1,
            zero_dbfs: 32768.0,
            a4: 440.0,
        }
    }
}

/// Everything an opcode can reach while it runs.
pub struct Ctx<'a> {
    pub rates: Rates,
    pub tables: &'a mut TableStore,
    /// The output bus for this block: `ksmps` frames of `nchnls` interleaved samples.
    pub spout: &'a mut [f64],
    /// The input bus for this block: `ksmps` frames of `nchnls_i` interleaved
    /// samples in 0dbfs units (silence without `-i`).
    pub spin: &'a [f64],
    pub messages: &'a mut Messages,
    pub events: &'a mut EventQueue,
    pub note: &'a mut NoteState,
    /// Seconds of score time at the start of this block.
    pub time: f64,
    /// Blocks performed since the performance started.
    pub kcount: u64,
    /// Whether init code may allocate (offline render, instrument 0): opcodes
    /// such as `ftgen` that create tables need it.
    pub may_allocate: bool,
}

/// Who performs a note and when: the block's time and the tables,
/// messages and event queue of the thread performing it (the engine's own,
/// or a `-j` worker's). With a note and an output bus it makes a [`Ctx`].
pub struct Stage<'a> {
    pub rates: Rates,
    pub tables: &'a mut TableStore,
    /// The input bus (see [`Ctx::spin`]).
    pub spin: &'a [f64],
    pub messages: &'a mut Messages,
    pub events: &'a mut EventQueue,
    pub time: f64,
    pub kcount: u64,
    pub may_allocate: bool,
}

impl Stage<'_> {
    /// The context for one note's block, writing into `spout`.
    #[inline]
    pub fn ctx<'b>(&'b mut self, note: &'b mut NoteState, spout: &'b mut [f64]) -> Ctx<'b> {
        Ctx {
            rates: self.rates,
            tables: self.tables,
            spout,
            spin: self.spin,
            messages: self.messages,
            events: self.events,
            note,
            time: self.time,
            kcount: self.kcount,
            may_allocate: self.may_allocate,
        }
    }
}

impl Ctx<'_> {
    /// Report an error for this note and return the marker that stops it.
    pub fn fail(&mut self, args: fmt::Arguments) -> Failed {
        let instr = self.note.instr;
        self.messages.send(
            MessageKind::Error,
            format_args!("error in instr {instr}: {args}"),
        );
        Failed
    }

    /// `value`, about to be written where other notes read it (`store`: zak
    /// space, a channel, a table). A non-finite value is not written (0 is,
    /// in its place) and the note is marked, so that the NaN of one note
    /// never reaches another and the engine names the writer, not a reader.
    /// The writer plays on: csound's own tables may hold a NaN no one reads
    /// (`vpow` of a negative point), and such pieces must still play.
    #[inline(always)]
    pub fn shared_value(&mut self, value: f64, store: &'static str) -> f64 {
        self.note.shared_value(value, store)
    }

    /// Queue printed output.
    pub fn print(&mut self, args: fmt::Arguments) {
        self.messages.send(MessageKind::Print, args);
    }

    /// Queue a warning.
    pub fn warn(&mut self, args: fmt::Arguments) {
        self.messages.send(MessageKind::Warning, args);
    }

    /// Schedule an event from inside the orchestra (`event`, `schedule`).
    pub fn schedule(&mut self, event: LiveEvent) -> Result<(), Failed> {
        if self.events.push(event).is_err() {
            return Err(self.fail(format_args!("event queue full, event dropped")));
        }
        Ok(())
    }
}
