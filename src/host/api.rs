//! The session's functions as Rhai sees them: score events, loading,
//! queries, tables by number, channels, waiting, running files, `dir` and
//! `help`. Numbers may be written as INT or FLOAT everywhere.

use rhai::plugin::*;
use rhai::{Array, Dynamic, EvalAltResult};

use super::state::script_error;

/// A number from a script value (INT or FLOAT).
pub fn number(value: &Dynamic, what: &str) -> Result<f64, Box<EvalAltResult>> {
    if let Ok(f) = value.as_float() {
        Ok(f)
    } else if let Ok(i) = value.as_int() {
        Ok(i as f64)
    } else {
        Err(script_error(format!(
            "{what} must be a number, not {}",
            value.type_name()
        )))
    }
}

/// A whole number from a script value (an INT, or a FLOAT with no fraction).
pub fn integer(value: &Dynamic, what: &str) -> Result<i64, Box<EvalAltResult>> {
    let f = number(value, what)?;
    if f.fract() != 0.0 || !f.is_finite() {
        return Err(script_error(format!(
            "{what} must be a whole number, got {f}"
        )));
    }
    Ok(f as i64)
}

/// P-fields from a script's array, named as csound counts them: the first
/// element is p1 (`p4 must be a number`, not `p[3]`). From p4 on a string
/// is allowed: `text` turns it into the p-field that carries it.
pub fn pfields(
    values: &Array,
    mut text: impl FnMut(&str) -> Result<f64, Box<EvalAltResult>>,
) -> Result<Vec<f64>, Box<EvalAltResult>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match v.read_lock::<rhai::ImmutableString>() {
            Some(s) if i >= 3 => text(&s),
            _ => number(v, &format!("p{}", i + 1)),
        })
        .collect()
}

/// The numbers of an array (p-fields, points).
pub fn numbers(values: &Array, what: &str) -> Result<Vec<f64>, Box<EvalAltResult>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| number(v, &format!("{what}[{i}]")))
        .collect()
}

#[export_module]
pub mod session_api {
    use std::path::Path;
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    use rhai::{Array, Dynamic, EvalAltResult, FLOAT, INT, NativeCallContext};

    use super::{integer, number, pfields as pfield_numbers};
    use crate::host::state::{from_anyhow, script_error, state};
    use crate::session::EventKind;

    /// Send a score statement: kind is "i", "f", "a", "e" or "q"; p2 counts
    /// beats from now. `score_event("i", [1, 0, 1, 0.5, 8.75, 1, 0.05, 0.3, 0.5])`
    #[rhai_fn(name = "score_event", return_raw)]
    pub fn score_event(
        ctx: NativeCallContext,
        kind: &str,
        pfields: Array,
    ) -> Result<(), Box<EvalAltResult>> {
        score_event_at(ctx, kind, pfields, false)
    }

    /// Send a score statement; with `absolute` true, p2 counts beats from the
    /// start of the performance (a time already passed is ignored).
    #[rhai_fn(name = "score_event", return_raw)]
    pub fn score_event_at(
        ctx: NativeCallContext,
        kind: &str,
        pfields: Array,
        absolute: bool,
    ) -> Result<(), Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let kind = EventKind::parse(kind).map_err(from_anyhow)?;
        let mut session = st.session();
        let p = pfield_numbers(&pfields, |s| {
            session
                .string_pfield(s)
                .map_err(|e| script_error(e.to_string()))
        })?;
        let now = session.score_time();
        session
            .score_event(kind, &p, absolute)
            .map_err(from_anyhow)?;
        if kind == EventKind::Note {
            st.notes_sent.fetch_add(1, Ordering::Relaxed);
            // Held notes (negative p3) have no end to wait for.
            let start = if absolute { p[1] } else { now + p[1] };
            st.event_ends_at(start + p[2].max(0.0));
        }
        if kind == EventKind::End {
            // The render goes on to the `e`'s time (the engine stops there,
            // or sooner where the CSD's own score ends first).
            let at = p.get(1).copied().unwrap_or(0.0);
            st.event_ends_at(if absolute { at } else { now + at });
        }
        Ok(())
    }

    /// Play a note (an "i" statement), p2 in beats from now:
    /// `note([1, 0, 1, 0.5, 8.75, 1, 0.05, 0.3, 0.5])`. From p4 on a
    /// p-field may be a string, read by the instrument with `S1 = p4`.
    /// Returns a handle that steers it while it plays (`set`, `automate`,
    /// `release`, `playing`); a negative p1 (ending a held note) returns
    /// nothing.
    #[rhai_fn(name = "note", return_raw)]
    pub fn note(ctx: NativeCallContext, pfields: Array) -> Result<Dynamic, Box<EvalAltResult>> {
        note_at(ctx, pfields, false)
    }

    /// Play a note; with `absolute` true, p2 counts from the start of the performance.
    #[rhai_fn(name = "note", return_raw)]
    pub fn note_at(
        ctx: NativeCallContext,
        pfields: Array,
        absolute: bool,
    ) -> Result<Dynamic, Box<EvalAltResult>> {
        let p1 = pfields.first().map(|v| number(v, "p1")).transpose()?;
        if p1.is_none_or(|p1| p1 <= 0.0) {
            return score_event_at(ctx, "i", pfields, absolute).map(|_| Dynamic::UNIT);
        }
        let st = state(&ctx)?;
        let mut session = st.session();
        let p = pfield_numbers(&pfields, |s| {
            session
                .string_pfield(s)
                .map_err(|e| script_error(e.to_string()))
        })?;
        let now = session.score_time();
        let handle = session.note_handle(&p, absolute).map_err(from_anyhow)?;
        st.notes_sent.fetch_add(1, Ordering::Relaxed);
        let start = if absolute { p[1] } else { now + p[1] };
        st.event_ends_at(start + p[2].max(0.0));
        Ok(Dynamic::from(handle))
    }

    /// Load a .csd and start performing it (a running performance stops first).
    #[rhai_fn(return_raw)]
    pub fn load(ctx: NativeCallContext, csd: &str) -> Result<(), Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let result = st.session().load(Path::new(csd));
        result.map_err(from_anyhow)
    }

    /// Load the last CSD again and start it from the beginning.
    #[rhai_fn(return_raw)]
    pub fn restart(ctx: NativeCallContext) -> Result<(), Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let result = st.session().restart();
        result.map_err(from_anyhow)
    }

    /// Stop the performance.
    #[rhai_fn(return_raw)]
    pub fn stop(ctx: NativeCallContext) -> Result<(), Box<EvalAltResult>> {
        state(&ctx)?.session().stop();
        Ok(())
    }

    /// Whether a performance is loaded and has not ended.
    #[rhai_fn(return_raw)]
    pub fn is_playing(ctx: NativeCallContext) -> Result<bool, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().is_playing())
    }

    /// Score time back to 0: the CSD's own score plays again.
    #[rhai_fn(return_raw)]
    pub fn rewind_score(ctx: NativeCallContext) -> Result<(), Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let result = st.session().rewind_score();
        result.map_err(from_anyhow)
    }

    /// Wait until the engine has taken everything sent so far (tables sent
    /// exist afterwards).
    #[rhai_fn(return_raw)]
    pub fn flush(ctx: NativeCallContext) -> Result<(), Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let result = st.session().flush();
        result.map_err(from_anyhow)
    }

    /// Sample rate (44100 with no CSD loaded).
    #[rhai_fn(return_raw)]
    pub fn sr(ctx: NativeCallContext) -> Result<FLOAT, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().sr())
    }

    /// Control rate.
    #[rhai_fn(return_raw)]
    pub fn kr(ctx: NativeCallContext) -> Result<FLOAT, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().kr())
    }

    /// Samples per control block.
    #[rhai_fn(return_raw)]
    pub fn ksmps(ctx: NativeCallContext) -> Result<INT, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().ksmps() as INT)
    }

    /// Number of output channels.
    #[rhai_fn(return_raw)]
    pub fn nchnls(ctx: NativeCallContext) -> Result<INT, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().nchnls() as INT)
    }

    /// The amplitude of 0 dB full scale.
    #[rhai_fn(return_raw)]
    pub fn zero_dbfs(ctx: NativeCallContext) -> Result<FLOAT, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().zero_dbfs())
    }

    /// Score time in seconds ("now"; offline, the render's position).
    #[rhai_fn(return_raw)]
    pub fn score_time(ctx: NativeCallContext) -> Result<FLOAT, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().score_time())
    }

    /// Notes sounding now.
    #[rhai_fn(return_raw)]
    pub fn active_notes(ctx: NativeCallContext) -> Result<INT, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().active_notes() as INT)
    }

    /// The loaded CSD's path, or () when none is loaded.
    #[rhai_fn(return_raw)]
    pub fn csd_name(ctx: NativeCallContext) -> Result<Dynamic, Box<EvalAltResult>> {
        Ok(state(&ctx)?
            .session()
            .csd_name()
            .map(Dynamic::from)
            .unwrap_or(Dynamic::UNIT))
    }

    /// Length of table n without the guard point; -1 if it does not exist.
    #[rhai_fn(return_raw)]
    pub fn table_length(ctx: NativeCallContext, n: Dynamic) -> Result<INT, Box<EvalAltResult>> {
        let n = integer(&n, "table number")?;
        Ok(state(&ctx)?.session().table_length(n))
    }

    /// Point i of table n (0 ..= length: the guard point is readable).
    #[rhai_fn(return_raw)]
    pub fn table_get(
        ctx: NativeCallContext,
        n: Dynamic,
        i: Dynamic,
    ) -> Result<FLOAT, Box<EvalAltResult>> {
        let n = integer(&n, "table number")?;
        let i = integer(&i, "index")?;
        let st = state(&ctx)?;
        let result = st.session().table_get(n, i);
        result.map_err(from_anyhow)
    }

    /// Write point i of table n; heard at once.
    #[rhai_fn(return_raw)]
    pub fn table_set(
        ctx: NativeCallContext,
        n: Dynamic,
        i: Dynamic,
        v: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let n = integer(&n, "table number")?;
        let i = integer(&i, "index")?;
        let v = number(&v, "value")?;
        let st = state(&ctx)?;
        let result = st.session().table_set(n, i, v);
        result.map_err(from_anyhow)
    }

    /// Set control channel `name` (read by chnget in the orchestra).
    #[rhai_fn(return_raw)]
    pub fn chnset(
        ctx: NativeCallContext,
        name: &str,
        v: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let v = number(&v, "value")?;
        let st = state(&ctx)?;
        let result = st.session().chnset(name, v);
        result.map_err(from_anyhow)
    }

    /// Read control channel `name` (0 if never set).
    #[rhai_fn(return_raw)]
    pub fn chnget(ctx: NativeCallContext, name: &str) -> Result<FLOAT, Box<EvalAltResult>> {
        Ok(state(&ctx)?.session().chnget(name))
    }

    /// Let `beats` pass (at the score's tempo, `t`): live, sleep; offline,
    /// render them. Ctrl-C stops it.
    #[rhai_fn(return_raw)]
    pub fn wait(ctx: NativeCallContext, beats: Dynamic) -> Result<(), Box<EvalAltResult>> {
        let beats = number(&beats, "beats")?;
        if beats.is_nan() || beats < 0.0 || !beats.is_finite() {
            return Err(script_error("wait needs a number of beats >= 0"));
        }
        let st = state(&ctx)?;
        let live = st.session().output_stats().is_some();
        // Live, the beats become seconds at the score's tempo now (as the
        // offline render converts them), then the wait sleeps them.
        let mut left = if live {
            st.session().beats_to_seconds(beats)
        } else {
            beats
        };
        // In slices, so an interrupt is seen soon and the session lock is
        // free for others (console, printer) in between.
        let slice = if live { 0.02 } else { 1.0 };
        while left > 0.0 {
            if st.interrupt.load(Ordering::Relaxed) {
                return Err(script_error("interrupted"));
            }
            let step = left.min(slice);
            if live {
                std::thread::sleep(Duration::from_secs_f64(step));
            } else {
                let mut session = st.session();
                if !session.is_playing() {
                    break;
                }
                session.wait(step).map_err(from_anyhow)?;
            }
            left -= step;
        }
        st.reset_deadline();
        Ok(())
    }

    /// Run a script file now; its functions are available from the next
    /// line (console) or the next file on.
    #[rhai_fn(return_raw)]
    pub fn run(ctx: NativeCallContext, path: &str) -> Result<(), Box<EvalAltResult>> {
        crate::host::run_nested(&ctx, path)
    }

    /// Names of every function the host offers, and the script's own.
    #[rhai_fn(return_raw)]
    pub fn dir(ctx: NativeCallContext) -> Result<Array, Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let docs = st.docs.lock().unwrap_or_else(|e| e.into_inner());
        let mut names: Vec<String> = docs.iter().map(|d| d.name.clone()).collect();
        names.sort_unstable();
        names.dedup();
        Ok(names.into_iter().map(Dynamic::from).collect())
    }

    /// Signatures and documentation of the function `name`.
    #[rhai_fn(name = "help", return_raw)]
    pub fn help_on(ctx: NativeCallContext, name: &str) -> Result<String, Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let docs = st.docs.lock().unwrap_or_else(|e| e.into_inner());
        let text = crate::host::docs::help_text(&docs, name);
        Ok(text)
    }

    /// How to get started: `dir()` lists the functions, `help("note")` explains one.
    #[rhai_fn(name = "help", return_raw)]
    pub fn help(ctx: NativeCallContext) -> Result<String, Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let docs = st.docs.lock().unwrap_or_else(|e| e.into_inner());
        Ok(crate::host::docs::overview(&docs))
    }

    /// Seed the random generator of `play_hp` (and `gauss`), for repeatable pieces.
    #[rhai_fn(return_raw)]
    pub fn seed(ctx: NativeCallContext, n: INT) -> Result<(), Box<EvalAltResult>> {
        use rand::SeedableRng;
        let st = state(&ctx)?;
        *st.rng.lock().unwrap_or_else(|e| e.into_inner()) =
            rand::rngs::StdRng::seed_from_u64(n as u64);
        Ok(())
    }
}
