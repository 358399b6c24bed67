//! Hot reload from scripts: `watch(path)` and `unwatch(path)`.
//!
//! The functions only pass the request on to a [`WatchHook`], which the
//! console installs (it owns the file watcher and re-runs saved files); a
//! host without a console answers that watching needs one.

use std::sync::Arc;

use rhai::plugin::*;

use super::state::{script_error, state};

/// `watch(path)`: watch, say so, then run the file at once as `--watch`
/// does (its events tagged, so that the next save withdraws them).
fn watch_and_run(
    ctx: &NativeCallContext,
    path: &str,
    withdraw: bool,
) -> Result<(), Box<EvalAltResult>> {
    let tag = request(
        ctx,
        WatchRequest::Watch {
            path: path.to_string(),
            withdraw,
        },
    )?;
    let st = state(ctx)?;
    if path.to_ascii_lowercase().ends_with(".csd") {
        // A CSD is not run: each save compiles its orchestra in.
        (st.print)(&format!(
            "watching {path}: its orchestra is compiled in whenever it is saved"
        ));
        return Ok(());
    }
    (st.print)(&watching_line(path));
    let previous = st.session().event_tag();
    st.session().set_event_tag(tag);
    let result = super::run_nested(ctx, path);
    st.session().set_event_tag(previous);
    result
}

/// What a script asked the file watcher for.
#[derive(Clone, Debug, PartialEq)]
pub enum WatchRequest {
    /// Re-run `path` when saved. `withdraw`: the previous version's pending
    /// events are dropped (the default).
    Watch { path: String, withdraw: bool },
    /// Stop watching `path`.
    Unwatch { path: String },
}

/// Carries out a [`WatchRequest`]; `Err` is the message the script sees.
/// `Ok` carries the tag the watched file's events are sent with (0 for
/// `Unwatch`), so that a re-save can withdraw them.
pub type WatchHook = Arc<dyn Fn(WatchRequest) -> Result<u32, String> + Send + Sync>;

/// The line both `watch(path)` and `--watch path` print.
pub fn watching_line(path: &str) -> String {
    format!("watching {path}: it runs now and again whenever it is saved")
}

fn request(ctx: &NativeCallContext, req: WatchRequest) -> Result<u32, Box<EvalAltResult>> {
    let st = state(ctx)?;
    let hook = st
        .watch_hook
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    match hook {
        Some(h) => h(req).map_err(script_error),
        None => Err(script_error(
            "watching files needs the interactive console (rhapsody FILE.csd)",
        )),
    }
}

#[export_module]
pub mod watch_api {
    /// Run the script at `path` now and again whenever it is saved (hot
    /// reload), as `--watch` does. Its functions replace the old ones; a version with errors is reported
    /// and the previous definitions keep working. A save that does not
    /// change the text does not re-run it. Notes the previous version sent
    /// that have not started yet are withdrawn, so a re-save replaces
    /// rather than piles up (see `watch(path, false)`). A `.csd` is not
    /// run: each save redefines the instruments whose text changed.
    #[rhai_fn(name = "watch", return_raw)]
    pub fn watch(ctx: NativeCallContext, path: &str) -> Result<(), Box<EvalAltResult>> {
        super::watch_and_run(&ctx, path, true)
    }

    /// `watch(path, false)`: hot reload that keeps the events earlier
    /// versions scheduled (they pile up); `watch(path, true)` is `watch(path)`.
    #[rhai_fn(name = "watch", return_raw)]
    pub fn watch_with(
        ctx: NativeCallContext,
        path: &str,
        withdraw: bool,
    ) -> Result<(), Box<EvalAltResult>> {
        super::watch_and_run(&ctx, path, withdraw)
    }

    /// Stop re-running `path` when it is saved.
    #[rhai_fn(return_raw)]
    pub fn unwatch(ctx: NativeCallContext, path: &str) -> Result<(), Box<EvalAltResult>> {
        request(
            &ctx,
            WatchRequest::Unwatch {
                path: path.to_string(),
            },
        )
        .map(|_| ())
    }
}
