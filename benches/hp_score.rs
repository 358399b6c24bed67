// Tool for scripts/bench-vs-csound.sh, not a benchmark: runs the article's piece
// (csd/simple.csd + scripts/04_hyperbolic_paraboloid.rhai) offline with event
// recording and writes a plain CSD csound can play: the tables the script made
// (as GEN -2 data, guard point included) and the 6800 `i` statements it sent.
//
// Run: `cargo bench --bench hp_score -- OUT.csd` (does nothing without OUT).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rhapsody::csd::Csd;
use rhapsody::options::{Options, SampleFormat};
use rhapsody::session::{Clock, Session};

fn main() -> anyhow::Result<()> {
    let Some(out) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        return Ok(());
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let csd_path = root.join("csd/simple.csd");
    let script = root.join("scripts/04_hyperbolic_paraboloid.rhai");
    let recording = std::env::temp_dir().join(format!("hp_record_{}.csd", std::process::id()));

    let mut session = Session::new(
        Clock::Offline {
            path: None,
            format: SampleFormat::Int16,
        },
        Options::default(),
    );
    let _messages = session.take_messages();
    session.record_to(&recording);
    session.load(&csd_path)?;
    let summary = rhapsody::host::run_files(&mut session, &[script], Default::default());
    if let Some(e) = summary.error {
        anyhow::bail!("the piece failed: {e}");
    }
    let numbers = session.table_numbers();
    let mut tables = String::new();
    for n in numbers {
        let Some(t) = session.table(n) else { continue };
        let points = t.to_vec();
        // Stored points include the guard point: size len+1 keeps it as is.
        write!(tables, "f {n} 0 {} -2", points.len())?;
        for p in points {
            write!(tables, " {p}")?;
        }
        tables.push('\n');
    }
    rhapsody::host::finish_render(&mut session, summary.last_event_end)?;
    session.stop();
    drop(session);

    // The recording's `i` lines (the live events, at the time the engine
    // took them); its copy of simple.csd's `f 0 14400` is left out.
    let recorded = std::fs::read_to_string(&recording)?;
    let _ = std::fs::remove_file(&recording);
    let notes: Vec<&str> = recorded.lines().filter(|l| l.starts_with("i ")).collect();
    let simple = Csd::read(&csd_path).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let text = format!(
        "<CsoundSynthesizer>\n<CsOptions>\n</CsOptions>\n<CsInstruments>\n{}\n</CsInstruments>\n<CsScore>\n; tables made by the piece's script\n{tables}; {} grains\n{}\ne\n</CsScore>\n</CsoundSynthesizer>\n",
        simple.orchestra.text.trim_matches('\n'),
        notes.len(),
        notes.join("\n"),
    );
    let out = PathBuf::from(out);
    std::fs::write(&out, text)?;
    eprintln!("hp_score: {} notes -> {}", notes.len(), out.display());
    Ok(())
}
