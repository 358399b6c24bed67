//! The control side of a performance (the article's `CsoundSession`): load a
//! `.csd`, start, stop and restart it, send score events, read and edit
//! tables while they sound, swap instruments, record, and pass the engine's
//! messages on.
//!
//! Two clocks, one code path. Live, the [`Driver`] runs in the audio
//! callback and a relay thread handles its reports. Offline, the session
//! owns the driver and performs blocks itself when asked to advance time
//! (`wait`), writing them to a file: a script is then a reproducible piece.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use ringbuf::traits::{Consumer, Producer, Split};
use ringbuf::{HeapCons, HeapProd, HeapRb};

use crate::audio::{self, OutputChoice, OutputConfig};
use crate::csd::Csd;
use crate::engine::channels::Channels;
use crate::engine::context::{MessageKind, Rates};
use crate::engine::driver::{Command, Driver, Report, Telemetry};
use crate::engine::events::{LiveEvent, LiveKind, MAX_LIVE_PFIELDS};
use crate::engine::program::{Instance, Orchestra};
use crate::engine::table::Table;
use crate::engine::{InstrSlot, MAX_VOICES};
use crate::options::{Options, SampleFormat};
use crate::orc::compiler::{self, RateOverrides};
use crate::output_ring::{OUTPUT_RING_SECONDS, OutputClip, OutputRing};
use crate::performance::{self, MAX_TABLE_NUMBER};
use crate::render::Sink;
use crate::score::PValue;

/// Commands that can wait for the audio thread at once.
const COMMAND_CAPACITY: usize = 16_384;
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

/// Where a session's sound goes.
#[derive(Clone, Debug)]
pub enum Clock {
    /// The sound card (or the paced silent clock when there is none, or
    /// when `device` is [`audio::SILENT_CLOCK_DEVICE`]).
    Live {
        device: Option<String>,
        buffer_frames: Option<u32>,
    },
    /// Performed on demand into a file (`None`: no file).
    Offline {
        path: Option<PathBuf>,
        format: SampleFormat,
    },
}

/// A score statement kind, as the host names it (`"i"`, `"f"`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Note,
    Table,
    Advance,
    End,
    Mute,
}

impl EventKind {
    pub fn parse(kind: &str) -> Result<EventKind> {
        Ok(match kind {
            "i" => EventKind::Note,
            "f" => EventKind::Table,
            "a" => EventKind::Advance,
            "e" => EventKind::End,
            "q" => EventKind::Mute,
            other => bail!("unknown score statement '{other}': use one of i f a e q"),
        })
    }
}

/// State shared with the relay thread.
struct Shared {
    commands: Mutex<HeapProd<Command>>,
    orchestra: Mutex<Arc<Orchestra>>,
    tables: Mutex<HashMap<i64, Arc<Table>>>,
    flushed: (Mutex<u64>, Condvar),
    messages: Sender<SessionMessage>,
    recording: Mutex<Option<Vec<Recorded>>>,
    /// The `f` p-fields of tables sent but not yet installed, by table identity.
    table_statements: Mutex<HashMap<usize, Vec<f64>>>,
    ended: AtomicBool,
    /// The last seconds of output, for `draw_output`.
    output: Mutex<OutputRing>,
}

/// One statement as the engine took it, for `--record`.
#[derive(Clone, Debug)]
struct Recorded {
    kind: Statement,
    /// Score time (seconds) at which it took effect.
    time: f64,
    pfields: Vec<f64>,
}

/// What a recorded line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Statement {
    Live(LiveKind),
    /// An `f` statement: p-fields as sent (GEN and its arguments).
    Table,
}

impl Shared {
    fn send(&self, command: Command) -> Result<()> {
        let mut commands = self.commands.lock().unwrap_or_else(|e| e.into_inner());
        commands
            .try_push(command)
            .map_err(|_| anyhow!("the engine's command queue is full; event not sent"))
    }

    fn say(&self, kind: MessageKind, text: impl Into<String>) {
        let _ = self.messages.send(SessionMessage {
            kind,
            text: text.into(),
        });
    }

    /// Keep the `f` statement of a table being sent, for the recording.
    fn remember_statement(&self, table: &Arc<Table>, pfields: Vec<f64>) {
        if self
            .recording
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
        {
            self.table_statements
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(Arc::as_ptr(table) as usize, pfields);
        }
    }

    /// The tables the host edited point by point since the last event, as
    /// `f` statements (GEN -2, the points as they are now) taking effect at
    /// `time`, just before the event the engine took then. A score cannot say
    /// "this point changed at this sample", so an edit is replayed at the next
    /// event: the article's click test (edit, then play a note) replays exactly,
    /// an edit heard in the middle of a sounding note replays at the next note.
    fn edited_tables(&self, time: f64) -> Vec<Recorded> {
        let recording = self
            .recording
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some();
        let tables = self.tables.lock().unwrap_or_else(|e| e.into_inner());
        let mut numbers: Vec<i64> = tables
            .iter()
            .filter(|(_, t)| t.take_edited())
            .map(|(n, _)| *n)
            .collect();
        if !recording {
            return Vec::new();
        }
        numbers.sort();
        numbers
            .into_iter()
            .map(|n| {
                let t = &tables[&n];
                let mut pfields = vec![n as f64, time, t.len() as f64, -2.0];
                pfields.extend((0..t.len()).map(|i| t.get(i)));
                Recorded {
                    kind: Statement::Table,
                    time,
                    pfields,
                }
            })
            .collect()
    }

    /// Handle one report from the engine (relay thread, or the session offline).
    fn handle(&self, report: Report) {
        match report {
            Report::Message(m) => self.say(m.kind, m.text.as_str()),
            Report::Flushed(n) => {
                let (lock, cv) = &self.flushed;
                *lock.lock().unwrap_or_else(|e| e.into_inner()) = n;
                cv.notify_all();
            }
            Report::Took { kind, time, event } => {
                let edited = self.edited_tables(time);
                if let Some(rec) = self
                    .recording
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .as_mut()
                {
                    rec.extend(edited);
                    rec.push(Recorded {
                        kind: Statement::Live(kind),
                        time,
                        pfields: event.pfields().to_vec(),
                    });
                }
            }
            Report::NeedVoices { slot, active } => self.add_voices(slot, active),
            Report::Garbage(g) => drop(g),
            Report::TableChanged {
                number,
                table,
                time,
            } => {
                let statement = match &table {
                    Some(t) => self
                        .table_statements
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .remove(&(Arc::as_ptr(t) as usize)),
                    None => Some(vec![-(number as f64), 0.0]),
                };
                if let (Some(pfields), Some(rec)) = (
                    statement,
                    self.recording
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .as_mut(),
                ) {
                    rec.push(Recorded {
                        kind: Statement::Table,
                        time,
                        pfields,
                    });
                }
                let mut tables = self.tables.lock().unwrap_or_else(|e| e.into_inner());
                match table {
                    Some(t) => tables.insert(number, t),
                    None => tables.remove(&number),
                };
            }
            Report::Ended => {
                self.ended.store(true, Ordering::Relaxed);
                self.say(MessageKind::Info, "end of performance");
            }
        }
    }

    /// Build ready instances for a slot running low (off the audio thread).
    fn add_voices(&self, slot: usize, active: usize) {
        let orc = self
            .orchestra
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let Some(template) = orc.instruments.get(slot) else {
            return;
        };
        let count = active.clamp(256, MAX_VOICES / 4);
        let voices: Vec<Box<Instance>> = (0..count)
            .filter_map(|_| Instance::build(template, &orc).ok().map(Box::new))
            .collect();
        if let Err(e) = self.send(Command::Voices { slot, voices }) {
            self.say(MessageKind::Warning, e.to_string());
        }
    }
}

/// How the running performance is clocked.
enum Running {
    Live {
        /// `None` once stopped.
        output: Option<audio::Output>,
        relay: Option<JoinHandle<()>>,
        stop_relay: Arc<AtomicBool>,
        /// Writes what the device plays to a WAV file (`--record-audio`).
        audio_writer: Option<JoinHandle<Result<()>>>,
    },
    Offline {
        driver: Box<Driver>,
        reports: HeapCons<Report>,
        sink: Option<Sink>,
    },
}

/// A loaded, playing performance.
struct Performance {
    csd_path: PathBuf,
    csd: Csd,
    rates: Rates,
    /// Threads the engine performs on (`-j`).
    threads: usize,
    shared: Arc<Shared>,
    telemetry: Arc<Telemetry>,
    running: Running,
    next_flush: u64,
    started: Instant,
}

/// The session: zero or one performance at a time.
pub struct Session {
    clock: Clock,
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
        let perf = self.perf()?;
        perf.shared.send(Command::Withdraw { tag })
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
        let mut options = Options::default();
        options
            .apply(&csd.options)
            .map_err(|e| anyhow!("{}: <CsOptions>: {e}", path.display()))?;
        options
            .apply(&self.command_line_flags())
            .map_err(|e| anyhow!("{e}"))?;
        let ast = crate::orc::parse(&csd.orchestra).map_err(|d| anyhow!("{d}"))?;
        let orc = compiler::compile_with_channels(&ast, overrides(&options), self.channels.clone())
            .map_err(|d| anyhow!("{d}"))?;
        let score = crate::score::parse(&csd.score).map_err(|d| anyhow!("{d}"))?;
        let prepared =
            performance::prepare_with(orc.clone(), &score).map_err(|d| anyhow!("{d}"))?;
        self.stop();
        for d in &prepared.diagnostics {
            self.say(MessageKind::Warning, d.to_string());
        }
        for m in &prepared.messages {
            self.say(MessageKind::Print, m.clone());
        }
        let mut engine = prepared.engine;
        if let Some(threads) = options.threads {
            engine.set_threads(threads);
            let started = engine.threads();
            if started < threads {
                self.say(
                    MessageKind::Warning,
                    format!("-j {threads}: the system started only {started} thread(s); performing on those"),
                );
            }
        }
        let rates = engine.rates;
        let threads = engine.threads();
        // Ready voices: as many as the score has notes at once, at least a few.
        let wanted = performance::max_overlap(&engine);
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
        let (rep_tx, rep_rx) = HeapRb::<Report>::new(REPORT_CAPACITY).split();
        let shared = Arc::new(Shared {
            commands: Mutex::new(cmd_tx),
            orchestra: Mutex::new(orc),
            tables: Mutex::new(initial_tables),
            flushed: (Mutex::new(0), Condvar::new()),
            messages: self.messages_tx.clone(),
            recording: Mutex::new(self.record_to.as_ref().map(|_| Vec::new())),
            table_statements: Mutex::new(HashMap::new()),
            ended: AtomicBool::new(false),
            output: Mutex::new(OutputRing::new(rates.nchnls, rates.sr, OUTPUT_RING_SECONDS)),
        });
        let running = match &self.clock {
            Clock::Live {
                device,
                buffer_frames,
            } => {
                let mut driver = Driver::new(engine, cmd_rx, rep_tx, rates.nchnls);
                let telemetry = driver.telemetry.clone();
                let stop_relay = Arc::new(AtomicBool::new(false));
                let audio_writer = match &self.record_audio_to {
                    Some(path) => {
                        // Four seconds of slack between the device and the disk.
                        let (tap_tx, tap_rx) =
                            HeapRb::<f32>::new(rates.sr as usize * rates.nchnls * 4).split();
                        driver.set_tap(tap_tx);
                        Some(spawn_audio_writer(
                            path.clone(),
                            rates,
                            tap_rx,
                            stop_relay.clone(),
                        )?)
                    }
                    None => None,
                };
                // The recent-output ring's feed: half a second of slack, the
                // relay drains it every few milliseconds.
                let (scope_tx, scope_rx) =
                    HeapRb::<f32>::new((rates.sr as usize * rates.nchnls / 2).max(1024)).split();
                driver.set_scope(scope_tx);
                let config = OutputConfig {
                    sample_rate: rates.sr.round() as u32,
                    channels: rates.nchnls as u16,
                    buffer_frames: options.buffer.or(*buffer_frames),
                    choice: OutputChoice::from_device_name(device.as_deref()),
                };
                let output =
                    audio::start(&config, Box::new(move |buf: &mut [f32]| driver.fill(buf)))
                        .context("cannot start audio output")?;
                // Say what was opened, as a user checks it first when nothing is heard.
                let info = output.info();
                let buffer = match info.buffer_frames {
                    Some(frames) => format!("buffer {frames} frames"),
                    None => "the device's default buffer".to_string(),
                };
                let opened = match output.kind() {
                    audio::OutputKind::Device { name } => format!(
                        "playing on {name}: {} Hz, {} channels, {buffer}",
                        info.sample_rate, info.channels
                    ),
                    audio::OutputKind::NullClock { reason } => format!(
                        "playing on a silent real-time clock: {reason} ({} Hz, {} channels, {buffer})",
                        info.sample_rate, info.channels
                    ),
                };
                self.say(MessageKind::Info, opened);
                let relay = spawn_relay(
                    shared.clone(),
                    rep_rx,
                    scope_rx,
                    telemetry.clone(),
                    stop_relay.clone(),
                );
                (
                    Running::Live {
                        output: Some(output),
                        relay: Some(relay),
                        stop_relay,
                        audio_writer,
                    },
                    telemetry,
                )
            }
            Clock::Offline { path, format } => {
                let mut driver = Driver::new(engine, cmd_rx, rep_tx, rates.nchnls);
                // Offline there is no deadline: let the engine build voices itself.
                driver.engine.realtime = false;
                let telemetry = driver.telemetry.clone();
                let sink = match path {
                    Some(p) => Some(Sink::wav(p, &driver.engine, *format)?),
                    None => None,
                };
                (
                    Running::Offline {
                        driver: Box::new(driver),
                        reports: rep_rx,
                        sink,
                    },
                    telemetry,
                )
            }
        };
        let (running, telemetry) = running;
        self.perf = Some(Performance {
            csd_path: path.to_path_buf(),
            csd,
            rates,
            threads,
            shared,
            telemetry,
            running,
            next_flush: 0,
            started: Instant::now(),
        });
        self.last_csd = Some(path.to_path_buf());
        Ok(())
    }

    /// Flags given on the command line, re-applied over each CSD's options.
    fn command_line_flags(&self) -> Vec<String> {
        let o = &self.options;
        let mut f = Vec::new();
        if let Some(sr) = o.sr {
            f.push(format!("-r{sr}"));
        }
        if let Some(kr) = o.kr {
            f.push(format!("-k{kr}"));
        }
        if let Some(k) = o.ksmps {
            f.push(format!("--ksmps={k}"));
        }
        if let Some(n) = o.nchnls {
            f.push(format!("--nchnls={n}"));
        }
        if let Some(b) = o.buffer {
            f.push(format!("-b{b}"));
        }
        if let Some(j) = o.threads {
            f.push(format!("-j{j}"));
        }
        f
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
        match &mut perf.running {
            Running::Live {
                output,
                relay,
                stop_relay,
                audio_writer,
            } => {
                // Stop the device first so nothing more is played or recorded.
                if let Some(o) = output.take() {
                    o.stop();
                }
                stop_relay.store(true, Ordering::Relaxed);
                if let Some(r) = relay.take() {
                    let _ = r.join();
                }
                if let Some(w) = audio_writer.take() {
                    match w.join() {
                        Ok(Ok(())) => {
                            if let Some(path) = &self.record_audio_to {
                                self.say(
                                    MessageKind::Info,
                                    format!("audio recorded to {}", path.display()),
                                );
                            }
                        }
                        Ok(Err(e)) => {
                            self.say(MessageKind::Error, format!("audio recording: {e:#}"))
                        }
                        Err(_) => self.say(MessageKind::Error, "audio recording failed"),
                    }
                }
            }
            Running::Offline { sink, .. } => {
                if let Some(s) = sink.take()
                    && let Err(e) = s.finish()
                {
                    self.say(MessageKind::Error, format!("{e:#}"));
                }
            }
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
            .is_some_and(|p| !p.shared.ended.load(Ordering::Relaxed))
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

    // ------------------------------------------------------------ events

    /// Send a score statement. p2 counts beats from when the engine takes
    /// the event, or with `absolute` from the start of the performance.
    pub fn score_event(&mut self, kind: EventKind, pfields: &[f64], absolute: bool) -> Result<()> {
        let tag = self.event_tag;
        let perf = self.perf()?;
        match kind {
            EventKind::Table => return self.send_table(pfields, absolute),
            EventKind::Note if pfields.len() < 3 => {
                bail!("an i statement needs at least p1, p2 and p3")
            }
            EventKind::Mute if pfields.len() < 3 => {
                bail!("q needs p1 (instrument), p2 (time) and p3 (0 mutes, 1 unmutes)")
            }
            _ => {}
        }
        if pfields.len() > MAX_LIVE_PFIELDS {
            bail!(
                "at most {MAX_LIVE_PFIELDS} p-fields in a live event (got {})",
                pfields.len()
            );
        }
        if let Some(bad) = pfields.iter().position(|p| !p.is_finite()) {
            bail!("p{} is not a finite number", bad + 1);
        }
        let orc = perf
            .shared
            .orchestra
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
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
        perf.shared.send(Command::Event {
            kind: live_kind,
            event,
            absolute,
        })
    }

    /// `note(pfields)`: an `i` statement, p2 relative to now.
    pub fn note(&mut self, pfields: &[f64]) -> Result<()> {
        self.score_event(EventKind::Note, pfields, false)
    }

    fn send_table(&mut self, pfields: &[f64], absolute: bool) -> Result<()> {
        let perf = self.perf()?;
        if pfields.len() < 4 && !(pfields.len() >= 2 && pfields[0] < 0.0) {
            bail!(
                "f needs p1 (number), p2 (time), p3 (size) and p4 (GEN), then the GEN's arguments"
            );
        }
        let number = pfields[0] as i64;
        if number == 0 || number.abs() > MAX_TABLE_NUMBER {
            bail!("table number must be between 1 and {MAX_TABLE_NUMBER} (or negative to delete)");
        }
        let p2 = pfields[1];
        let table = if number < 0 {
            None
        } else {
            let known = perf
                .shared
                .tables
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            let orc = perf
                .shared
                .orchestra
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            let p: Vec<PValue> = pfields.iter().map(|v| PValue::Num(*v)).collect();
            Some(Arc::new(
                performance::make_table(&orc, number, &p, &known)
                    .map_err(|e| anyhow!("f {number}: {e}"))?,
            ))
        };
        if number.abs() >= 4096 {
            bail!("table numbers up to 4095 can be made live");
        }
        if let Some(t) = &table {
            perf.shared.remember_statement(t, pfields.to_vec());
        }
        perf.shared.send(Command::Table {
            number: number.abs(),
            table,
            p2,
            absolute,
        })
    }

    /// Make table `number` from data computed by the host (e.g. the
    /// utility library's waveforms), at once.
    pub fn set_table_data(&mut self, number: i64, points: &[f64]) -> Result<()> {
        let perf = self.perf()?;
        if !(1..4096).contains(&number) {
            bail!("table numbers 1 to 4095 can be made live (got {number})");
        }
        if points.len() < 2 {
            bail!("a table needs at least 2 points");
        }
        let len = points.len() - 1;
        let data = crate::gens::TableData {
            data: points.to_vec(),
            len,
            sample_rate: None,
            channels: 1,
            loops: [None; 2],
        };
        let table = Arc::new(Table::new(&data));
        // Recorded as GEN -2: the points themselves, not rescaled.
        let mut statement = vec![number as f64, 0.0, len as f64, -2.0];
        statement.extend_from_slice(&points[..len]);
        perf.shared.remember_statement(&table, statement);
        perf.shared.send(Command::Table {
            number,
            table: Some(table),
            p2: 0.0,
            absolute: false,
        })
    }

    /// Wait (up to `timeout`) until the engine has taken every command sent
    /// so far: after it, tables sent are made and events are scheduled.
    pub fn flush(&mut self) -> Result<()> {
        let timeout = Duration::from_secs(5);
        let perf = self
            .perf
            .as_mut()
            .ok_or_else(|| anyhow!("no performance: load a CSD first"))?;
        perf.next_flush += 1;
        let n = perf.next_flush;
        perf.shared.send(Command::Flush(n))?;
        match &mut perf.running {
            Running::Offline {
                driver, reports, ..
            } => {
                driver.take_pending_commands();
                while let Some(r) = reports.try_pop() {
                    perf.shared.handle(r);
                }
                // Tables wait for the next block's start; take them now.
                driver.engine.install_due_tables();
                driver.forward_reports();
                while let Some(r) = reports.try_pop() {
                    perf.shared.handle(r);
                }
                Ok(())
            }
            Running::Live { .. } => {
                let (lock, cv) = &perf.shared.flushed;
                let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
                let (guard, result) = cv
                    .wait_timeout_while(guard, timeout, |done| *done < n)
                    .unwrap_or_else(|e| e.into_inner());
                drop(guard);
                if result.timed_out() {
                    bail!("the engine did not answer within {} s", timeout.as_secs());
                }
                Ok(())
            }
        }
    }

    /// Let `beats` of score time pass: offline, perform them; live, sleep.
    pub fn wait(&mut self, beats: f64) -> Result<()> {
        let valid = beats.is_finite() && beats >= 0.0;
        if !valid {
            bail!("wait needs a number of beats >= 0");
        }
        let perf = self
            .perf
            .as_mut()
            .ok_or_else(|| anyhow!("no performance: load a CSD first"))?;
        match &mut perf.running {
            Running::Offline {
                driver,
                reports,
                sink,
            } => {
                let seconds = driver.engine.beats_to_seconds_from_now(beats);
                let blocks = (seconds * perf.rates.kr).round() as u64;
                // Offline, this thread is the only one that performs and the
                // only one that draws: the ring is held for the whole wait
                // (locked per block it was 2% of a render).
                let mut ring = perf.shared.output.lock().unwrap_or_else(|e| e.into_inner());
                for _ in 0..blocks {
                    if driver.engine.state == crate::engine::State::Finished {
                        break;
                    }
                    driver.block();
                    if let Some(s) = sink.as_mut() {
                        s.write(&driver.engine.spout)?;
                    }
                    ring.push_scaled(&driver.engine.spout, perf.rates.zero_dbfs);
                    ring.set_end_time(driver.engine.score_time);
                    while let Some(r) = reports.try_pop() {
                        perf.shared.handle(r);
                    }
                }
                Ok(())
            }
            Running::Live { .. } => {
                std::thread::sleep(Duration::from_secs_f64(beats));
                Ok(())
            }
        }
    }

    /// Offline: perform until the score ends (or an `e` event), at most `limit` seconds.
    pub fn run_to_end(&mut self, limit: f64) -> Result<()> {
        let kr = self.kr();
        let mut left = (limit * kr) as u64;
        while left > 0 && self.is_playing() {
            let step = left.min(kr as u64);
            self.wait(step as f64 / kr)?;
            left -= step;
            if let Some(Performance {
                running: Running::Offline { driver, .. },
                ..
            }) = &self.perf
                && driver.engine.state == crate::engine::State::Finished
            {
                break;
            }
        }
        Ok(())
    }

    /// Score time back to 0; the CSD's score plays again.
    pub fn rewind_score(&mut self) -> Result<()> {
        self.perf()?.shared.send(Command::Rewind)
    }

    // ------------------------------------------------------------ tables

    fn table_arc(&self, n: i64) -> Option<Arc<Table>> {
        self.perf
            .as_ref()?
            .shared
            .tables
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&n)
            .cloned()
    }

    /// A live view of table `n`: reads and writes reach the engine at once.
    pub fn table(&self, n: i64) -> Option<Arc<Table>> {
        self.table_arc(n)
    }

    /// Length of table `n` (without the guard point), or -1 if it does not exist.
    pub fn table_length(&self, n: i64) -> i64 {
        self.table_arc(n).map(|t| t.len() as i64).unwrap_or(-1)
    }

    /// Point `i` of table `n` (0..=length: the guard point is readable).
    pub fn table_get(&self, n: i64, i: i64) -> Result<f64> {
        let t = self
            .table_arc(n)
            .ok_or_else(|| anyhow!("table {n} does not exist"))?;
        if i < 0 || i as usize >= t.stored() {
            bail!("index {i} is outside table {n} (0 to {})", t.len());
        }
        Ok(t.get(i as usize))
    }

    /// Write point `i` of table `n`, heard at once.
    pub fn table_set(&self, n: i64, i: i64, value: f64) -> Result<()> {
        let t = self
            .table_arc(n)
            .ok_or_else(|| anyhow!("table {n} does not exist"))?;
        if i < 0 || i as usize >= t.stored() {
            bail!("index {i} is outside table {n} (0 to {})", t.len());
        }
        if !value.is_finite() {
            bail!("table values must be finite numbers");
        }
        t.edit(i as usize, value);
        Ok(())
    }

    /// Numbers of the tables that exist, ascending.
    pub fn table_numbers(&self) -> Vec<i64> {
        let Some(p) = &self.perf else {
            return Vec::new();
        };
        let mut v: Vec<i64> = p
            .shared
            .tables
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .copied()
            .collect();
        v.sort();
        v
    }

    // ------------------------------------------------------------ channels

    pub fn chnset(&self, name: &str, value: f64) -> Result<()> {
        let i = self
            .channels
            .index(name)
            .ok_or_else(|| anyhow!("too many channels"))?;
        self.channels.set(i, value);
        Ok(())
    }

    pub fn chnget(&self, name: &str) -> f64 {
        self.channels
            .find(name)
            .map(|i| self.channels.get(i))
            .unwrap_or(0.0)
    }

    // ------------------------------------------------------------ live orchestra

    /// Compile new orchestra text into the running performance. Notes
    /// playing finish on the old definitions; tables and the score clock are
    /// kept. On errors, nothing changes and the errors are returned.
    pub fn swap_orchestra(&mut self, name: &str, text: &str) -> Result<()> {
        let perf = self.perf()?;
        let source = Arc::new(crate::diag::SourceFile {
            name: name.to_string(),
            text: text.to_string(),
        });
        let ast = crate::orc::parse(&source).map_err(|d| anyhow!("{d}"))?;
        let rates = perf.rates;
        let over = RateOverrides {
            sr: Some(rates.sr),
            kr: None,
            ksmps: Some(rates.ksmps),
            nchnls: Some(rates.nchnls),
        };
        let orc = compiler::compile_with_channels(&ast, over, self.channels.clone())
            .map_err(|d| anyhow!("{d}"))?;
        let mut slots = Vec::with_capacity(orc.instruments.len());
        for t in &orc.instruments {
            let mut slot = InstrSlot::new(t.clone());
            for _ in 0..INITIAL_VOICES {
                slot.spare
                    .push(Box::new(Instance::build(t, &orc).map_err(|e| anyhow!(e))?));
            }
            slots.push(slot);
        }
        *perf
            .shared
            .orchestra
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = orc;
        perf.shared.send(Command::Swap(Box::new(slots)))?;
        self.say(
            MessageKind::Info,
            format!("orchestra swapped in from {name}"),
        );
        Ok(())
    }

    /// Re-read the loaded CSD's orchestra from disk and swap it in.
    pub fn reload_orchestra(&mut self) -> Result<()> {
        let path = self.perf()?.csd_path.clone();
        let csd = Csd::read(&path).map_err(|e| anyhow!("{e}"))?;
        self.swap_orchestra(&path.display().to_string(), &csd.orchestra.text.clone())?;
        if let Some(p) = self.perf.as_mut() {
            p.csd = csd;
        }
        Ok(())
    }

    // ------------------------------------------------------------ recording

    /// Record every event the engine takes from now on (and from the next
    /// load), written as a CSD to `path` when the performance stops.
    pub fn record_to(&mut self, path: &Path) {
        self.record_to = Some(path.to_path_buf());
        if let Some(p) = &self.perf {
            let mut rec = p.shared.recording.lock().unwrap_or_else(|e| e.into_inner());
            if rec.is_none() {
                *rec = Some(Vec::new());
            }
        }
    }

    fn write_recording(&self, perf: &Performance, path: &Path) -> Result<()> {
        let events = perf
            .shared
            .recording
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or_default();
        let text = recording_csd(
            &perf.csd,
            &events,
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
        let ring = perf.shared.output.lock().unwrap_or_else(|e| e.into_inner());
        Ok(ring.last(seconds))
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

fn overrides(o: &Options) -> RateOverrides {
    RateOverrides {
        sr: o.sr,
        kr: o.kr,
        ksmps: o.ksmps,
        nchnls: o.nchnls,
    }
}

/// The relay: reads the engine's reports every few milliseconds.
/// It also moves the scope tap's samples into the recent-output ring.
fn spawn_relay(
    shared: Arc<Shared>,
    mut reports: HeapCons<Report>,
    mut scope: HeapCons<f32>,
    telemetry: Arc<Telemetry>,
    stop: Arc<AtomicBool>,
) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("rhapsody-relay".into())
        .spawn(move || {
            let mut buf = vec![0.0f32; 8192];
            while !stop.load(Ordering::Relaxed) {
                let mut any = false;
                while let Some(r) = reports.try_pop() {
                    shared.handle(r);
                    any = true;
                }
                loop {
                    let n = scope.pop_slice(&mut buf);
                    if n == 0 {
                        break;
                    }
                    let mut ring = shared.output.lock().unwrap_or_else(|e| e.into_inner());
                    ring.push(&buf[..n]);
                    ring.set_end_time(telemetry.score_time());
                    any = true;
                }
                if !any {
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
            while let Some(r) = reports.try_pop() {
                shared.handle(r);
            }
        })
        .expect("spawning a thread")
}

/// Drains the tap into a 32-bit float WAV file until told to stop.
fn spawn_audio_writer(
    path: PathBuf,
    rates: Rates,
    mut tap: HeapCons<f32>,
    stop: Arc<AtomicBool>,
) -> Result<JoinHandle<Result<()>>> {
    let mut writer =
        crate::float_wav::FloatWav::create(&path, rates.nchnls as u16, rates.sr.round() as u32)
            .with_context(|| format!("cannot create {}", path.display()))?;
    Ok(std::thread::Builder::new()
        .name("rhapsody-record".into())
        .spawn(move || {
            let mut buf = vec![0.0f32; 8192];
            loop {
                let n = tap.pop_slice(&mut buf);
                for x in &buf[..n] {
                    writer.write_sample(*x)?;
                }
                if n == 0 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            writer.finalize()?;
            Ok(())
        })?)
}

/// A score time as the engine used it: rounded to its sample, written with
/// just enough decimals to name that sample (`1`, not `0.9999999999999996`).
fn time_text(t: f64, sr: f64) -> String {
    let sr = if sr.is_finite() && sr >= 1.0 {
        sr
    } else {
        44100.0
    };
    let rounded = (t * sr).round() / sr;
    if rounded == 0.0 {
        return "0".to_string();
    }
    let digits = (sr.log10().ceil() as usize + 1).min(12);
    let text = format!("{rounded:.digits$}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
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

/// A CSD that replays a session: the orchestra as loaded, the original
/// score without its `e`, and every statement the engine took live at the
/// score time it took effect (in beats at the score's tempo, which is the
/// default 60 unless the score says otherwise), then `e` at the end.
/// Point edits from the host (`table_set`, `t[i] = v`) are written as
/// whole-table `f` statements before the next event (see
/// `Shared::edited_tables`). Not recorded: rewinds.
fn recording_csd(csd: &Csd, events: &[Recorded], end: f64, sr: f64) -> String {
    let num = |v: f64| format!("{v}");
    let time = |v: f64| time_text(v, sr);
    let mut score = String::from("; the score of the loaded CSD\n");
    for line in csd.score.text.lines() {
        let t = line.trim_start();
        if t.starts_with('e') && (t.len() == 1 || !t.as_bytes()[1].is_ascii_alphabetic()) {
            continue;
        }
        if !t.is_empty() {
            score.push_str(t);
            score.push('\n');
        }
    }
    score.push_str("; statements sent live, at the score time the engine took them\n");
    for e in events {
        let mut f: Vec<String> = e.pfields.iter().map(|p| num(*p)).collect();
        let line = match e.kind {
            Statement::Table => {
                if f.len() > 1 {
                    f[1] = time(e.time);
                }
                format!("f {}", f.join(" "))
            }
            Statement::Live(LiveKind::Note) => {
                if f.len() > 1 {
                    f[1] = time(e.time);
                }
                format!("i {}", f.join(" "))
            }
            Statement::Live(kind @ (LiveKind::Mute | LiveKind::Unmute)) => {
                let on = if kind == LiveKind::Mute { 0 } else { 1 };
                let instr = f.first().cloned().unwrap_or_default();
                format!("q {instr} {} {on}", time(e.time))
            }
            Statement::Live(LiveKind::Advance) => {
                format!(
                    "a 0 {} {}",
                    time(e.time),
                    num(e.pfields.first().copied().unwrap_or(0.0))
                )
            }
            Statement::Live(LiveKind::End) => format!("e {}", time(e.time)),
        };
        score.push_str(&line);
        score.push('\n');
    }
    score.push_str(&format!("e {}\n", time(end)));
    format!(
        "<CsoundSynthesizer>\n<CsOptions>\n</CsOptions>\n<CsInstruments>\n{}\n</CsInstruments>\n<CsScore>\n{}</CsScore>\n</CsoundSynthesizer>\n",
        csd.orchestra.text.trim_matches('\n'),
        score
    )
}

#[cfg(test)]
mod tests {
    use super::time_text;

    #[test]
    fn recorded_times_are_rounded_to_the_engines_sample() {
        assert_eq!(time_text(0.9999999999999996, 96000.0), "1");
        assert_eq!(time_text(0.30000000000000004, 44100.0), "0.3");
        assert_eq!(time_text(-0.0, 44100.0), "0");
        // Two neighbouring samples stay apart.
        assert_ne!(
            time_text(1.0 / 96000.0, 96000.0),
            time_text(2.0 / 96000.0, 96000.0)
        );
    }
}
