//! WAV files, the one writer of sound files: the offline render's output
//! (converted and written on a thread of its own) and `--record-audio`'s
//! copy of what the device played. Float files go through
//! [`super::float_wav`] for the header readers expect.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use ringbuf::HeapCons;
use ringbuf::traits::Consumer;

use super::float_wav::FloatWav;
use super::sample::{to_f32, to_i16, to_i24};
use crate::options::SampleFormat;

/// Where rendered audio goes.
pub enum Sink {
    Wav(WavThread),
    Nowhere,
}

/// Samples sent to the writer thread at a time (0.7 s of stereo at 44.1
/// kHz, 512 KB): each hand-off wakes the writer, which costs the engine's
/// thread a system call and, in a virtual machine, an interrupt to the
/// other core (with 8192-sample chunks that was 3% of a render).
const CHUNK: usize = 1 << 16;
/// Chunks that may wait for the writer before the engine waits for it.
const CHUNKS_IN_FLIGHT: usize = 4;

/// Largest WAV data a RIFF header can describe (its sizes are 32-bit).
pub const WAV_MAX_DATA_BYTES: u64 = u32::MAX as u64 - 36;

/// Bytes one sample takes in `format`.
pub fn sample_bytes(format: SampleFormat) -> u64 {
    match format {
        SampleFormat::Int16 => 2,
        SampleFormat::Int24 => 3,
        SampleFormat::Float32 => 4,
    }
}

/// A WAV file written on a thread of its own, so that converting samples
/// and the file system's work (together 6% of a render) run on the other
/// core while the engine performs. Offline only: it allocates and blocks.
pub struct WavThread {
    chunk: Vec<f64>,
    to_writer: Option<SyncSender<Vec<f64>>>,
    /// Chunks the writer has emptied, for reuse.
    spare: Receiver<Vec<f64>>,
    writer: Option<JoinHandle<Result<()>>>,
    path: PathBuf,
    /// Data bytes sent so far and the size of one sample: the header's
    /// 32-bit sizes are never allowed to wrap.
    bytes: u64,
    sample_bytes: u64,
}

impl Sink {
    /// A WAV file of `channels` at `sample_rate`; samples written are
    /// divided by `full_scale` (the orchestra's 0dbfs).
    pub fn wav(
        path: &Path,
        sample_rate: f64,
        channels: usize,
        full_scale: f64,
        format: SampleFormat,
    ) -> Result<Sink> {
        let mut file = create(path, sample_rate, channels, format)?;
        let scale = 1.0 / full_scale;
        let (to_writer, chunks) = sync_channel::<Vec<f64>>(CHUNKS_IN_FLIGHT);
        let (give_back, spare) = channel();
        let writer = thread::Builder::new()
            .name("rhapsody-wav".into())
            .spawn(move || {
                for chunk in chunks {
                    write_samples(&mut file, &chunk, scale, format)?;
                    // The engine may have finished and gone: then nobody
                    // wants the chunk back.
                    let _ = give_back.send(chunk);
                }
                file.finalize()?;
                Ok(())
            })
            .context("cannot start the WAV writer thread")?;
        Ok(Sink::Wav(WavThread {
            chunk: Vec::with_capacity(CHUNK),
            to_writer: Some(to_writer),
            spare,
            writer: Some(writer),
            path: path.to_path_buf(),
            bytes: 0,
            sample_bytes: sample_bytes(format),
        }))
    }

    /// Write one block of interleaved samples in the orchestra's units.
    pub fn write(&mut self, block: &[f64]) -> Result<()> {
        let Sink::Wav(wav) = self else {
            return Ok(());
        };
        wav.bytes += block.len() as u64 * wav.sample_bytes;
        if wav.bytes > WAV_MAX_DATA_BYTES {
            return Err(anyhow!(
                "{}: the output reached the 4 GiB a WAV file can hold; render stopped \
                 (the file holds what came before)",
                wav.path.display()
            ));
        }
        wav.chunk.extend_from_slice(block);
        if wav.chunk.len() >= CHUNK {
            wav.send()?;
        }
        Ok(())
    }

    /// Write what is left and close the file; reports a write that failed.
    pub fn finish(self) -> Result<()> {
        if let Sink::Wav(mut wav) = self {
            wav.send()?;
            wav.close()?;
        }
        Ok(())
    }
}

impl WavThread {
    /// Hand the current chunk to the writer and start another.
    fn send(&mut self) -> Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let mut next = self.spare.try_recv().unwrap_or_default();
        next.clear();
        let full = std::mem::replace(&mut self.chunk, next);
        let sent = self.to_writer.as_ref().map(|w| w.send(full));
        if !matches!(sent, Some(Ok(()))) {
            // The writer stopped: its error says why.
            return self.close();
        }
        Ok(())
    }

    /// Stop the writer and wait for it: the file is complete, or its error.
    fn close(&mut self) -> Result<()> {
        self.to_writer = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => {
                result.with_context(|| format!("cannot write {}", self.path.display()))
            }
            Some(Err(_)) => Err(anyhow!("the WAV writer for {} failed", self.path.display())),
            None => Err(anyhow!("{} is already closed", self.path.display())),
        }
    }
}

impl Drop for WavThread {
    /// A render that stops early still leaves a readable file.
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = self.send();
            let _ = self.close();
        }
    }
}

/// An open WAV file: integers through hound, floats through our own writer
/// (hound writes no `fact` chunk, which a float file must carry).
enum File {
    Int(hound::WavWriter<std::io::BufWriter<std::fs::File>>),
    Float(FloatWav),
}

impl File {
    fn finalize(self) -> Result<()> {
        match self {
            File::Int(w) => w.finalize()?,
            File::Float(w) => w.finalize()?,
        }
        Ok(())
    }
}

/// Create a WAV file of `channels` at `sample_rate` in `format`.
fn create(path: &Path, sample_rate: f64, channels: usize, format: SampleFormat) -> Result<File> {
    let rate = sample_rate.round() as u32;
    let bits = match format {
        SampleFormat::Float32 => {
            return FloatWav::create(path, channels as u16, rate)
                .map(File::Float)
                .with_context(|| format!("cannot create {}", path.display()));
        }
        SampleFormat::Int16 => 16,
        SampleFormat::Int24 => 24,
    };
    let spec = hound::WavSpec {
        channels: channels as u16,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: hound::SampleFormat::Int,
    };
    hound::WavWriter::create(path, spec)
        .map(File::Int)
        .with_context(|| format!("cannot create {}", path.display()))
}

/// Convert `block` (orchestra units times `scale` gives full scale 1) to
/// `format` and append it to `file`. Samples already converted for the
/// device (`f32`, `scale` 1) pass through unchanged.
fn write_samples<T: Copy + Into<f64>>(
    file: &mut File,
    block: &[T],
    scale: f64,
    format: SampleFormat,
) -> Result<()> {
    match file {
        File::Float(f) => {
            for &x in block {
                f.write_sample(to_f32(x.into(), scale))?;
            }
        }
        File::Int(w) if format == SampleFormat::Int16 => {
            // hound's 16-bit writer fills one buffer for the block: per
            // sample `write_sample` was a tenth of a whole render.
            let mut samples = w.get_i16_writer(block.len() as u32);
            for &x in block {
                samples.write_sample(to_i16(x.into(), scale));
            }
            samples.flush()?;
        }
        File::Int(w) => {
            for &x in block {
                w.write_sample(to_i24(x.into(), scale))?;
            }
        }
    }
    Ok(())
}

/// `--record-audio`: drains `tap` (what the device played, already in
/// full-scale `f32`) into a 32-bit float WAV file until `stop` is set and
/// the tap is empty, on a thread of its own.
pub fn spawn_tap_writer(
    path: &Path,
    sample_rate: f64,
    channels: usize,
    tap: HeapCons<f32>,
    stop: Arc<AtomicBool>,
) -> Result<JoinHandle<Result<()>>> {
    spawn_tap_writer_after(path, sample_rate, channels, tap, stop, 0)
}

/// How many of `samples` more samples of `bytes` each, whole frames of
/// `channels`, fit in a WAV whose data holds `written` bytes already.
pub fn samples_that_fit(written: u64, samples: usize, bytes: u64, channels: usize) -> usize {
    let frame = bytes * channels.max(1) as u64;
    let room = WAV_MAX_DATA_BYTES.saturating_sub(written) / frame * channels.max(1) as u64;
    samples.min(usize::try_from(room).unwrap_or(usize::MAX))
}

/// [`spawn_tap_writer`] counting `written` data bytes as already in the
/// file (tests: the 4 GiB limit without writing 4 GiB). At the limit the
/// recording stops on a whole frame, the header stays right, the tap is
/// still drained (the device never waits), and the thread's result says so.
pub(crate) fn spawn_tap_writer_after(
    path: &Path,
    sample_rate: f64,
    channels: usize,
    mut tap: HeapCons<f32>,
    stop: Arc<AtomicBool>,
    mut written: u64,
) -> Result<JoinHandle<Result<()>>> {
    let format = SampleFormat::Float32;
    let mut file = create(path, sample_rate, channels, format)?;
    let shown = path.display().to_string();
    Ok(thread::Builder::new()
        .name("rhapsody-record".into())
        .spawn(move || {
            let mut buf = vec![0.0f32; 8192];
            let mut full = false;
            loop {
                let n = tap.pop_slice(&mut buf);
                if !full {
                    let fit = samples_that_fit(written, n, 4, channels);
                    write_samples(&mut file, &buf[..fit], 1.0, format)?;
                    written += fit as u64 * 4;
                    full = fit < n;
                }
                if n == 0 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            file.finalize()?;
            if full {
                return Err(anyhow!(
                    "{shown}: the recording reached the 4 GiB a WAV file can hold; \
                     what was played after that is not in it"
                ));
            }
            Ok(())
        })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringbuf::HeapRb;
    use ringbuf::traits::{Producer, Split};

    #[test]
    fn samples_that_fit_stop_on_a_whole_frame() {
        assert_eq!(samples_that_fit(0, 100, 4, 2), 100);
        // 20 bytes of room: two whole stereo frames of floats.
        assert_eq!(samples_that_fit(WAV_MAX_DATA_BYTES - 20, 100, 4, 2), 4);
        assert_eq!(samples_that_fit(WAV_MAX_DATA_BYTES, 100, 4, 2), 0);
    }

    /// A recording 100 bytes short of the limit: it stops at the limit
    /// with an error, and the file's header describes exactly what it holds.
    #[test]
    fn a_recording_at_the_4_gib_limit_stops_with_a_message_and_a_right_header() {
        let path = std::env::temp_dir().join(format!("rhapsody-rec4g-{}.wav", std::process::id()));
        let (mut tx, rx) = HeapRb::<f32>::new(4096).split();
        let stop = Arc::new(AtomicBool::new(false));
        let writer = spawn_tap_writer_after(
            &path,
            48000.0,
            2,
            rx,
            stop.clone(),
            WAV_MAX_DATA_BYTES - 100,
        )
        .unwrap();
        assert_eq!(tx.push_slice(&[0.25f32; 1000]), 1000);
        std::thread::sleep(Duration::from_millis(50));
        stop.store(true, Ordering::Relaxed);
        let err = writer.join().unwrap().expect_err("the limit is an error");
        assert!(err.to_string().contains("4 GiB"), "{err}");
        // 100 bytes: 12 whole stereo frames of floats (96 bytes).
        let mut r = hound::WavReader::open(&path).unwrap();
        assert_eq!(r.len(), 24);
        assert!(r.samples::<f32>().all(|x| x.unwrap() == 0.25));
        let _ = std::fs::remove_file(&path);
    }
}
