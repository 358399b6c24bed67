//! The Rhai scripting host: the article's interactive `CsoundSession`
//! driven from Rhai. A [`Host`] owns a sandboxed Rhai engine, the console's
//! variables and the functions of every script run so far, and the
//! [`Session`] it drives. The console (line by line), file watching (hot
//! reload) and the command line all go through [`Host::eval_line`] and
//! [`Host::run_file`].
//!
//! One script, two clocks: with `Clock::Live` "now" is the sound card's
//! score time and `wait(beats)` sleeps; with `Clock::Offline` "now" is the
//! render's position and `wait(beats)` renders that many beats. After the
//! scripts, an offline render ends by the rule of [`finish_render`].

pub mod api;
pub mod docs;
pub mod plots;
pub mod state;
pub mod table;
pub mod utils;
pub mod watch;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rhai::module_resolvers::DummyModuleResolver;
use rhai::{AST, Dynamic, Engine, EvalAltResult, NativeCallContext, ParseError, Position, Scope};

use crate::options::Options;
use crate::session::{Clock, Session};
use state::{FnDoc, HostState, PrintSink, StateHandle, script_error, state};

/// How deep `run(path)` may nest (a file running itself is an error, not a crash).
const MAX_RUN_DEPTH: usize = 8;

/// Where pictures go unless `--plots DIR` says otherwise.
pub const DEFAULT_PLOT_DIR: &str = "plots";

/// The sandbox and the plumbing of a host.
#[derive(Clone)]
pub struct HostConfig {
    /// Wall-clock time a script may compute without calling `wait` (1 s by
    /// default: a runaway loop is stopped within a second, whichever limit
    /// it would have met later).
    pub time_limit: Duration,
    /// Rhai operations one evaluation may perform (0: no limit).
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_string_size: usize,
    pub max_array_size: usize,
    pub max_map_size: usize,
    /// Stack of the thread scripts run on: deep data and recursion need it.
    pub stack_size: usize,
    /// Where `print` and `debug` go (stdout when `None`).
    pub print: Option<PrintSink>,
    /// The folder the `draw_*` functions write their pictures to.
    pub plot_dir: PathBuf,
    /// Also print each picture as braille text of this many characters
    /// (width, height) through `print`: a console on a terminal. `None`:
    /// files only (offline renders, pipes).
    pub terminal_plots: Option<(usize, usize)>,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            time_limit: Duration::from_secs(1),
            max_operations: 1_000_000_000,
            max_call_levels: 64,
            max_string_size: 1 << 20,
            max_array_size: 1 << 22,
            max_map_size: 1 << 16,
            stack_size: 256 << 20,
            print: None,
            plot_dir: PathBuf::from(DEFAULT_PLOT_DIR),
            terminal_plots: None,
        }
    }
}

/// A script error, placed: `path:line:col: message`.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptError {
    pub file: String,
    /// 1-based; 0 when the error has no position.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The text of the line the error is on (empty when unknown): shown
    /// under the message with a caret under the column.
    pub source_line: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )?;
            if !self.source_line.trim().is_empty() && self.column > 0 {
                // The caret's indent copies the line's own tabs, so it lines up.
                let indent: String = self
                    .source_line
                    .chars()
                    .take(self.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n  {}\n  {indent}^", self.source_line.trim_end())?;
            }
            Ok(())
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl ScriptError {
    /// Fill in the text of the error's line: from `text` when the error is
    /// in the file `name` that was evaluated, else from the file it names.
    fn with_source(mut self, name: &str, text: &str) -> ScriptError {
        if self.line == 0 {
            return self;
        }
        let line = if self.file == name {
            text.lines().nth(self.line - 1).map(str::to_string)
        } else {
            std::fs::read_to_string(&self.file)
                .ok()
                .and_then(|t| t.lines().nth(self.line - 1).map(str::to_string))
        };
        self.source_line = line.unwrap_or_default();
        self
    }
}

/// Levenshtein distance between two short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// What to write instead, when a script calls a function that does not
/// exist with those arguments: the bracketed p-fields for `note` and
/// `score_event`, `help("name")` for another known function, or the
/// nearest names for a misspelt one.
fn function_hint(signature: &str, known: &[&str]) -> Option<String> {
    let name = signature
        .split(|c: char| c == '(' || c.is_whitespace())
        .next()
        .unwrap_or("")
        .trim();
    let args = signature[name.len()..].trim();
    match name {
        "note" => {
            return Some(
                "note takes its p-fields in one array: note([1, 0, 1, 0.5, 8.75, 1, 0.05, 0.3, 0.5])"
                    .to_string(),
            );
        }
        "score_event" => {
            return Some(
                "score_event takes a kind and the p-fields in one array: score_event(\"i\", [1, 0, 1, 0.5, 8.75, 1, 0.05, 0.3, 0.5])"
                    .to_string(),
            );
        }
        _ => {}
    }
    if known.contains(&name) {
        return Some(format!(
            "{name} does not take {}: help(\"{name}\") shows what it takes",
            if args.is_empty() {
                "these arguments"
            } else {
                args
            }
        ));
    }
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    let mut near: Vec<(usize, &str)> = known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= limit)
        .collect();
    near.sort();
    near.dedup();
    let names: Vec<&str> = near.iter().take(3).map(|(_, n)| *n).collect();
    (!names.is_empty()).then(|| format!("did you mean {}?", names.join(" or ")))
}

/// The signature of the innermost "function not found" of an error chain.
fn missing_function(e: &EvalAltResult) -> Option<&str> {
    match e {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => missing_function(inner),
        EvalAltResult::ErrorFunctionNotFound(sig, _) => Some(sig.as_str()),
        _ => None,
    }
}

impl std::error::Error for ScriptError {}

fn placed(file: &str, pos: Position, message: String) -> ScriptError {
    ScriptError {
        file: file.to_string(),
        line: pos.line().unwrap_or(0),
        column: pos.position().unwrap_or(0),
        message,
        source_line: String::new(),
    }
}

fn parse_error(file: &str, e: &ParseError) -> ScriptError {
    placed(file, e.1, e.0.to_string())
}

/// The innermost error of a chain of function calls, with its position and
/// source: where the script really went wrong.
fn eval_error(file: &str, e: &EvalAltResult) -> ScriptError {
    match e {
        EvalAltResult::ErrorInFunctionCall(name, source, inner, pos) => {
            let inner_file = if source.is_empty() {
                file
            } else {
                source.as_str()
            };
            let mut err = eval_error(inner_file, inner);
            if err.line == 0 {
                err = placed(file, *pos, err.message);
            }
            err.message = format!("{} (in {name})", err.message);
            err
        }
        EvalAltResult::ErrorTerminated(value, pos) => {
            placed(file, *pos, format!("stopped: {value}"))
        }
        // Every other limit a runaway script can meet says the same thing,
        // naming the limit: one message, whichever stopped it.
        EvalAltResult::ErrorTooManyOperations(pos) => {
            placed(file, *pos, runaway("it performed too many operations"))
        }
        EvalAltResult::ErrorStackOverflow(pos) => {
            placed(file, *pos, runaway("its calls nested too deeply"))
        }
        EvalAltResult::ErrorDataTooLarge(what, pos) => placed(
            file,
            *pos,
            runaway(&format!("{what} grew beyond its limit")),
        ),
        EvalAltResult::ErrorRuntime(value, pos) => {
            let text = value
                .clone()
                .into_string()
                .unwrap_or_else(|_| value.to_string());
            placed(file, *pos, text)
        }
        other => {
            let pos = other.position();
            let text = other.to_string();
            let suffix = format!(" ({pos})");
            let text = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
            placed(file, pos, text)
        }
    }
}

/// The one message of a script stopped by a limit (`why` names the limit).
fn runaway(why: &str) -> String {
    format!("stopped: {why} (a runaway loop? long computations need wait() now and then)")
}

/// The Rhai engine with rhapsody's functions and the sandbox.
fn build_engine(state: &Arc<HostState>, config: &HostConfig) -> Engine {
    let mut engine = Engine::new();
    // No file access but through our functions: no `import`, no `eval`.
    engine.set_module_resolver(DummyModuleResolver::new());
    engine.disable_symbol("eval");
    engine.set_max_operations(config.max_operations);
    engine.set_max_call_levels(config.max_call_levels);
    engine.set_max_expr_depths(64, 32);
    engine.set_max_string_size(config.max_string_size);
    engine.set_max_array_size(config.max_array_size);
    engine.set_max_map_size(config.max_map_size);
    let s = state.clone();
    engine.on_progress(move |ops| {
        // A clock read costs ~20 ns: not at every operation.
        if ops % 512 == 0 {
            s.must_stop().map(Dynamic::from)
        } else {
            None
        }
    });
    let p = state.print.clone();
    engine.on_print(move |text| p(text));
    let p = state.print.clone();
    engine.on_debug(move |text, source, pos| match source {
        Some(src) => p(&format!("{src}:{pos}: {text}")),
        None => p(&format!("{pos}: {text}")),
    });
    engine.register_type_with_name::<table::LiveTable>("Table");
    engine.register_iterator::<table::LiveTable>();
    engine.register_global_module(rhai::exported_module!(api::session_api).into());
    engine.register_global_module(rhai::exported_module!(table::table_api).into());
    engine.register_global_module(rhai::exported_module!(utils::utils_api).into());
    engine.register_global_module(rhai::exported_module!(watch::watch_api).into());
    engine.register_global_module(rhai::exported_module!(plots::plots_api).into());
    engine.set_default_tag(Dynamic::from(StateHandle(state.clone())));
    engine
}

/// The scripting host.
pub struct Host {
    engine: Engine,
    scope: Scope<'static>,
    /// Functions of everything evaluated so far (no statements).
    ast: AST,
    state: Arc<HostState>,
    registered: Vec<FnDoc>,
    stack_size: usize,
}

impl Host {
    /// A host driving `session`, with the default sandbox.
    pub fn new(session: Session) -> Host {
        Host::with_config(session, HostConfig::default())
    }

    pub fn with_config(session: Session, config: HostConfig) -> Host {
        let print: PrintSink = config
            .print
            .clone()
            .unwrap_or_else(|| Arc::new(|s: &str| println!("{s}")));
        let mut state = HostState::new(
            session,
            Arc::new(AtomicBool::new(false)),
            config.time_limit,
            print,
        );
        state.plot_dir = config.plot_dir.clone();
        state.terminal_plots = Arc::new(Mutex::new(config.terminal_plots));
        let state = Arc::new(state);
        let engine = build_engine(&state, &config);
        let registered = docs::registered(&engine);
        let host = Host {
            engine,
            scope: Scope::new(),
            ast: AST::empty(),
            state,
            registered,
            stack_size: config.stack_size,
        };
        host.update_docs();
        host
    }

    /// Set this (e.g. on Ctrl-C) to stop the running script within milliseconds.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.state.interrupt.clone()
    }

    /// The session, locked: do not hold it while a script runs.
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.state.session()
    }

    /// The Rhai engine (for completion and syntax checks in the console).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Names of the console's variables (for completion).
    pub fn variable_names(&self) -> Vec<String> {
        self.scope
            .iter()
            .map(|(name, _, _)| name.to_string())
            .collect()
    }

    /// Route `watch(path)` and `unwatch(path)` to a file watcher (the console's).
    pub fn set_watch_hook(&self, hook: Option<watch::WatchHook>) {
        *self
            .state
            .watch_hook
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = hook;
    }

    /// Print pictures as braille text of (width, height) characters too, or not (`None`).
    pub fn set_terminal_plots(&self, size: Option<(usize, usize)>) {
        *self
            .terminal_plots_handle()
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = size;
    }

    /// The braille size setting, to change while scripts run on another
    /// thread (the console follows the terminal's width).
    pub fn terminal_plots_handle(&self) -> Arc<Mutex<Option<(usize, usize)>>> {
        self.state.terminal_plots.clone()
    }

    /// Notes sent by scripts so far.
    pub fn notes_sent(&self) -> u64 {
        self.state.notes_sent.load(Ordering::Relaxed)
    }

    /// Latest score time (s) at which a note sent by a script ends.
    pub fn last_event_end(&self) -> f64 {
        self.state.last_event_end()
    }

    /// Every function `dir()` lists, with signature and documentation.
    pub fn function_docs(&self) -> Vec<FnDoc> {
        self.state
            .docs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The function reference as Markdown (for the book).
    pub fn reference(&self) -> String {
        docs::reference_markdown(&self.function_docs())
    }

    /// Give the session back (the host is gone afterwards).
    pub fn into_session(self) -> Session {
        let Host { engine, state, .. } = self;
        // The engine's tag and progress callback hold the other references.
        drop(engine);
        match Arc::try_unwrap(state) {
            Ok(s) => s.session.into_inner().unwrap_or_else(|e| e.into_inner()),
            Err(shared) => std::mem::replace(
                &mut *shared.session(),
                Session::new(
                    Clock::Offline {
                        path: None,
                        format: crate::options::SampleFormat::Int16,
                    },
                    Options::default(),
                ),
            ),
        }
    }

    fn update_docs(&self) {
        let mut all = self.registered.clone();
        all.extend(docs::scripted(&self.ast));
        all.sort_by(|a, b| a.name.cmp(&b.name).then(a.signature.cmp(&b.signature)));
        *self.state.docs.lock().unwrap_or_else(|e| e.into_inner()) = all;
    }

    /// Evaluate one console entry; its functions and variables stay.
    pub fn eval_line(&mut self, line: &str) -> Result<Dynamic, ScriptError> {
        self.eval_source("<console>", line)
    }

    /// Run a script file; its functions and top-level variables stay.
    pub fn run_file(&mut self, path: &Path) -> Result<(), ScriptError> {
        let name = path.display().to_string();
        let text = crate::files::read_text(path).map_err(|e| ScriptError {
            file: name.clone(),
            line: 0,
            column: 0,
            message: e,
            source_line: String::new(),
        })?;
        self.eval_source(&name, &text).map(|_| ())
    }

    /// Run script text as if it were the file `name` (hot reload runs the
    /// exact text it hashed); its functions and top-level variables stay.
    pub fn run_text(&mut self, name: &str, text: &str) -> Result<(), ScriptError> {
        self.eval_source(name, text).map(|_| ())
    }

    fn eval_source(&mut self, name: &str, text: &str) -> Result<Dynamic, ScriptError> {
        let mut new = self
            .engine
            .compile_with_scope(&self.scope, text)
            .map_err(|e| parse_error(name, &e).with_source(name, text))?;
        new.set_source(name);
        // Statements of the new text, with every function known so far.
        let mut merged = self.ast.merge(&new);
        merged.set_source(name);
        self.ast = merged.clone_functions_only();
        self.update_docs();
        self.state.interrupt.store(false, Ordering::Relaxed);
        self.state.reset_deadline();
        let result = self.eval_on_big_stack(&merged);
        self.state.clear_deadline();
        // Functions of files run with run(path) join the host's.
        let pending: Vec<AST> = std::mem::take(
            &mut *self
                .state
                .pending_asts
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        if !pending.is_empty() {
            for ast in pending {
                self.ast = self.ast.merge(&ast);
            }
            self.update_docs();
        }
        result.map_err(|e| {
            let mut err = eval_error(name, &e);
            if let Some(sig) = missing_function(&e) {
                let docs = self.function_docs();
                let known: Vec<&str> = docs.iter().map(|d| d.name.as_str()).collect();
                if let Some(hint) = function_hint(sig, &known) {
                    err.message = format!("{}: {hint}", err.message);
                }
            }
            err.with_source(name, text)
        })
    }

    /// Scripts run on their own thread with a large stack: deep recursion
    /// in Rhai's evaluator or deep data would overflow a normal one.
    fn eval_on_big_stack(&mut self, ast: &AST) -> Result<Dynamic, Box<EvalAltResult>> {
        let engine = &self.engine;
        let scope = &mut self.scope;
        std::thread::scope(|s| {
            let handle = std::thread::Builder::new()
                .name("rhapsody-script".into())
                .stack_size(self.stack_size)
                .spawn_scoped(s, move || {
                    let result = engine.eval_ast_with_scope::<Dynamic>(scope, ast);
                    // Still on the big stack: values too deep for the
                    // console to print or drop are taken apart here.
                    let cleared = clear_deep_values(scope);
                    drop_shadowed(scope);
                    match result {
                        Ok(v) if deeper_than(&v, MAX_VALUE_DEPTH) => {
                            dismantle(v);
                            Err(script_error(format!(
                                "the result is nested more than {MAX_VALUE_DEPTH} deep: not kept"
                            )))
                        }
                        Ok(_) if !cleared.is_empty() => Err(script_error(format!(
                            "{} nested more than {MAX_VALUE_DEPTH} deep: cleared",
                            cleared.join(", ")
                        ))),
                        other => other,
                    }
                });
            match handle {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err(script_error("the script crashed the interpreter"))),
                Err(e) => Err(script_error(format!("cannot start the script thread: {e}"))),
            }
        })
    }
}

/// Deepest nesting of arrays and maps a variable may keep between
/// evaluations. Rhai limits sizes, not the depth of values built at run
/// time (`a = [take(a)]` in a loop): a value deeper than this would
/// overflow the stack of whoever prints, clones or drops it later.
const MAX_VALUE_DEPTH: usize = 1_000;

/// Whether `v` nests arrays or maps more than `limit` deep. Recursive,
/// but never deeper than `limit` (run on the script thread's big stack).
fn deeper_than(v: &Dynamic, limit: usize) -> bool {
    if let Ok(a) = v.as_array_ref() {
        limit == 0 || a.iter().any(|x| deeper_than(x, limit - 1))
    } else if let Ok(m) = v.as_map_ref() {
        limit == 0 || m.values().any(|x| deeper_than(x, limit - 1))
    } else {
        false
    }
}

/// Drop `v` one level at a time (no recursion however deep it is).
fn dismantle(v: Dynamic) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        if v.is_array() {
            stack.extend(v.into_array().unwrap_or_default());
        } else if let Some(m) = v.try_cast::<rhai::Map>() {
            stack.extend(m.into_values());
        }
    }
}

/// Empty the variables of `scope` nested more than [`MAX_VALUE_DEPTH`]
/// deep; their names.
fn clear_deep_values(scope: &mut Scope) -> Vec<String> {
    let names: Vec<String> = scope
        .iter_raw()
        .filter(|(_, _, v)| deeper_than(v, MAX_VALUE_DEPTH))
        .map(|(name, _, _)| name.to_string())
        .collect();
    for name in &names {
        if let Some(v) = scope.get_mut(name) {
            dismantle(std::mem::take(v));
        }
    }
    names
}

/// Keep only the last variable of each name. Rhai's `let` at the top level
/// pushes a new variable and keeps the one it shadows, so each re-run of a
/// file or a console line with `let` kept the old value (1,000 console lines
/// `let big2 = zeros(10000);` took the process from 13 to 177 MB). Values
/// are moved (shared ones stay shared); the old ones are dropped here, on
/// the script thread's big stack.
fn drop_shadowed(scope: &mut Scope<'static>) {
    let unique = {
        let mut names = std::collections::HashSet::with_capacity(scope.len());
        scope.iter_raw().all(|(name, _, _)| names.insert(name))
    };
    if unique {
        return;
    }
    let old = std::mem::take(scope);
    let mut kept: Vec<(String, bool, Dynamic)> = Vec::with_capacity(old.len());
    let constants: Vec<bool> = old.iter_raw().map(|(_, c, _)| c).collect();
    for ((name, value, _), constant) in old.into_iter().zip(constants) {
        if let Some(i) = kept.iter().position(|(n, _, _)| *n == name) {
            // The later one wins, in the earlier one's place.
            let (_, _, gone) = kept.remove(i);
            dismantle(gone);
        }
        kept.push((name, constant, value));
    }
    for (name, constant, value) in kept {
        if constant {
            scope.push_constant_dynamic(name, value);
        } else {
            scope.push_dynamic(name, value);
        }
    }
}

/// `run(path)` from a script: evaluate a file now in a fresh scope; its
/// functions join the host's after the current evaluation.
pub(crate) fn run_nested(ctx: &NativeCallContext, path: &str) -> Result<(), Box<EvalAltResult>> {
    let st = state(ctx)?;
    if st.run_depth.fetch_add(1, Ordering::SeqCst) >= MAX_RUN_DEPTH {
        st.run_depth.fetch_sub(1, Ordering::SeqCst);
        return Err(script_error(format!(
            "run(\"{path}\"): files run each other more than {MAX_RUN_DEPTH} deep"
        )));
    }
    let result = (|| {
        let text = crate::files::read_text(Path::new(path))
            .map_err(|e| script_error(format!("run(\"{path}\"): {e}")))?;
        let mut ast = ctx
            .engine()
            .compile(&text)
            .map_err(|e| script_error(parse_error(path, &e).to_string()))?;
        ast.set_source(path);
        let mut scope = Scope::new();
        ctx.engine()
            .run_ast_with_scope(&mut scope, &ast)
            .map_err(|e| script_error(eval_error(path, &e).to_string()))?;
        st.pending_asts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(ast.clone_functions_only());
        Ok(())
    })();
    st.run_depth.fetch_sub(1, Ordering::SeqCst);
    result
}

/// Every script named on the command line must exist before anything
/// plays: a misspelt name is an error of its own, not a session that plays
/// without it.
pub fn check_scripts_exist(paths: &[PathBuf]) -> anyhow::Result<()> {
    let missing: Vec<String> = paths
        .iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        [one] => anyhow::bail!("no such script: {one}"),
        many => anyhow::bail!("no such scripts: {}", many.join(", ")),
    }
}

/// What running files did.
#[derive(Debug, Default)]
pub struct RunSummary {
    pub notes_sent: u64,
    /// Latest score time (s) at which a note sent by the scripts ends.
    pub last_event_end: f64,
    /// The first script error (later files were not run).
    pub error: Option<ScriptError>,
}

/// Run script files in order against `session` (live or offline), as the
/// command line does. The session is left as the scripts left it.
pub fn run_files(session: &mut Session, paths: &[PathBuf], config: HostConfig) -> RunSummary {
    let placeholder = Session::new(
        Clock::Offline {
            path: None,
            format: crate::options::SampleFormat::Int16,
        },
        Options::default(),
    );
    let mut host = Host::with_config(std::mem::replace(session, placeholder), config);
    let mut summary = RunSummary::default();
    for p in paths {
        if let Err(e) = host.run_file(p) {
            summary.error = Some(e);
            break;
        }
    }
    summary.notes_sent = host.notes_sent();
    summary.last_event_end = host.last_event_end();
    *session = host.into_session();
    summary
}

/// Longest a CSD's own score plays on after the scripts (simple.csd's
/// `f 0 14400` asks for four hours).
pub const SCORE_CAP_SECONDS: f64 = 3600.0;
/// Longest notes may go on sounding after the last scripted event's end
/// (release tails; held notes are cut here).
pub const TAIL_CAP_SECONDS: f64 = 30.0;

/// The end of an offline render after its scripts:
/// - if the CSD's score has notes of its own (`i` statements), render to
///   the score's end (its last event, `f 0`, or an `e`), at most
///   [`SCORE_CAP_SECONDS`];
/// - otherwise (a score that only keeps the engine running, as simple.csd),
///   render until every note the scripts sent has ended and the time of
///   an `e` they sent is reached (`last_event_end`), then while a note
///   sounds, at most [`TAIL_CAP_SECONDS`] past that. The engine itself stops
///   at an `e`'s time, or sooner where the CSD's own score ends first
///   (csound's rule: an `e` event does not lengthen the score).
pub fn finish_render(session: &mut Session, last_event_end: f64) -> anyhow::Result<()> {
    if csd_has_notes(session) {
        return session.run_to_end(SCORE_CAP_SECONDS);
    }
    while session.is_playing() {
        let now = session.score_time();
        if now >= last_event_end {
            break;
        }
        session.wait((last_event_end - now).min(1.0))?;
        if session.score_time() <= now {
            break; // the engine did not advance (finished)
        }
    }
    let tail_end = session.score_time() + TAIL_CAP_SECONDS;
    while session.is_playing() && session.active_notes() > 0 && session.score_time() < tail_end {
        session.wait(0.1)?;
    }
    Ok(())
}

/// Whether the loaded CSD's score has notes of its own.
fn csd_has_notes(session: &Session) -> bool {
    let Some(name) = session.csd_name() else {
        return false;
    };
    let Ok(csd) = crate::csd::Csd::read(Path::new(&name)) else {
        return false;
    };
    crate::score::parse(&csd.score)
        .map(|s| {
            s.events
                .iter()
                .any(|e| e.kind == crate::score::EventKind::Note)
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_function_gets_the_nearest_names() {
        let known = ["note", "score_event", "table_length", "table_get"];
        assert_eq!(
            function_hint("tabel_length (i64)", &known).as_deref(),
            Some("did you mean table_length?")
        );
        assert_eq!(function_hint("quux (i64)", &known), None);
    }

    #[test]
    fn note_without_brackets_says_what_to_write() {
        let hint = function_hint("note (i64, i64, i64)", &["note"]).unwrap();
        assert!(hint.contains("note([1, 0, 1"), "{hint}");
    }

    #[test]
    fn the_caret_stands_under_the_column() {
        let e = ScriptError {
            file: "<console>".into(),
            line: 1,
            column: 5,
            message: "oops".into(),
            source_line: String::new(),
        }
        .with_source("<console>", "let x = 1;");
        assert_eq!(e.to_string(), "<console>:1:5: oops\n  let x = 1;\n      ^");
    }
}
