//! The engine: performs one block at a time. `perform_block` takes the events
//! that are due, runs the notes of every instrument in order, and leaves one
//! block of samples on the output bus.
//!
//! The same engine runs in the audio callback and in the offline renderer.
//! Nothing `perform_block` reaches allocates, locks or waits when the engine
//! is in real-time mode: instances come from per-instrument pools that the
//! control side keeps filled, and finished instances go back to the pool.

pub mod channels;
pub mod context;
pub mod driver;
pub mod events;
pub mod input;
pub mod midi;
pub mod opcode;
pub mod parallel;
pub mod program;
pub mod signal;
pub mod steer;
pub mod strings;
pub mod swap;
pub mod table;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use context::{MessageKind, Messages, NoteState, Rates, Stage};
use events::{Action, EventQueue, LiveEvent, LiveKind, Timeline};
use midi::{MidiInbox, MidiState, NoteAction, TimedMidi};
use program::{Instance, InstrTemplate, Orchestra, Outcome};
use table::TableStore;

/// Capacity of the engine's message queue (messages per drain).
const MESSAGE_CAPACITY: usize = 4096;
/// Capacity of the live event queue.
const LIVE_QUEUE_CAPACITY: usize = 65_536;
/// Live events a block takes at most in real-time mode.
pub const LIVE_EVENTS_PER_BLOCK: usize = 512;
/// Most notes (playing plus ready) one instrument has in real-time mode;
/// the voice lists are allocated this large so they never grow on the audio
/// thread. Offline rendering has no limit.
pub const MAX_VOICES: usize = 4096;
/// Instrument generations kept alive after a swap while their notes finish.
const MAX_OLD_SLOTS: usize = 256;
/// News of handled notes (started, ended) a block can leave for the host.
const NOTE_NEWS_CAPACITY: usize = 4096;

/// One instrument's notes: those playing, in start order, and a pool of
/// ready-built instances.
pub struct InstrSlot {
    pub template: Arc<InstrTemplate>,
    pub active: Vec<Box<Instance>>,
    pub spare: Vec<Box<Instance>>,
    pub muted: bool,
    /// Notes that could not start because the pool was empty (real time).
    pub starved: u64,
}

/// Per-channel statistics for the end-of-performance report.
#[derive(Clone, Debug, Default)]
pub struct OutputStats {
    /// Largest absolute sample per channel, in the orchestra's units.
    pub peak: Vec<f64>,
    /// Samples beyond 0dbfs per channel.
    pub out_of_range: Vec<u64>,
    /// Notes silenced because their output was not finite.
    pub silenced: u64,
}

/// What the engine is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Playing,
    /// An `e` event or the end of the score was reached.
    Finished,
}

pub struct Engine {
    pub orchestra: Arc<Orchestra>,
    pub rates: Rates,
    pub instruments: Vec<InstrSlot>,
    /// Slots replaced by a swap whose notes are still playing.
    old_slots: Vec<InstrSlot>,
    pub tables: TableStore,
    /// The output bus: `ksmps` frames of `nchnls` interleaved samples.
    pub spout: Vec<f64>,
    /// The input bus: `ksmps` frames of `nchnls_i` interleaved samples,
    /// filled from `input` at the start of each block.
    pub spin: Vec<f64>,
    /// Where the input bus reads from (`-i`); None: silence.
    input: Option<Box<dyn input::AudioInput>>,
    pub messages: Messages,
    pub live: EventQueue,
    timeline: Arc<Timeline>,
    cursor: usize,
    /// Blocks performed since the start.
    pub kcount: u64,
    /// Score time in seconds (jumps forward with `a`).
    pub score_time: f64,
    /// Seconds skipped by `a` statements (score time = output time + this).
    advanced: f64,
    pub state: State,
    pub stats: OutputStats,
    /// In real-time mode nothing allocates: notes that find their
    /// instrument's pool empty are dropped and reported.
    pub realtime: bool,
    /// End time requested by an `e` event (seconds of score time).
    end_at: Option<f64>,
    /// The score's `e` time, reached: the performance ends once no note
    /// with a duration sounds.
    score_end_reached: bool,
    /// Whether a note reached its scheduled end (p3, as the instrument left
    /// it at init) in the last block. csound checks whether anything is left
    /// sounding only then: a note that `turnoff` ended early does not end
    /// the performance, which plays on, silent, to the next scheduled end
    /// or the score's end.
    ended_on_schedule: bool,
    /// Objects the audio thread must not drop (replaced tables); the control
    /// side empties this.
    pub retired_tables: Vec<Arc<table::Table>>,
    /// Instances the audio thread let go of (after a swap).
    pub retired_voices: Vec<Vec<Box<Instance>>>,
    /// Tables installed or removed (number, table, score time) since the
    /// control side last looked.
    #[allow(clippy::type_complexity)]
    pub table_changes: Vec<(i64, Option<Arc<table::Table>>, f64)>,
    /// Live `f` events waiting for their time.
    pending_tables: Vec<(f64, i64, Option<Arc<table::Table>>)>,
    /// The worker threads of `-j N` (None: one thread).
    pool: Option<parallel::Pool>,
    /// One group's output on one thread (see [`parallel::play_groups`]).
    group_bus: Vec<f64>,
    /// The output bus as it was before the instrument being performed (see
    /// [`contain`]).
    guard_bus: Vec<f64>,
    /// What MIDI messages left on each channel (shared with the MIDI opcodes).
    pub midi: Arc<MidiState>,
    /// A MIDI file's messages, in time order (`-F`), and the next one due.
    midi_file: Arc<[TimedMidi]>,
    midi_cursor: usize,
    /// Messages injected from outside (a MIDI port, a test, a script).
    midi_inbox: Option<MidiInbox>,
    /// With a MIDI file and a score that does not end by itself: the
    /// performance ends once the file is done and no note sounds.
    midi_ends_performance: bool,
    /// `-T`: the performance ends with the MIDI file, whatever the score says.
    midi_file_terminates: bool,
    /// The output bus before a fading note (see [`steer::play_fading`]).
    fade_bus: Vec<f64>,
    /// Ramps on running notes' p-fields (see [`steer`]).
    automations: Vec<steer::Automation>,
    /// Notes with a host handle that started (true) or ended (false) since
    /// the control side last looked.
    pub note_news: Vec<(u64, bool)>,
    /// Steering commands waiting for the next block (see [`steer`]).
    steers: Vec<(u64, i64, steer::SteerAction)>,
}

impl InstrSlot {
    /// A slot for `template` with voice lists that will not need to grow.
    pub fn new(template: Arc<InstrTemplate>) -> InstrSlot {
        InstrSlot {
            template,
            active: Vec::with_capacity(MAX_VOICES),
            spare: Vec::with_capacity(MAX_VOICES),
            muted: false,
            starved: 0,
        }
    }
}

impl Engine {
    /// An engine for `orchestra`, with `tables` made by instrument 0 and
    /// `timeline` from the score. Allocates; control side.
    pub fn new(orchestra: Arc<Orchestra>, tables: TableStore, timeline: Arc<Timeline>) -> Engine {
        // Each performance starts the families' shared state afresh (pluck's
        // noise where csound's starts).
        orchestra.channels.restart_shared();
        let rates = orchestra.rates;
        let instruments = orchestra
            .instruments
            .iter()
            .map(|t| InstrSlot::new(t.clone()))
            .collect();
        Engine {
            rates,
            instruments,
            old_slots: Vec::with_capacity(MAX_OLD_SLOTS),
            tables,
            spout: vec![0.0; rates.ksmps * rates.nchnls],
            spin: vec![0.0; rates.ksmps * rates.nchnls_i],
            input: None,
            messages: Messages::with_capacity(MESSAGE_CAPACITY),
            live: EventQueue::with_capacity(LIVE_QUEUE_CAPACITY),
            timeline,
            cursor: 0,
            kcount: 0,
            score_time: 0.0,
            advanced: 0.0,
            ended_on_schedule: false,
            state: State::Playing,
            stats: OutputStats {
                peak: vec![0.0; rates.nchnls],
                out_of_range: vec![0; rates.nchnls],
                silenced: 0,
            },
            realtime: false,
            end_at: None,
            score_end_reached: false,
            retired_tables: Vec::with_capacity(64),
            retired_voices: Vec::with_capacity(MAX_OLD_SLOTS),
            table_changes: Vec::with_capacity(1024),
            pending_tables: Vec::with_capacity(1024),
            pool: None,
            group_bus: vec![0.0; rates.ksmps * rates.nchnls],
            guard_bus: vec![0.0; rates.ksmps * rates.nchnls],
            midi: orchestra.channels.shared::<MidiState>(),
            midi_file: Arc::from(Vec::new()),
            midi_cursor: 0,
            midi_inbox: None,
            midi_ends_performance: false,
            midi_file_terminates: false,
            fade_bus: vec![0.0; rates.ksmps * rates.nchnls],
            automations: Vec::with_capacity(steer::MAX_AUTOMATIONS),
            note_news: Vec::with_capacity(NOTE_NEWS_CAPACITY),
            steers: Vec::with_capacity(steer::MAX_STEERS),
            orchestra,
        }
    }

    /// Read the input bus from `input` from the next block on (None:
    /// silence). Control side, before the engine goes to the audio thread.
    pub fn set_input(&mut self, input: Option<Box<dyn input::AudioInput>>) {
        self.spin.fill(0.0);
        self.input = input;
    }

    /// Take the input source back (to hand it to the next engine).
    pub fn take_input(&mut self) -> Option<Box<dyn input::AudioInput>> {
        self.input.take()
    }

    /// Input samples the source could not deliver in time (device underruns).
    pub fn input_shortfall(&self) -> u64 {
        self.input.as_ref().map_or(0, |i| i.shortfall())
    }

    /// Perform independent notes on `threads` threads (Csound's `-j`);
    /// 1 or 0 goes back to one thread. Starts the workers: control side.
    pub fn set_threads(&mut self, threads: usize) {
        self.pool =
            (threads > 1).then(|| parallel::Pool::new(threads, &self.tables, self.spout.len()));
    }

    /// Threads the engine performs on.
    pub fn threads(&self) -> usize {
        self.pool.as_ref().map_or(1, |p| p.threads())
    }

    /// Seconds of audio produced so far.
    pub fn output_time(&self) -> f64 {
        self.kcount as f64 / self.rates.kr
    }

    /// Where the score ends by itself, in seconds (None: no events).
    pub fn timeline_end(&self) -> Option<f64> {
        self.timeline.end_time
    }

    /// Number of notes sounding.
    pub fn active_notes(&self) -> usize {
        self.instruments.iter().map(|s| s.active.len()).sum()
    }

    /// Perform one block: due events, then every note in instrument order.
    /// Returns false (and leaves a silent bus) once the performance has ended.
    pub fn perform_block(&mut self) -> bool {
        self.spout.fill(0.0);
        if self.state == State::Finished {
            return false;
        }
        // An event is due in the block whose start is nearest its time,
        // halves rounding up (Csound's rounding of event times to control
        // periods): due when time < block start + half a period.
        let due = self.score_time + 0.5 / self.rates.kr;
        // `-T`: csound stops in the block after the one that took the file's
        // last message, notes sounding or not.
        if self.midi_file_terminates && self.midi_cursor == self.midi_file.len() {
            self.state = State::Finished;
            return false;
        }
        self.take_timeline(due);
        self.take_pending_tables(due);
        // The score's end is decided before the events the orchestra
        // scheduled are taken: csound drops those still pending then.
        let score_over =
            self.score_is_over() || (self.score_end_reached && !self.notes_with_a_length_sound());
        self.take_live(due);
        self.take_midi(due);
        if let Some(end) = self.end_at
            && end < due
        {
            self.state = State::Finished;
            return false;
        }
        if score_over
            || (self.midi_ends_performance
                && self.midi_cursor == self.midi_file.len()
                && self.active_notes() == 0)
        {
            self.state = State::Finished;
            return false;
        }
        self.apply_steers();
        self.run_automations();
        // The input advances one block per block performed, notes or none
        // (csound reads its input every control period from the start).
        if let Some(input) = self.input.as_mut() {
            input.read(&mut self.spin, self.rates.zero_dbfs);
        }
        self.perform_notes();
        self.measure_output();
        self.kcount += 1;
        self.score_time = self.output_time() + self.advanced;
        true
    }

    /// Csound's rule: the performance ends once every score event has been
    /// taken, the score's end time is reached (or a note ended on schedule)
    /// and no note with a length is left sounding or releasing. Held notes
    /// do not keep it going; notes whose p3 the instrument lengthened, and
    /// notes the orchestra started, do; events the orchestra scheduled for
    /// later are dropped.
    fn score_is_over(&self) -> bool {
        let Some(end) = self.timeline.end_time else {
            return false;
        };
        if self.cursor < self.timeline.items.len() {
            return false;
        }
        let past_end = self.score_time >= end - 1e-9;
        let notes = || {
            self.instruments
                .iter()
                .chain(self.old_slots.iter())
                .flat_map(|s| s.active.iter())
        };
        // Notes in their release time carry the performance past the
        // score's end, as in csound. A note that was turned off early still
        // holds the end until its scheduled end (csound plays on, silent).
        // The notes are looked at only when that can decide: every block,
        // it read every note (half of them from the other core's cache
        // under `-j`).
        let releasing = || notes().any(|i| i.note.releasing);
        let sounding = || notes().any(|i| i.note.blocks_left.is_some());
        (past_end || self.ended_on_schedule) && !releasing() && !sounding()
    }

    /// Whether a note with a duration (not a held one) is playing or in
    /// its release.
    fn notes_with_a_length_sound(&self) -> bool {
        self.instruments
            .iter()
            .chain(self.old_slots.iter())
            .flat_map(|s| s.active.iter())
            .any(|i| i.note.blocks_left.is_some() || i.note.releasing)
    }

    fn take_timeline(&mut self, mut due: f64) {
        while let Some(item) = self.timeline.items.get(self.cursor) {
            if item.time >= due {
                break;
            }
            self.cursor += 1;
            let timeline = self.timeline.clone();
            let item = &timeline.items[self.cursor - 1];
            match &item.action {
                Action::Note { start, len } => {
                    self.start_note_at(item.time, &timeline.pfields[*start..*start + *len]);
                }
                Action::Table { number, table } => self.install_table(*number, table.clone()),
                Action::Mute { instr, on } => self.set_muted(*instr, !*on),
                Action::Advance { seconds, beats } => {
                    self.advance(*seconds, *beats);
                    self.skip_notes_before(item.time + *seconds);
                    // Notes at the time jumped to start in this block, as
                    // in csound (not one block later).
                    due += *seconds;
                }
                Action::End => self.score_end_reached = true,
                Action::Nothing => {}
            }
        }
    }

    /// Notes the `a` statement jumped over are not played (as in Csound).
    fn skip_notes_before(&mut self, time: f64) {
        while let Some(item) = self.timeline.items.get(self.cursor) {
            if item.time >= time - 0.5 / self.rates.kr
                || !matches!(item.action, Action::Note { .. })
            {
                break;
            }
            self.cursor += 1;
        }
    }

    fn take_live(&mut self, due: f64) {
        // In real time a block starts at most this many; the rest start in
        // the next blocks, in order (a block late each), so that ten
        // thousand notes scheduled for one instant cannot stall a callback.
        let most = if self.realtime {
            LIVE_EVENTS_PER_BLOCK
        } else {
            usize::MAX
        };
        for _ in 0..most {
            let Some(event) = self.live.pop_due(due) else {
                break;
            };
            match event.kind {
                LiveKind::Note => {
                    self.start_handled_note(event.time, event.pfields(), event.handle)
                }
                LiveKind::Mute => self.set_muted(event.pfields()[0] as i64, true),
                LiveKind::Unmute => self.set_muted(event.pfields()[0] as i64, false),
                LiveKind::Advance => {
                    let beats = event.pfields().first().copied().unwrap_or(0.0);
                    self.advance(beats, beats)
                }
                LiveKind::End => self.end_at = Some(event.time),
            }
        }
    }

    /// Play `events` (a MIDI file's messages, in time order) into this
    /// performance. If the score has no end of its own, the performance
    /// ends once the file is done and no note sounds. Control side.
    pub fn set_midi_file(&mut self, events: Vec<TimedMidi>) {
        self.midi_ends_performance = self.timeline.end_time.is_none();
        self.midi_file_terminates = false;
        self.midi_file = Arc::from(events);
        self.midi_cursor = 0;
    }

    /// Take messages injected through `inbox` from now on. Control side.
    pub fn set_midi_inbox(&mut self, inbox: MidiInbox) {
        self.midi_inbox = Some(inbox);
    }

    /// Messages the injected queue dropped because it was full.
    pub fn midi_dropped(&self) -> u64 {
        self.midi_inbox
            .as_ref()
            .map_or(0, |i| i.dropped.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// `-T`: end the performance when the MIDI file has played (its last
    /// message taken), before the score's end or after it. Call after
    /// [`Engine::set_midi_file`]; without a file it changes nothing.
    pub fn end_with_midi_file(&mut self) {
        self.midi_file_terminates = !self.midi_file.is_empty();
    }

    /// Whether `-T` ends the performance with the MIDI file.
    pub fn ends_with_midi_file(&self) -> bool {
        self.midi_file_terminates
    }

    /// The time of a MIDI file's last message, if one plays.
    pub fn midi_file_end(&self) -> Option<f64> {
        self.midi_file.last().map(|m| m.time)
    }

    /// The MIDI file's messages due by `due`, then the injected ones (at
    /// most [`midi::MIDI_PER_BLOCK`] per block in real time; the rest wait
    /// in their queue, in order).
    fn take_midi(&mut self, due: f64) {
        while let Some(&m) = self.midi_file.get(self.midi_cursor) {
            if m.time >= due {
                break;
            }
            self.midi_cursor += 1;
            self.midi_message(m.message);
        }
        let Some(mut inbox) = self.midi_inbox.take() else {
            return;
        };
        let most = if self.realtime {
            midi::MIDI_PER_BLOCK
        } else {
            usize::MAX
        };
        for _ in 0..most {
            let Some(message) = inbox.pop() else {
                break;
            };
            self.midi_message(message);
        }
        self.midi_inbox = Some(inbox);
    }

    /// Take one MIDI message now: channel state, and notes started or
    /// released as csound does.
    pub fn midi_message(&mut self, message: midi::MidiMessage) {
        let action = {
            let instruments = &self.instruments;
            self.midi.take(message, |n| {
                instruments
                    .binary_search_by_key(&n, |s| s.template.number)
                    .is_ok()
            })
        };
        match action {
            NoteAction::None => {}
            NoteAction::Start {
                channel,
                key,
                velocity,
            } => self.start_midi_note(channel, key, velocity),
            NoteAction::Release { channel, key } => self.release_midi_note(channel, key),
        }
    }

    /// The instrument a note on `channel` (0-15) starts, as csound routes
    /// it: `massign` or the last program change; by default instrument
    /// channel + 1, or the lowest-numbered instrument if there is none of
    /// that number. None: the channel is muted.
    fn midi_instrument(&self, channel: usize) -> Option<usize> {
        match self.midi.route(channel) {
            midi::DEFAULT_ROUTE => self
                .slot_index(channel as i64 + 1)
                .or((!self.instruments.is_empty()).then_some(0)),
            n if n > 0 => self.slot_index(n),
            _ => None,
        }
    }

    /// A MIDI note-on: a held note (p3 = -1, p2 = now, p4 on 0) of the
    /// channel's instrument, which remembers its channel, key and velocity.
    fn start_midi_note(&mut self, channel: usize, key: u8, velocity: u8) {
        let Some(index) = self.midi_instrument(channel) else {
            return;
        };
        let number = self.instruments[index].template.number;
        if self.instruments[index].muted {
            return;
        }
        let note = NoteState {
            p1: number as f64,
            instr: number,
            p3: -1.0,
            blocks_left: None,
            midi_channel: channel as u8 + 1,
            midi_key: key,
            midi_velocity: velocity,
            ..NoteState::default()
        };
        let Some(mut instance) = self.take_instance(index) else {
            return;
        };
        instance.start(&[number as f64, self.score_time, -1.0], note);
        let ok = self.init_instance(&mut instance);
        let slot = &mut self.instruments[index];
        if ok {
            slot.active.push(instance);
        } else {
            slot.spare.push(instance);
        }
    }

    /// A MIDI note-off: the oldest note that key started on that channel
    /// and that still holds ends, or starts its release if it asked for
    /// one. A key played twice needs two note-offs, as in csound (measured).
    fn release_midi_note(&mut self, channel: usize, key: u8) {
        let channel = channel as u8 + 1;
        for slot in self.instruments.iter_mut().chain(self.old_slots.iter_mut()) {
            let Some(i) = slot.active.iter().position(|n| {
                let note = &n.note;
                note.midi_channel == channel
                    && note.midi_key == key
                    && note.blocks_left.is_none()
                    && !note.releasing
            }) else {
                continue;
            };
            let note = &mut slot.active[i].note;
            if note.extra_blocks > 0 {
                note.start_release();
            } else {
                let done = slot.active.remove(i);
                slot.spare.push(done);
            }
            return;
        }
    }

    /// Put (or with `None` remove) table `number` now, noting the change
    /// for the control side's view of the tables.
    pub fn install_table(&mut self, number: i64, table: Option<Arc<table::Table>>) {
        if table.is_some() && !self.tables.fits(number) {
            if self.realtime {
                self.messages.send(
                    MessageKind::Error,
                    format_args!("table {number}: number beyond the table store; not made"),
                );
                return;
            }
            self.tables.reserve_number(number);
        }
        let old = match &table {
            Some(t) => self.tables.put(number, t.clone()),
            None => self.tables.remove(number),
        };
        self.retire_table(old);
        if self.table_changes.len() < self.table_changes.capacity() || !self.realtime {
            self.table_changes.push((number, table, self.score_time));
        }
    }

    /// Install a table when score time reaches `time` (live `f` events with a delay).
    /// Gives the table back when the waiting list is full (real time).
    #[allow(clippy::type_complexity)]
    pub fn install_table_at(
        &mut self,
        time: f64,
        number: i64,
        table: Option<Arc<table::Table>>,
    ) -> Result<(), Option<Arc<table::Table>>> {
        if self.pending_tables.len() == self.pending_tables.capacity() && self.realtime {
            return Err(table);
        }
        self.pending_tables.push((time, number, table));
        Ok(())
    }

    /// Install the live tables due by now (offline `flush` between blocks).
    pub fn install_due_tables(&mut self) {
        self.take_pending_tables(self.score_time + 0.5 / self.rates.kr);
    }

    /// The score's timeline (for estimating how many voices it needs).
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    fn take_pending_tables(&mut self, due: f64) {
        let mut i = 0;
        while i < self.pending_tables.len() {
            if self.pending_tables[i].0 < due {
                let (_, number, table) = self.pending_tables.swap_remove(i);
                self.install_table(number, table);
            } else {
                i += 1;
            }
        }
    }

    fn retire_table(&mut self, old: Option<Arc<table::Table>>) {
        if let Some(old) = old {
            if self.retired_tables.len() < self.retired_tables.capacity() || !self.realtime {
                self.retired_tables.push(old);
            } else {
                // Dropping here would free memory on the audio thread only if
                // this was the last reference; the control side keeps one for
                // every table it made, so this is a plain count decrement.
                drop(old);
            }
        }
    }

    fn advance(&mut self, seconds: f64, beats: f64) {
        if seconds > 0.0 {
            // Notes last in score time: the jump eats into what they have left.
            let blocks = (seconds * self.rates.kr + 0.5).floor() as u64;
            for slot in self.instruments.iter_mut().chain(self.old_slots.iter_mut()) {
                for instance in slot.active.iter_mut() {
                    if let Some(left) = instance.note.blocks_left.as_mut() {
                        *left = left.saturating_sub(blocks);
                    }
                }
            }
            self.advanced += seconds;
            self.score_time = self.output_time() + self.advanced;
            self.messages.send(
                MessageKind::Info,
                format_args!("time advanced {beats:.3} beats by score request"),
            );
        }
    }

    fn set_muted(&mut self, instr: i64, muted: bool) {
        match self
            .instruments
            .iter_mut()
            .find(|s| s.template.number == instr)
        {
            Some(slot) => {
                slot.muted = muted;
                let state = if muted { "off" } else { "on" };
                self.messages.send(
                    MessageKind::Info,
                    format_args!("Setting instrument {instr} {state}"),
                );
            }
            None => self.messages.send(
                MessageKind::Warning,
                format_args!("cannot mute instr {instr}: no such instrument"),
            ),
        }
    }

    /// Start a note now from its p-fields (p1 first). A negative p1 ends
    /// the held note with that p1; a note whose p1 matches a held note ties
    /// into it (the held instance takes the new p-fields and duration).
    pub fn start_note(&mut self, pfields: &[f64]) {
        self.start_note_at(self.score_time, pfields);
    }

    /// Start a note that was due at `time` (score seconds, this block's
    /// start or a little before or after it): its end is counted from that
    /// time, not from the block it starts in.
    pub fn start_note_at(&mut self, time: f64, pfields: &[f64]) {
        self.start_handled_note(time, pfields, 0);
    }

    /// Tell the host that the note named `handle` started or ended (it
    /// answers `playing()` from this). A full list drops the news.
    fn note_news(&mut self, handle: u64, started: bool) {
        if handle != 0 && self.note_news.len() < self.note_news.capacity() {
            self.note_news.push((handle, started));
        }
    }

    /// [`Engine::start_note_at`] for a note a script holds a handle to.
    pub fn start_handled_note(&mut self, time: f64, pfields: &[f64], handle: u64) {
        let started = self.start_note_inner(time, pfields, handle);
        self.note_news(handle, started);
    }

    /// Start a note; whether it is playing.
    fn start_note_inner(&mut self, time: f64, pfields: &[f64], handle: u64) -> bool {
        let p1 = pfields.first().copied().unwrap_or(0.0);
        if p1 < 0.0 {
            self.end_held_note(-p1);
            return false;
        }
        let number = p1.trunc() as i64;
        let Some(index) = self.slot_index(number) else {
            self.messages.send(
                MessageKind::Error,
                format_args!("note for instr {p1}, which is not defined; ignored"),
            );
            return false;
        };
        let p3 = pfields.get(2).copied().unwrap_or(0.0);
        let note = NoteState {
            p1,
            instr: number,
            p3,
            blocks_left: self.blocks_for(time, p3),
            handle,
            ..NoteState::default()
        };
        let slot = &mut self.instruments[index];
        if let Some(held) = slot
            .active
            .iter()
            .position(|i| i.note.p1 == p1 && i.note.blocks_left.is_none())
        {
            let mut instance = slot.active.remove(held);
            // The tie takes the note over: an older handle to it ends.
            let before = instance.note.handle;
            instance.retie(pfields, NoteState { tied: true, ..note });
            let ok = self.init_instance(&mut instance);
            let slot = &mut self.instruments[index];
            if ok {
                slot.active.insert(held, instance);
            } else {
                slot.spare.push(instance);
            }
            if before != handle {
                self.note_news(before, false);
            }
            return ok;
        }
        if slot.muted {
            return false;
        }
        let Some(mut instance) = self.take_instance(index) else {
            return false;
        };
        instance.start(pfields, note);
        let ok = self.init_instance(&mut instance);
        let slot = &mut self.instruments[index];
        if ok {
            slot.active.push(instance);
        } else {
            slot.spare.push(instance);
        }
        ok
    }

    /// Blocks a note due at `time` lasting `p3` seconds performs, from this
    /// one. As in Csound (measured), a note ends at the block nearest
    /// p2 + p3, halves rounding up, whichever block it started in. At least
    /// one block; `None` for a held note (negative p3).
    fn blocks_for(&self, time: f64, p3: f64) -> Option<u64> {
        (p3 >= 0.0).then(|| {
            let kr = self.rates.kr;
            let end = ((time + p3) * kr + 0.5).floor();
            let now = (self.score_time * kr).round();
            (end - now).max(1.0) as u64
        })
    }

    fn slot_index(&self, number: i64) -> Option<usize> {
        self.instruments
            .binary_search_by_key(&number, |s| s.template.number)
            .ok()
    }

    /// `i -N`: end the held note whose p1 is N (fraction included), or start
    /// its release if it asked for extra time.
    fn end_held_note(&mut self, p1: f64) {
        let Some(index) = self.slot_index(p1.trunc() as i64) else {
            return;
        };
        let slot = &mut self.instruments[index];
        if let Some(held) = slot
            .active
            .iter()
            .position(|i| i.note.p1 == p1 && i.note.blocks_left.is_none())
        {
            let note = &mut slot.active[held].note;
            if note.extra_blocks > 0 {
                // Released from this block on (as csound: the block the
                // turnoff event is due in already reads `release` as 1).
                note.start_release();
            } else {
                let done = slot.active.remove(held);
                let handle = done.note.handle;
                slot.spare.push(done);
                self.note_news(handle, false);
            }
        }
    }

    /// Run a note's init pass; false if it failed (the message is queued).
    /// An instrument that changed its own p3 at init time gets that length.
    fn init_instance(&mut self, instance: &mut Instance) -> bool {
        let p3_before = instance.cell(3);
        let mut note = instance.note;
        let mut stage = Stage {
            rates: self.rates,
            tables: &mut self.tables,
            spin: &self.spin,
            messages: &mut self.messages,
            events: &mut self.live,
            time: self.score_time,
            kcount: self.kcount,
            may_allocate: !self.realtime,
        };
        let ok = instance
            .init(&mut stage.ctx(&mut note, &mut self.spout))
            .is_ok();
        let p3 = instance.cell(3);
        if p3 != p3_before {
            note.blocks_left = self.blocks_for(instance.cell(2), p3);
        }
        instance.note = note;
        ok
    }

    fn take_instance(&mut self, index: usize) -> Option<Box<Instance>> {
        let slot = &mut self.instruments[index];
        if let Some(instance) = slot.spare.pop() {
            return Some(instance);
        }
        if self.realtime {
            slot.starved += 1;
            let n = slot.template.number;
            self.messages.send(
                MessageKind::Warning,
                format_args!("instr {n}: no free voice, note dropped"),
            );
            return None;
        }
        match Instance::build(&slot.template, &self.orchestra) {
            Ok(instance) => Some(Box::new(instance)),
            Err(e) => {
                self.messages
                    .send(MessageKind::Error, format_args!("cannot start note: {e}"));
                None
            }
        }
    }

    fn perform_notes(&mut self) {
        self.ended_on_schedule = false;
        let old = self.old_slots.len();
        let mut stage = Stage {
            rates: self.rates,
            tables: &mut self.tables,
            spin: &self.spin,
            messages: &mut self.messages,
            events: &mut self.live,
            time: self.score_time,
            kcount: self.kcount,
            may_allocate: !self.realtime,
        };
        let mut reported = 0;
        for slot in self.instruments.iter_mut().chain(self.old_slots.iter_mut()) {
            if slot.active.is_empty() {
                continue;
            }
            // What the bus held before this instrument's notes: put back if
            // one of them turns out not finite (see `contain`).
            self.guard_bus.copy_from_slice(&self.spout);
            let fading = steer::any_fading(slot);
            let notes = &mut slot.active[..];
            let mut ended = if fading {
                steer::play_fading(notes, &mut stage, &mut self.spout, &mut self.fade_bus)
            } else if parallel::grouped(&slot.template, notes.len()) {
                // `-j`: the groups on all threads (see parallel.rs); without
                // a pool, or when it declines, the same sum on this one.
                let pooled = self.pool.as_mut().and_then(|pool| {
                    pool.perform(notes, &mut stage, &mut self.spout, &mut self.retired_tables)
                });
                pooled.unwrap_or_else(|| {
                    parallel::play_groups(notes, &mut stage, &mut self.spout, &mut self.group_bus)
                })
            } else {
                program::play_notes(notes, &mut stage, &mut self.spout)
            };
            if wrote_non_finite(slot) {
                report_refused_writes(slot, &mut stage, &mut reported);
            }
            let bus_finite = finite(&self.spout);
            let globals_bad = globals_poisoned(&slot.active);
            if !bus_finite || globals_bad {
                // Named in the report when no note says where it wrote.
                let store = (bus_finite && globals_bad).then_some("a global variable");
                let (stopped, culprits) = contain(slot, &mut stage, &mut reported, store);
                ended += stopped;
                self.stats.silenced += culprits;
                self.spout.copy_from_slice(&self.guard_bus);
            }
            if ended == 0 {
                continue;
            }
            // Notes that go on are moved down over those that ended, in
            // start order; the ended ones collect at the end and go back to
            // the pool together. (Removing each from the middle of the list
            // moved all the notes after it: quadratic when thousands end in
            // the same block.)
            let mut keep = 0;
            for i in 0..slot.active.len() {
                match slot.active[i].outcome {
                    Outcome::Playing => {
                        slot.active.swap(keep, i);
                        keep += 1;
                    }
                    Outcome::Finished => self.ended_on_schedule = true,
                    Outcome::Stopped => {}
                }
            }
            for note in &slot.active[keep..] {
                let handle = note.note.handle;
                if handle != 0 && self.note_news.len() < self.note_news.capacity() {
                    self.note_news.push((handle, false));
                }
            }
            slot.spare.extend(slot.active.drain(keep..));
        }
        // Old generations whose last note ended go back to the control side.
        for i in (0..old).rev() {
            if self.old_slots[i].active.is_empty()
                && self.retired_voices.len() < self.retired_voices.capacity()
            {
                let mut slot = self.old_slots.swap_remove(i);
                self.retired_voices.push(std::mem::take(&mut slot.spare));
                self.retired_voices.push(std::mem::take(&mut slot.active));
            }
        }
    }

    /// Score time back to zero: the score plays again from its start; notes
    /// sounding go on; pending live events are dropped.
    pub fn rewind(&mut self) {
        self.cursor = 0;
        self.midi_cursor = 0;
        self.advanced = -self.output_time();
        self.score_time = 0.0;
        self.end_at = None;
        self.score_end_reached = false;
        self.live.clear();
        self.state = State::Playing;
        self.messages
            .send(MessageKind::Info, format_args!("score rewound to 0"));
    }

    /// Seconds from the start at which beat `beat` of the score falls.
    pub fn tempo_seconds_at(&self, beat: f64) -> f64 {
        self.timeline.tempo.seconds_at(beat)
    }

    /// Seconds that `beats` last from now, at the score's tempo.
    pub fn beats_to_seconds_from_now(&self, beats: f64) -> f64 {
        self.beats_to_seconds_from(self.score_time, beats)
    }

    /// Seconds that `beats` last starting at score time `seconds`.
    pub fn beats_to_seconds_from(&self, seconds: f64, beats: f64) -> f64 {
        let tempo = &self.timeline.tempo;
        let start = tempo.beat_at(seconds);
        tempo.seconds_at(start + beats) - seconds
    }

    fn measure_output(&mut self) {
        let nchnls = self.rates.nchnls;
        let full = self.rates.zero_dbfs;
        for frame in self.spout.chunks_exact(nchnls) {
            for (c, &x) in frame.iter().enumerate() {
                let a = x.abs();
                if a > self.stats.peak[c] {
                    self.stats.peak[c] = a;
                }
                if a > full {
                    self.stats.out_of_range[c] += 1;
                }
            }
        }
    }

    /// Queue an event to take effect `delay` seconds of score time from now.
    pub fn send_live(&mut self, kind: LiveKind, delay: f64, pfields: &[f64]) -> bool {
        let event = LiveEvent::new(kind, self.score_time + delay, pfields);
        self.live.push(event).is_ok()
    }

    /// Write a human-readable end-of-performance report (Csound's wording).
    pub fn report(&self) -> String {
        let levels = levels_report(
            &self.stats.peak,
            &self.stats.out_of_range,
            self.messages.errors,
        );
        let silenced = match self.stats.silenced {
            0 => String::new(),
            n => format!("\n{n} notes silenced: output not finite"),
        };
        format!("end of score.\t\t{levels}{silenced}")
    }
}

/// Whether every sample of `bus` is finite. `x * 0` is 0 for a finite `x`
/// and NaN for NaN or an infinity, and a sum of zeros stays 0: no branch per
/// sample, and the compiler may use wide registers.
#[inline]
fn finite(bus: &[f64]) -> bool {
    let mut acc = [0.0f64; 4];
    let mut chunks = bus.chunks_exact(4);
    for c in &mut chunks {
        for k in 0..4 {
            acc[k] += c[k] * 0.0;
        }
    }
    let rest: f64 = chunks.remainder().iter().map(|x| x * 0.0).sum();
    acc.iter().sum::<f64>() + rest == 0.0
}

/// Whether a `gk`/`ga` variable of the orchestra `notes` were built from
/// holds a non-finite value after they played (a note wrote it onto a bus).
fn globals_poisoned(notes: &[Box<Instance>]) -> bool {
    let Some(first) = notes.first() else {
        return false;
    };
    let orc = first.orchestra();
    orc.signal_globals
        .iter()
        .any(|&(start, len)| orc.globals.any_non_finite(start, len))
}

/// Whether a note of `slot` tried to write a non-finite value where other
/// notes read it (zak space, a channel, a table; see `Ctx::shared_value`)
/// and was not yet told.
fn wrote_non_finite(slot: &InstrSlot) -> bool {
    slot.active
        .iter()
        .any(|n| n.note.poisoned.is_some() && !n.note.poison_reported)
}

/// Report each note of `slot` that tried to write a non-finite value to
/// shared state (0 was written instead), once per note. Counted with the
/// contained notes' messages per block; no allocation.
fn report_refused_writes(slot: &mut InstrSlot, stage: &mut Stage, reported: &mut usize) {
    let now = stage.time;
    for note in slot.active.iter_mut() {
        let Some(store) = note.note.poisoned.filter(|_| !note.note.poison_reported) else {
            continue;
        };
        note.note.poison_reported = true;
        if *reported < CONTAINED_REPORTS {
            *reported += 1;
            let (instr, p1, p2) = (note.note.instr, note.note.p1, note.cell(2));
            stage.messages.send(
                MessageKind::Warning,
                format_args!(
                    "instr {instr} (note p1 {p1}, started at {p2:.3} s): wrote a value that is not finite to {store} at {now:.3} s; 0 written instead"
                ),
            );
        } else {
            stage.messages.warnings += 1;
        }
    }
}

/// Notes reported by name per block; more are counted in one line.
const CONTAINED_REPORTS: usize = 8;

/// An instrument's notes made the bus or a global non-finite this block:
/// stop the notes whose memory holds a non-finite value (the culprits),
/// report each (instrument, p1, start, now, and `store` when it was a
/// global variable), and clear the poisoned globals. If no note's memory shows it (the value went out without
/// passing through a variable), every note of the instrument is stopped.
/// The caller puts back the bus as it was before the instrument. Returns how
/// many notes were stopped in this block and how many were silenced in all.
/// No allocation: messages are fixed-size text.
fn contain(
    slot: &mut InstrSlot,
    stage: &mut Stage,
    reported: &mut usize,
    store: Option<&'static str>,
) -> (usize, u64) {
    let now = stage.time;
    let mut stopped = 0;
    let mut culprits = 0;
    for pass in 0..2 {
        for note in slot.active.iter_mut() {
            // First pass: the notes that show a non-finite value; second
            // (only if none did): all of them.
            if pass == 0 && !note.has_non_finite() {
                continue;
            }
            culprits += 1u64;
            stopped += usize::from(note.outcome == Outcome::Playing);
            note.outcome = Outcome::Stopped;
            if *reported < CONTAINED_REPORTS {
                *reported += 1;
                let (instr, p1, p2) = (note.note.instr, note.note.p1, note.cell(2));
                let (what, store) = match store {
                    Some(store) => ("wrote a value that is not finite to ", store),
                    None => ("output not finite", ""),
                };
                stage.messages.send(
                    MessageKind::Error,
                    format_args!(
                        "instr {instr} (note p1 {p1}, started at {p2:.3} s): {what}{store} at {now:.3} s; note silenced"
                    ),
                );
            } else {
                // Counted in the run's errors all the same.
                stage.messages.errors += 1;
            }
        }
        if culprits > 0 {
            break;
        }
    }
    if let Some(first) = slot.active.first() {
        let orc = first.orchestra();
        for &(start, len) in &orc.signal_globals {
            orc.globals.zero_non_finite(start, len);
        }
    }
    (stopped, culprits)
}

/// Csound's level lines at the end of a performance: peak per channel (in
/// the orchestra's units), samples beyond 0dbfs per channel, errors.
/// Shared by the offline report and the live session's.
pub fn levels_report(peaks: &[f64], out_of_range: &[u64], errors: u64) -> String {
    let amps: String = peaks.iter().map(|p| format!("{p:9.5}")).collect();
    let oor: String = out_of_range.iter().map(|n| format!("{n:9}")).collect();
    format!(
        "   overall amps:{amps}\n\t   overall samples out of range:{oor}\n{errors} errors in performance"
    )
}
