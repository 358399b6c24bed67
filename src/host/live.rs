//! Live editing from scripts and the console: orchestra text compiled into
//! the running performance (`orchestra`, `instr`, `reload_orchestra`), what
//! happens to sounding notes when their instrument is redefined
//! (`swap_mode`), and the note handles `note()` returns (`set`, `automate`,
//! `release`, `playing`).

use rhai::plugin::*;
use rhai::{Dynamic, EvalAltResult};

use super::state::script_error;
use crate::engine::swap::SwapMode;

/// Crossfade length when a mode says "crossfade" without one.
const DEFAULT_CROSSFADE_MS: f64 = 50.0;

/// A swap mode from a script: "finish", "release", "crossfade" (50 ms),
/// "crossfade 120", or a number of milliseconds (a crossfade that long).
pub fn swap_mode(value: &Dynamic) -> Result<SwapMode, Box<EvalAltResult>> {
    let crossfade = |ms: f64| {
        if ms.is_finite() && ms > 0.0 && ms <= 60_000.0 {
            Ok(SwapMode::Crossfade(ms / 1000.0))
        } else {
            Err(script_error(format!(
                "a crossfade lasts more than 0 and at most 60000 ms, not {ms}"
            )))
        }
    };
    if let Ok(text) = value.clone().into_string() {
        let mut words = text.split_whitespace();
        return match (words.next(), words.next(), words.next()) {
            (Some("finish"), None, _) => Ok(SwapMode::Finish),
            (Some("release"), None, _) => Ok(SwapMode::Release),
            (Some("crossfade"), None, _) => crossfade(DEFAULT_CROSSFADE_MS),
            (Some("crossfade"), Some(ms), None) => match ms.parse::<f64>() {
                Ok(ms) => crossfade(ms),
                Err(_) => Err(script_error(format!("crossfade {ms}: not milliseconds"))),
            },
            _ => Err(script_error(format!(
                "unknown swap mode \"{text}\": \"finish\", \"release\", \"crossfade\" or \"crossfade MS\""
            ))),
        };
    }
    crossfade(super::api::number(value, "swap mode")?)
}

/// A p-field named as a script names it: 5, "p5".
fn pfield_number(value: &Dynamic) -> Result<usize, Box<EvalAltResult>> {
    if let Ok(text) = value.clone().into_string() {
        return text
            .strip_prefix('p')
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| script_error(format!("\"{text}\" is not a p-field (\"p5\", or 5)")));
    }
    let n = super::api::integer(value, "p-field")?;
    usize::try_from(n).map_err(|_| script_error(format!("p{n} is not a p-field")))
}

/// An instrument id from a script: a number or a name.
fn instr_id(value: &Dynamic) -> Result<String, Box<EvalAltResult>> {
    if let Ok(text) = value.clone().into_string() {
        return Ok(text);
    }
    Ok(super::api::integer(value, "instrument")?.to_string())
}

#[export_module]
pub mod live_api {
    use rhai::{Array, Dynamic, EvalAltResult, NativeCallContext};

    use super::{instr_id, pfield_number, swap_mode};
    use crate::host::api::numbers;
    use crate::host::state::{from_anyhow, state};
    use crate::session::{NoteLife, NoteRef};

    /// Compile orchestra text into the running performance: instruments
    /// with the number or name of a playing one are redefined, others
    /// added; globals, tables and the clock are kept. Errors give the line
    /// and column in the text, and nothing changes.
    /// `orchestra("instr 2\n a1 oscili 0.2, 330, 1\n outs a1, a1\nendin")`
    #[rhai_fn(name = "orchestra", return_raw)]
    pub fn orchestra(ctx: NativeCallContext, text: &str) -> Result<(), Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let result = st.session().compile_orchestra("<orchestra>", text, None);
        result.map(|_| ()).map_err(from_anyhow)
    }

    /// `orchestra(text, mode)`: what happens to the sounding notes of the
    /// redefined instruments: "finish" (they play on with the old
    /// definition), "release", "crossfade" (50 ms) or "crossfade MS".
    #[rhai_fn(name = "orchestra", return_raw)]
    pub fn orchestra_with(
        ctx: NativeCallContext,
        text: &str,
        mode: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let mode = swap_mode(&mode)?;
        let st = state(&ctx)?;
        let result = st
            .session()
            .compile_orchestra("<orchestra>", text, Some(mode));
        result.map(|_| ()).map_err(from_anyhow)
    }

    /// Define or redefine one instrument (by number or name) from its body,
    /// the lines between `instr` and `endin`; errors point into the body.
    /// `instr(2, "a1 oscili 0.2, p5, 1\nouts a1, a1")`
    #[rhai_fn(name = "instr", return_raw)]
    pub fn instr(
        ctx: NativeCallContext,
        id: Dynamic,
        body: &str,
    ) -> Result<(), Box<EvalAltResult>> {
        let id = instr_id(&id)?;
        let st = state(&ctx)?;
        let result = st.session().define_instr(&id, body, None);
        result.map(|_| ()).map_err(from_anyhow)
    }

    /// `instr(id, body, mode)`: with a swap mode for the sounding notes (see `orchestra`).
    #[rhai_fn(name = "instr", return_raw)]
    pub fn instr_with(
        ctx: NativeCallContext,
        id: Dynamic,
        body: &str,
        mode: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let id = instr_id(&id)?;
        let mode = swap_mode(&mode)?;
        let st = state(&ctx)?;
        let result = st.session().define_instr(&id, body, Some(mode));
        result.map(|_| ()).map_err(from_anyhow)
    }

    /// Re-read the loaded CSD's orchestra and redefine the instruments
    /// whose text changed (errors as file:line:column; nothing changes then).
    #[rhai_fn(name = "reload_orchestra", return_raw)]
    pub fn reload_orchestra(ctx: NativeCallContext) -> Result<(), Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let result = st.session().reload_orchestra_with(None);
        result.map(|_| ()).map_err(from_anyhow)
    }

    /// `reload_orchestra(mode)`: with a swap mode for the sounding notes (see `orchestra`).
    #[rhai_fn(name = "reload_orchestra", return_raw)]
    pub fn reload_orchestra_with(
        ctx: NativeCallContext,
        mode: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let mode = swap_mode(&mode)?;
        let st = state(&ctx)?;
        let result = st.session().reload_orchestra_with(Some(mode));
        result.map(|_| ()).map_err(from_anyhow)
    }

    /// What happens to the sounding notes of instrument `id` whenever it is
    /// redefined and the call does not say: "finish" (the default),
    /// "release", "crossfade" or "crossfade MS". `swap_mode(1, "crossfade 80")`
    #[rhai_fn(name = "swap_mode", return_raw)]
    pub fn set_swap_mode(
        ctx: NativeCallContext,
        id: Dynamic,
        mode: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let id = instr_id(&id)?;
        let mode = swap_mode(&mode)?;
        let st = state(&ctx)?;
        let mut session = st.session();
        let number = session.instrument_number(&id).map_err(from_anyhow)?;
        session.set_swap_mode(number, mode);
        Ok(())
    }

    /// Set p-field `field` (5 or "p5") of this running note, heard from the
    /// next block (the instrument reads it at k-rate: `kfreq = p5`).
    /// `let h = note([1, 0, -1, 0.3, 220]); h.set("p5", 330);`
    #[rhai_fn(name = "set", return_raw)]
    pub fn set(
        ctx: NativeCallContext,
        note: &mut NoteRef,
        field: Dynamic,
        value: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let field = pfield_number(&field)?;
        let value = crate::host::api::number(&value, "value")?;
        let st = state(&ctx)?;
        let result = st.session().note_set(note, field, value);
        result.map_err(from_anyhow)
    }

    /// Ramp p-field `field` of this note through `[t0, v0, t1, v1, ...]`
    /// (times in beats from now, on the engine's clock; at most 16 points);
    /// it holds the last value. `h.automate("p5", [0, 220, 2, 440])`
    #[rhai_fn(name = "automate", return_raw)]
    pub fn automate(
        ctx: NativeCallContext,
        note: &mut NoteRef,
        field: Dynamic,
        points: Array,
    ) -> Result<(), Box<EvalAltResult>> {
        let field = pfield_number(&field)?;
        let points = numbers(&points, "points")?;
        let st = state(&ctx)?;
        let result = st.session().note_automate(note, field, &points);
        result.map_err(from_anyhow)
    }

    /// End this note with its release segment (a 10 ms fade if it has none).
    #[rhai_fn(name = "release", return_raw)]
    pub fn release(ctx: NativeCallContext, note: &mut NoteRef) -> Result<(), Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let result = st.session().note_release(note);
        result.map_err(from_anyhow)
    }

    /// Whether this note is playing (or scheduled and not yet ended).
    #[rhai_fn(name = "playing", return_raw)]
    pub fn playing(ctx: NativeCallContext, note: &mut NoteRef) -> Result<bool, Box<EvalAltResult>> {
        let st = state(&ctx)?;
        let life = st.session().note_life(note);
        Ok(life != NoteLife::Ended)
    }

    /// A note handle as text: `note 3 of instr 1`.
    #[rhai_fn(global, name = "to_string", name = "to_debug", pure)]
    pub fn note_text(note: &mut NoteRef) -> String {
        note.to_string()
    }

    /// The note's instrument number.
    #[rhai_fn(get = "instr", pure)]
    pub fn note_instr(note: &mut NoteRef) -> rhai::INT {
        note.instr
    }
}
