//! The live front end of the command line: `rhapsody [FILE.csd] [OPTIONS]`
//! plays a CSD in real time, runs the Rhai scripts given, then opens the
//! interactive console (Ctrl-D leaves); with `--no-console` or `--duration`
//! it plays until the score ends or the time is up. `--watch FILE` runs a
//! script and re-runs it whenever it is saved.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use rhapsody::engine::context::MessageKind;
use rhapsody::options::Options;
use rhapsody::session::{Clock, Session, SessionMessage};

/// What the live command line asked for.
#[derive(Debug, Default)]
pub struct LiveArgs {
    pub csd: Option<PathBuf>,
    /// Rhai scripts to run, in order, once the CSD plays.
    pub scripts: Vec<PathBuf>,
    pub duration: Option<f64>,
    pub device: Option<String>,
    pub list_devices: bool,
    pub record: Option<PathBuf>,
    pub record_audio: Option<PathBuf>,
    /// Csound flags (`-o dac`, `-b 256`, `-r 48000` ...).
    pub flags: Vec<String>,
    /// Files to run, then re-run whenever they are saved (hot reload).
    pub watch: Vec<PathBuf>,
    /// No interactive console after the scripts (play until the score ends).
    pub no_console: bool,
    /// Where the `draw_*` functions write (`--plots DIR`).
    pub plots: Option<PathBuf>,
}

/// rhapsody's own long options that take a value.
const VALUED: &[&str] = &[
    "--duration",
    "--device",
    "--record",
    "--record-audio",
    "--watch",
    "--plots",
];

impl LiveArgs {
    /// Split the words after `rhapsody`: our long options, files, Csound flags.
    pub fn parse(words: &[String]) -> Result<LiveArgs> {
        let mut args = LiveArgs::default();
        let mut i = 0;
        while i < words.len() {
            let word = &words[i];
            i += 1;
            let (name, attached) = match word.split_once('=') {
                Some((n, v)) if VALUED.contains(&n) => (n, Some(v.to_string())),
                _ => (word.as_str(), None),
            };
            if VALUED.contains(&name) {
                let value = match attached {
                    Some(v) => v,
                    None => {
                        let v = words.get(i).cloned();
                        i += 1;
                        v.ok_or_else(|| anyhow::anyhow!("{name} needs a value"))?
                    }
                };
                match name {
                    "--duration" => {
                        let d: f64 = value
                            .parse()
                            .ok()
                            .filter(|d: &f64| d.is_finite() && *d >= 0.0)
                            .ok_or_else(|| {
                                anyhow::anyhow!("--duration needs seconds, got '{value}'")
                            })?;
                        args.duration = Some(d);
                    }
                    "--device" => args.device = Some(value),
                    "--record" => args.record = Some(value.into()),
                    "--watch" => args.watch.push(value.into()),
                    "--plots" => args.plots = Some(value.into()),
                    _ => args.record_audio = Some(value.into()),
                }
            } else if word == "--no-console" {
                args.no_console = true;
            } else if word == "--list-devices" {
                args.list_devices = true;
            } else if !word.starts_with('-') && word.ends_with(".csd") {
                if args.csd.is_some() {
                    bail!("only one CSD at a time (got a second: {word})");
                }
                args.csd = Some(word.into());
            } else if !word.starts_with('-') && word.ends_with(".rhai") {
                args.scripts.push(word.into());
            } else {
                args.flags.push(word.clone());
                // A Csound flag's value travels with it (`-o dac`, `-b 256`).
                if matches!(
                    word.as_str(),
                    "-o" | "-b" | "-B" | "-r" | "-k" | "-m" | "-j" | "-F" | "-M"
                ) && let Some(v) = words.get(i)
                {
                    args.flags.push(v.clone());
                    i += 1;
                }
            }
        }
        Ok(args)
    }
}

fn print_message(m: &SessionMessage) {
    match m.kind {
        MessageKind::Print => println!("{}", m.text),
        MessageKind::Info => eprintln!("{}", m.text),
        MessageKind::Warning => eprintln!("WARNING: {}", m.text),
        MessageKind::Error => eprintln!("ERROR: {}", m.text),
    }
}

pub fn run(args: LiveArgs) -> Result<ExitCode> {
    if args.list_devices {
        for d in rhapsody::audio::list_devices()? {
            let default = if d.is_default { " (default)" } else { "" };
            let config = match (&d.default_config, &d.note) {
                (Some(c), _) => format!(
                    "{} Hz, {} channels, {}",
                    c.sample_rate, c.channels, c.sample_format
                ),
                (None, Some(note)) => note.clone(),
                (None, None) => String::new(),
            };
            println!("{}{default}: {} [{config}]", d.id, d.description);
        }
        // MIDI inputs, numbered as `-M N` takes them.
        match rhapsody::midi::live::port_names() {
            Ok(ports) if ports.is_empty() => println!("MIDI inputs: none"),
            Ok(ports) => {
                println!("MIDI inputs (-M N, -M NAME, -Ma for all):");
                for (i, name) in ports.iter().enumerate() {
                    println!("  {i}: {name}");
                }
            }
            Err(e) => println!("MIDI inputs: {e}"),
        }
        return Ok(ExitCode::SUCCESS);
    }
    // A misspelt script name stops here, before anything plays (exit 1).
    let all_scripts: Vec<PathBuf> = args.scripts.iter().chain(&args.watch).cloned().collect();
    rhapsody::host::check_scripts_exist(&all_scripts)?;
    let mut options = Options::default();
    options
        .apply(&args.flags)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(o) = options.output.as_deref()
        && !options.is_live()
    {
        bail!(
            "-o {o}: a live session plays to the sound card (-o dac); use `rhapsody render` for files"
        );
    }
    let clock = Clock::Live {
        device: args.device.clone(),
        buffer_frames: options.buffer,
    };
    let mut session = Session::new(clock, options);
    let messages = session.take_messages().expect("fresh session");
    if let Some(path) = &args.record {
        session.record_to(path);
    }
    if let Some(path) = &args.record_audio {
        session.record_audio_to(path);
    }
    let console = !args.no_console && args.duration.is_none();
    match &args.csd {
        Some(csd) => session.load(csd)?,
        // The walkthrough's first step: a session with Csound's defaults,
        // where the console (or a script) loads a CSD later.
        None if console || !args.scripts.is_empty() => {}
        None => bail!(
            "no CSD given: without the console a live session needs one, e.g. \
             `rhapsody csd/simple.csd --duration 10`; or start the console with \
             `rhapsody` and `load(\"csd/simple.csd\")`"
        ),
    }
    let started = Instant::now();
    let mut failed = false;
    if !args.watch.is_empty() && !console {
        bail!("--watch needs the console (no --no-console, no --duration)");
    }
    if console {
        let end = crate::console::run(
            session,
            messages,
            crate::console::ConsoleOptions {
                scripts: args.scripts.clone(),
                watch: args.watch.clone(),
                history: None,
                plot_dir: args.plots.clone(),
            },
        )?;
        if end.no_input && end.session.is_playing() {
            // No console could be used (stdin empty or not ours): play the
            // score through, as --no-console does.
            eprintln!("no console input: playing the score through (Ctrl-C stops)");
            return play_on(args, end.session, end.messages, started, end.failed);
        }
        return finish(end.session, end.messages, started, end.failed);
    }
    if !args.scripts.is_empty() {
        // Engine messages keep coming while the scripts run.
        let stop_printer = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let printer = {
            let stop = stop_printer.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    while let Ok(m) = messages.try_recv() {
                        print_message(&m);
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                messages
            })
        };
        let mut config = rhapsody::host::HostConfig::default();
        if let Some(dir) = &args.plots {
            config.plot_dir = dir.clone();
        }
        let summary = rhapsody::host::run_files(&mut session, &args.scripts, config);
        if let Some(e) = &summary.error {
            eprintln!("{e}");
            failed = true;
        }
        stop_printer.store(true, Ordering::Relaxed);
        let messages = printer
            .join()
            .map_err(|_| anyhow::anyhow!("message printer failed"))?;
        return play_on(args, session, messages, started, failed);
    }
    play_on(args, session, messages, started, failed)
}

/// Play until the score ends or `--duration` has passed, then report.
fn play_on(
    args: LiveArgs,
    session: Session,
    messages: std::sync::mpsc::Receiver<SessionMessage>,
    started: Instant,
    failed: bool,
) -> Result<ExitCode> {
    // Ctrl-C stops the performance with its report, instead of killing it.
    let interrupted = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, interrupted.clone());
    loop {
        while let Ok(m) = messages.try_recv() {
            print_message(&m);
        }
        if !session.is_playing() || interrupted.load(Ordering::Relaxed) {
            break;
        }
        if args
            .duration
            .is_some_and(|d| started.elapsed().as_secs_f64() >= d)
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    finish(session, messages, started, failed)
}

/// Stop the session (audio faded out, recordings closed) and report.
fn finish(
    mut session: Session,
    messages: std::sync::mpsc::Receiver<SessionMessage>,
    started: Instant,
    failed: bool,
) -> Result<ExitCode> {
    let stats = session.output_stats();
    session.stop();
    while let Ok(m) = messages.recv_timeout(Duration::from_millis(50)) {
        print_message(&m);
    }
    if let Some(stats) = stats {
        let snapshot = stats.snapshot();
        eprintln!(
            "played {:.1} s; xruns: {}; peak callback load: {:.1}% of the buffer period \
             (at {:.2} s)",
            started.elapsed().as_secs_f64(),
            snapshot.xruns,
            snapshot.peak_load_permille as f64 / 10.0,
            snapshot.peak_at.as_secs_f64(),
        );
        eprintln!("callback load: {}", load_distribution(&snapshot));
        if !snapshot.realtime {
            eprintln!(
                "the audio thread ran without real-time scheduling (not permitted: \
                 raise `ulimit -r`, see the book's troubleshooting page)"
            );
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The callback load histogram as "0-10%: 93.1%, 10-20%: 6.9%": the share
/// of callbacks in each 10% step of the buffer period, empty steps left out.
fn load_distribution(stats: &rhapsody::audio::StatsSnapshot) -> String {
    let total: u64 = stats.load_hist.iter().sum();
    if total == 0 {
        return "no callbacks".to_string();
    }
    let last = stats.load_hist.len() - 1;
    stats
        .load_hist
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| {
            let step = if i == last {
                format!(">={}%", i * 10)
            } else {
                format!("{}-{}%", i * 10, i * 10 + 10)
            };
            format!("{step}: {:.1}%", *n as f64 * 100.0 / total as f64)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn own_options_files_and_csound_flags_are_told_apart() {
        let a = LiveArgs::parse(&words(
            "csd/simple.csd --duration 2.5 -o dac -b 256 --record=s.csd --plots figs",
        ))
        .unwrap();
        assert_eq!(a.plots, Some(PathBuf::from("figs")));
        assert_eq!(a.csd, Some(PathBuf::from("csd/simple.csd")));
        assert_eq!(a.duration, Some(2.5));
        assert_eq!(a.record, Some(PathBuf::from("s.csd")));
        assert_eq!(a.flags, words("-o dac -b 256"));
    }

    #[test]
    fn a_bad_duration_is_named() {
        let e = LiveArgs::parse(&words("--duration soon")).unwrap_err();
        assert!(e.to_string().contains("--duration needs seconds"));
    }
}
