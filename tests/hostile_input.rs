//! Hostile input reaching `rhapsody check` and `rhapsody render`: each case
//! once crashed the process (stack overflow, capacity overflow, a failed
//! 8 GB allocation), printed megabytes of errors, or rendered for ever. Each
//! must now end quickly with a clear message and a non-zero exit status, or
//! end as csound ends it.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn csd(header: &str, orchestra: &str, score: &str) -> String {
    format!(
        "<CsoundSynthesizer>\n<CsInstruments>\n{header}\n{orchestra}\n</CsInstruments>\n<CsScore>\n{score}\n</CsScore>\n</CsoundSynthesizer>\n"
    )
}

const HEADER: &str = "sr = 48000\nksmps = 32\nnchnls = 1\n0dbfs = 1";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Run `rhapsody <command> file [args]`.
fn run(command: &str, file: &Path, args: &[&str]) -> RunOutput {
    let mut all: Vec<&std::ffi::OsStr> = vec![command.as_ref(), file.as_os_str()];
    all.extend(args.iter().map(|a| std::ffi::OsStr::new(*a)));
    run_rhapsody(&all)
}

/// `check` fails with exit status 1 (not a crash) and says `needle`.
fn refused(name: &str, text: &str, needle: &str) -> RunOutput {
    let dir = unique_temp_dir("hostile");
    let file = write(&dir, name, text);
    let out = run("check", &file, &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}: status {:?}\nstderr:\n{}",
        out.status,
        &out.stderr[..out.stderr.len().min(2000)]
    );
    assert!(
        out.stderr.contains(needle),
        "{name}: no '{needle}' in\n{}",
        &out.stderr[..out.stderr.len().min(2000)]
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

#[test]
fn a_ten_thousand_term_sum_is_refused_not_a_stack_overflow() {
    let sum = vec!["1"; 10_000].join(" + ");
    refused(
        "sum.csd",
        &csd(HEADER, &format!("instr 1\nkd = {sum}\nendin"), "i 1 0 0.1"),
        "expression too long",
    );
}

#[test]
fn a_long_sum_within_the_limit_compiles() {
    let sum = vec!["1"; 900].join(" + ");
    let dir = unique_temp_dir("hostile");
    let file = write(
        &dir,
        "sum900.csd",
        &csd(
            HEADER,
            &format!("instr 1\nkd = {sum}\nprintk 1, kd\nendin"),
            "i 1 0 0.01",
        ),
    );
    let out = run("check", &file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
}

#[test]
fn score_brackets_thirty_thousand_deep_are_refused() {
    let deep = format!("[{}1{}]", "(".repeat(30_000), ")".repeat(30_000));
    refused(
        "deep.csd",
        &csd(HEADER, "instr 1\nendin", &format!("i 1 0 {deep}")),
        "nested too deeply",
    );
}

#[test]
fn absurd_header_rates_are_refused_before_allocating() {
    for (name, header, needle) in [
        (
            "kr.csd",
            "sr = 48000\nkr = 1e-300\nnchnls = 1",
            "beyond the limits",
        ),
        (
            "ksmps22.csd",
            "sr = 48000\nksmps = 1e22\nnchnls = 1",
            "beyond the limits",
        ),
        (
            "ksmps9.csd",
            "sr = 48000\nksmps = 1e9\nnchnls = 1",
            "beyond the limits",
        ),
        (
            "dbfs.csd",
            "sr = 48000\nksmps = 32\n0dbfs = 0",
            "0dbfs must be",
        ),
    ] {
        refused(name, &csd(header, "instr 1\nendin", "i 1 0 0.1"), needle);
    }
}

#[test]
fn a_line_of_backslashes_gives_a_short_report() {
    let out = refused(
        "bslash.csd",
        &csd(
            HEADER,
            &format!("instr 1\nendin\n{}", "\\".repeat(20_000)),
            "i 1 0 0.1",
        ),
        "error",
    );
    assert!(
        out.stderr.len() < 20_000,
        "{} bytes of errors",
        out.stderr.len()
    );
}

#[test]
fn a_huge_comb_loop_time_fails_the_note_with_a_message() {
    let dir = unique_temp_dir("hostile");
    let file = write(
        &dir,
        "comb.csd",
        &csd(
            HEADER,
            "instr 1\na1 comb oscili(0.1, 440), 1, 65536\nout a1\nendin",
            "i 1 0 0.1",
        ),
    );
    let out = run("render", &file, &["-n"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains("longer than the limit"),
        "{}",
        out.stderr
    );
}

#[test]
fn scores_of_only_e_or_starting_with_x_render_nothing_and_end() {
    for (name, score) in [("e.csd", "e"), ("x.csd", "x\ni 1 0 1")] {
        let dir = unique_temp_dir("hostile");
        let file = write(&dir, name, &csd(HEADER, "instr 1\nendin", score));
        let out = run("render", &file, &["-n"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains("rendered 0.000 s"),
            "{name}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_render_that_could_not_end_or_fit_is_refused_by_check_and_render() {
    for (name, score, needle) in [
        ("empty.csd", "", "the score is empty"),
        ("late.csd", "i 1 1e6 1", "more than a render's limit"),
        // 20 hours of 16-bit mono at 48 kHz: 6.9 GB of WAV.
        ("big.csd", "i 1 72000 1", "4 GiB"),
    ] {
        let text = csd(HEADER, "instr 1\nendin", score);
        refused(name, &text, needle);
        let dir = unique_temp_dir("hostile");
        let file = write(&dir, name, &text);
        let wav = dir.join("out.wav");
        let out = run("render", &file, &["-o", wav.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", out.stderr);
        assert!(!wav.exists(), "{name}: a WAV was started");
    }
}

#[test]
fn a_missing_score_end_tag_is_an_error() {
    let text = csd(HEADER, "instr 1\nendin", "i 1 0 1").replace("</CsScore>", "");
    refused("open.csd", &text, "missing </CsScore>");
}

#[test]
fn devices_and_non_csd_files_are_refused_without_quoting_them() {
    let out = run("check", Path::new("/dev/zero"), &[]);
    assert_ne!(out.status.code(), Some(0));
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
    let dir = unique_temp_dir("hostile");
    let secret = write(&dir, "secret.txt", "TOP SECRET line one\nline two\n");
    let out = run("check", &secret, &[]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!out.stderr.contains("TOP SECRET"), "{}", out.stderr);
}

/// Macros that each call the previous one twice: 40 levels would expand to
/// a terabyte. Found by the `csd_reader` fuzz target (a 20 s timeout).
fn doubling_macros(call: &str) -> String {
    let mut defs = String::from("#define M0 #xxxxxxxx#\n");
    for level in 1..=40 {
        let below = level - 1;
        defs.push_str(&format!("#define M{level} #$M{below}.$M{below}.#\n"));
    }
    defs + call
}

#[test]
fn a_doubling_macro_in_the_orchestra_is_stopped_by_size() {
    let orchestra = doubling_macros("instr 1\ni1 = $M40.\nendin\n");
    let out = refused(
        "orcmacro.csd",
        &csd(HEADER, &orchestra, "i 1 0 0.1"),
        "the orchestra expands to too much text",
    );
    assert_eq!(out.stderr.matches("expands to too much").count(), 1);
}

#[test]
fn a_doubling_macro_in_the_score_is_stopped_by_size() {
    let score = doubling_macros("$M40.\n");
    refused(
        "scomacro.csd",
        &csd(HEADER, "instr 1\nendin", &score),
        "the score expands to too much text",
    );
}

/// GEN23 and a score's `#include` read through the same gate as scripts and
/// `.csd` files: a device is refused at once (it was read until memory ran
/// out), and a file that is not text is refused without being quoted.
#[test]
fn gen23_and_score_includes_read_only_regular_text_files() {
    let dir = unique_temp_dir("hostile");
    let secret = dir.join("secret.bin");
    std::fs::write(&secret, b"TOP SECRET \xff\xfe 1 2 3\n").unwrap();
    let orc = "instr 1\n  a1 = 0\n  out a1\nendin";
    for (name, score, needle) in [
        (
            "gen23dev.csd",
            "f 1 0 0 -23 \"/dev/zero\"\ni 1 0 0.1".to_string(),
            "not a regular file",
        ),
        (
            "gen23bin.csd",
            format!("f 1 0 0 -23 \"{}\"\ni 1 0 0.1", secret.display()),
            "not UTF-8 text",
        ),
        (
            "incdev.csd",
            "#include \"/dev/zero\"\ni 1 0 0.1".to_string(),
            "not a regular file",
        ),
    ] {
        let file = write(&dir, name, &csd(HEADER, orc, &score));
        let wav = dir.join(format!("{name}.wav"));
        let out = run("render", &file, &["-o", wav.to_str().unwrap()]);
        assert!(
            out.stderr.contains(needle),
            "{name}: no '{needle}' in\n{}",
            &out.stderr[..out.stderr.len().min(2000)]
        );
        assert!(!out.stderr.contains("TOP SECRET"), "{}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
}

#[test]
fn tables_beyond_the_address_space_are_refused_and_the_piece_plays() {
    // Ten 64M-point tables (512 MB each) under a 4 GB address-space limit:
    // the allocation that cannot be had once aborted the process (at the
    // sixth table); each such table must now be an error naming its line,
    // and the note still plays. GEN 7 keeps the tables cheap to fill.
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("SKIPPED: needs prlimit (util-linux)");
        return;
    }
    let tables: String = (1..=10)
        .map(|n| format!("f{n} 0 67108864 7 0 67108864 1\n"))
        .collect();
    let dir = unique_temp_dir("hostile");
    let file = write(
        &dir,
        "tables.csd",
        &csd(
            HEADER,
            "instr 1\na1 oscili 0.1, 440, 1\nout a1\nendin",
            &format!("{tables}i 1 0 0.1"),
        ),
    );
    let mut cmd = Command::new("prlimit");
    cmd.arg("--as=4294967296")
        .arg(env!("CARGO_BIN_EXE_rhapsody"))
        .arg("render")
        .arg(&file)
        .arg("-n");
    let out = run_with_timeout(cmd, std::time::Duration::from_secs(300), "rhapsody");
    assert!(
        out.status.code().is_some(),
        "killed by a signal: {:?}\n{}",
        out.status,
        out.stderr
    );
    assert!(
        out.stderr
            .contains("error: f 10: not enough memory for a table of 67108864 points"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("tables.csd:"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(out.stderr.contains("end of score"), "{}", out.stderr);
}
