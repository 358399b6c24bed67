//! The control side of a performance (the article's `CsoundSession`): load a
//! `.csd`, start, stop and restart it, send score events, read and edit
//! tables while they sound, swap instruments, record, and pass the engine's
//! messages on.
//!
//! The rooms: [`pipeline`] turns a `.csd` into an engine (the same way for
//! `render` and `check`); [`clock`] runs it live or offline; `relay` carries
//! the engine's reports back to the host; `recording` writes a session out
//! as a CSD; `tables` holds the host's view of tables and channels.

mod clock;
mod handles;
pub mod input;
mod live_edit;
mod live_orchestra;
pub mod pipeline;
mod recording;
mod relay;
mod tables;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use ringbuf::traits::{Producer, Split};
use ringbuf::{HeapProd, HeapRb};

use crate::audio;
use crate::audio::output_ring::{OUTPUT_RING_SECONDS, OutputClip, OutputRing};
use crate::csd::Csd;
use crate::engine::MAX_VOICES;
use crate::engine::channels::Channels;
use crate::engine::context::{MessageKind, Rates};
use crate::engine::driver::{Command, Driver, Report, Telemetry};
use crate::engine::events::{LiveEvent, LiveKind, MAX_LIVE_PFIELDS};
use crate::engine::midi::{MidiMessage, MidiSender};
use crate::engine::program::{Instance, Orchestra};
use crate::engine::swap::SwapMode;
use crate::options::Options;
pub use clock::Clock;
use clock::Running;
pub use handles::{NoteLife, NoteRef};
pub use live_edit::SwapReport;
use pipeline::MAX_TABLE_NUMBER;
use relay::{Relay, lock};

/// The host names score statements with the score's own kinds.
pub use crate::score::EventKind;

/// Commands that can wait for the audio thread at once.
const COMMAND_CAPACITY: usize = 16_384;
/// Voices the relay can have built before the audio thread takes them.
const RELAY_COMMAND_CAPACITY: usize = 256;
/// Reports the audio thread can leave before the control side reads them.
const REPORT_CAPACITY: usize = 16_384;
/// Ready voices per instrument at start when the score says nothing more.
const INITIAL_VOICES: usize = 512;

/// A message for the front end (console, log).
#[derive(Clone, Debug)]
pub struct SessionMessage {
    pub kind: MessageKind,
    pub text: String,
}

/// A loaded, playing performance.
struct Performance {
    csd_path: PathBuf,
    csd: Csd,
    rates: Rates,
    /// Threads the engine performs on (`-j`).
    threads: usize,
    /// The orchestra playing (the relay keeps its own copy for new voices).
    orchestra: Arc<Orchestra>,
    /// Its syntax tree: what new orchestra text is merged into.
    source: crate::orc::ast::Orchestra,
    /// The score's tempo, for live `wait(beats)`.
    tempo: crate::score::TempoMap,
    /// The session's queue to the engine: only the session sends on it.
    commands: HeapProd<Command>,
    relay: Arc<Relay>,
    telemetry: Arc<Telemetry>,
    running: Running,
    next_flush: u64,
    started: Instant,
    /// The engine's injected-MIDI queue: the session and the MIDI ports
    /// (`-M`) send on it.
    midi: Arc<std::sync::Mutex<MidiSender>>,
    /// Open MIDI input ports (closed when the performance stops).
    _midi_ports: Option<crate::midi::live::Connections>,
}

impl Performance {
    /// Seconds that `beats` last from the engine's score time now.
    fn beats_to_seconds(&self, beats: f64) -> f64 {
        let now = self.telemetry.score_time();
        let start = self.tempo.beat_at(now);
        (self.tempo.seconds_at(start + beats) - now).max(0.0)
    }

    fn send(&mut self, command: Command) -> Result<()> {
        self.commands
            .try_push(command)
            .map_err(|_| anyhow!("the engine's command queue is full; event not sent"))
    }
}

/// The session: zero or one performance at a time.
pub struct Session {
    clock: Clock,
    /// Command-line flags: they win over each CSD's own.
    options: Options,
    channels: Arc<Channels>,
    messages_tx: Sender<SessionMessage>,
    messages_rx: Option<Receiver<SessionMessage>>,
    perf: Option<Performance>,
    last_csd: Option<PathBuf>,
    record_to: Option<PathBuf>,
    record_audio_to: Option<PathBuf>,
    /// Tag of the events sent now (0: none; see [`Session::withdraw`]).
    event_tag: u32,
    /// Score time (s) the last performance had reached when it stopped.
    stopped_at: f64,
    /// What happens to an instrument's sounding notes when it is
    /// redefined, by instrument number (unset: they finish).
    swap_modes: HashMap<i64, SwapMode>,
    /// The last note handle given out.
    last_handle: u64,
}

impl Session {
    /// A session with no performance: Csound's defaults until a CSD is loaded.
    /// `options` are command-line flags that win over each CSD's own.
    pub fn new(clock: Clock, options: Options) -> Session {
        let (tx, rx) = channel();
        Session {
            clock,
            options,
            channels: Arc::new(Channels::default()),
            messages_tx: tx,
            messages_rx: Some(rx),
            perf: None,
            last_csd: None,
            record_to: None,
            record_audio_to: None,
            event_tag: 0,
            stopped_at: 0.0,
            swap_modes: HashMap::new(),
            last_handle: 0,
        }
    }

    /// Tag the events sent from now on (0: untagged).
    pub fn set_event_tag(&mut self, tag: u32) {
        self.event_tag = tag;
    }

    /// The tag events are sent with now.
    pub fn event_tag(&self) -> u32 {
        self.event_tag
    }

    /// Withdraw the events tagged `tag` that have not started yet.
    pub fn withdraw(&mut self, tag: u32) -> Result<()> {
        self.perf_mut()?.send(Command::Withdraw { tag })
    }

    /// The engine's messages, for one front end to print (taken once).
    pub fn take_messages(&mut self) -> Option<Receiver<SessionMessage>> {
        self.messages_rx.take()
    }

    fn say(&self, kind: MessageKind, text: impl Into<String>) {
        let _ = self.messages_tx.send(SessionMessage {
            kind,
            text: text.into(),
        });
    }

    /// Compile a `.csd` and start performing it; a running performance stops first.
    pub fn load(&mut self, path: &Path) -> Result<()> {
        let csd = Csd::read(path).map_err(|e| anyhow!("{e}"))?;
        let prepared = pipeline::prepare_with_channels(&csd, &self.options, self.channels.clone())
            .map_err(|e| anyhow!("{e}"))?;
        let source = crate::orc::parse(&csd.orchestra).map_err(|e| anyhow!("{e}"))?;
        self.stop();
        for d in &prepared.diagnostics {
            self.say(MessageKind::Warning, d.to_string());
        }
        for m in &prepared.messages {
            self.say(MessageKind::Print, m.clone());
        }
        if let Some(w) = &prepared.threads_warning {
            self.say(MessageKind::Warning, w.clone());
        }
        let buffer = prepared.options.buffer;
        // `-i adc` / `-i adc:NAME`: the live clock opens the sound card's input.
        let live_input = prepared
            .options
            .is_live_input()
            .then(|| prepared.options.input.clone().unwrap_or_default());
        let mut engine = prepared.engine;
        let orc = engine.orchestra.clone();
        let rates = engine.rates;
        let threads = engine.threads();
        let tempo = engine.timeline().tempo.clone();
        // Ready voices: as many as the score has notes at once, at least a few.
        let wanted = pipeline::max_overlap(&engine);
        for (slot, want) in engine.instruments.iter_mut().zip(wanted) {
            let count = want.clamp(INITIAL_VOICES, MAX_VOICES / 2);
            for _ in 0..count {
                slot.spare.push(Box::new(
                    Instance::build(&slot.template, &orc).map_err(|e| anyhow!(e))?,
                ));
            }
        }
        let mut initial_tables = HashMap::new();
        for n in engine.tables.numbers() {
            if let Some(t) = engine.tables.get_arc(n) {
                initial_tables.insert(n, t.clone());
            }
        }
        engine.tables.reserve_number(MAX_TABLE_NUMBER.min(4096));
        let (cmd_tx, cmd_rx) = HeapRb::<Command>::new(COMMAND_CAPACITY).split();
        let (relay_tx, relay_rx) = HeapRb::<Command>::new(RELAY_COMMAND_CAPACITY).split();
        let (rep_tx, rep_rx) = HeapRb::<Report>::new(REPORT_CAPACITY).split();
        let relay = Arc::new(Relay::new(
            self.messages_tx.clone(),
            relay_tx,
            orc.clone(),
            initial_tables,
            self.record_to.is_some(),
            OutputRing::new(rates.nchnls, rates.sr, OUTPUT_RING_SECONDS),
        ));
        let (midi_tx, midi_inbox) = crate::engine::midi::injected_queue();
        engine.set_midi_inbox(midi_inbox);
        let midi = Arc::new(std::sync::Mutex::new(midi_tx));
        // `-M DEVICE`: a port that cannot open is one line; the piece plays on.
        let midi_ports = match prepared.options.midi_device.as_deref() {
            Some(device) => {
                let wanted = crate::midi::live::Wanted::parse(device);
                match crate::midi::live::connect(&wanted, midi.clone()) {
                    Ok(c) => {
                        self.say(
                            MessageKind::Info,
                            format!("MIDI input: {}", c.names.join(", ")),
                        );
                        Some(c)
                    }
                    Err(e) => {
                        self.say(MessageKind::Error, format!("-M {device}: {e}"));
                        None
                    }
                }
            }
            None => None,
        };
        let mut driver = Driver::new(engine, cmd_rx, rep_tx, rates.nchnls);
        driver.set_relay_commands(relay_rx);
        let (running, telemetry) = Running::start(
            &self.clock,
            driver,
            rep_rx,
            &relay,
            buffer,
            self.record_audio_to.as_deref(),
            live_input.as_deref(),
        )?;
        self.perf = Some(Performance {
            csd_path: path.to_path_buf(),
            csd,
            rates,
            threads,
            orchestra: orc,
            source,
            tempo,
            commands: cmd_tx,
            relay,
            telemetry,
            running,
            next_flush: 0,
            started: Instant::now(),
            midi,
            _midi_ports: midi_ports,
        });
        self.last_csd = Some(path.to_path_buf());
        Ok(())
    }

    /// Inject a MIDI message into the running performance, as a MIDI port
    /// would: it takes effect in the next block. Returns false when the
    /// engine's MIDI queue is full (the message is dropped and counted).
    pub fn midi_in(&mut self, message: MidiMessage) -> Result<bool> {
        let perf = self
            .perf
            .as_mut()
            .ok_or_else(|| anyhow!("nothing is playing: load a CSD first"))?;
        let mut sender = perf.midi.lock().unwrap_or_else(|e| e.into_inner());
        Ok(sender.send(message))
    }

    /// MIDI messages dropped so far because the engine's queue was full.
    pub fn midi_dropped(&self) -> u64 {
        self.perf.as_ref().map_or(0, |p| {
            let sender = p.midi.lock().unwrap_or_else(|e| e.into_inner());
            sender.dropped.load(Ordering::Relaxed)
        })
    }

    /// Load the last CSD again from disk and start it from the beginning.
    pub fn restart(&mut self) -> Result<()> {
        let path = self
            .last_csd
            .clone()
            .ok_or_else(|| anyhow!("nothing to restart: no CSD was loaded"))?;
        self.load(&path)
    }

    /// Stop the performance (if any). Writes the recording, if one was asked for.
    pub fn stop(&mut self) {
        let Some(mut perf) = self.perf.take() else {
            return;
        };
        self.stopped_at = perf.telemetry.score_time();
        let dropped = {
            let sender = perf.midi.lock().unwrap_or_else(|e| e.into_inner());
            sender.dropped.load(Ordering::Relaxed)
        };
        if dropped > 0 {
            self.say(
                MessageKind::Warning,
                format!("{dropped} MIDI messages dropped: they came faster than the engine's queue takes them"),
            );
        }
        let writes_audio = perf.running.records_audio();
        let errors = perf.running.stop();
        let recorded_audio = writes_audio && errors.is_empty();
        for e in errors {
            self.say(MessageKind::Error, e);
        }
        if recorded_audio && let Some(path) = &self.record_audio_to {
            self.say(
                MessageKind::Info,
                format!("audio recorded to {}", path.display()),
            );
        }
        if let Some(path) = self.record_to.clone()
            && let Err(e) = self.write_recording(&perf, &path)
        {
            self.say(
                MessageKind::Error,
                format!("cannot write the recording: {e:#}"),
            );
        }
        let report = end_report(&perf);
        self.say(MessageKind::Info, report);
        // Dropping the output stops the audio thread and with it the engine.
        drop(perf);
    }

    /// Whether a performance is loaded and has not ended.
    pub fn is_playing(&self) -> bool {
        self.perf
            .as_ref()
            .is_some_and(|p| !p.relay.ended.load(Ordering::Relaxed))
    }

    // ------------------------------------------------------------ queries

    pub fn rates(&self) -> Rates {
        self.perf.as_ref().map(|p| p.rates).unwrap_or_default()
    }
    pub fn sr(&self) -> f64 {
        self.rates().sr
    }
    /// Threads the performance runs on (`-j`; 1 without a performance).
    pub fn threads(&self) -> usize {
        self.perf.as_ref().map_or(1, |p| p.threads)
    }
    pub fn kr(&self) -> f64 {
        self.rates().kr
    }
    pub fn ksmps(&self) -> usize {
        self.rates().ksmps
    }
    pub fn nchnls(&self) -> usize {
        self.rates().nchnls
    }
    pub fn zero_dbfs(&self) -> f64 {
        self.rates().zero_dbfs
    }
    /// Score time in seconds (0 with no performance).
    pub fn score_time(&self) -> f64 {
        self.perf
            .as_ref()
            .map(|p| p.telemetry.score_time())
            .unwrap_or(0.0)
    }
    /// Score time (s) of the performance playing, or the one the last
    /// performance reached when it stopped: what an offline render whose
    /// script called `stop()` rendered.
    pub fn score_time_reached(&self) -> f64 {
        if self.perf.is_some() {
            self.score_time()
        } else {
            self.stopped_at
        }
    }

    /// The loaded CSD's path, if any.
    pub fn csd_name(&self) -> Option<String> {
        self.perf.as_ref().map(|p| p.csd_path.display().to_string())
    }
    /// Notes sounding now.
    pub fn active_notes(&self) -> usize {
        self.perf
            .as_ref()
            .map(|p| p.telemetry.active_notes.load(Ordering::Relaxed))
            .unwrap_or(0)
    }

    fn perf(&self) -> Result<&Performance> {
        self.perf
            .as_ref()
            .ok_or_else(|| anyhow!("no performance: load a CSD first"))
    }

    fn perf_mut(&mut self) -> Result<&mut Performance> {
        self.perf
            .as_mut()
            .ok_or_else(|| anyhow!("no performance: load a CSD first"))
    }

    // ------------------------------------------------------------ events

    /// Send a score statement. p2 counts beats from when the engine takes
    /// the event, or with `absolute` from the start of the performance.
    /// The p-field value that carries `text` to an instrument (as a score's
    /// `"string"` p-field does: `S1 = p4`, `strget p4`).
    pub fn string_pfield(&self, text: &str) -> Result<f64> {
        self.channels.strings.pfield(text).ok_or_else(|| {
            anyhow!(
                "too many distinct strings in one session (at most {})",
                crate::engine::strings::POOL_CAPACITY
            )
        })
    }

    pub fn score_event(&mut self, kind: EventKind, pfields: &[f64], absolute: bool) -> Result<()> {
        self.send_event(kind, pfields, absolute, 0)
    }

    /// [`Session::score_event`], a note carrying the host's `handle` (0: none).
    fn send_event(
        &mut self,
        kind: EventKind,
        pfields: &[f64],
        absolute: bool,
        handle: u64,
    ) -> Result<()> {
        let tag = self.event_tag;
        match kind {
            EventKind::Table => return self.send_table(pfields, absolute),
            EventKind::Note if pfields.len() < 3 => {
                self.perf()?;
                bail!("an i statement needs at least p1, p2 and p3")
            }
            EventKind::Mute if pfields.len() < 3 => {
                self.perf()?;
                bail!("q needs p1 (instrument), p2 (time) and p3 (0 mutes, 1 unmutes)")
            }
            _ => {}
        }
        let perf = self.perf_mut()?;
        if pfields.len() > MAX_LIVE_PFIELDS {
            bail!(
                "at most {MAX_LIVE_PFIELDS} p-fields in a live event (got {})",
                pfields.len()
            );
        }
        if let Some(bad) = pfields.iter().position(|p| !p.is_finite()) {
            bail!("p{} is not a finite number", bad + 1);
        }
        let orc = &perf.orchestra;
        let (live_kind, fields): (LiveKind, Vec<f64>) = match kind {
            EventKind::Note => {
                let n = pfields[0].abs().trunc() as i64;
                if orc.instrument(n).is_none() {
                    bail!("instr {n} is not defined in this orchestra");
                }
                (LiveKind::Note, pfields.to_vec())
            }
            EventKind::Mute => {
                let n = pfields[0].trunc() as i64;
                if orc.instrument(n).is_none() {
                    bail!("instr {n} is not defined in this orchestra");
                }
                let kind = if pfields[2] == 0.0 {
                    LiveKind::Mute
                } else {
                    LiveKind::Unmute
                };
                // The engine reads the instrument from the first p-field.
                (kind, vec![pfields[0], pfields[1]])
            }
            EventKind::Advance => {
                let p2 = pfields.get(1).copied().unwrap_or(0.0);
                let p3 = pfields.get(2).copied().unwrap_or(0.0);
                (LiveKind::Advance, vec![p3, p2])
            }
            EventKind::End => (
                LiveKind::End,
                vec![0.0, pfields.get(1).copied().unwrap_or(0.0)],
            ),
            EventKind::Table => unreachable!("handled above"),
        };
        let mut event = LiveEvent::new(live_kind, 0.0, &fields);
        event.tag = tag;
        event.handle = handle;
        perf.send(Command::Event {
            kind: live_kind,
            event,
            absolute,
        })
    }

    /// `note(pfields)`: an `i` statement, p2 relative to now.
    pub fn note(&mut self, pfields: &[f64]) -> Result<()> {
        self.score_event(EventKind::Note, pfields, false)
    }

    /// Wait (up to `timeout`) until the engine has taken every command sent
    /// so far: after it, tables sent are made and events are scheduled.
    pub fn flush(&mut self) -> Result<()> {
        let timeout = Duration::from_secs(5);
        let perf = self.perf_mut()?;
        perf.next_flush += 1;
        let n = perf.next_flush;
        perf.send(Command::Flush(n))?;
        if perf.running.offline_engine().is_some() {
            perf.running.take_commands_now(&perf.relay);
            Ok(())
        } else {
            perf.relay.wait_flushed(n, timeout)
        }
    }

    /// Let `beats` of score time pass: offline, perform them; live, sleep.
    pub fn wait(&mut self, beats: f64) -> Result<()> {
        let valid = beats.is_finite() && beats >= 0.0;
        if !valid {
            bail!("wait needs a number of beats >= 0");
        }
        let perf = self.perf_mut()?;
        let offline = perf.running.offline_engine();
        match offline.map(|e| e.beats_to_seconds_from_now(beats)) {
            Some(seconds) => {
                let blocks = (seconds * perf.rates.kr).round() as u64;
                perf.running.perform(blocks, &perf.relay, perf.rates)
            }
            None => {
                let seconds = perf.beats_to_seconds(beats);
                std::thread::sleep(Duration::from_secs_f64(seconds));
                Ok(())
            }
        }
    }

    /// Seconds that `beats` last from now at the score's tempo (a `t`
    /// statement; 60 beats a minute without one): what `wait(beats)` lets
    /// pass, live as offline.
    pub fn beats_to_seconds(&self, beats: f64) -> f64 {
        self.perf
            .as_ref()
            .map_or(beats, |p| p.beats_to_seconds(beats))
    }

    /// Offline: perform until the score ends (or an `e` event), at most `limit` seconds.
    pub fn run_to_end(&mut self, limit: f64) -> Result<()> {
        let kr = self.kr();
        let mut left = (limit * kr) as u64;
        while left > 0 && self.is_playing() {
            let step = left.min(kr as u64);
            self.wait(step as f64 / kr)?;
            left -= step;
            let finished = self
                .perf
                .as_ref()
                .and_then(|p| p.running.offline_engine())
                .is_some_and(|e| e.state == crate::engine::State::Finished);
            if finished {
                break;
            }
        }
        Ok(())
    }

    /// Score time back to 0; the CSD's score plays again.
    pub fn rewind_score(&mut self) -> Result<()> {
        self.perf_mut()?.send(Command::Rewind)
    }

    // ------------------------------------------------------------ recording

    /// Record every event the engine takes from now on (and from the next
    /// load), written as a CSD to `path` when the performance stops.
    pub fn record_to(&mut self, path: &Path) {
        self.record_to = Some(path.to_path_buf());
        if let Some(p) = &self.perf {
            let mut book = lock(&p.relay.book);
            if book.recording.is_none() {
                book.recording = Some(Default::default());
            }
        }
    }

    fn write_recording(&self, perf: &Performance, path: &Path) -> Result<()> {
        let statements = lock(&perf.relay.book)
            .recording
            .as_ref()
            .map(|r| r.statements.clone())
            .unwrap_or_default();
        let text = recording::recording_csd(
            &perf.csd,
            &statements,
            perf.telemetry.score_time(),
            perf.rates.sr,
        );
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        self.say(
            MessageKind::Info,
            format!("session recorded to {}", path.display()),
        );
        Ok(())
    }

    /// Also write what the device plays to `path` (from the next load on).
    pub fn record_audio_to(&mut self, path: &Path) {
        self.record_audio_to = Some(path.to_path_buf());
    }

    /// Seconds since the performance started (wall clock).
    pub fn uptime(&self) -> f64 {
        self.perf
            .as_ref()
            .map(|p| p.started.elapsed().as_secs_f64())
            .unwrap_or(0.0)
    }

    /// The last `seconds` of output (full scale 1.0), one vector per
    /// channel: at most [`OUTPUT_RING_SECONDS`]; `None` before any output.
    pub fn recent_output(&self, seconds: f64) -> Result<Option<OutputClip>> {
        let perf = self.perf()?;
        Ok(lock(&perf.relay.output).last(seconds))
    }

    /// Output statistics of the live device, if playing live.
    pub fn output_stats(&self) -> Option<Arc<audio::Stats>> {
        match &self.perf.as_ref()?.running {
            Running::Live { output, .. } => output.as_ref().map(|o| o.stats()),
            Running::Offline { .. } => None,
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Csound's end-of-performance lines, from the engine's telemetry.
fn end_report(perf: &Performance) -> String {
    let t = &perf.telemetry;
    let channels = 0..perf.rates.nchnls;
    let peaks: Vec<f64> = channels.clone().map(|c| t.peak(c)).collect();
    let out_of_range: Vec<u64> = channels.map(|c| t.out_of_range(c)).collect();
    let levels =
        crate::engine::levels_report(&peaks, &out_of_range, t.errors.load(Ordering::Relaxed));
    format!(
        "end of performance: score time {:.3} s\n\t{levels}",
        t.score_time()
    )
}
