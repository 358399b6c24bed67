//! What clocks a performance. Two clocks, one code path: live, the
//! [`Driver`] runs in the audio callback (sound card or silent clock) and the
//! relay thread handles its reports; offline, the session owns the driver and
//! performs blocks itself when asked to advance time (`wait`), writing them
//! to a file, so that a script is a reproducible piece.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use ringbuf::traits::{Consumer, Split};
use ringbuf::{HeapCons, HeapRb};

use super::relay::{self, Relay, lock};
use crate::audio::wav::Sink;
use crate::audio::{self, OutputChoice, OutputConfig};
use crate::engine::State;
use crate::engine::context::{MessageKind, Rates};
use crate::engine::driver::{Driver, Report, Telemetry};
use crate::options::SampleFormat;

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

/// How the running performance is clocked.
// One per performance, on the control side: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub(super) enum Running {
    Live {
        /// `None` once stopped.
        output: Option<audio::Output>,
        relay: Option<JoinHandle<()>>,
        stop_relay: Arc<AtomicBool>,
        /// Writes what the device plays to a WAV file (`--record-audio`).
        audio_writer: Option<JoinHandle<Result<()>>>,
        /// The sound card's input stream (`-i adc`), if one was opened.
        input: Option<audio::input::InputStream>,
    },
    Offline {
        driver: Box<Driver>,
        reports: HeapCons<Report>,
        sink: Option<Sink>,
    },
}

impl Running {
    /// Start `driver` on `clock`: live, on the device with the relay thread;
    /// offline, ready for [`Running::perform`]. `buffer` is `-b` (it wins
    /// over the clock's own), `record_audio` where `--record-audio` writes,
    /// `input` the `-i adc[:NAME]` flag's value when the input is live.
    pub(super) fn start(
        clock: &Clock,
        mut driver: Driver,
        reports: HeapCons<Report>,
        relay: &Arc<Relay>,
        buffer: Option<u32>,
        record_audio: Option<&Path>,
        input: Option<&str>,
    ) -> Result<(Running, Arc<Telemetry>)> {
        let rates = driver.engine.rates;
        let telemetry = driver.telemetry.clone();
        match clock {
            Clock::Live {
                device,
                buffer_frames,
            } => {
                let stop_relay = Arc::new(AtomicBool::new(false));
                let audio_writer = match record_audio {
                    Some(path) => {
                        // Four seconds of slack between the device and the disk.
                        let (tap_tx, tap_rx) =
                            HeapRb::<f32>::new(rates.sr as usize * rates.nchnls * 4).split();
                        driver.set_tap(tap_tx);
                        Some(audio::wav::spawn_tap_writer(
                            path,
                            rates.sr,
                            rates.nchnls,
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
                    buffer_frames: buffer.or(*buffer_frames),
                    choice: OutputChoice::from_device_name(device.as_deref()),
                };
                let input = match input {
                    Some(flag) => open_device_input(flag, &config, &mut driver, rates, relay),
                    None => None,
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
                relay.say(MessageKind::Info, opened);
                if let Some(i) = &input {
                    relay.say(
                        MessageKind::Info,
                        input_latency(i, info.buffer_frames, rates),
                    );
                }
                let relay = relay::spawn(
                    relay.clone(),
                    reports,
                    scope_rx,
                    telemetry.clone(),
                    stop_relay.clone(),
                );
                let running = Running::Live {
                    output: Some(output),
                    relay: Some(relay),
                    stop_relay,
                    audio_writer,
                    input,
                };
                Ok((running, telemetry))
            }
            Clock::Offline { path, format } => {
                // Offline there is no deadline: let the engine build voices itself.
                driver.engine.realtime = false;
                let sink = match path {
                    Some(p) => Some(Sink::wav(
                        p,
                        rates.sr,
                        rates.nchnls,
                        rates.zero_dbfs,
                        *format,
                    )?),
                    None => None,
                };
                let running = Running::Offline {
                    driver: Box::new(driver),
                    reports,
                    sink,
                };
                Ok((running, telemetry))
            }
        }
    }

    /// Offline: perform `blocks` blocks (fewer if the performance ends),
    /// writing them out and handling the reports after each.
    pub(super) fn perform(&mut self, blocks: u64, relay: &Relay, rates: Rates) -> Result<()> {
        let Running::Offline {
            driver,
            reports,
            sink,
        } = self
        else {
            return Ok(());
        };
        // Offline, this thread is the only one that performs and the only
        // one that draws: the ring is held for the whole wait.
        let mut ring = lock(&relay.output);
        for _ in 0..blocks {
            if driver.engine.state == State::Finished {
                break;
            }
            driver.block();
            if let Some(s) = sink.as_mut() {
                s.write(&driver.engine.spout)?;
            }
            ring.push_scaled(&driver.engine.spout, rates.zero_dbfs);
            ring.set_end_time(driver.engine.score_time);
            while let Some(r) = reports.try_pop() {
                relay.handle(r);
            }
        }
        Ok(())
    }

    /// Offline: take every command sent and the tables due, now, as the
    /// next block would. Live this is the engine's to do.
    pub(super) fn take_commands_now(&mut self, relay: &Relay) {
        let Running::Offline {
            driver, reports, ..
        } = self
        else {
            return;
        };
        driver.take_pending_commands();
        while let Some(r) = reports.try_pop() {
            relay.handle(r);
        }
        // Tables wait for the next block's start; take them now.
        driver.engine.install_due_tables();
        driver.forward_reports();
        while let Some(r) = reports.try_pop() {
            relay.handle(r);
        }
    }

    /// The offline engine, if this clock is offline.
    pub(super) fn offline_engine(&self) -> Option<&crate::engine::Engine> {
        match self {
            Running::Offline { driver, .. } => Some(&driver.engine),
            Running::Live { .. } => None,
        }
    }

    /// Whether what the device plays is being written (`--record-audio`).
    pub(super) fn records_audio(&self) -> bool {
        matches!(
            self,
            Running::Live {
                audio_writer: Some(_),
                ..
            }
        )
    }

    /// Stop: the device first (so nothing more is played or recorded), then
    /// the relay and the audio recording; offline, close the file. Returns
    /// the errors to report.
    pub(super) fn stop(&mut self) -> Vec<String> {
        let mut errors = Vec::new();
        match self {
            Running::Live {
                output,
                relay,
                stop_relay,
                audio_writer,
                input,
            } => {
                if let Some(o) = output.take() {
                    o.stop();
                }
                *input = None;
                stop_relay.store(true, Ordering::Relaxed);
                if let Some(r) = relay.take() {
                    let _ = r.join();
                }
                if let Some(w) = audio_writer.take() {
                    match w.join() {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => errors.push(format!("audio recording: {e:#}")),
                        Err(_) => errors.push("audio recording failed".to_string()),
                    }
                }
            }
            Running::Offline { sink, .. } => {
                if let Some(s) = sink.take()
                    && let Err(e) = s.finish()
                {
                    errors.push(format!("{e:#}"));
                }
            }
        }
        errors
    }
}

/// Open the sound card's input for `-i adc` / `-i adc:NAME` and connect it to
/// the engine's input bus. On the silent clock, or when the input cannot be
/// opened (no sound card), the input stays silence and the message says why:
/// the performance goes on.
fn open_device_input(
    flag: &str,
    config: &OutputConfig,
    driver: &mut Driver,
    rates: Rates,
    relay: &Relay,
) -> Option<audio::input::InputStream> {
    if config.choice == OutputChoice::NullClock {
        relay.say(
            MessageKind::Info,
            "audio input: silence (the silent clock has no input)",
        );
        return None;
    }
    let name = flag.strip_prefix("adc:").filter(|n| !n.is_empty());
    // Half a second of slack: the engine takes a block at a time, the
    // device delivers a buffer at a time.
    let (tx, rx) = HeapRb::<f32>::new((rates.sr as usize * rates.nchnls_i / 2).max(4096)).split();
    match audio::input::open_input(
        name,
        rates.nchnls_i as u16,
        config.sample_rate,
        config.buffer_frames,
        tx,
    ) {
        Ok(stream) => {
            driver
                .engine
                .set_input(Some(Box::new(super::input::DeviceInput::new(rx))));
            Some(stream)
        }
        Err(e) => {
            relay.say(
                MessageKind::Warning,
                format!("audio input unavailable, the input is silence: {e:#}"),
            );
            None
        }
    }
}

/// The input-to-output latency the buffers make: the input device's buffer
/// (a block waits in it until the callback delivers it) plus the output's
/// (what the engine writes waits there until it is played).
fn input_latency(input: &audio::input::InputStream, output: Option<u32>, rates: Rates) -> String {
    match (input.buffer_frames, output) {
        (Some(i), Some(o)) => format!(
            "audio input: {}; input-to-output latency about {:.1} ms ({i} + {o} frames of buffer)",
            input.name,
            f64::from(i + o) * 1000.0 / rates.sr
        ),
        _ => format!(
            "audio input: {}; input-to-output latency: the devices' default buffers (give -b to set it)",
            input.name
        ),
    }
}
