//! Offline rendering: run the engine as fast as it goes and write a WAV
//! file (or nothing, with `-n`), then report as Csound does.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use anyhow::{Context, Result, anyhow};

use crate::engine::context::MessageKind;
use crate::engine::{Engine, State};
use crate::float_wav::FloatWav;
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
}

impl Sink {
    /// A WAV file with the engine's rate and channel count.
    pub fn wav(path: &Path, engine: &Engine, format: SampleFormat) -> Result<Sink> {
        let channels = engine.rates.nchnls as u16;
        let sample_rate = engine.rates.sr.round() as u32;
        let mut file = match format {
            // hound writes no `fact` chunk for float files: ours does.
            SampleFormat::Float32 => WavFile::Float(
                FloatWav::create(path, channels, sample_rate)
                    .with_context(|| format!("cannot create {}", path.display()))?,
            ),
            SampleFormat::Int16 | SampleFormat::Int24 => {
                let spec = hound::WavSpec {
                    channels,
                    sample_rate,
                    bits_per_sample: if format == SampleFormat::Int16 {
                        16
                    } else {
                        24
                    },
                    sample_format: hound::SampleFormat::Int,
                };
                WavFile::Int(
                    hound::WavWriter::create(path, spec)
                        .with_context(|| format!("cannot create {}", path.display()))?,
                )
            }
        };
        let scale = 1.0 / engine.rates.zero_dbfs;
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
        }))
    }

    /// Write one block of interleaved samples in the orchestra's units.
    pub fn write(&mut self, block: &[f64]) -> Result<()> {
        let Sink::Wav(wav) = self else {
            return Ok(());
        };
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

/// The file the writer thread fills: integers through hound, floats
/// through our own writer (for the `fact` chunk).
enum WavFile {
    Int(hound::WavWriter<std::io::BufWriter<std::fs::File>>),
    Float(FloatWav),
}

impl WavFile {
    fn finalize(self) -> Result<()> {
        match self {
            WavFile::Int(w) => w.finalize()?,
            WavFile::Float(w) => w.finalize()?,
        }
        Ok(())
    }
}

/// Convert `block` (orchestra units times `scale` gives full scale 1) to
/// `format` and append it to `file`.
fn write_samples(
    file: &mut WavFile,
    block: &[f64],
    scale: f64,
    format: SampleFormat,
) -> Result<()> {
    match file {
        WavFile::Float(f) => {
            for &x in block {
                f.write_sample((x * scale) as f32)?;
            }
        }
        WavFile::Int(w) if format == SampleFormat::Int16 => {
            // hound's 16-bit writer fills one buffer for the block: per
            // sample `write_sample` was a tenth of a whole render.
            let mut samples = w.get_i16_writer(block.len() as u32);
            for &x in block {
                samples.write_sample(to_int(x * scale * 32768.0, 32767) as i16);
            }
            samples.flush()?;
        }
        WavFile::Int(w) => {
            for &x in block {
                w.write_sample(to_int(x * scale * 8_388_608.0, 8_388_607))?;
            }
        }
    }
    Ok(())
}

/// `y` rounded half away from zero and clamped to `-max - 1 ..= max`, as
/// `y.round().clamp(..)` gives it, without `round` (a library call on
/// baseline x86-64, once per sample): clamping first changes nothing, as
/// every value beyond the range rounds to its end, and within it the
/// truncating conversion and the fraction left give the rounding exactly.
/// NaN gives 0.
#[inline]
fn to_int(y: f64, max: i32) -> i32 {
    let y = y.clamp(-f64::from(max) - 1.0, f64::from(max));
    let t = y as i32;
    let frac = y - f64::from(t);
    // Without branches: which way a sample rounds is a coin toss, and a
    // mispredicted branch per sample cost more than the library call.
    t + i32::from(frac >= 0.5) - i32::from(frac <= -0.5)
}

/// What a finished render reports.
#[derive(Debug)]
pub struct RenderReport {
    pub seconds_rendered: f64,
    pub wall_seconds: f64,
    pub errors: u64,
}

/// Render until the score ends (or `max_seconds` of output, if given).
/// `on_message` receives every engine message as it is produced.
pub fn render(
    engine: &mut Engine,
    mut sink: Sink,
    max_seconds: Option<f64>,
    mut on_message: impl FnMut(MessageKind, &str),
) -> Result<RenderReport> {
    let started = Instant::now();
    let progress = progress_bar(engine);
    let limit = max_seconds.map(|s| (s * engine.rates.kr).ceil() as u64);
    while engine.state == State::Playing {
        if limit.is_some_and(|l| engine.kcount >= l) {
            break;
        }
        if engine.perform_block() {
            sink.write(&engine.spout)?;
        }
        for m in engine.messages.drain() {
            on_message(m.kind, m.text.as_str());
        }
        engine.retired_tables.clear();
        if let Some(bar) = &progress
            && engine.kcount.is_multiple_of(64)
        {
            bar.set_position(engine.output_time() as u64);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    sink.finish()?;
    Ok(RenderReport {
        seconds_rendered: engine.output_time(),
        wall_seconds: started.elapsed().as_secs_f64(),
        errors: engine.messages.errors,
    })
}

/// A progress bar on a terminal, for scores longer than a few seconds.
fn progress_bar(engine: &Engine) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    let end = engine.timeline_end()?;
    if end < 10.0 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(end.ceil() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} s of score  {elapsed} elapsed",
        )
        .ok()?,
    );
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::to_int;

    #[test]
    fn to_int_rounds_and_clamps_as_round_then_clamp() {
        let mut y: f64 = -40_000.0;
        while y < 40_000.0 {
            for v in [y, y + 0.5, y - 0.5, y + 0.499_999_999_999, y + 1e-9] {
                let expected = v.round().clamp(-32768.0, 32767.0) as i32;
                assert_eq!(to_int(v, 32767), expected, "{v}");
            }
            y += 0.37;
        }
        assert_eq!(to_int(f64::NAN, 32767), 0);
        assert_eq!(to_int(f64::INFINITY, 32767), 32767);
        assert_eq!(to_int(f64::NEG_INFINITY, 8_388_607), -8_388_608);
        assert_eq!(to_int(-0.5, 32767), -1);
        assert_eq!(to_int(0.5, 32767), 1);
    }
}
