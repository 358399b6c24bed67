//! Corpus replay: every input saved under `fuzz/corpus/<target>/` (seeds
//! from tests/conformance and csd/, the reproducers of issue 19, and any
//! crash the fuzzers found) goes through the same function the fuzz target
//! calls (`rhapsody::fuzz_entry`). Runs on stable, so CI replays the corpus
//! even where `cargo fuzz` (nightly) is not available.

use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let data = std::fs::read(&p).expect("corpus file");
            (p, data)
        })
        .collect()
}

/// Run `f` on every input of `target` on a thread with the main thread's
/// stack size (what `check`, `render` and the fuzzers have).
fn replay(target: &str, f: fn(&[u8])) {
    for (path, data) in inputs(target) {
        let name = path.display().to_string();
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || f(&data))
            .expect("thread")
            .join()
            .unwrap_or_else(|_| panic!("{name} panicked"));
    }
}

#[test]
fn csd_reader_corpus() {
    replay("csd_reader", rhapsody::fuzz_entry::csd);
}

#[test]
fn orchestra_corpus() {
    replay("orchestra", rhapsody::fuzz_entry::orchestra);
}

#[test]
fn score_corpus() {
    replay("score", rhapsody::fuzz_entry::score);
}

#[test]
fn script_corpus() {
    replay("script", rhapsody::fuzz_entry::script);
}
