//! The `rhapsody` command line: turns arguments into library calls.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rhapsody::audio::wav::Sink;
use rhapsody::csd::Csd;
use rhapsody::diag::Severity;
use rhapsody::engine::context::MessageKind;
use rhapsody::engine::opcode::shown;
use rhapsody::options::{Options, SampleFormat};
use rhapsody::session::pipeline::{self, PrepareError};
use rhapsody::{opcodes, render};

mod console;
mod live;
use live::LiveArgs;

#[derive(Parser)]
#[command(
    name = "rhapsody",
    version,
    about = "A live-coding host for Csound-style synthesis",
    args_conflicts_with_subcommands = true,
    after_help = "Live session: rhapsody [FILE.csd] [OPTIONS] [CSOUND FLAGS]
  SCRIPT.rhai ...       Rhai scripts to run, then the interactive console
  --watch FILE.rhai     run a script and re-run it whenever it is saved
  --no-console          no console: play until the score ends (also when stdin
                        is not a terminal and empty, or in the background)
  --duration SECONDS    stop after this long (no console)
  --device NAME         play on this device (see --list-devices; `silent`: no sound)
  -j N                  perform notes on N threads (as csound's -j)
  --list-devices        list the audio devices and exit
  --record FILE.csd     write the session (orchestra and every event) as a CSD
  --record-audio F.wav  write what the device plays
  --plots DIR           where draw_* pictures go (default plots/)
  -o dac, -b N, -B N, -r SR, -k KR, --ksmps=N as in Csound"
)]
struct Cli {
    /// List every opcode (like `csound -z`).
    #[arg(short = 'z')]
    list_opcodes: bool,
    #[command(subcommand)]
    command: Option<Command>,
    /// A live session: the CSD to play, then options (see below).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    live: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Render a .csd offline to a sound file as fast as possible.
    ///
    /// Rhai scripts may follow the file (`render csd/simple.csd x.rhai -o
    /// out.wav`): they drive the render, `wait(beats)` rendering that long;
    /// afterwards the render goes on until the scripts' notes have ended (or
    /// to the score's end if the CSD has notes of its own).
    ///
    /// Csound's flags are accepted after the file: -o FILE, -f (32-bit
    /// float), -3 (24-bit), -s (16-bit, default), -n (no sound), -r SR,
    /// -k KR, --ksmps=N, -d, -m N, -j N (threads). They override the file's <CsOptions>.
    /// `--plots DIR`: where the scripts' draw_* pictures go (default plots/).
    Render {
        /// The .csd to render.
        file: PathBuf,
        /// Rhai scripts (SCRIPT.rhai) that drive the render, then Csound's
        /// flags (-o FILE, -f, -3, -s, -n, -r SR, -k KR, --ksmps=N, -d, -m N,
        /// -j N) and --plots DIR, in any order.
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "SCRIPTS AND FLAGS"
        )]
        flags: Vec<String>,
    },
    /// Parse and compile a .csd without performing it.
    Check {
        /// The .csd to check.
        file: PathBuf,
        /// Csound's flags that change the compile (-r SR, -k KR, --ksmps=N, ...).
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "FLAGS"
        )]
        flags: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.list_opcodes {
        list_opcodes();
        return ExitCode::SUCCESS;
    }
    let result = match cli.command {
        Some(Command::Render { file, flags }) => {
            let (plots, flags) = match take_plots_flag(flags) {
                Ok(split) => split,
                Err(e) => {
                    eprintln!("rhapsody: {e:#}");
                    return ExitCode::from(2);
                }
            };
            let (scripts, flags): (Vec<String>, Vec<String>) = flags
                .into_iter()
                .partition(|f| !f.starts_with('-') && f.ends_with(".rhai"));
            let scripts: Vec<PathBuf> = scripts.into_iter().map(PathBuf::from).collect();
            if let Err(e) = rhapsody::host::check_scripts_exist(&scripts) {
                eprintln!("rhapsody: {e}");
                return ExitCode::from(1);
            }
            if scripts.is_empty() {
                run_render(&file, &flags, false)
            } else {
                run_script_render(&file, &scripts, &flags, plots)
            }
        }
        Some(Command::Check { file, flags }) => run_render(&file, &flags, true),
        None => match LiveArgs::parse(&cli.live) {
            Ok(args) => live::run(args),
            Err(e) => {
                eprintln!("rhapsody: {e:#}");
                return ExitCode::from(2);
            }
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rhapsody: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// `--plots DIR` (or `--plots=DIR`) taken out of the render's flags: the
/// folder the scripts' `draw_*` functions write to.
fn take_plots_flag(flags: Vec<String>) -> anyhow::Result<(Option<PathBuf>, Vec<String>)> {
    let mut plots = None;
    let mut rest = Vec::with_capacity(flags.len());
    let mut words = flags.into_iter();
    while let Some(w) = words.next() {
        if w == "--plots" {
            let dir = words
                .next()
                .ok_or_else(|| anyhow::anyhow!("--plots needs a folder"))?;
            plots = Some(PathBuf::from(dir));
        } else if let Some(dir) = w.strip_prefix("--plots=") {
            plots = Some(PathBuf::from(dir));
        } else {
            rest.push(w);
        }
    }
    Ok((plots, rest))
}

/// `render FILE.csd SCRIPT.rhai...`: an offline session the scripts drive.
fn run_script_render(
    file: &Path,
    scripts: &[PathBuf],
    flags: &[String],
    plots: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    use rhapsody::session::{Clock, Session};
    let mut options = Options::default();
    options.apply(flags).map_err(|e| anyhow::anyhow!("{e}"))?;
    let csd = Csd::read(file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let from_csd = pipeline::options_for(&csd, &options).map_err(|e| anyhow::anyhow!("{e}"))?;
    let path = if from_csd.no_sound {
        None
    } else {
        Some(PathBuf::from(
            from_csd.output.clone().unwrap_or_else(|| "test.wav".into()),
        ))
    };
    let format = from_csd.format.unwrap_or(SampleFormat::Int16);
    let clock = Clock::Offline {
        path: path.clone(),
        format,
    };
    let mut session = Session::new(clock, options);
    let messages = session
        .take_messages()
        .expect("a fresh session has its messages");
    // Messages are printed as they come, while the scripts run.
    let printer = std::thread::spawn(move || {
        for m in messages {
            match m.kind {
                MessageKind::Print => println!("{}", m.text),
                MessageKind::Info => eprintln!("{}", m.text),
                MessageKind::Warning => eprintln!("WARNING: {}", m.text),
                MessageKind::Error => eprintln!("ERROR: {}", m.text),
            }
        }
    });
    let started = std::time::Instant::now();
    session.load(file)?;
    let mut config = rhapsody::host::HostConfig::default();
    if let Some(dir) = plots {
        config.plot_dir = dir;
    }
    let summary = rhapsody::host::run_files(&mut session, scripts, config);
    if let Some(e) = &summary.error {
        eprintln!("{e}");
    }
    rhapsody::host::finish_render(&mut session, summary.last_event_end)?;
    let rendered = session.score_time_reached();
    session.stop();
    drop(session);
    let _ = printer.join();
    eprintln!(
        "rhapsody: {} note(s) from {} script(s); score time {:.3} s rendered in {:.3} s{}",
        summary.notes_sent,
        scripts.len(),
        rendered,
        started.elapsed().as_secs_f64(),
        path.map(|p| format!(" -> {}", p.display()))
            .unwrap_or_default()
    );
    Ok(if summary.error.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn list_opcodes() {
    let mut seen: Vec<(&str, String)> = Vec::new();
    for spec in opcodes::registry()
        .iter()
        .filter(|s| !s.name.starts_with("##") && s.name != "=")
    {
        let sig = format!(
            "{:<6} {:<12} {}",
            shown(spec.outs),
            spec.name,
            shown(spec.ins)
        );
        seen.push((spec.name, sig));
    }
    seen.sort();
    let names: std::collections::BTreeSet<&str> = seen.iter().map(|s| s.0).collect();
    for (name, sig) in &seen {
        match opcodes::differences::difference(name) {
            Some(diff) => println!("{sig}    [differs from csound: {diff}]"),
            None => println!("{sig}"),
        }
    }
    println!("{} opcodes", names.len());
}

fn run_render(file: &Path, flags: &[String], check_only: bool) -> anyhow::Result<ExitCode> {
    let csd = Csd::read(file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut command_line = Options::default();
    command_line
        .apply(flags)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut prepared = match pipeline::prepare(&csd, &command_line) {
        Ok(p) => p,
        Err(PrepareError::Options(e)) => anyhow::bail!("{e}"),
        Err(PrepareError::Source(diags)) => {
            eprintln!("{diags}");
            let n = diags
                .0
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!(
                "rhapsody: {n} error(s) in {}; nothing performed",
                file.display()
            );
            return Ok(ExitCode::from(1));
        }
    };
    let options = prepared.options.clone();
    let quiet = options.message_level == Some(0);
    if let Some(w) = &prepared.threads_warning {
        eprintln!("rhapsody: {w}");
    }
    for d in &prepared.diagnostics {
        eprintln!("{d}");
    }
    for m in &prepared.messages {
        println!("{m}");
    }
    let rates = prepared.engine.rates;
    // What render could not end (or not write) is refused by check too.
    let wav_format = (!options.no_sound).then(|| options.format.unwrap_or(SampleFormat::Int16));
    if let Err(e) = render::planned_end(&prepared.engine, wav_format) {
        eprintln!("{}: error: {e}", file.display());
        return Ok(ExitCode::from(1));
    }
    if check_only {
        println!(
            "{}: OK (sr {}, kr {}, ksmps {}, nchnls {}, 0dbfs {}; {} instrument(s))",
            file.display(),
            rates.sr,
            rates.kr,
            rates.ksmps,
            rates.nchnls,
            rates.zero_dbfs,
            prepared.engine.orchestra.instruments.len()
        );
        return Ok(if prepared.diagnostics.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if options.is_live() {
        anyhow::bail!("live output (-o dac) is not available yet; render to a file instead");
    }
    let sink = if options.no_sound {
        Sink::Nowhere
    } else {
        let out = options
            .output
            .clone()
            .unwrap_or_else(|| "test.wav".to_string());
        let format = options.format.unwrap_or(SampleFormat::Int16);
        Sink::wav(
            Path::new(&out),
            rates.sr,
            rates.nchnls,
            rates.zero_dbfs,
            format,
        )?
    };
    if !quiet {
        eprintln!(
            "rhapsody: {} -> {} (sr {}, kr {}, ksmps {}, nchnls {})",
            file.display(),
            if options.no_sound {
                "no sound".to_string()
            } else {
                options.output.clone().unwrap_or_else(|| "test.wav".into())
            },
            rates.sr,
            rates.kr,
            rates.ksmps,
            rates.nchnls
        );
    }
    let report = render::render(&mut prepared.engine, sink, None, |kind, text| match kind {
        MessageKind::Print => println!("{text}"),
        MessageKind::Info => {
            if !quiet {
                eprintln!("{text}")
            }
        }
        MessageKind::Warning => eprintln!("WARNING: {text}"),
        MessageKind::Error => eprintln!("ERROR: {text}"),
    })?;
    eprintln!("{}", prepared.engine.report());
    eprintln!(
        "rendered {:.3} s of audio in {:.3} s ({:.1}x real time)",
        report.seconds_rendered,
        report.wall_seconds,
        report.seconds_rendered / report.wall_seconds.max(1e-9)
    );
    Ok(
        if prepared
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
            || report.errors > 0
        {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}
