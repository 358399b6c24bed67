//! Audio input, every source: a WAV file read whole (`-i FILE`, offline or
//! live) and a sound card's input stream (`-i adc`) feeding a lock-free
//! ring. Like the rest of this module it knows nothing about the engine:
//! it hands out interleaved `f32` samples in [-1, 1].

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, anyhow};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use ringbuf::HeapProd;
use ringbuf::traits::Producer;

/// A WAV file's samples, interleaved as in the file, in [-1, 1].
pub struct InputFile {
    pub samples: Vec<f32>,
    pub channels: usize,
    pub sample_rate: u32,
}

/// Read the whole of `path` (a regular WAV file of at most
/// [`crate::files::MAX_SOUND_BYTES`]): integer samples are scaled by their
/// bit depth, as csound's reader does.
pub fn read_input_file(path: &Path) -> Result<InputFile, String> {
    let name = path.display();
    let why = |e: String| format!("cannot read the input file {name}: {e}");
    let (file, bytes) =
        crate::files::open_regular(path, crate::files::MAX_SOUND_BYTES).map_err(why)?;
    let reader =
        hound::WavReader::new(std::io::BufReader::new(file)).map_err(|e| why(e.to_string()))?;
    let spec = reader.spec();
    let count = u64::from(reader.len());
    // A header claiming more samples than the file holds is refused before
    // anything is reserved for them.
    if count * u64::from(spec.bits_per_sample.div_ceil(8)) > bytes {
        return Err(why(format!(
            "the header claims {count} samples, more than the file's {bytes} bytes hold"
        )));
    }
    let mut samples: Vec<f32> = Vec::new();
    samples
        .try_reserve_exact(count as usize)
        .map_err(|_| why(format!("not enough memory for {count} samples")))?;
    let bad = |e: hound::Error| why(format!("error reading the samples: {e}"));
    match spec.sample_format {
        hound::SampleFormat::Float => {
            for s in reader.into_samples::<f32>() {
                samples.push(s.map_err(bad)?);
            }
        }
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f64;
            for s in reader.into_samples::<i32>() {
                samples.push((s.map_err(bad)? as f64 * scale) as f32);
            }
        }
    }
    Ok(InputFile {
        samples,
        channels: usize::from(spec.channels),
        sample_rate: spec.sample_rate,
    })
}

/// A sound card's input stream, running: its callback pushes interleaved
/// `f32` samples into the ring given to [`open_input`]. Dropping it stops
/// the stream.
pub struct InputStream {
    _stream: cpal::Stream,
    /// The device's id and description.
    pub name: String,
    /// The buffer asked of the device (`None`: its default).
    pub buffer_frames: Option<u32>,
    /// Samples the callback found no room for in the ring (the engine fell
    /// behind, or is not reading): counted, never waited for.
    pub overflow: Arc<AtomicU64>,
}

/// Open the input device `name` (`None`: the default input; otherwise an id
/// such as `alsa:default` or a unique substring of an id or description)
/// with `channels` at `sample_rate`, and start it feeding `ring`. The
/// callback only copies and counts: it never allocates, locks or waits.
pub fn open_input(
    name: Option<&str>,
    channels: u16,
    sample_rate: u32,
    buffer_frames: Option<u32>,
    mut ring: HeapProd<f32>,
) -> Result<InputStream> {
    super::quiet::silence_alsa();
    let host = cpal::default_host();
    let device = match name {
        None => host
            .default_input_device()
            .ok_or_else(|| anyhow!("no default audio input device"))?,
        Some(wanted) => find_input(&host, wanted)?,
    };
    let label = super::device::device_name(&device);
    let ranges: Vec<cpal::SupportedStreamConfigRange> = device
        .supported_input_configs()
        .with_context(|| format!("cannot query the input configurations of {label}"))?
        .collect();
    let range = ranges
        .iter()
        .find(|r| {
            r.channels() == channels
                && r.contains_rate(sample_rate)
                && r.sample_format() == cpal::SampleFormat::F32
        })
        .ok_or_else(|| {
            anyhow!("{label} offers no f32 input with {channels} channels at {sample_rate} Hz")
        })?;
    let buffer_size = match buffer_frames {
        None => cpal::BufferSize::Default,
        Some(n) => match range.buffer_size() {
            cpal::SupportedBufferSize::Range { min, max } => {
                cpal::BufferSize::Fixed(n.clamp(*min, *max))
            }
            cpal::SupportedBufferSize::Unknown => cpal::BufferSize::Fixed(n),
        },
    };
    let config = cpal::StreamConfig {
        channels,
        sample_rate,
        buffer_size,
    };
    let overflow = Arc::new(AtomicU64::new(0));
    let lost = overflow.clone();
    let stream = device
        .build_input_stream::<f32, _, _>(
            config,
            move |data: &[f32], _: &cpal::InputCallbackInfo| {
                let pushed = ring.push_slice(data);
                if pushed < data.len() {
                    lost.fetch_add((data.len() - pushed) as u64, Ordering::Relaxed);
                }
            },
            |_| {},
            None,
        )
        .with_context(|| format!("cannot open the input of {label}"))?;
    stream
        .play()
        .with_context(|| format!("cannot start the input of {label}"))?;
    Ok(InputStream {
        _stream: stream,
        name: label,
        buffer_frames: match buffer_size {
            cpal::BufferSize::Fixed(n) => Some(n),
            cpal::BufferSize::Default => None,
        },
        overflow,
    })
}

/// An input device by full id, backend id, or a unique substring.
fn find_input(host: &cpal::Host, wanted: &str) -> Result<cpal::Device> {
    let devices: Vec<cpal::Device> = super::quiet::without_stderr(|| {
        host.input_devices()
            .map(|d| d.collect::<Vec<_>>())
            .context("cannot list the audio input devices")
    })?;
    super::device::pick_device(devices, wanted, "input")
}
