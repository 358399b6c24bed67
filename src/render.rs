//! Offline rendering: run the engine as fast as it goes and write a WAV
//! file (or nothing, with `-n`), then report as Csound does.

use std::time::Instant;

use anyhow::Result;

use crate::audio::wav::{Sink, WAV_MAX_DATA_BYTES, sample_bytes};
use crate::engine::context::MessageKind;
use crate::engine::{Engine, State};
use crate::options::SampleFormat;

/// Longest render without `--duration` (or `-n`'s equivalent): 24 hours of
/// score. A note at beat 1e6 would otherwise render for days.
pub const MAX_RENDER_SECONDS: f64 = 86_400.0;

/// Where the score ends by itself, in seconds, if a render can reach it:
/// a score with no end (empty: nothing would stop it), one longer than
/// [`MAX_RENDER_SECONDS`], or one whose WAV (in `format`, `None` for no
/// file) would pass the 4 GiB a WAV header can hold, is refused with a
/// message saying what to change. `check` and `render` both ask this.
pub fn planned_end(engine: &Engine, format: Option<SampleFormat>) -> Result<f64, String> {
    // A MIDI file ends a performance whose score does not (see
    // `Engine::set_midi_file`).
    let end = match (engine.timeline_end(), engine.midi_file_end()) {
        (_, Some(midi)) if engine.ends_with_midi_file() => Some(midi),
        (score, midi) => score.or(midi),
    };
    let Some(end) = end else {
        return Err("the score is empty: nothing would end the render; \
             add events, an `e` statement or `f 0 SECONDS`"
            .into());
    };
    if end.is_nan() || end > MAX_RENDER_SECONDS {
        return Err(format!(
            "the score lasts {end:.0} s, more than a render's limit of {MAX_RENDER_SECONDS:.0} s (24 hours)"
        ));
    }
    if let Some(format) = format {
        let rates = engine.rates;
        let bytes = (end * rates.sr).ceil() * rates.nchnls as f64 * sample_bytes(format) as f64;
        if bytes > WAV_MAX_DATA_BYTES as f64 {
            return Err(format!(
                "the score lasts {end:.0} s: {:.1} GB of WAV, more than the 4 GiB a WAV file can hold; \
                 shorten the score, lower sr or nchnls, or render with -n",
                bytes / 1e9
            ));
        }
    }
    Ok(end)
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
    let capped = max_seconds.is_none();
    let limit = (max_seconds.unwrap_or(MAX_RENDER_SECONDS) * engine.rates.kr).ceil() as u64;
    while engine.state == State::Playing {
        if engine.kcount >= limit {
            if capped {
                // Notes that keep scheduling notes carry a score past its end.
                on_message(
                    MessageKind::Error,
                    &format!("render stopped at its limit of {MAX_RENDER_SECONDS:.0} s"),
                );
                engine.messages.errors += 1;
            }
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
