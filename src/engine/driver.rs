//! The engine's side of a live performance: the [`Driver`] owns the engine
//! on the audio thread, takes [`Command`]s from the control side through a
//! lock-free queue, performs blocks to fill the device's buffers, and sends
//! [`Report`]s (messages, replies, objects to drop) back.
//!
//! Nothing here allocates, frees, locks or waits: commands carry objects
//! built on the control side, and whatever the engine lets go of travels
//! back in a report to be dropped there.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use ringbuf::traits::{Consumer, Producer};
use ringbuf::{HeapCons, HeapProd};

use super::context::{FixedText, Message, MessageKind};
use super::events::{LiveEvent, LiveKind};
use super::program::Instance;
use super::steer::SteerAction;
use super::swap::SwapOrder;
use super::table::{Table, TableStore};
use super::{Engine, MAX_VOICES, State};
use crate::audio::sample::to_f32;

/// What the control side asks of the engine.
// Variants travel by value through the ring buffer: boxing the large ones
// would allocate for every event, and the ring's slots are allocated once.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// A score event: p2 is relative to the moment the engine takes it
    /// (`absolute: false`) or to the start of the performance.
    Event {
        kind: LiveKind,
        event: LiveEvent,
        absolute: bool,
    },
    /// Install (or with `None` delete) table `number` at p2 beats from now
    /// (or from the start, `absolute`); the table was made off the audio thread.
    Table {
        number: i64,
        table: Option<Arc<Table>>,
        p2: f64,
        absolute: bool,
    },
    /// A table store with room for more numbers (its tables already copied).
    Tables(Box<TableStore>),
    /// Ready-built instances for instrument slot `slot`.
    Voices {
        slot: usize,
        voices: Vec<Box<Instance>>,
    },
    /// New instrument definitions (what happens to the notes of the ones
    /// they replace: see [`super::swap::SwapMode`]).
    Swap(Box<SwapOrder>),
    /// Steer the running note the host calls `handle` (of instrument
    /// `instr`); an automation's times are in beats from when it is taken.
    Steer {
        handle: u64,
        instr: i64,
        action: SteerAction,
    },
    /// Score time back to 0: the score's events play again.
    Rewind,
    /// Reply with [`Report::Flushed`] once every earlier command is taken.
    Flush(u64),
    /// Drop the live events tagged `tag` that have not started yet.
    Withdraw { tag: u32 },
}

/// Objects the audio thread hands back so that they are dropped elsewhere.
pub enum Garbage {
    Table(Arc<Table>),
    Tables(Box<TableStore>),
    Voices(Vec<Box<Instance>>),
    Slots(Box<SwapOrder>),
}

/// What the engine tells the control side.
// Made on the audio thread, which must not allocate: no boxing of variants.
#[allow(clippy::large_enum_variant)]
pub enum Report {
    Message(Message),
    /// Every command up to and including `Flush(n)` has been taken.
    Flushed(u64),
    /// An event took effect (or was queued) at this score time, for recording.
    Took {
        kind: LiveKind,
        time: f64,
        event: LiveEvent,
    },
    /// Instrument slot `slot` is running low on ready instances.
    NeedVoices {
        slot: usize,
        active: usize,
    },
    Garbage(Garbage),
    /// Table `number` was installed (or removed): the control side's view.
    TableChanged {
        number: i64,
        table: Option<Arc<Table>>,
        /// Score time at which it took effect.
        time: f64,
    },
    /// The performance ended (an `e` event or the end of the score).
    Ended,
    /// The note the host calls `handle` started (true) or ended (false).
    Note {
        handle: u64,
        playing: bool,
    },
}

/// Numbers the control side may read at any time.
#[derive(Default)]
pub struct Telemetry {
    /// Score time in seconds, as `f64` bits.
    score_time: AtomicU64,
    pub kcount: AtomicU64,
    pub active_notes: AtomicUsize,
    pub finished: AtomicBool,
    /// Reports that could not be sent because the queue was full.
    pub reports_dropped: AtomicU64,
    /// Errors reported by the engine so far.
    pub errors: AtomicU64,
    /// Per-channel peak (as `f64` bits) and samples beyond 0dbfs.
    peaks: [AtomicU64; TELEMETRY_CHANNELS],
    out_of_range: [AtomicU64; TELEMETRY_CHANNELS],
}

/// Channels whose levels the telemetry follows.
const TELEMETRY_CHANNELS: usize = 16;

impl Telemetry {
    pub fn score_time(&self) -> f64 {
        f64::from_bits(self.score_time.load(Ordering::Relaxed))
    }

    /// Largest absolute sample so far on channel `c`, in the orchestra's units.
    pub fn peak(&self, c: usize) -> f64 {
        self.peaks
            .get(c)
            .map(|p| f64::from_bits(p.load(Ordering::Relaxed)))
            .unwrap_or(0.0)
    }

    /// Samples beyond 0dbfs so far on channel `c`.
    pub fn out_of_range(&self, c: usize) -> u64 {
        self.out_of_range
            .get(c)
            .map(|p| p.load(Ordering::Relaxed))
            .unwrap_or(0)
    }
}

/// Spare instances below which the driver asks for more.
const LOW_WATER: usize = 128;

/// Commands the driver takes before one block at most. A burst (a script
/// calling `note()` a million times) is spread over the following blocks, in
/// order, instead of being taken in one callback: taking 16,384 events at
/// once cost twenty buffer periods. The control side's queue fills meanwhile
/// and its sender is told each time a command does not fit.
pub const COMMANDS_PER_BLOCK: usize = 256;

/// The engine, its queues and the position inside the current block.
pub struct Driver {
    pub engine: Engine,
    commands: HeapCons<Command>,
    /// A second queue of commands, from the relay (voices it built), so
    /// that neither it nor the control side locks to send.
    relay_commands: Option<HeapCons<Command>>,
    reports: HeapProd<Report>,
    pub telemetry: Arc<Telemetry>,
    /// Next frame of the current block to hand to the device.
    frame: usize,
    device_channels: usize,
    asked: Vec<bool>,
    /// Where a copy of everything played goes (`--record-audio`).
    tap: Option<HeapProd<f32>>,
    /// A second copy, for the control side's ring of recent output (`draw_output`).
    scope: Option<HeapProd<f32>>,
}

impl Driver {
    /// Allocates (control side); then moves to the audio thread.
    pub fn new(
        mut engine: Engine,
        commands: HeapCons<Command>,
        reports: HeapProd<Report>,
        device_channels: usize,
    ) -> Driver {
        engine.realtime = true;
        let ksmps = engine.rates.ksmps;
        let slots = engine.instruments.len();
        Driver {
            engine,
            commands,
            relay_commands: None,
            reports,
            telemetry: Arc::new(Telemetry::default()),
            frame: ksmps,
            device_channels: device_channels.max(1),
            asked: vec![false; slots.max(64)],
            tap: None,
            scope: None,
        }
    }

    /// Fill a device buffer of interleaved frames, performing blocks as
    /// needed. Engine channels beyond the device's are dropped; missing ones
    /// are silent. Samples are scaled so that 0dbfs is full scale.
    pub fn fill(&mut self, out: &mut [f32]) {
        let nchnls = self.engine.rates.nchnls;
        let ksmps = self.engine.rates.ksmps;
        let scale = 1.0 / self.engine.rates.zero_dbfs;
        for frame in out.chunks_exact_mut(self.device_channels) {
            if self.frame == ksmps {
                self.block();
                self.frame = 0;
            }
            let from = &self.engine.spout[self.frame * nchnls..(self.frame + 1) * nchnls];
            for (c, sample) in frame.iter_mut().enumerate() {
                *sample = from.get(c).map(|&x| to_f32(x, scale)).unwrap_or(0.0);
            }
            self.frame += 1;
        }
        if let Some(tap) = self.tap.as_mut() {
            // A full tap loses samples rather than making the device wait.
            let _ = tap.push_slice(out);
        }
        if let Some(scope) = self.scope.as_mut() {
            // Same rule: a picture may miss a buffer, the device never waits.
            let _ = scope.push_slice(out);
        }
    }

    /// Take commands from `relay_commands` too (after the main queue's).
    pub fn set_relay_commands(&mut self, relay_commands: HeapCons<Command>) {
        self.relay_commands = Some(relay_commands);
    }

    /// Copy every buffer played into `tap` as well.
    pub fn set_tap(&mut self, tap: HeapProd<f32>) {
        self.tap = Some(tap);
    }

    /// Copy every buffer played into `scope` as well (the recent-output ring's feed).
    pub fn set_scope(&mut self, scope: HeapProd<f32>) {
        self.scope = Some(scope);
    }

    /// Take commands (at most [`COMMANDS_PER_BLOCK`]), perform one block,
    /// send what the engine produced.
    pub fn block(&mut self) {
        self.take_commands(COMMANDS_PER_BLOCK);
        let was_playing = self.engine.state == State::Playing;
        self.engine.perform_block();
        if was_playing && self.engine.state == State::Finished {
            self.send(Report::Ended);
        }
        self.forward_reports();
    }

    /// Take every command waiting (offline `flush`, not on the audio thread).
    pub fn take_pending_commands(&mut self) {
        self.take_commands(usize::MAX);
    }

    /// Send the engine's messages, garbage and table changes, and update
    /// the telemetry.
    pub fn forward_reports(&mut self) {
        for message in self.engine.messages.drain() {
            if self.reports.try_push(Report::Message(message)).is_err() {
                self.telemetry
                    .reports_dropped
                    .fetch_add(1, Ordering::Relaxed);
            }
        }
        while let Some(table) = self.engine.retired_tables.pop() {
            self.send(Report::Garbage(Garbage::Table(table)));
        }
        while let Some(voices) = self.engine.retired_voices.pop() {
            self.send(Report::Garbage(Garbage::Voices(voices)));
        }
        for i in 0..self.engine.note_news.len() {
            let (handle, playing) = self.engine.note_news[i];
            self.send(Report::Note { handle, playing });
        }
        self.engine.note_news.clear();
        // In order: a table changed twice in one block ends as the last change says.
        for i in 0..self.engine.table_changes.len() {
            let (number, table, time) =
                std::mem::replace(&mut self.engine.table_changes[i], (0, None, 0.0));
            self.send(Report::TableChanged {
                number,
                table,
                time,
            });
        }
        self.engine.table_changes.clear();
        self.ask_for_voices();
        let t = &self.telemetry;
        t.score_time
            .store(self.engine.score_time.to_bits(), Ordering::Relaxed);
        t.kcount.store(self.engine.kcount, Ordering::Relaxed);
        t.active_notes
            .store(self.engine.active_notes(), Ordering::Relaxed);
        t.finished
            .store(self.engine.state == State::Finished, Ordering::Relaxed);
        t.errors
            .store(self.engine.messages.errors, Ordering::Relaxed);
        let stats = &self.engine.stats;
        for (c, p) in stats.peak.iter().enumerate().take(TELEMETRY_CHANNELS) {
            t.peaks[c].store(p.to_bits(), Ordering::Relaxed);
            t.out_of_range[c].store(stats.out_of_range[c], Ordering::Relaxed);
        }
    }

    fn send(&mut self, report: Report) {
        if let Err(report) = self.reports.try_push(report) {
            self.telemetry
                .reports_dropped
                .fetch_add(1, Ordering::Relaxed);
            // Never free on the audio thread: keep garbage until there is room.
            if let Report::Garbage(g) = report {
                std::mem::forget(g);
            }
        }
    }

    fn ask_for_voices(&mut self) {
        for (i, slot) in self.engine.instruments.iter().enumerate() {
            let low = slot.spare.len() < LOW_WATER;
            if let Some(asked) = self.asked.get_mut(i) {
                if low && !*asked {
                    *asked = true;
                    let active = slot.active.len();
                    if self
                        .reports
                        .try_push(Report::NeedVoices { slot: i, active })
                        .is_err()
                    {
                        *asked = false;
                    }
                } else if !low {
                    *asked = false;
                }
            }
        }
    }

    /// Take up to `most` commands, in order, from the control side's queue
    /// and then the relay's. Stops early while the engine's live event
    /// queue is full, so that no event is dropped: the rest wait in their
    /// queue for the next block.
    fn take_commands(&mut self, most: usize) {
        let mut taken = 0;
        while taken < most && !self.engine.live.is_full() {
            let Some(command) = self.commands.try_pop() else {
                break;
            };
            self.take(command);
            taken += 1;
        }
        while taken < most && !self.engine.live.is_full() {
            let Some(command) = self.relay_commands.as_mut().and_then(|q| q.try_pop()) else {
                break;
            };
            self.take(command);
            taken += 1;
        }
    }

    fn take(&mut self, command: Command) {
        {
            match command {
                Command::Event {
                    kind,
                    mut event,
                    absolute,
                } => {
                    let engine = &mut self.engine;
                    let p2 = if event.count > 1 {
                        event.pfields[1]
                    } else {
                        0.0
                    };
                    let time = if absolute {
                        engine.tempo_seconds_at(p2)
                    } else {
                        engine.score_time + engine.beats_to_seconds_from_now(p2)
                    };
                    if absolute && time + 0.5 / engine.rates.kr < engine.score_time {
                        engine.messages.send(
                            MessageKind::Warning,
                            format_args!("event at absolute time {p2} is in the past; ignored"),
                        );
                        return;
                    }
                    // Held notes' negative p3 stays; a positive p3 is in beats.
                    if kind == LiveKind::Note && event.count > 2 && event.pfields[2] > 0.0 {
                        event.pfields[2] = engine.beats_to_seconds_from(time, event.pfields[2]);
                    }
                    event.kind = kind;
                    event.time = time;
                    if event.count > 1 {
                        event.pfields[1] = time;
                    }
                    if engine.live.push(event).is_err() {
                        engine.messages.send(
                            MessageKind::Error,
                            format_args!("live event queue full; event dropped"),
                        );
                        return;
                    }
                    self.send(Report::Took { kind, time, event });
                }
                Command::Table {
                    number,
                    table,
                    p2,
                    absolute,
                } => {
                    let engine = &mut self.engine;
                    let time = if absolute {
                        engine.tempo_seconds_at(p2)
                    } else {
                        engine.score_time + engine.beats_to_seconds_from_now(p2)
                    };
                    if absolute && time + 0.5 / engine.rates.kr < engine.score_time {
                        engine.messages.send(
                            MessageKind::Warning,
                            format_args!(
                                "f {number} at absolute time {p2} is in the past; ignored"
                            ),
                        );
                        if let Some(t) = table {
                            self.send(Report::Garbage(Garbage::Table(t)));
                        }
                        return;
                    }
                    if let Err(t) = engine.install_table_at(time, number, table) {
                        engine.messages.send(
                            MessageKind::Error,
                            format_args!("too many pending tables; f {number} dropped"),
                        );
                        if let Some(t) = t {
                            self.send(Report::Garbage(Garbage::Table(t)));
                        }
                    }
                }
                Command::Tables(mut store) => {
                    std::mem::swap(&mut self.engine.tables, &mut store);
                    self.send(Report::Garbage(Garbage::Tables(store)));
                }
                Command::Voices { slot, mut voices } => {
                    if let Some(s) = self.engine.instruments.get_mut(slot) {
                        // Voices built for a definition that was swapped out meanwhile go back.
                        while s.active.len() + s.spare.len() < MAX_VOICES
                            && voices
                                .last()
                                .is_some_and(|v| Arc::ptr_eq(&v.template, &s.template))
                        {
                            if let Some(v) = voices.pop() {
                                s.spare.push(v);
                            }
                        }
                    }
                    if let Some(a) = self.asked.get_mut(slot) {
                        *a = false;
                    }
                    self.send(Report::Garbage(Garbage::Voices(voices)));
                }
                Command::Swap(order) => {
                    let old = self.engine.swap_instruments(order);
                    self.send(Report::Garbage(Garbage::Slots(old)));
                    self.asked.iter_mut().for_each(|a| *a = false);
                }
                Command::Steer {
                    handle,
                    instr,
                    mut action,
                } => {
                    if let SteerAction::Automate { points, count, .. } = &mut action {
                        let engine = &self.engine;
                        for t in points[..*count].iter_mut().step_by(2) {
                            *t = engine.beats_to_seconds_from_now(*t);
                        }
                    }
                    self.engine.queue_steer(handle, instr, action);
                }
                Command::Rewind => self.engine.rewind(),
                Command::Flush(n) => self.send(Report::Flushed(n)),
                Command::Withdraw { tag } => self.engine.live.withdraw(tag),
            }
        }
    }
}

/// A message as a report, built without allocating.
pub fn info(text: &str) -> Report {
    use std::fmt::Write;
    let mut t = FixedText::new();
    let _ = t.write_str(text);
    Report::Message(Message {
        kind: MessageKind::Info,
        text: t,
    })
}
