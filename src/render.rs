//! Offline rendering: run the engine as fast as it goes and write a WAV
//! file (or nothing, with `-n`), then report as Csound does.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::engine::context::MessageKind;
use crate::engine::{Engine, State};
use crate::options::SampleFormat;

/// Where rendered audio goes.
pub enum Sink {
    Wav(
        hound::WavWriter<std::io::BufWriter<std::fs::File>>,
        SampleFormat,
    ),
    Nowhere,
}

impl Sink {
    /// A WAV file with the engine's rate and channel count.
    pub fn wav(path: &Path, engine: &Engine, format: SampleFormat) -> Result<Sink> {
        let (bits, sample_format) = match format {
            SampleFormat::Int16 => (16, hound::SampleFormat::Int),
            SampleFormat::Int24 => (24, hound::SampleFormat::Int),
            SampleFormat::Float32 => (32, hound::SampleFormat::Float),
        };
        let spec = hound::WavSpec {
            channels: engine.rates.nchnls as u16,
            sample_rate: engine.rates.sr.round() as u32,
            bits_per_sample: bits,
            sample_format,
        };
        let writer = hound::WavWriter::create(path, spec)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Sink::Wav(writer, format))
    }

    /// Write one block of interleaved samples in the orchestra's units.
    pub fn write(&mut self, block: &[f64], zero_dbfs: f64) -> Result<()> {
        let Sink::Wav(writer, format) = self else {
            return Ok(());
        };
        let scale = 1.0 / zero_dbfs;
        match format {
            SampleFormat::Float32 => {
                for &x in block {
                    writer.write_sample((x * scale) as f32)?;
                }
            }
            SampleFormat::Int16 => {
                // hound's 16-bit writer fills one buffer for the block: per
                // sample `write_sample` was a tenth of a whole render.
                let mut samples = writer.get_i16_writer(block.len() as u32);
                for &x in block {
                    samples.write_sample(to_int(x * scale * 32768.0, 32767) as i16);
                }
                samples.flush()?;
            }
            SampleFormat::Int24 => {
                for &x in block {
                    writer.write_sample(to_int(x * scale * 8_388_608.0, 8_388_607))?;
                }
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        if let Sink::Wav(writer, _) = self {
            writer.finalize().context("cannot finish the WAV file")?;
        }
        Ok(())
    }
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
            sink.write(&engine.spout, engine.rates.zero_dbfs)?;
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
