//! `--record`: every statement the engine took live, kept with the score
//! time it took effect, and written out as a CSD that replays the session.

use std::collections::HashMap;
use std::sync::Arc;

use crate::csd::Csd;
use crate::engine::events::LiveKind;
use crate::engine::table::Table;

/// What has been recorded so far.
#[derive(Default)]
pub(super) struct Recording {
    pub(super) statements: Vec<Recorded>,
    /// The `f` p-fields of tables sent but not yet installed, by table identity.
    pub(super) pending_tables: HashMap<usize, Vec<f64>>,
}

/// One statement as the engine took it.
#[derive(Clone, Debug)]
pub(super) struct Recorded {
    pub(super) kind: Statement,
    /// Score time (seconds) at which it took effect.
    pub(super) time: f64,
    pub(super) pfields: Vec<f64>,
}

/// What a recorded line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Statement {
    Live(LiveKind),
    /// An `f` statement: p-fields as sent (GEN and its arguments).
    Table,
}

/// The identity a table sent is known by until the engine installs it.
pub(super) fn table_key(table: &Arc<Table>) -> usize {
    Arc::as_ptr(table) as usize
}

/// The tables the host edited point by point since the last event, as
/// `f` statements (GEN -2, the points as they are now) taking effect at
/// `time`, just before the event the engine took then. A score cannot say
/// "this point changed at this sample", so an edit is replayed at the next
/// event: the article's click test (edit, then play a note) replays exactly,
/// an edit heard in the middle of a sounding note replays at the next note.
/// The edit marks are taken even when nothing records, so that a recording
/// started later does not replay older edits.
pub(super) fn edited_tables(
    tables: &HashMap<i64, Arc<Table>>,
    time: f64,
    recording: bool,
) -> Vec<Recorded> {
    let mut numbers: Vec<i64> = tables
        .iter()
        .filter(|(_, t)| t.take_edited())
        .map(|(n, _)| *n)
        .collect();
    if !recording {
        return Vec::new();
    }
    numbers.sort();
    numbers
        .into_iter()
        .map(|n| {
            let t = &tables[&n];
            let mut pfields = vec![n as f64, time, t.len() as f64, -2.0];
            pfields.extend((0..t.len()).map(|i| t.get(i)));
            Recorded {
                kind: Statement::Table,
                time,
                pfields,
            }
        })
        .collect()
}

/// A CSD that replays a session: the orchestra as loaded, the original
/// score without its `e`, and every statement the engine took live at the
/// score time it took effect (in beats at the score's tempo, which is the
/// default 60 unless the score says otherwise), then `e` at the end.
/// Point edits from the host (`table_set`, `t[i] = v`) are written as
/// whole-table `f` statements before the next event (see [`edited_tables`]).
/// Not recorded: rewinds.
pub(super) fn recording_csd(csd: &Csd, events: &[Recorded], end: f64, sr: f64) -> String {
    let num = |v: f64| format!("{v}");
    let time = |v: f64| time_text(v, sr);
    let mut score = String::from("; the score of the loaded CSD\n");
    for line in csd.score.text.lines() {
        let t = line.trim_start();
        if t.starts_with('e') && (t.len() == 1 || !t.as_bytes()[1].is_ascii_alphabetic()) {
            continue;
        }
        if !t.is_empty() {
            score.push_str(t);
            score.push('\n');
        }
    }
    score.push_str("; statements sent live, at the score time the engine took them\n");
    for e in events {
        let mut f: Vec<String> = e.pfields.iter().map(|p| num(*p)).collect();
        let line = match e.kind {
            Statement::Table => {
                if f.len() > 1 {
                    f[1] = time(e.time);
                }
                format!("f {}", f.join(" "))
            }
            Statement::Live(LiveKind::Note) => {
                if f.len() > 1 {
                    f[1] = time(e.time);
                }
                format!("i {}", f.join(" "))
            }
            Statement::Live(kind @ (LiveKind::Mute | LiveKind::Unmute)) => {
                let on = if kind == LiveKind::Mute { 0 } else { 1 };
                let instr = f.first().cloned().unwrap_or_default();
                format!("q {instr} {} {on}", time(e.time))
            }
            Statement::Live(LiveKind::Advance) => {
                format!(
                    "a 0 {} {}",
                    time(e.time),
                    num(e.pfields.first().copied().unwrap_or(0.0))
                )
            }
            Statement::Live(LiveKind::End) => format!("e {}", time(e.time)),
        };
        score.push_str(&line);
        score.push('\n');
    }
    score.push_str(&format!("e {}\n", time(end)));
    format!(
        "<CsoundSynthesizer>\n<CsOptions>\n</CsOptions>\n<CsInstruments>\n{}\n</CsInstruments>\n<CsScore>\n{}</CsScore>\n</CsoundSynthesizer>\n",
        csd.orchestra.text.trim_matches('\n'),
        score
    )
}

/// A score time as the engine used it: rounded to its sample, written with
/// just enough decimals to name that sample (`1`, not `0.9999999999999996`).
fn time_text(t: f64, sr: f64) -> String {
    let sr = if sr.is_finite() && sr >= 1.0 {
        sr
    } else {
        44100.0
    };
    let rounded = (t * sr).round() / sr;
    if rounded == 0.0 {
        return "0".to_string();
    }
    let digits = (sr.log10().ceil() as usize + 1).min(12);
    let text = format!("{rounded:.digits$}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn recorded_times_are_rounded_to_the_engines_sample() {
        use super::time_text;
        assert_eq!(time_text(0.9999999999999996, 96000.0), "1");
        assert_eq!(time_text(0.30000000000000004, 44100.0), "0.3");
        assert_eq!(time_text(-0.0, 44100.0), "0");
        // Two neighbouring samples stay apart.
        assert_ne!(
            time_text(1.0 / 96000.0, 96000.0),
            time_text(2.0 / 96000.0, 96000.0)
        );
    }

    use super::*;

    fn csd() -> Csd {
        Csd::parse(
            "t.csd",
            "<CsoundSynthesizer><CsInstruments>\ninstr 1\nendin\n</CsInstruments>\n<CsScore>\ni 1 0 1\ne\n</CsScore></CsoundSynthesizer>".into(),
        )
        .unwrap()
    }

    #[test]
    fn live_statements_follow_the_score_at_the_time_the_engine_took_them() {
        let events = [
            Recorded {
                kind: Statement::Live(LiveKind::Note),
                time: 1.5,
                pfields: vec![1.0, 0.0, 2.0, 0.5],
            },
            Recorded {
                kind: Statement::Live(LiveKind::Mute),
                time: 2.0,
                pfields: vec![1.0, 0.0],
            },
            Recorded {
                kind: Statement::Table,
                time: 2.25,
                pfields: vec![3.0, 0.0, 4.0, -2.0, 1.0, 2.0, 3.0, 4.0],
            },
        ];
        let text = recording_csd(&csd(), &events, 4.0, 44100.0);
        let score = &text[text.find("<CsScore>").unwrap()..];
        assert_eq!(
            score,
            "<CsScore>\n; the score of the loaded CSD\ni 1 0 1\n\
             ; statements sent live, at the score time the engine took them\n\
             i 1 1.5 2 0.5\nq 1 2 0\nf 3 2.25 4 -2 1 2 3 4\ne 4\n</CsScore>\n</CsoundSynthesizer>\n"
        );
    }
}
