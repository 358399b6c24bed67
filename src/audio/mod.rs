//! Audio output, every sink: a render function played on a cpal device or
//! on a paced silent clock when there is none, WAV files ([`wav`]), and the
//! one conversion of the engine's samples for all of them ([`sample`]).
//!
//! The module knows nothing about the engine: it calls a [`Render`] function
//! that fills interleaved `f32` frames. [`start`] opens the device (or the
//! null clock) and returns an [`Output`] that keeps it running; [`Stats`]
//! count callbacks, frames, xruns and the callback load without locks.
//!
//! ```no_run
//! use rhapsody::audio::{OutputChoice, OutputConfig};
//! let config = OutputConfig { sample_rate: 48_000, channels: 2, buffer_frames: Some(256),
//!                             choice: OutputChoice::Default };
//! let mut phase = 0.0f32;
//! let out = rhapsody::audio::start(&config, Box::new(move |buf: &mut [f32]| {
//!     for frame in buf.chunks_mut(2) {
//!         phase = (phase + 440.0 / 48_000.0).fract();
//!         frame.fill((phase * std::f32::consts::TAU).sin() * 0.2);
//!     }
//! }))?;
//! println!("{}", out.kind());
//! # Ok::<(), anyhow::Error>(())
//! ```

mod clock;
mod device;
mod float_wav;
pub mod input;
pub mod output_ring;
pub(crate) mod priority;
pub(crate) mod quiet;
pub mod sample;
mod stats;
pub mod wav;

use std::fmt;
use std::sync::Arc;

use anyhow::{Context, Result};

pub use stats::{LOAD_BUCKETS, Stats, StatsSnapshot};

/// Buffer size of the null clock when none is asked for, in frames.
pub const DEFAULT_CLOCK_FRAMES: u32 = 256;

/// Called on the audio thread to fill interleaved `f32` frames (every sample
/// of the slice). Must not allocate, lock, block or do I/O. The slice length
/// is a whole number of frames but may vary from call to call.
pub type Render = Box<dyn FnMut(&mut [f32]) + Send + 'static>;

/// Where audio goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputChoice {
    /// The host's default device; falls back to the null clock when it cannot
    /// be used (no sound card), saying why in [`OutputKind::NullClock`].
    Default,
    /// A device by id (`alsa:default`, `default`) or by a unique
    /// case-insensitive substring of its id or description. No fallback.
    Device(String),
    /// No device: a thread that calls the render function at real-time pace.
    NullClock,
}

/// The `--device` name that asks for the paced silent clock even when a
/// sound card (or PulseAudio) is there: for headless runs and for tests
/// that must not depend on what the machine plays through.
pub const SILENT_CLOCK_DEVICE: &str = "silent";

impl OutputChoice {
    /// The choice a `--device` value names: none is the default device,
    /// [`SILENT_CLOCK_DEVICE`] the silent clock, anything else a device.
    pub fn from_device_name(name: Option<&str>) -> OutputChoice {
        match name {
            None => OutputChoice::Default,
            Some(SILENT_CLOCK_DEVICE) => OutputChoice::NullClock,
            Some(d) => OutputChoice::Device(d.to_string()),
        }
    }
}

/// What to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputConfig {
    /// Frames per second.
    pub sample_rate: u32,
    /// Interleaved channels per frame.
    pub channels: u16,
    /// Requested buffer size in frames (`-b`); `None` lets the device choose
    /// (the null clock then uses [`DEFAULT_CLOCK_FRAMES`]). Devices may
    /// deliver other callback sizes than asked for.
    pub buffer_frames: Option<u32>,
    /// Which output.
    pub choice: OutputChoice,
}

/// What [`start`] actually opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputKind {
    /// A cpal device, named `id (description)`.
    Device {
        /// The device's id and description.
        name: String,
    },
    /// The paced silent clock, and why it is used.
    NullClock {
        /// Why there is no device (e.g. "no default output device").
        reason: String,
    },
}

impl fmt::Display for OutputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputKind::Device { name } => write!(f, "audio output: {name}"),
            OutputKind::NullClock { reason } => {
                write!(f, "audio output: silent real-time clock ({reason})")
            }
        }
    }
}

/// A stream configuration: what was negotiated, or a device's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamInfo {
    /// Frames per second.
    pub sample_rate: u32,
    /// Interleaved channels.
    pub channels: u16,
    /// The buffer size requested from the device (after clamping to its
    /// range), or the null clock's buffer; `None` = the device's default.
    pub buffer_frames: Option<u32>,
    /// The device's sample format (`f32`, `i16`, ...); render always sees f32.
    pub sample_format: String,
}

/// An output device as listed by [`list_devices`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// The id to pass as [`OutputChoice::Device`], e.g. `alsa:default`.
    pub id: String,
    /// The backend's description of the device.
    pub description: String,
    /// Whether the host names it as its default output.
    pub is_default: bool,
    /// The device's default configuration, when it could be queried.
    pub default_config: Option<StreamInfo>,
    /// Why the default configuration could not be queried.
    pub note: Option<String>,
}

/// Lists the output devices of the default host with their default
/// configurations. What ALSA and JACK would print about missing cards while
/// each device is opened is silenced.
pub fn list_devices() -> Result<Vec<DeviceInfo>> {
    device::list()
}

/// A running output. Keeps the stream or clock thread alive; [`Output::stop`]
/// or dropping it stops playback and joins the audio thread.
pub struct Output {
    kind: OutputKind,
    info: StreamInfo,
    stats: Arc<Stats>,
    _backend: Backend,
}

// The output can be handed to another thread (e.g. a console front end).
const _: () = {
    const fn assert_send<T: Send>() {}
    assert_send::<Output>();
};

/// What keeps the audio running; dropped to stop it.
enum Backend {
    Device { _stream: device::DeviceOutput },
    Clock { _thread: clock::NullClock },
}

impl Output {
    /// What was opened: a device, or the null clock and why.
    pub fn kind(&self) -> OutputKind {
        self.kind.clone()
    }

    /// The negotiated stream configuration.
    pub fn info(&self) -> &StreamInfo {
        &self.info
    }

    /// The live counters of this output.
    pub fn stats(&self) -> Arc<Stats> {
        Arc::clone(&self.stats)
    }

    /// Stops playback and waits for the audio thread to finish (the same as
    /// dropping the output).
    pub fn stop(self) {
        drop(self);
    }
}

/// Starts audio output: calls `render` on the audio thread until the returned
/// [`Output`] is stopped or dropped.
///
/// With [`OutputChoice::Default`] and no usable default device, this falls
/// back to the null clock and says why in [`Output::kind`]; an explicitly
/// named device that cannot be opened is an error.
pub fn start(config: &OutputConfig, render: Render) -> Result<Output> {
    anyhow::ensure!(config.sample_rate > 0, "the sample rate must be above 0 Hz");
    anyhow::ensure!(config.channels > 0, "the channel count must be above 0");
    anyhow::ensure!(
        config.buffer_frames != Some(0),
        "the buffer size must be above 0 frames"
    );
    let stats = Arc::new(Stats::new());
    match &config.choice {
        OutputChoice::NullClock => start_clock(
            config,
            render,
            stats,
            format!("requested (--device {SILENT_CLOCK_DEVICE})"),
        ),
        OutputChoice::Device(wanted) => {
            let dev = device::find_device(wanted)?;
            match device::open(&dev, config, render, &stats) {
                Ok(out) => Ok(device_output(out, stats)),
                Err((e, _render)) => {
                    Err(e.context(format!("cannot use the audio device {wanted:?}")))
                }
            }
        }
        OutputChoice::Default => match device::default_device() {
            None => start_clock(
                config,
                render,
                stats,
                "no default audio output device".to_string(),
            ),
            Some(dev) => match device::open(&dev, config, render, &stats) {
                Ok(out) => Ok(device_output(out, stats)),
                Err((e, render)) => {
                    // Counters from the failed attempt would confuse readers.
                    let stats = Arc::new(Stats::new());
                    start_clock(config, render, stats, device::describe_default_failure(&e))
                }
            },
        },
    }
}

/// Wraps a playing device.
fn device_output(out: device::DeviceOutput, stats: Arc<Stats>) -> Output {
    Output {
        kind: OutputKind::Device {
            name: out.name.clone(),
        },
        info: out.info.clone(),
        stats,
        _backend: Backend::Device { _stream: out },
    }
}

/// Starts the null clock.
fn start_clock(
    config: &OutputConfig,
    render: Render,
    stats: Arc<Stats>,
    reason: String,
) -> Result<Output> {
    let frames = config.buffer_frames.unwrap_or(DEFAULT_CLOCK_FRAMES);
    let clock = clock::NullClock::start(
        config.sample_rate,
        config.channels,
        frames,
        render,
        Arc::clone(&stats),
    )
    .context("cannot start the silent real-time clock")?;
    Ok(Output {
        kind: OutputKind::NullClock { reason },
        info: StreamInfo {
            sample_rate: config.sample_rate,
            channels: config.channels,
            buffer_frames: Some(frames),
            sample_format: "f32".to_string(),
        },
        stats,
        _backend: Backend::Clock { _thread: clock },
    })
}
