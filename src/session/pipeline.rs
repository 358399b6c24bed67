//! The one way from a `.csd` to an engine ready to play, used by `render`,
//! `check` and a session's `load` alike: the file's options under the
//! command line's, the orchestra compiled, instrument 0 run, the score turned
//! into a timeline (tables generated here, off the audio thread), the engine
//! built with the threads `-j` asks for.

use std::fmt;
use std::sync::Arc;

use crate::csd::Csd;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::Engine;
use crate::engine::channels::Channels;
use crate::engine::context::{Ctx, MessageKind, Messages, NoteState};
use crate::engine::events::{Action, EventQueue, TimedAction, Timeline};
use crate::engine::program::{Instance, Orchestra};
use crate::engine::table::{Table, TableStore};
use crate::gens::{self, GenRequest};
use crate::options::Options;
use crate::orc::compiler::{self, RateOverrides};
use crate::score::{self, EventKind, PValue, Score};

/// Highest table number accepted (keeps a typo from reserving gigabytes).
pub const MAX_TABLE_NUMBER: i64 = 1_000_000;

/// A compiled piece: the engine, plus what was said while preparing it.
pub struct Prepared {
    pub engine: Engine,
    /// The options in force: the file's `<CsOptions>` under the command line's.
    pub options: Options,
    /// Warnings and non-fatal errors (a score event for a missing instrument...).
    pub diagnostics: Vec<Diagnostic>,
    /// Messages printed by instrument 0.
    pub messages: Vec<String>,
    /// Set when `-j N` could not start N threads (the engine runs on fewer).
    pub threads_warning: Option<String>,
}

/// Why a piece could not be prepared.
#[derive(Debug)]
pub enum PrepareError {
    /// A flag in the file's `<CsOptions>` or on the command line.
    Options(String),
    /// The orchestra or the score (file:line:column each).
    Source(Diagnostics),
}

impl fmt::Display for PrepareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrepareError::Options(e) => f.write_str(e),
            PrepareError::Source(d) => write!(f, "{d}"),
        }
    }
}

impl std::error::Error for PrepareError {}

/// The options a `.csd` plays with: its `<CsOptions>`, then the command
/// line's on top (the command line wins, as in Csound).
pub fn options_for(csd: &Csd, command_line: &Options) -> Result<Options, String> {
    let mut options = Options::default();
    options
        .apply(&csd.options)
        .map_err(|e| format!("{}: <CsOptions>: {e}", csd.file.name))?;
    options.overlay(command_line);
    Ok(options)
}

/// Prepare a `.csd` with channels of its own.
pub fn prepare(csd: &Csd, command_line: &Options) -> Result<Prepared, PrepareError> {
    prepare_with_channels(csd, command_line, Arc::new(Channels::default()))
}

/// Prepare a `.csd` whose named channels are `channels` (a session's, which
/// outlive each performance and the orchestras swapped into it).
pub fn prepare_with_channels(
    csd: &Csd,
    command_line: &Options,
    channels: Arc<Channels>,
) -> Result<Prepared, PrepareError> {
    let options = options_for(csd, command_line).map_err(PrepareError::Options)?;
    let ast = crate::orc::parse(&csd.orchestra).map_err(PrepareError::Source)?;
    let orc = compiler::compile_with_channels(&ast, rate_overrides(&options), channels)
        .map_err(PrepareError::Source)?;
    let score = score::parse(&csd.score).map_err(PrepareError::Source)?;
    let (mut engine, mut diagnostics, messages) =
        build_engine(orc, &score).map_err(PrepareError::Source)?;
    if let Some(path) = &options.midi_file {
        let events =
            crate::midi::file::read(std::path::Path::new(path)).map_err(PrepareError::Options)?;
        engine.set_midi_file(events);
        if options.terminate_on_midi {
            engine.end_with_midi_file();
        }
    }
    // `-i FILE`: read now, played from memory. `-i adc` is the sound card's,
    // which the live clock connects.
    if let Some(name) = options.input.as_deref()
        && !options.is_live_input()
    {
        let dir = crate::gens::source_dir(&csd.file.name);
        let (input, warnings) = super::input::open_file_input(name, dir.as_deref(), &engine.rates)
            .map_err(PrepareError::Options)?;
        diagnostics.extend(warnings.into_iter().map(|w| Diagnostic::warning(None, w)));
        engine.set_input(Some(Box::new(input)));
    }
    let mut threads_warning = None;
    if let Some(threads) = options.threads {
        engine.set_threads(threads);
        let started = engine.threads();
        if started < threads {
            threads_warning = Some(format!(
                "-j {threads}: the system started only {started} thread(s); performing on those"
            ));
        }
    }
    Ok(Prepared {
        engine,
        options,
        diagnostics,
        messages,
        threads_warning,
    })
}

/// The rates the command line (or the file's options) set over the orchestra's header.
pub fn rate_overrides(o: &Options) -> RateOverrides {
    RateOverrides {
        sr: o.sr,
        kr: o.kr,
        ksmps: o.ksmps,
        nchnls: o.nchnls,
        nchnls_i: o.nchnls_i,
    }
}

/// Build the engine for a compiled orchestra and a parsed score; with it the
/// score's diagnostics and instrument 0's messages.
fn build_engine(
    orc: Arc<Orchestra>,
    score: &Score,
) -> Result<(Engine, Vec<Diagnostic>, Vec<String>), Diagnostics> {
    let mut diagnostics = Vec::new();
    // Each performance starts csound's random generators afresh (`seed` in
    // the global code then seeds them).
    crate::random::reset();
    let mut tables = TableStore::default();
    tables.reserve_number(256);
    let (messages, mut events) = run_instr0(&orc, &mut tables).map_err(|e| Diagnostics(vec![e]))?;
    let timeline = build_timeline(&orc, score, &mut tables, &mut diagnostics);
    let mut engine = Engine::new(orc, tables, Arc::new(timeline));
    // Events the global code scheduled (`schedule` in instrument 0).
    while let Some(event) = events.pop_due(f64::INFINITY) {
        let _ = engine.live.push(event);
    }
    Ok((engine, diagnostics, messages))
}

/// Run the orchestra's global code once (header variables, `ftgen`, prints).
fn run_instr0(
    orc: &Arc<Orchestra>,
    tables: &mut TableStore,
) -> Result<(Vec<String>, EventQueue), Diagnostic> {
    let mut instance = Instance::build(&orc.instr0, orc).map_err(|e| Diagnostic::error(None, e))?;
    let mut messages = Messages::with_capacity(4096);
    let mut events = EventQueue::with_capacity(4096);
    let mut spout = vec![0.0; orc.rates.ksmps * orc.rates.nchnls];
    let mut note = NoteState::default();
    let mut ctx = Ctx {
        rates: orc.rates,
        tables,
        spout: &mut spout,
        spin: &[],
        messages: &mut messages,
        events: &mut events,
        note: &mut note,
        time: 0.0,
        kcount: 0,
        may_allocate: true,
    };
    let result = instance.init(&mut ctx);
    let texts: Vec<String> = messages
        .drain()
        .map(|m| m.text.as_str().to_string())
        .collect();
    if result.is_err() {
        let why = texts.last().cloned().unwrap_or_default();
        return Err(Diagnostic::error(
            None,
            format!("the orchestra's global code failed: {why}"),
        ));
    }
    Ok((texts, events))
}

/// Turn score events into engine actions. Tables are generated now; each
/// problem becomes a diagnostic and the event is skipped (the performance
/// goes on, as Csound's does).
fn build_timeline(
    orc: &Orchestra,
    score: &Score,
    tables: &mut TableStore,
    diags: &mut Vec<Diagnostic>,
) -> Timeline {
    let mut timeline = Timeline {
        items: Vec::with_capacity(score.events.len()),
        pfields: Vec::new(),
        end_time: None,
        tempo: score.tempo.clone(),
    };
    // Later sections start on csound's blocks.
    let aligned = score.aligned_section_starts(orc.rates.kr);
    let last_section = score.section_starts.len().saturating_sub(1);
    timeline.end_time = score
        .end_time
        .map(|end| score.aligned_time(&aligned, last_section, end));
    // Tables as they will be at each point of the score, for GENs that read
    // other tables.
    let mut known: std::collections::HashMap<i64, Arc<Table>> = tables
        .numbers()
        .filter_map(|n| tables.get_arc(n).map(|t| (n, t.clone())))
        .collect();
    for event in &score.events {
        let p = |i: usize| event.pfields.get(i).map(PValue::num).unwrap_or(0.0);
        let action = match event.kind {
            EventKind::Note => {
                let Some(number) = instrument_number(orc, &event.pfields, &event.pos, diags) else {
                    continue;
                };
                let start = timeline.pfields.len();
                timeline.pfields.push(number + p(0).fract());
                // A string p-field travels as the pool number of its text.
                for (i, v) in event.pfields.iter().enumerate().skip(1) {
                    let value = match v {
                        PValue::Num(x) => *x,
                        PValue::Str(text) => match orc.channels.strings.pfield(text) {
                            Some(x) => x,
                            None => {
                                diags.push(Diagnostic::error_at(
                                    &event.pos,
                                    format!(
                                        "p{}: too many distinct strings in one session (at most {})",
                                        i + 1,
                                        crate::engine::strings::POOL_CAPACITY
                                    ),
                                ));
                                0.0
                            }
                        },
                    };
                    timeline.pfields.push(value);
                }
                // p2 says when the note plays.
                if let Some(p2) = timeline.pfields.get_mut(start + 1) {
                    *p2 = score.aligned_time(&aligned, event.section, event.time);
                }
                Action::Note {
                    start,
                    len: event.pfields.len().max(1),
                }
            }
            EventKind::Table => {
                let number = p(0) as i64;
                if number == 0 {
                    // `f 0 N`: nothing to make; the performance lasts until N.
                    timeline.items.push(TimedAction {
                        time: event.time,
                        action: Action::Nothing,
                    });
                    continue;
                }
                if number.abs() > MAX_TABLE_NUMBER {
                    diags.push(Diagnostic::error_at(
                        &event.pos,
                        format!("table number {number} is too large (limit {MAX_TABLE_NUMBER})"),
                    ));
                    continue;
                }
                if number < 0 {
                    known.remove(&-number);
                    Action::Table {
                        number: -number,
                        table: None,
                    }
                } else {
                    match make_table(orc, number, &event.pfields, &known) {
                        Ok(table) => {
                            let table = Arc::new(table);
                            tables.reserve_number(number);
                            known.insert(number, table.clone());
                            Action::Table {
                                number,
                                table: Some(table),
                            }
                        }
                        Err(e) => {
                            diags
                                .push(Diagnostic::error_at(&event.pos, format!("f {number}: {e}")));
                            continue;
                        }
                    }
                }
            }
            EventKind::Mute => {
                let Some(number) = instrument_number(orc, &event.pfields, &event.pos, diags) else {
                    continue;
                };
                Action::Mute {
                    instr: number as i64,
                    on: p(2) != 0.0,
                }
            }
            EventKind::Advance => {
                let beats = p(2);
                let seconds =
                    score.tempo.seconds_at(event.beat + beats) - score.tempo.seconds_at(event.beat);
                Action::Advance { seconds, beats }
            }
            EventKind::End => Action::End,
        };
        timeline.items.push(TimedAction {
            time: score.aligned_time(&aligned, event.section, event.time),
            action,
        });
    }
    timeline
}

/// Generate a table from an `f` statement's p-fields (p1 number, p3 size, p4 GEN, p5...).
pub fn make_table(
    orc: &Orchestra,
    number: i64,
    pfields: &[PValue],
    known: &std::collections::HashMap<i64, Arc<Table>>,
) -> Result<Table, String> {
    let p = |i: usize| pfields.get(i).map(PValue::num).unwrap_or(0.0);
    if pfields.len() < 4 {
        return Err("an f statement needs at least 4 p-fields: number, time, size, GEN".into());
    }
    let lookup = |n: i32| known.get(&(n as i64)).map(|t| t.to_vec());
    let request = GenRequest {
        table: number as i32,
        size: p(2) as i32,
        args: &pfields[4..],
        sr: orc.rates.sr,
        lookup: &lookup,
        dir: orc.source_dir.as_deref(),
        zero_dbfs: orc.rates.zero_dbfs,
    };
    let data = gens::generate(p(3) as i32, &request)?;
    Ok(Table::new(&data))
}

/// The instrument a score event names in p1 (number or quoted name).
fn instrument_number(
    orc: &Orchestra,
    pfields: &[PValue],
    pos: &Pos,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    match pfields.first() {
        Some(PValue::Num(n)) => {
            // A negative p1 ends a held note of that instrument.
            let number = n.trunc();
            if orc.instrument(number.abs() as i64).is_none() {
                diags.push(Diagnostic::error_at(
                    pos,
                    format!("instr {number} is not defined; event ignored"),
                ));
                return None;
            }
            Some(number)
        }
        // `i "-Name"` (and `d "Name"`): csound 6.18 does not end a held note
        // of a named instrument this way (it starts a new note, of length
        // p3); it is ignored here with a warning.
        Some(PValue::Str(name)) if name.starts_with('-') && orc.names.contains_key(&name[1..]) => {
            diags.push(Diagnostic::warning(
                Some(pos.clone()),
                format!(
                    "\"{name}\" does not turn off instr \"{}\" (csound does not either; \
                     use its number, negative); event ignored",
                    &name[1..]
                ),
            ));
            None
        }
        Some(PValue::Str(name)) => match orc.names.get(name) {
            Some(n) => Some(*n as f64),
            None => {
                diags.push(Diagnostic::error_at(
                    pos,
                    format!("instr \"{name}\" is not defined; event ignored"),
                ));
                None
            }
        },
        None => {
            diags.push(Diagnostic::error_at(pos, "event has no p1"));
            None
        }
    }
}

/// Drain the engine's messages as text lines with their kind.
pub fn drain_messages(engine: &mut Engine) -> Vec<(MessageKind, String)> {
    engine
        .messages
        .drain()
        .map(|m| (m.kind, m.text.as_str().to_string()))
        .collect()
}

/// For each instrument slot of `engine`, the most notes its score plays at
/// once (held notes count to the end), so voices can be made in advance.
pub fn max_overlap(engine: &Engine) -> Vec<usize> {
    let timeline = engine.timeline();
    let mut result = Vec::with_capacity(engine.instruments.len());
    for slot in &engine.instruments {
        let number = slot.template.number as f64;
        let mut edges: Vec<(f64, i32)> = Vec::new();
        for item in &timeline.items {
            if let Action::Note { start, len } = item.action {
                let p = &timeline.pfields[start..start + len];
                if p.first().map(|p1| p1.trunc()) == Some(number) {
                    let dur = p.get(2).copied().unwrap_or(0.0);
                    let end = if dur < 0.0 {
                        f64::INFINITY
                    } else {
                        item.time + dur
                    };
                    edges.push((item.time, 1));
                    edges.push((end, -1));
                }
            }
        }
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut now, mut most) = (0i32, 0i32);
        for (_, d) in edges {
            now += d;
            most = most.max(now);
        }
        result.push(most as usize);
    }
    result
}
