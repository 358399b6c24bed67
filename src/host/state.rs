//! State shared by the Rhai functions of one host: the session, the random
//! generator, the print sink and the bookkeeping the end-of-render rule needs.
//!
//! Plugin functions are plain functions, so they cannot capture anything.
//! They reach this state through the engine's default *tag*, which Rhai
//! copies into every evaluation and hands to native functions in their
//! `NativeCallContext`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;
use rhai::{AST, Dynamic, EvalAltResult, NativeCallContext, Position};

use crate::session::Session;

/// Where a script's `print` and `debug` lines go.
pub type PrintSink = Arc<dyn Fn(&str) + Send + Sync>;

/// One registered or script function as `help` and `dir` show it.
#[derive(Clone, Debug)]
pub struct FnDoc {
    pub name: String,
    pub signature: String,
    /// The doc comment, `///` markers removed, lines joined with newlines.
    pub doc: String,
    /// Defined in a script rather than in Rust.
    pub script: bool,
}

/// Everything the registered functions share.
pub struct HostState {
    pub session: Mutex<Session>,
    /// Set (by Ctrl-C in the console) to stop the running script.
    pub interrupt: Arc<AtomicBool>,
    /// Wall-clock budget of a script between two waits.
    pub time_limit: Duration,
    /// When the running script must have reached its next wait.
    deadline: Mutex<Option<Instant>>,
    pub rng: Mutex<StdRng>,
    pub print: PrintSink,
    /// Notes (`i` events) sent by scripts.
    pub notes_sent: AtomicU64,
    /// Latest score time (seconds, default tempo) at which an event sent by a
    /// script ends: what an offline render waits for.
    last_event_end: Mutex<f64>,
    /// Registered functions (fixed at start) and script functions (updated
    /// whenever the host merges an AST).
    pub docs: Mutex<Vec<FnDoc>>,
    /// Files run with `run(path)`, whose functions the host merges after
    /// the current evaluation.
    pub pending_asts: Mutex<Vec<AST>>,
    /// Nesting of `run(path)` calls, to refuse runaway recursion.
    pub run_depth: AtomicUsize,
    /// Files being run, innermost last (for error messages).
    pub files: Mutex<Vec<PathBuf>>,
    /// Where `watch` and `unwatch` go: set by the console (hot reload).
    pub watch_hook: Mutex<Option<super::watch::WatchHook>>,
    /// Where the `draw_*` functions write (see `HostConfig::plot_dir`).
    pub plot_dir: PathBuf,
    /// Braille text size for a terminal, if pictures are also printed (the
    /// console updates it when the terminal is resized).
    pub terminal_plots: Arc<Mutex<Option<(usize, usize)>>>,
}

/// The tag value: a cheap handle to the shared state.
#[derive(Clone)]
pub struct StateHandle(pub Arc<HostState>);

/// A Rhai runtime error with a message and no position (Rhai fills in the
/// position of the call).
pub fn script_error(message: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        Position::NONE,
    ))
}

/// A Rust error turned into a script error.
pub fn from_anyhow(e: anyhow::Error) -> Box<EvalAltResult> {
    script_error(format!("{e:#}"))
}

/// The shared state from a native call's context.
pub fn state(ctx: &NativeCallContext) -> Result<Arc<HostState>, Box<EvalAltResult>> {
    ctx.tag()
        .and_then(|t| t.clone().try_cast::<StateHandle>())
        .map(|h| h.0)
        .ok_or_else(|| script_error("this function needs a rhapsody host"))
}

impl HostState {
    pub fn new(
        session: Session,
        interrupt: Arc<AtomicBool>,
        time_limit: Duration,
        print: PrintSink,
    ) -> HostState {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x5eed);
        HostState {
            session: Mutex::new(session),
            interrupt,
            time_limit,
            deadline: Mutex::new(None),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            print,
            notes_sent: AtomicU64::new(0),
            last_event_end: Mutex::new(0.0),
            docs: Mutex::new(Vec::new()),
            pending_asts: Mutex::new(Vec::new()),
            run_depth: AtomicUsize::new(0),
            files: Mutex::new(Vec::new()),
            watch_hook: Mutex::new(None),
            plot_dir: PathBuf::from(super::DEFAULT_PLOT_DIR),
            terminal_plots: Arc::new(Mutex::new(None)),
        }
    }

    /// The session, even if a panicking thread poisoned the lock.
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Start the wall-clock budget again (a script start, or a wait).
    pub fn reset_deadline(&self) {
        *self.deadline.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(Instant::now() + self.time_limit);
    }

    pub fn clear_deadline(&self) {
        *self.deadline.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Why the running script must stop now, if it must.
    pub fn must_stop(&self) -> Option<String> {
        if self.interrupt.load(Ordering::Relaxed) {
            return Some("interrupted".into());
        }
        let deadline = *self.deadline.lock().unwrap_or_else(|e| e.into_inner());
        match deadline {
            Some(d) if Instant::now() > d => Some(format!(
                "it ran {:.1} s without waiting (a runaway loop? long computations need wait() now and then)",
                self.time_limit.as_secs_f64()
            )),
            _ => None,
        }
    }

    /// Note that an event sent now ends at `end` (score seconds).
    pub fn event_ends_at(&self, end: f64) {
        if end.is_finite() {
            let mut last = self
                .last_event_end
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if end > *last {
                *last = end;
            }
        }
    }

    pub fn last_event_end(&self) -> f64 {
        *self
            .last_event_end
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    pub fn say(&self, text: &str) {
        (self.print)(text);
    }
}
