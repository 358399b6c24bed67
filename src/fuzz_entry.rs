//! The functions the fuzz targets in `fuzz/` call, one per input language,
//! kept in the library so that the corpus-replay test (`tests/fuzz_corpus.rs`,
//! run on stable by CI) feeds every saved input through exactly the same
//! code. Each takes raw bytes and must return without panicking, whatever
//! they hold: errors are the expected outcome for most inputs.

use std::sync::Arc;

use crate::diag::SourceFile;

fn source(name: &str, data: &[u8]) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        name: name.to_string(),
        text: String::from_utf8_lossy(data).into_owned(),
    })
}

/// The CSD reader: split into options, orchestra and score, then (if it
/// splits) parse and compile both as `check` does.
pub fn csd(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    if let Ok(csd) = crate::csd::Csd::parse("fuzz.csd", text) {
        let _ = crate::session::pipeline::prepare(&csd, &crate::options::Options::default());
    }
}

/// The orchestra language: preprocess, parse, compile.
pub fn orchestra(data: &[u8]) {
    if let Ok(ast) = crate::orc::parse(&source("fuzz.orc", data)) {
        let _ = crate::orc::compiler::compile(&ast, Default::default());
    }
}

/// The score language: preprocess, parse, sort, expressions.
pub fn score(data: &[u8]) {
    let _ = crate::score::parse(&source("fuzz.sco", data));
}

/// The Rhai host and its registered functions: the input is a console
/// line, run in a fresh host (an offline session, nothing loaded, a short
/// time limit, printing and pictures thrown away).
pub fn script(data: &[u8]) {
    use crate::host::{Host, HostConfig};
    use crate::options::{Options, SampleFormat};
    use crate::session::{Clock, Session};
    let session = Session::new(
        Clock::Offline {
            path: None,
            format: SampleFormat::Float32,
        },
        Options::default(),
    );
    let config = HostConfig {
        time_limit: std::time::Duration::from_millis(200),
        print: Some(Arc::new(|_: &str| {})),
        plot_dir: std::env::temp_dir().join("rhapsody-fuzz-plots"),
        terminal_plots: None,
        ..HostConfig::default()
    };
    let mut host = Host::with_config(session, config);
    let _ = host.eval_line(&String::from_utf8_lossy(data));
}
