//! The device path: finds a cpal output device, negotiates the stream and runs `render` in its callback.
//!
//! The callback never allocates, locks or blocks: the render function is
//! handed over through a bounded channel (polled with `try_recv` until it
//! arrives, so a failed open gives the render function back to the caller),
//! formats other than f32 go through a scratch buffer allocated up front, and
//! the error callback only bumps an atomic.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TrySendError, sync_channel};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{
    BufferSize, ErrorKind, FromSample, SampleFormat, SizedSample, StreamConfig,
    SupportedBufferSize, SupportedStreamConfigRange,
};

use super::clock::frames_to_duration;
use super::stats::Stats;
use super::{DeviceInfo, OutputConfig, Render, StreamInfo};

/// Size of the conversion scratch buffer, in frames, for non-f32 devices.
/// Larger device buffers are converted in several chunks.
const SCRATCH_FRAMES: usize = 4096;

/// Sample formats we can write, best first.
const FORMAT_PREFERENCE: [SampleFormat; 7] = [
    SampleFormat::F32,
    SampleFormat::F64,
    SampleFormat::I32,
    SampleFormat::I16,
    SampleFormat::U16,
    SampleFormat::I8,
    SampleFormat::U8,
];

/// A playing cpal stream. Dropping it stops the stream and joins its thread.
pub(crate) struct DeviceOutput {
    /// Kept alive for as long as audio should play.
    _stream: cpal::Stream,
    /// The device's id (e.g. `alsa:default`) and description.
    pub(crate) name: String,
    /// What was negotiated.
    pub(crate) info: StreamInfo,
}

/// A device's display name: `id (description)`.
pub(crate) fn device_name(device: &cpal::Device) -> String {
    let id = device
        .id()
        .map(|id| id.to_string())
        .unwrap_or_else(|_| "?".into());
    match device.description() {
        Ok(d) if d.name() != id => format!("{id} ({})", d.name()),
        _ => id,
    }
}

/// The default output device of the default host, if the host names one.
pub(crate) fn default_device() -> Option<cpal::Device> {
    super::quiet::silence_alsa();
    cpal::default_host().default_output_device()
}

/// Finds an output device by its full id (`alsa:default`), backend id
/// (`default`), or a case-insensitive substring of its id or description.
pub(crate) fn find_device(wanted: &str) -> Result<cpal::Device> {
    let host = cpal::default_host();
    // Walking every device wakes JACK, which prints past ALSA's handler.
    let devices: Vec<cpal::Device> = super::quiet::without_stderr(|| {
        host.output_devices()
            .map(|d| d.collect::<Vec<_>>())
            .context("cannot list the audio output devices")
    })?;
    pick_device(devices, wanted, "output")
}

/// The device of `devices` (the `direction`'s: "input" or "output") with
/// full id or backend id `wanted`, else the one whose name contains it
/// (case-insensitive); an error names the candidates.
pub(crate) fn pick_device(
    devices: Vec<cpal::Device>,
    wanted: &str,
    direction: &str,
) -> Result<cpal::Device> {
    let exact = devices.iter().position(|d| {
        d.id()
            .map(|id| id.to_string() == wanted || id.id() == wanted)
            .unwrap_or(false)
    });
    if let Some(i) = exact {
        return Ok(devices[i].clone());
    }
    let needle = wanted.to_lowercase();
    let matches: Vec<&cpal::Device> = devices
        .iter()
        .filter(|d| device_name(d).to_lowercase().contains(&needle))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let names: Vec<String> = devices.iter().map(device_name).collect();
            bail!(
                "no audio {direction} device matches {wanted:?}; available: {}",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            )
        }
        many => {
            let names: Vec<String> = many.iter().map(|d| device_name(d)).collect();
            bail!(
                "audio {direction} device {wanted:?} is ambiguous: {}",
                names.join(", ")
            )
        }
    }
}

/// Lists the output devices of the default host.
pub(crate) fn list() -> Result<Vec<DeviceInfo>> {
    super::quiet::without_stderr(list_quietly)
}

fn list_quietly() -> Result<Vec<DeviceInfo>> {
    let host = cpal::default_host();
    let default_id = host.default_output_device().and_then(|d| d.id().ok());
    let devices = host
        .output_devices()
        .context("cannot list the audio output devices")?;
    Ok(devices
        .map(|d| {
            let id = d.id().ok();
            let (default_config, note) = match d.default_output_config() {
                Ok(c) => (
                    Some(StreamInfo {
                        sample_rate: c.sample_rate(),
                        channels: c.channels(),
                        buffer_frames: None,
                        sample_format: c.sample_format().to_string(),
                    }),
                    None,
                ),
                Err(e) => (None, Some(e.to_string())),
            };
            DeviceInfo {
                is_default: id.is_some() && id == default_id,
                id: id.map(|i| i.to_string()).unwrap_or_else(|| "?".into()),
                description: d.description().map(|x| x.to_string()).unwrap_or_default(),
                default_config,
                note,
            }
        })
        .collect())
}

/// Picks a supported configuration range with the wanted channels and rate,
/// preferring f32.
fn pick_range(
    ranges: &[SupportedStreamConfigRange],
    channels: u16,
    rate: u32,
) -> Option<SupportedStreamConfigRange> {
    FORMAT_PREFERENCE.iter().find_map(|fmt| {
        ranges
            .iter()
            .find(|r| {
                r.channels() == channels && r.contains_rate(rate) && r.sample_format() == *fmt
            })
            .copied()
    })
}

/// Opens `device` with `config` and starts playing. On failure `render` is
/// returned with the error so the caller can fall back to the null clock.
pub(crate) fn open(
    device: &cpal::Device,
    config: &OutputConfig,
    render: Render,
    stats: &Arc<Stats>,
) -> std::result::Result<DeviceOutput, (anyhow::Error, Render)> {
    let name = device_name(device);
    let (tx, rx) = sync_channel::<Render>(1);
    let opened = build(device, &name, config, rx, stats);
    match opened {
        Ok((stream, info)) => {
            // The channel is empty; this fails only if the stream's callback is gone.
            if let Err(e) = tx.try_send(render) {
                return Err((
                    anyhow!("the audio stream on {name} stopped at once"),
                    e_into_render(e),
                ));
            }
            Ok(DeviceOutput {
                _stream: stream,
                name,
                info,
            })
        }
        Err(e) => Err((e, render)),
    }
}

/// Gets the render function back out of a failed `try_send`.
fn e_into_render(e: TrySendError<Render>) -> Render {
    match e {
        TrySendError::Full(r) | TrySendError::Disconnected(r) => r,
    }
}

/// Negotiates the configuration, builds the stream and calls `play()`.
fn build(
    device: &cpal::Device,
    name: &str,
    config: &OutputConfig,
    rx: Receiver<Render>,
    stats: &Arc<Stats>,
) -> Result<(cpal::Stream, StreamInfo)> {
    let ranges: Vec<SupportedStreamConfigRange> = device
        .supported_output_configs()
        .with_context(|| format!("cannot query the configurations of {name}"))?
        .collect();
    let range = pick_range(&ranges, config.channels, config.sample_rate).ok_or_else(|| {
        let offered: Vec<String> = ranges
            .iter()
            .map(|r| {
                format!(
                    "{} ch {}-{} Hz {}",
                    r.channels(),
                    r.min_sample_rate(),
                    r.max_sample_rate(),
                    r.sample_format()
                )
            })
            .collect();
        anyhow!(
            "{name} offers no output with {} channels at {} Hz in a usable format (offers: {})",
            config.channels,
            config.sample_rate,
            if offered.is_empty() {
                "nothing".to_string()
            } else {
                offered.join("; ")
            }
        )
    })?;
    let buffer_size = match config.buffer_frames {
        None => BufferSize::Default,
        Some(n) => match range.buffer_size() {
            SupportedBufferSize::Range { min, max } => BufferSize::Fixed(n.clamp(*min, *max)),
            SupportedBufferSize::Unknown => BufferSize::Fixed(n),
        },
    };
    let stream_config = StreamConfig {
        channels: config.channels,
        sample_rate: config.sample_rate,
        buffer_size,
    };
    let format = range.sample_format();
    let stream = match format {
        SampleFormat::F32 => build_f32(device, stream_config, rx, stats),
        SampleFormat::F64 => build_converted::<f64>(device, stream_config, rx, stats),
        SampleFormat::I32 => build_converted::<i32>(device, stream_config, rx, stats),
        SampleFormat::I16 => build_converted::<i16>(device, stream_config, rx, stats),
        SampleFormat::U16 => build_converted::<u16>(device, stream_config, rx, stats),
        SampleFormat::I8 => build_converted::<i8>(device, stream_config, rx, stats),
        SampleFormat::U8 => build_converted::<u8>(device, stream_config, rx, stats),
        other => bail!("sample format {other} is not supported"),
    }
    .with_context(|| {
        format!(
            "cannot open {name} ({} ch, {} Hz, {format}, buffer {:?})",
            config.channels, config.sample_rate, buffer_size
        )
    })?;
    stream
        .play()
        .with_context(|| format!("cannot start the stream on {name}"))?;
    let info = StreamInfo {
        sample_rate: config.sample_rate,
        channels: config.channels,
        buffer_frames: match buffer_size {
            BufferSize::Fixed(n) => Some(n),
            BufferSize::Default => None,
        },
        sample_format: format.to_string(),
    };
    Ok((stream, info))
}

/// State the data callback owns: the render function (once handed over) and
/// what it needs for the statistics.
struct Callback {
    render: Option<Render>,
    rx: Receiver<Render>,
    stats: Arc<Stats>,
    channels: usize,
    sample_rate: u32,
    /// Whether the callback thread has asked for real-time scheduling yet.
    promoted: bool,
}

impl Callback {
    fn new(config: &StreamConfig, rx: Receiver<Render>, stats: &Arc<Stats>) -> Self {
        Self {
            render: None,
            rx,
            stats: Arc::clone(stats),
            channels: usize::from(config.channels.max(1)),
            sample_rate: config.sample_rate,
            promoted: false,
        }
    }

    /// Picks up the render function if it has arrived. Lock-free, no allocation.
    /// The first call also asks for real-time scheduling of the device's
    /// callback thread (cpal starts that thread; this is our first moment on it).
    fn render_fn(&mut self) -> Option<&mut Render> {
        if !self.promoted {
            self.promoted = true;
            self.stats
                .realtime
                .store(super::priority::promote_current_thread(), Ordering::Relaxed);
        }
        if self.render.is_none() {
            self.render = self.rx.try_recv().ok();
        }
        self.render.as_mut()
    }

    /// Records the statistics for a callback of `samples` interleaved samples.
    fn finish(&self, t0: Instant, samples: usize, info: &cpal::OutputCallbackInfo) {
        let stamp = info.timestamp();
        if let Some(latency) = stamp.playback.checked_duration_since(stamp.callback) {
            self.stats.record_output_latency(latency);
        }
        let frames = (samples / self.channels) as u64;
        let t1 = Instant::now();
        self.stats.record_callback(
            t0,
            frames,
            t1 - t0,
            frames_to_duration(frames, self.sample_rate),
        );
    }
}

/// The error callback: counts xruns and other errors, nothing else.
fn error_callback(stats: &Arc<Stats>) -> impl FnMut(cpal::Error) + Send + 'static {
    let stats = Arc::clone(stats);
    move |err: cpal::Error| {
        if err.kind() == ErrorKind::Xrun {
            stats.record_xrun();
        } else {
            stats.record_error();
        }
    }
}

/// Builds an f32 stream: `render` writes straight into the device buffer.
fn build_f32(
    device: &cpal::Device,
    config: StreamConfig,
    rx: Receiver<Render>,
    stats: &Arc<Stats>,
) -> std::result::Result<cpal::Stream, cpal::Error> {
    let mut cb = Callback::new(&config, rx, stats);
    device.build_output_stream::<f32, _, _>(
        config,
        move |data: &mut [f32], info: &cpal::OutputCallbackInfo| {
            let t0 = Instant::now();
            match cb.render_fn() {
                Some(render) => render(data),
                None => data.fill(0.0),
            }
            cb.finish(t0, data.len(), info);
        },
        error_callback(stats),
        None,
    )
}

/// Builds a stream of another sample format: `render` writes f32 into a
/// scratch buffer (allocated here, not in the callback) that is converted.
fn build_converted<T>(
    device: &cpal::Device,
    config: StreamConfig,
    rx: Receiver<Render>,
    stats: &Arc<Stats>,
) -> std::result::Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + FromSample<f32>,
{
    let mut cb = Callback::new(&config, rx, stats);
    let mut scratch = vec![0.0f32; SCRATCH_FRAMES * cb.channels];
    device.build_output_stream::<T, _, _>(
        config,
        move |data: &mut [T], info: &cpal::OutputCallbackInfo| {
            let t0 = Instant::now();
            let samples = data.len();
            match cb.render_fn() {
                Some(render) => render_converted(render, data, &mut scratch),
                None => data.fill(T::EQUILIBRIUM),
            }
            cb.finish(t0, samples, info);
        },
        error_callback(stats),
        None,
    )
}

/// Renders into `scratch` (f32) in chunks and converts into `data`.
/// `scratch` must hold a whole number of frames; no allocation.
fn render_converted<T>(render: &mut Render, data: &mut [T], scratch: &mut [f32])
where
    T: SizedSample + FromSample<f32>,
{
    if scratch.is_empty() {
        data.fill(T::EQUILIBRIUM);
        return;
    }
    for chunk in data.chunks_mut(scratch.len()) {
        let tmp = &mut scratch[..chunk.len()];
        render(tmp);
        for (out, x) in chunk.iter_mut().zip(tmp.iter()) {
            *out = T::from_sample(device_sample(*x));
        }
    }
}

/// A sample for the device: clamped to full scale, and 0 for NaN (which
/// `clamp` passes through unchanged). The engine silences notes that go
/// non-finite; this is the last fence before the sound card.
#[inline]
fn device_sample(x: f32) -> f32 {
    if x.is_nan() { 0.0 } else { x.clamp(-1.0, 1.0) }
}

/// The reason text when the default device cannot be used.
pub(crate) fn describe_default_failure(err: &anyhow::Error) -> String {
    format!("no usable default audio device: {err:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_never_reaches_the_device() {
        assert_eq!(device_sample(f32::NAN), 0.0);
        assert_eq!(device_sample(f32::INFINITY), 1.0);
        assert_eq!(device_sample(f32::NEG_INFINITY), -1.0);
        assert_eq!(device_sample(0.25), 0.25);
    }

    #[test]
    fn conversion_covers_the_whole_buffer_in_chunks() {
        let mut n = 0u32;
        let mut render: Render = Box::new(move |buf: &mut [f32]| {
            for x in buf.iter_mut() {
                *x = [0.0, 0.5, -1.0, 2.0][(n % 4) as usize];
                n += 1;
            }
        });
        let mut data = [7i16; 10];
        let mut scratch = [0.0f32; 4];
        render_converted(&mut render, &mut data, &mut scratch);
        assert_eq!(
            data,
            [0, 16384, -32768, 32767, 0, 16384, -32768, 32767, 0, 16384]
        );

        let mut data = [0u8; 3];
        render_converted(&mut render, &mut data, &mut scratch);
        // Continues the sequence at index 10: -1.0, 2.0 (clamped to 1.0), 0.0.
        assert_eq!(data, [0, 255, 128]);
    }
}
