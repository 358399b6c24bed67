//! The score language: parse a `<CsScore>` text into a time-sorted list of
//! events, with Csound's carry rules, ramps, expressions, sections and tempo.
//!
//! The output is what the engine plays: every event has its start in beats
//! (score time, sections laid end to end) and in seconds (after tempo), and
//! `i` events have p2/p3 already converted to seconds, as Csound does.

mod expr;
mod parser;
mod preproc;
mod tempo;

pub use parser::parse;
pub use tempo::TempoMap;

use crate::diag::Pos;

/// What kind of statement an event came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// `i`: a note.
    Note,
    /// `f`: make (or with negative p1, delete) a function table.
    Table,
    /// `a`: advance score time by p3 beats, starting at p2. Csound performs
    /// no note that starts in `[p2, p2 + p3)`; those notes are still listed
    /// here and the player must skip them. Later times are not shifted.
    Advance,
    /// `q`: mute (p3 = 0) or unmute (p3 != 0) instrument p1 at p2.
    Mute,
    /// `e` with a time: in the score, the performance ends at that time
    /// once no note with a duration sounds (p-fields `[0, time]`); sent from
    /// a script, it ends the performance at p2.
    End,
}

impl EventKind {
    /// The kind a statement letter names (`"i"`, `"f"`, `"a"`, `"e"`, `"q"`),
    /// as the host's `score_event` takes it.
    pub fn parse(kind: &str) -> anyhow::Result<EventKind> {
        Ok(match kind {
            "i" => EventKind::Note,
            "f" => EventKind::Table,
            "a" => EventKind::Advance,
            "e" => EventKind::End,
            "q" => EventKind::Mute,
            other => anyhow::bail!("unknown score statement '{other}': use one of i f a e q"),
        })
    }
}

/// One p-field value: numbers almost always; strings for named instruments
/// (`i "Bass" ...`), GEN file names and string p-fields.
#[derive(Clone, Debug, PartialEq)]
pub enum PValue {
    Num(f64),
    Str(String),
}

impl PValue {
    /// The number, or 0 for a string (what Csound sees in a numeric context).
    pub fn num(&self) -> f64 {
        match self {
            PValue::Num(x) => *x,
            PValue::Str(_) => 0.0,
        }
    }
}

/// One score event, ready to schedule.
#[derive(Clone, Debug)]
pub struct ScoreEvent {
    pub kind: EventKind,
    /// Start in beats from the start of the performance (sections laid end to end).
    pub beat: f64,
    /// Start in seconds from the start of the performance (after tempo).
    pub time: f64,
    /// Which section the event belongs to (an index into `Score::section_starts`).
    pub section: usize,
    /// p1, p2, p3, ... For `i` events p2 is `time` and p3 the duration in
    /// seconds (negative p3 kept as written: a held note). Other kinds keep
    /// their p-fields as written after carry and expressions.
    pub pfields: Vec<PValue>,
    /// Where the statement is, for messages.
    pub pos: Pos,
}

/// A parsed score.
#[derive(Clone, Debug, Default)]
pub struct Score {
    /// Events sorted by `time`, ties in Csound's order (sort.c): `q`/`e`
    /// first, then `i` with negative p1 (turn-offs), then `f`, then `i`
    /// (by p1, then by p3), then `a`; then source order. `f 0 N` makes no
    /// event: it only moves the end.
    pub events: Vec<ScoreEvent>,
    /// Tempo for the whole performance (sections laid end to end).
    pub tempo: TempoMap,
    /// Seconds at which the performance ends: the end of the last section,
    /// i.e. the latest `i` end, `f 0 N` time or `e`/`s` time given, whichever
    /// is latest (Csound's rule). `None` when there are no events at all.
    pub end_time: Option<f64>,
    /// The same end, in beats.
    pub end_beat: Option<f64>,
    /// Seconds at which each section starts (the first at 0), sections laid
    /// end to end. The player moves each start to a block boundary, as
    /// csound does (see `Score::aligned_section_starts`).
    pub section_starts: Vec<f64>,
    /// Each section's length in seconds (its last note's end, its `s`
    /// time...), computed from the section's own times.
    pub section_lengths: Vec<f64>,
}

impl Score {
    /// Where each section starts, in seconds, when csound plays the score at
    /// `kr` blocks a second: each section starts on a block, the one nearest
    /// (halves up) to where the previous section started plus its length.
    /// The first section starts at 0.
    pub fn aligned_section_starts(&self, kr: f64) -> Vec<f64> {
        let mut block = 0.0_f64;
        let mut starts = Vec::with_capacity(self.section_lengths.len());
        for len in &self.section_lengths {
            starts.push(block / kr);
            // csound adds the length to the start in seconds: a length of
            // x.5 blocks rounds up or down as that sum's last bit falls.
            block = ((block / kr + len) * kr).round();
        }
        starts
    }

    /// `time` (seconds, in section `section`) moved with its section's start
    /// to `aligned` (from [`Self::aligned_section_starts`]).
    pub fn aligned_time(&self, aligned: &[f64], section: usize, time: f64) -> f64 {
        match (aligned.get(section), self.section_starts.get(section)) {
            (Some(&to), Some(&from)) if section > 0 => to + (time - from),
            _ => time,
        }
    }
}
