//! MIDI in the engine: the message type, the state MIDI messages leave on
//! each channel (controllers, pitch bend, aftertouch, programs, the
//! instrument each channel plays) that the MIDI opcodes read, and the
//! bounded queue through which outside sources (a MIDI port's callback, a
//! test, a script) inject messages into a running engine.
//!
//! The engine writes the channel state on the audio thread and opcodes read
//! it there too; the control side sets routes (`massign` in instrument 0)
//! before a performance. Every value is an atomic, so the state can be shared
//! through [`Channels::shared`](super::channels::Channels::shared) without a
//! lock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU8, AtomicU16, AtomicU32, AtomicU64, Ordering};

use ringbuf::traits::{Consumer, Producer, Split};
use ringbuf::{HeapCons, HeapProd, HeapRb};

use super::channels::SharedState;

/// One MIDI channel message: status byte (kind and channel) and two data
/// bytes (the second is 0 for two-byte messages).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MidiMessage {
    pub status: u8,
    pub data1: u8,
    pub data2: u8,
}

/// Message kinds (the status byte's high nibble).
pub const NOTE_OFF: u8 = 0x80;
pub const NOTE_ON: u8 = 0x90;
pub const POLY_AFTERTOUCH: u8 = 0xA0;
pub const CONTROL_CHANGE: u8 = 0xB0;
pub const PROGRAM_CHANGE: u8 = 0xC0;
pub const CHANNEL_AFTERTOUCH: u8 = 0xD0;
pub const PITCH_BEND: u8 = 0xE0;

impl MidiMessage {
    pub fn new(status: u8, data1: u8, data2: u8) -> MidiMessage {
        MidiMessage {
            status,
            data1: data1 & 0x7f,
            data2: data2 & 0x7f,
        }
    }

    /// A channel message from raw bytes (running status is the reader's
    /// business); `None` for system messages and malformed input.
    pub fn from_bytes(bytes: &[u8]) -> Option<MidiMessage> {
        let status = *bytes.first()?;
        if !(0x80..0xf0).contains(&status) {
            return None;
        }
        let two_bytes = matches!(status & 0xf0, PROGRAM_CHANGE | CHANNEL_AFTERTOUCH);
        let data1 = *bytes.get(1)?;
        let data2 = if two_bytes { 0 } else { *bytes.get(2)? };
        Some(MidiMessage::new(status, data1, data2))
    }

    /// The kind: the status byte's high nibble (`NOTE_ON`, ...).
    pub fn kind(self) -> u8 {
        self.status & 0xf0
    }

    /// The channel, 0 to 15.
    pub fn channel(self) -> usize {
        usize::from(self.status & 0x0f)
    }

    /// The bytes as they go on the wire (two or three).
    pub fn bytes(self) -> ([u8; 3], usize) {
        let len = if matches!(self.kind(), PROGRAM_CHANGE | CHANNEL_AFTERTOUCH) {
            2
        } else {
            3
        };
        ([self.status, self.data1, self.data2], len)
    }

    fn pack(self) -> u32 {
        u32::from(self.status) << 16 | u32::from(self.data1) << 8 | u32::from(self.data2)
    }

    fn unpack(bits: u32) -> MidiMessage {
        MidiMessage {
            status: (bits >> 16) as u8,
            data1: (bits >> 8) as u8,
            data2: bits as u8,
        }
    }
}

/// A MIDI message with the score time (seconds) at which it takes effect
/// (a file's events); injected live messages take effect at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimedMidi {
    pub time: f64,
    pub message: MidiMessage,
}

/// A channel's instrument is the default one (channel N plays instrument N).
pub const DEFAULT_ROUTE: i64 = i64::MIN;
/// MIDI channels.
pub const CHANNELS: usize = 16;
/// Messages the `midiin` opcode can still read after they arrived.
const RECENT: usize = 256;

/// What MIDI messages left on each channel.
pub struct MidiState {
    /// Controller values (0-127, as `f64` bits: `initc7` may leave a
    /// fraction, as csound keeps it), `CHANNELS` x 128.
    controllers: Box<[AtomicU64]>,
    /// Polyphonic aftertouch per key, `CHANNELS` x 128.
    poly: Box<[AtomicU8]>,
    /// Pitch bend, 14 bits (8192 is the centre).
    bend: [AtomicU16; CHANNELS],
    aftertouch: [AtomicU8; CHANNELS],
    /// The instrument each channel's notes start (`massign`, program
    /// changes), or [`DEFAULT_ROUTE`]; 0 or less mutes the channel.
    routes: [AtomicI64; CHANNELS],
    /// The instrument each program selects on each channel (`pgmassign`),
    /// `CHANNELS` x 128, or [`DEFAULT_ROUTE`] (program P selects instrument P+1).
    programs: Box<[AtomicI64]>,
    /// The last [`RECENT`] messages, for `midiin`, and how many arrived.
    recent: Box<[AtomicU32]>,
    arrived: AtomicU64,
}

impl Default for MidiState {
    fn default() -> Self {
        let state = MidiState {
            controllers: (0..CHANNELS * 128).map(|_| AtomicU64::new(0)).collect(),
            poly: (0..CHANNELS * 128).map(|_| AtomicU8::new(0)).collect(),
            bend: std::array::from_fn(|_| AtomicU16::new(8192)),
            aftertouch: std::array::from_fn(|_| AtomicU8::new(127)),
            routes: std::array::from_fn(|_| AtomicI64::new(DEFAULT_ROUTE)),
            programs: (0..CHANNELS * 128)
                .map(|_| AtomicI64::new(DEFAULT_ROUTE))
                .collect(),
            recent: (0..RECENT).map(|_| AtomicU32::new(0)).collect(),
            arrived: AtomicU64::new(0),
        };
        state.reset_controllers();
        state
    }
}

/// Routes and controller values set before a performance (`massign` and
/// `initc7` in instrument 0) belong to it: nothing is reset when it starts.
impl SharedState for MidiState {}

const R: Ordering = Ordering::Relaxed;

impl MidiState {
    /// Controllers as csound 6.18 starts them (measured): volume (7) and
    /// expression (11) at 127, balance (8) and pan (10) at 64, the rest at 0;
    /// aftertouch at 127 (per key and per channel), pitch bend centred.
    pub fn reset_controllers(&self) {
        self.reset_channel_controllers(None);
    }

    /// `massign`'s reset: `channel`'s controllers (every channel's with
    /// `None`) as a performance starts them.
    pub fn reset_channel_controllers(&self, channel: Option<usize>) {
        for ch in (0..CHANNELS).filter(|c| channel.is_none_or(|x| x == *c)) {
            for n in 0..128 {
                let v: f64 = match n {
                    7 | 11 => 127.0,
                    8 | 10 => 64.0,
                    _ => 0.0,
                };
                self.controllers[ch * 128 + n].store(v.to_bits(), R);
                self.poly[ch * 128 + n].store(127, R);
            }
            self.bend[ch].store(8192, R);
            self.aftertouch[ch].store(127, R);
        }
    }

    /// Controller `number` (0-127) of `channel` (0-15), 0 to 127.
    pub fn controller(&self, channel: usize, number: usize) -> f64 {
        if channel < CHANNELS && number < 128 {
            f64::from_bits(self.controllers[channel * 128 + number].load(R))
        } else {
            0.0
        }
    }

    /// Set a controller (`initc7`, or a control change), 0 to 127.5.
    pub fn set_controller(&self, channel: usize, number: usize, value: f64) {
        if channel < CHANNELS && number < 128 {
            self.controllers[channel * 128 + number].store(value.clamp(0.0, 127.5).to_bits(), R);
        }
    }

    /// Pitch bend of `channel` from -1 to just under 1.
    pub fn bend(&self, channel: usize) -> f64 {
        self.bend
            .get(channel)
            .map_or(0.0, |b| (f64::from(b.load(R)) - 8192.0) / 8192.0)
    }

    pub fn aftertouch(&self, channel: usize) -> u8 {
        self.aftertouch.get(channel).map_or(0, |a| a.load(R))
    }

    pub fn poly_aftertouch(&self, channel: usize, key: usize) -> u8 {
        if channel < CHANNELS && key < 128 {
            self.poly[channel * 128 + key].load(R)
        } else {
            0
        }
    }

    /// The instrument `channel` routes to, or [`DEFAULT_ROUTE`].
    pub fn route(&self, channel: usize) -> i64 {
        self.routes
            .get(channel)
            .map_or(DEFAULT_ROUTE, |r| r.load(R))
    }

    /// `massign`: `channel` 0-15, or every channel with `None`.
    pub fn set_route(&self, channel: Option<usize>, instr: i64) {
        for (ch, r) in self.routes.iter().enumerate() {
            if channel.is_none_or(|c| c == ch) {
                r.store(instr, R);
            }
        }
    }

    /// `pgmassign`: program 0-127 (or every one) on channel 0-15 (or every one).
    pub fn set_program(&self, program: Option<usize>, channel: Option<usize>, instr: i64) {
        for ch in 0..CHANNELS {
            for p in 0..128 {
                if channel.is_none_or(|c| c == ch) && program.is_none_or(|q| q == p) {
                    self.programs[ch * 128 + p].store(instr, R);
                }
            }
        }
    }

    fn program(&self, channel: usize, program: usize) -> i64 {
        self.programs[channel * 128 + program].load(R)
    }

    /// Read message number `n` (counting from the first that ever arrived)
    /// if it is still kept: `midiin`'s reader.
    pub fn recent(&self, n: u64) -> Option<MidiMessage> {
        let arrived = self.arrived.load(Ordering::Acquire);
        if n >= arrived || arrived - n > RECENT as u64 {
            return None;
        }
        Some(MidiMessage::unpack(
            self.recent[(n % RECENT as u64) as usize].load(R),
        ))
    }

    /// How many messages have arrived so far.
    pub fn arrived(&self) -> u64 {
        self.arrived.load(Ordering::Acquire)
    }

    /// Note what `message` changes on its channel. Returns what the engine
    /// must do with notes.
    pub fn take(
        &self,
        message: MidiMessage,
        instrument_exists: impl Fn(i64) -> bool,
    ) -> NoteAction {
        let n = self.arrived.load(R);
        self.recent[(n % RECENT as u64) as usize].store(message.pack(), R);
        self.arrived.store(n + 1, Ordering::Release);
        let ch = message.channel();
        let (d1, d2) = (usize::from(message.data1), message.data2);
        match message.kind() {
            NOTE_ON if d2 > 0 => NoteAction::Start {
                channel: ch,
                key: message.data1,
                velocity: d2,
            },
            NOTE_ON | NOTE_OFF => NoteAction::Release {
                channel: ch,
                key: message.data1,
            },
            POLY_AFTERTOUCH => {
                self.poly[ch * 128 + d1].store(d2, R);
                NoteAction::None
            }
            CONTROL_CHANGE => {
                self.controllers[ch * 128 + d1].store(f64::from(d2).to_bits(), R);
                NoteAction::None
            }
            PROGRAM_CHANGE => {
                let instr = match self.program(ch, d1) {
                    DEFAULT_ROUTE => d1 as i64 + 1,
                    i => i,
                };
                if instr > 0 && instrument_exists(instr) {
                    self.routes[ch].store(instr, R);
                }
                NoteAction::None
            }
            CHANNEL_AFTERTOUCH => {
                self.aftertouch[ch].store(message.data1, R);
                NoteAction::None
            }
            PITCH_BEND => {
                let value = u16::from(message.data2) << 7 | u16::from(message.data1);
                self.bend[ch].store(value, R);
                NoteAction::None
            }
            _ => NoteAction::None,
        }
    }
}

/// What a message asks of the engine's notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteAction {
    None,
    Start {
        channel: usize,
        key: u8,
        velocity: u8,
    },
    Release {
        channel: usize,
        key: u8,
    },
}

/// Capacity of the injected-message queue: about a tenth of a second of a
/// 100,000-messages-per-second flood at 44.1 kHz and ksmps 10 taken
/// [`MIDI_PER_BLOCK`] per block. A full queue drops and counts.
pub const INJECTED_CAPACITY: usize = 8192;
/// Injected messages one block takes at most in real time (the rest wait
/// for the next blocks, in order).
pub const MIDI_PER_BLOCK: usize = 256;

/// The sending end of the injected-message queue: any thread (a MIDI port's
/// callback, a test, the control side) pushes without locking or waiting;
/// what does not fit is counted in `dropped`.
pub struct MidiSender {
    queue: HeapProd<MidiMessage>,
    pub dropped: Arc<AtomicU64>,
}

impl MidiSender {
    /// Queue `message`; false (and counted) when the queue is full.
    pub fn send(&mut self, message: MidiMessage) -> bool {
        if self.queue.try_push(message).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        true
    }
}

/// The engine's end of the injected-message queue.
pub struct MidiInbox {
    queue: HeapCons<MidiMessage>,
    /// Messages dropped because the queue was full (shared with the sender).
    pub dropped: Arc<AtomicU64>,
}

impl MidiInbox {
    pub fn pop(&mut self) -> Option<MidiMessage> {
        self.queue.try_pop()
    }
}

/// A new injected-message queue of [`INJECTED_CAPACITY`] (control side).
pub fn injected_queue() -> (MidiSender, MidiInbox) {
    let (queue, inbox) = HeapRb::new(INJECTED_CAPACITY).split();
    let dropped = Arc::new(AtomicU64::new(0));
    (
        MidiSender {
            queue,
            dropped: dropped.clone(),
        },
        MidiInbox {
            queue: inbox,
            dropped,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_on_with_velocity_zero_is_a_note_off() {
        let s = MidiState::default();
        let a = s.take(MidiMessage::new(0x92, 60, 0), |_| true);
        assert_eq!(
            a,
            NoteAction::Release {
                channel: 2,
                key: 60
            }
        );
    }

    #[test]
    fn program_change_routes_the_channel_to_program_plus_one() {
        let s = MidiState::default();
        s.take(MidiMessage::new(0xC0, 2, 0), |i| i == 3);
        assert_eq!(s.route(0), 3);
        s.take(MidiMessage::new(0xC0, 9, 0), |i| i == 3);
        assert_eq!(s.route(0), 3, "a program with no instrument is ignored");
    }

    #[test]
    fn a_full_injected_queue_counts_what_it_drops() {
        let (mut tx, mut rx) = injected_queue();
        let m = MidiMessage::new(0x90, 60, 1);
        let sent = (0..INJECTED_CAPACITY + 10).filter(|_| tx.send(m)).count();
        assert_eq!(sent, INJECTED_CAPACITY);
        assert_eq!(rx.dropped.load(Ordering::Relaxed), 10);
        assert_eq!(rx.pop(), Some(m));
    }

    #[test]
    fn pitch_bend_is_fourteen_bits_around_the_centre() {
        let s = MidiState::default();
        assert_eq!(s.bend(1), 0.0);
        s.take(MidiMessage::new(0xE1, 0, 0x60), |_| true);
        assert_eq!(s.bend(1), 0.5);
    }
}
