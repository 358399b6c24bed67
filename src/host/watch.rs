//! Hot reload from scripts: `watch(path)` and `unwatch(path)`.
//!
//! The functions only pass the request on to a [`WatchHook`], which the
//! console installs (it owns the file watcher and re-runs saved files); a
//! host without a console answers that watching needs one.

use std::sync::Arc;

use rhai::plugin::*;

use super::state::{script_error, state};

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
pub type WatchHook = Arc<dyn Fn(WatchRequest) -> Result<(), String> + Send + Sync>;

fn request(ctx: &NativeCallContext, req: WatchRequest) -> Result<(), Box<EvalAltResult>> {
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
    /// Re-run the script at `path` whenever it is saved (hot reload). Its
    /// functions replace the old ones; a version with errors is reported
    /// and the previous definitions keep working. A save that does not
    /// change the text does not re-run it. Notes the previous version sent
    /// that have not started yet are withdrawn, so a re-save replaces
    /// rather than piles up (see `watch(path, false)`).
    #[rhai_fn(name = "watch", return_raw)]
    pub fn watch(ctx: NativeCallContext, path: &str) -> Result<(), Box<EvalAltResult>> {
        request(
            &ctx,
            WatchRequest::Watch {
                path: path.to_string(),
                withdraw: true,
            },
        )
    }

    /// `watch(path, false)`: hot reload that keeps the events earlier
    /// versions scheduled (they pile up); `watch(path, true)` is `watch(path)`.
    #[rhai_fn(name = "watch", return_raw)]
    pub fn watch_with(
        ctx: NativeCallContext,
        path: &str,
        withdraw: bool,
    ) -> Result<(), Box<EvalAltResult>> {
        request(
            &ctx,
            WatchRequest::Watch {
                path: path.to_string(),
                withdraw,
            },
        )
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
    }
}
