//! The interactive console: a rustyline prompt (history, TAB completion,
//! multi-line input) in front of a [`Host`], with hot reload of watched files.
//!
//! Three threads: the prompt thread reads lines; an evaluator thread owns the
//! host and runs console entries and reloads one at a time; a relay thread
//! prints everything else (results, script `print`s, engine messages,
//! reload reports) through rustyline's external printer while a line is
//! being typed, so the typed text survives. Ctrl-C while a script runs sets
//! the host's interrupt flag (a signal handler) and stops the script, never
//! the audio. Without a terminal the console reads plain lines (a pipe).

pub mod helper;
pub mod watcher;

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor, ExternalPrinter};

use helper::{ConsoleHelper, Names, is_incomplete};
use rhapsody::engine::context::MessageKind;
use rhapsody::host::watch::WatchRequest;
use rhapsody::host::{Host, HostConfig};
use rhapsody::session::{Session, SessionMessage};
use watcher::{Watcher, content_hash};

/// What the console was asked to do at start.
#[derive(Debug, Default)]
pub struct ConsoleOptions {
    /// Scripts to run first, in order.
    pub scripts: Vec<PathBuf>,
    /// Files to run and then re-run whenever they are saved (`--watch`).
    pub watch: Vec<PathBuf>,
    /// History file (default: [`history_path`]).
    pub history: Option<PathBuf>,
    /// Where the `draw_*` functions write (default `plots/`).
    pub plot_dir: Option<PathBuf>,
}

/// What the console hands back when it ends.
pub struct ConsoleEnd {
    pub session: Session,
    pub messages: Receiver<SessionMessage>,
    /// A start-up script failed.
    pub failed: bool,
    /// No console could be used: stdin is not a terminal and gave no input
    /// at all (`< /dev/null`), or the program runs as a background job.
    /// The caller then plays the score through, as with `--no-console`.
    pub no_input: bool,
}

/// Whether this process runs in the background of its terminal (`rhapsody
/// x.csd &`): reading the terminal would stop it (SIGTTIN).
fn in_background() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: plain queries of the process group and the terminal's.
        let (fg, own) = unsafe { (libc::tcgetpgrp(0), libc::getpgrp()) };
        fg >= 0 && fg != own
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Work for the evaluator thread.
pub enum Job {
    /// A console entry; the sender is told when it is done (and printed).
    Line(String, Sender<()>),
    /// Run a file at start (reported on failure); then tell the sender.
    Run(PathBuf, bool, Sender<bool>),
    /// A watched file (by key) was saved.
    Reload(PathBuf),
    /// Leave: the evaluator gives the host back.
    Quit,
}

/// What the relay thread prints.
enum Relay {
    Text(String),
    /// Tell the sender once everything before has been printed.
    Flush(Sender<()>),
    Stop,
}

/// The relay's input: results, prints, reload reports.
#[derive(Clone)]
struct Out(Sender<Relay>);

impl Out {
    fn line(&self, text: impl Into<String>) {
        let _ = self.0.send(Relay::Text(text.into()));
    }

    /// Wait until the relay has printed everything sent so far.
    fn flush(&self) {
        let (tx, rx) = channel();
        if self.0.send(Relay::Flush(tx)).is_ok() {
            let _ = rx.recv_timeout(Duration::from_secs(5));
        }
    }
}

/// `$XDG_STATE_HOME/rhapsody/history`, else `~/.rhapsody_history`.
pub fn history_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir).join("rhapsody");
        let _ = std::fs::create_dir_all(&dir);
        return Some(dir.join("history"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".rhapsody_history"))
}

fn message_text(m: &SessionMessage) -> String {
    match m.kind {
        MessageKind::Print | MessageKind::Info => m.text.clone(),
        MessageKind::Warning => format!("WARNING: {}", m.text),
        MessageKind::Error => format!("ERROR: {}", m.text),
    }
}

/// The relay thread: prints through the external printer while the prompt
/// waits for input, plainly otherwise. Gives the message channel back.
fn relay(
    rx: Receiver<Relay>,
    messages: Receiver<SessionMessage>,
    mut printer: Option<Box<dyn ExternalPrinter + Send>>,
    reading: Arc<AtomicBool>,
) -> Receiver<SessionMessage> {
    let mut emit = |text: String| {
        if reading.load(Ordering::SeqCst)
            && let Some(p) = printer.as_mut()
            && p.print(format!("{text}\n")).is_ok()
        {
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    };
    loop {
        while let Ok(m) = messages.try_recv() {
            emit(message_text(&m));
        }
        match rx.recv_timeout(Duration::from_millis(10)) {
            Ok(Relay::Text(t)) => emit(t),
            Ok(Relay::Flush(ack)) => {
                while let Ok(m) = messages.try_recv() {
                    emit(message_text(&m));
                }
                let _ = ack.send(());
            }
            Ok(Relay::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
    messages
}

/// Braille text size (characters) for the console's pictures: the
/// terminal's width less a margin, 40 to 100 (72 when unknown); 12 lines.
pub fn terminal_plot_size(columns: Option<usize>) -> (usize, usize) {
    let width = columns
        .map(|c| c.saturating_sub(4).clamp(40, 100))
        .unwrap_or(72);
    (width, 12)
}

/// `help` and `help name` typed bare become calls.
pub(crate) fn rewrite(line: &str) -> String {
    let t = line.trim();
    if t == "help" || t == "dir" {
        return format!("{t}()");
    }
    if let Some(name) = t.strip_prefix("help ").map(str::trim)
        && !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
    {
        return format!("help(\"{name}\")");
    }
    line.to_string()
}

/// The evaluator thread's state.
struct Evaluator {
    host: Host,
    out: Out,
    names: Names,
    watcher: Option<Arc<Watcher>>,
}

impl Evaluator {
    fn refresh_names(&self) {
        let mut all: Vec<String> = self
            .host
            .function_docs()
            .into_iter()
            .map(|d| d.name)
            .collect();
        all.extend(self.host.variable_names());
        all.sort();
        all.dedup();
        *self.names.lock().unwrap_or_else(|e| e.into_inner()) = all;
    }

    fn after_job(&self) {
        self.host.interrupt_flag().store(false, Ordering::SeqCst);
        self.refresh_names();
    }

    fn eval(&mut self, line: &str) {
        match self.host.eval_line(&rewrite(line)) {
            Ok(v) if v.is_unit() => {}
            Ok(v) => self.out.line(v.to_string()),
            Err(e) => self.out.line(e.to_string()),
        }
    }

    /// Run `path` (at start); with `watch`, also watch it. `false` on error.
    fn run_start(&mut self, path: &Path, watch: bool) -> bool {
        let name = path.display().to_string();
        let text = match rhapsody::files::read_text(path) {
            Ok(t) => t.into_bytes(),
            Err(e) => {
                self.out.line(e);
                return false;
            }
        };
        let mut tag = 0;
        if watch {
            match &self.watcher {
                Some(w) => match w.watch(path, true, Some(content_hash(&text))) {
                    Ok(key) => {
                        let files = w.files.lock().unwrap_or_else(|e| e.into_inner());
                        tag = files.get(&key).map(|f| f.tag).unwrap_or(0);
                        self.out.line(if is_csd(path) {
                            format!(
                                "watching {name}: its orchestra is compiled in whenever it is saved"
                            )
                        } else {
                            rhapsody::host::watch::watching_line(&name)
                        });
                    }
                    Err(e) => self.out.line(e),
                },
                None => self.out.line("file watching is not available"),
            }
        }
        if is_csd(path) {
            // A CSD is not run: saving it compiles its orchestra in.
            return true;
        }
        let source = String::from_utf8_lossy(&text);
        self.host.session().set_event_tag(tag);
        let result = self.host.run_text(&name, &source);
        self.host.session().set_event_tag(0);
        match result {
            Ok(()) => true,
            Err(e) => {
                self.out.line(e.to_string());
                false
            }
        }
    }

    /// A watched file was saved: re-run it if its content changed.
    fn reload(&mut self, key: &Path) {
        let Some(watcher) = self.watcher.clone() else {
            return;
        };
        let started = Instant::now();
        // Mid-save (renamed away): a later event brings the new file.
        let Ok(text) = rhapsody::files::read_text(key).map(String::into_bytes) else {
            return;
        };
        let hash = content_hash(&text);
        let (shown, tag, withdraw) = {
            let mut files = watcher.files.lock().unwrap_or_else(|e| e.into_inner());
            let Some(w) = files.get_mut(key) else { return };
            if w.hash == Some(hash) {
                return;
            }
            w.hash = Some(hash);
            (w.shown.clone(), w.tag, w.withdraw)
        };
        if is_csd(key) {
            let result = self.host.session().reload_orchestra_from(key, None);
            match result {
                Ok(r) => {
                    let list: Vec<String> = r.redefined.iter().map(|n| n.to_string()).collect();
                    let what = if list.is_empty() {
                        "no instrument changed".to_string()
                    } else {
                        format!("instr {} redefined", list.join(", "))
                    };
                    self.out.line(format!(
                        "reloaded {shown}: {what} ({:.0} ms)",
                        started.elapsed().as_secs_f64() * 1000.0
                    ));
                }
                Err(e) => self.out.line(format!(
                    "reload failed (the previous version stays in effect): {e}"
                )),
            }
            return;
        }
        let source = String::from_utf8_lossy(&text);
        // A version that does not compile changes nothing: withdraw only
        // when the new one parses.
        let parses = self.host.engine().compile(source.as_ref()).is_ok();
        if withdraw && parses {
            let _ = self.host.session().withdraw(tag);
        }
        self.host.session().set_event_tag(tag);
        let result = self.host.run_text(&shown, &source);
        self.host.session().set_event_tag(0);
        match result {
            Ok(()) => self.out.line(format!(
                "reloaded {shown} ({:.0} ms)",
                started.elapsed().as_secs_f64() * 1000.0
            )),
            // It compiled, so its functions took effect before its code failed.
            Err(e) if parses => self.out.line(format!(
                "reloaded {shown}: its new definitions took effect, but running it failed: {e}"
            )),
            Err(e) => self.out.line(format!(
                "reload failed (the previous version stays in effect): {e}"
            )),
        }
    }

    fn run(mut self, jobs: Receiver<Job>) -> Host {
        self.refresh_names();
        while let Ok(job) = jobs.recv() {
            match job {
                Job::Line(line, done) => {
                    self.eval(&line);
                    self.after_job();
                    let _ = done.send(());
                }
                Job::Run(path, watch, done) => {
                    let ok = self.run_start(&path, watch);
                    self.after_job();
                    let _ = done.send(ok);
                }
                Job::Reload(key) => {
                    self.reload(&key);
                    self.after_job();
                }
                Job::Quit => break,
            }
        }
        self.host
    }
}

/// Whether `path` is a CSD (watched for its orchestra, not run as a script).
fn is_csd(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csd"))
}

/// The watch hook scripts' `watch`/`unwatch` reach.
fn watch_hook(watcher: Arc<Watcher>) -> rhapsody::host::watch::WatchHook {
    Arc::new(move |req| match req {
        WatchRequest::Watch { path, withdraw } => {
            let p = Path::new(&path);
            if !p.is_file() {
                return Err(format!("watch(\"{path}\"): no such file"));
            }
            // The text about to run: a save that does not change it is no reload.
            let hash = rhapsody::files::read_text(p)
                .ok()
                .map(|t| content_hash(t.as_bytes()));
            let key = watcher.watch(p, withdraw, hash)?;
            let files = watcher.files.lock().unwrap_or_else(|e| e.into_inner());
            Ok(files.get(&key).map(|f| f.tag).unwrap_or(0))
        }
        WatchRequest::Unwatch { path } => watcher.unwatch(Path::new(&path)).map(|_| 0),
    })
}

/// Run the console on `session` until Ctrl-D (or the end of piped input).
pub fn run(
    session: Session,
    messages: Receiver<SessionMessage>,
    options: ConsoleOptions,
) -> anyhow::Result<ConsoleEnd> {
    let background = std::io::stdin().is_terminal() && in_background();
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal() && !background;
    let (relay_tx, relay_rx) = channel::<Relay>();
    let out = Out(relay_tx);
    let sink = out.clone();
    let mut config = HostConfig {
        print: Some(Arc::new(move |s: &str| sink.line(s))),
        // Pictures are printed as braille text too when a person watches a
        // terminal (sized to it once the line editor knows its width).
        terminal_plots: std::io::stdout()
            .is_terminal()
            .then(|| terminal_plot_size(None)),
        ..HostConfig::default()
    };
    if let Some(dir) = &options.plot_dir {
        config.plot_dir = dir.clone();
    }
    let plots_on_terminal = config.terminal_plots.is_some();
    let host = Host::with_config(session, config);
    let interrupt = host.interrupt_flag();
    let terminal_plots = host.terminal_plots_handle();
    // Ctrl-C while a script runs (the terminal is not in raw mode then, or
    // input is piped): stop the script. A second Ctrl-C before the script
    // noticed the first leaves the program.
    if !tty {
        let _ = signal_hook::flag::register_conditional_shutdown(
            signal_hook::consts::SIGINT,
            130,
            interrupt.clone(),
        );
    }
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, interrupt.clone());

    let (jobs_tx, jobs_rx) = channel::<Job>();
    let watcher = match Watcher::new(jobs_tx.clone()) {
        Ok(w) => Some(Arc::new(w)),
        Err(e) => {
            out.line(format!("hot reload is not available: {e}"));
            None
        }
    };
    if let Some(w) = &watcher {
        host.set_watch_hook(Some(watch_hook(w.clone())));
    }
    let names: Names = Arc::new(Mutex::new(Vec::new()));

    // The editor first: its external printer feeds the relay.
    let mut editor = if tty {
        let config = Config::builder()
            .auto_add_history(false)
            .completion_type(CompletionType::List)
            .max_history_size(5000)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .build();
        match Editor::<ConsoleHelper, DefaultHistory>::with_config(config) {
            Ok(mut ed) => {
                ed.set_helper(Some(ConsoleHelper::new(names.clone())));
                Some(ed)
            }
            Err(e) => {
                eprintln!("no line editor ({e}): reading plain lines");
                None
            }
        }
    } else {
        None
    };
    if plots_on_terminal && let Some(ed) = editor.as_mut() {
        let columns = ed.dimensions().map(|(w, _)| w as usize);
        *terminal_plots.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(terminal_plot_size(columns));
    }
    let printer: Option<Box<dyn ExternalPrinter + Send>> = editor
        .as_mut()
        .and_then(|ed| ed.create_external_printer().ok())
        .map(|p| Box::new(p) as Box<dyn ExternalPrinter + Send>);
    let reading = Arc::new(AtomicBool::new(false));
    let relay_thread = {
        let reading = reading.clone();
        std::thread::Builder::new()
            .name("rhapsody-relay".into())
            .spawn(move || relay(relay_rx, messages, printer, reading))?
    };

    let evaluator = Evaluator {
        host,
        out: out.clone(),
        names: names.clone(),
        watcher: watcher.clone(),
    };
    let eval_thread = std::thread::Builder::new()
        .name("rhapsody-eval".into())
        .spawn(move || evaluator.run(jobs_rx))?;

    let mut failed = false;
    let starts = options
        .scripts
        .iter()
        .map(|p| (p, false))
        .chain(options.watch.iter().map(|p| (p, true)));
    for (path, watch) in starts {
        let (tx, rx) = channel();
        if jobs_tx.send(Job::Run(path.clone(), watch, tx)).is_err() {
            break;
        }
        if !rx.recv().unwrap_or(false) {
            failed = true;
            if !watch {
                break;
            }
        }
    }
    out.flush();

    let submit = |line: String| {
        let (tx, rx) = channel();
        if jobs_tx.send(Job::Line(line, tx)).is_ok() {
            let _ = rx.recv();
        }
        out.flush();
    };

    let mut no_input = false;
    match editor.as_mut() {
        Some(ed) => {
            let history = options.history.clone().or_else(history_path);
            if let Some(h) = &history {
                let _ = ed.load_history(h);
            }
            loop {
                reading.store(true, Ordering::SeqCst);
                let read = ed.readline("rhapsody> ");
                reading.store(false, Ordering::SeqCst);
                match read {
                    Ok(line) => {
                        if line.trim().is_empty() {
                            continue;
                        }
                        if plots_on_terminal {
                            // Follow the terminal's width (it may have been resized).
                            let columns = ed.dimensions().map(|(w, _)| w as usize);
                            *terminal_plots.lock().unwrap_or_else(|e| e.into_inner()) =
                                Some(terminal_plot_size(columns));
                        }
                        let _ = ed.add_history_entry(line.as_str());
                        submit(line);
                    }
                    Err(ReadlineError::Interrupted) => continue,
                    Err(ReadlineError::Eof) => break,
                    Err(e) => {
                        eprintln!("console: {e}");
                        break;
                    }
                }
            }
            if let Some(h) = &history {
                let _ = ed.save_history(h);
            }
        }
        None if background => no_input = true,
        None => {
            let syntax = rhai::Engine::new_raw();
            let stdin = std::io::stdin();
            let mut pending = String::new();
            no_input = true;
            for line in stdin.lock().lines() {
                let Ok(line) = line else { break };
                no_input = false;
                if !pending.is_empty() {
                    pending.push('\n');
                }
                pending.push_str(&line);
                if pending.trim().is_empty() {
                    pending.clear();
                    continue;
                }
                if rewrite(&pending) == pending && is_incomplete(&syntax, &pending) {
                    continue;
                }
                submit(std::mem::take(&mut pending));
            }
            if !pending.trim().is_empty() {
                submit(pending);
            }
        }
    }

    let _ = jobs_tx.send(Job::Quit);
    let host = eval_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the evaluator thread failed"))?;
    host.set_watch_hook(None);
    drop(watcher);
    let session = host.into_session();
    out.flush();
    let _ = out.0.send(Relay::Stop);
    let messages = relay_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the printer thread failed"))?;
    Ok(ConsoleEnd {
        session,
        messages,
        failed,
        no_input,
    })
}
