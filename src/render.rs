//! Offline rendering: run the engine as fast as it goes and write a WAV
//! file (or nothing, with `-n`), then report as Csound does.

use std::time::Instant;

use anyhow::Result;

use crate::audio::wav::Sink;
use crate::engine::context::MessageKind;
use crate::engine::{Engine, State};

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
