// The command-line contract of `rhapsody render` and `rhapsody check`: exit codes, output
// formats and header overrides, checked with property tests (pitch, level, length).

mod common;

use common::*;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A one-second 440 Hz sine at amplitude 0.5 on two channels (right at half level).
const TONE: &str = "; a test tone\n<CsoundSynthesizer>\n<CsInstruments>\nsr = 44100\nksmps = 10\n\
nchnls = 2\n0dbfs = 1\ninstr 1\n  a1 oscili 0.5, 440, 1\n  outs a1, a1 * 0.5\nendin\n\
</CsInstruments>\n<CsScore>\nf 1 0 8192 10 1\ni 1 0 1\ne\n</CsScore>\n</CsoundSynthesizer>\n";

/// An orchestra with a syntax error (an unknown opcode).
const BROKEN: &str = "<CsoundSynthesizer>\n<CsInstruments>\ninstr 1\n  a1 nosuchopcode 1\n  out a1\n\
endin\n</CsInstruments>\n<CsScore>\ni 1 0 1\n</CsScore>\n</CsoundSynthesizer>\n";

fn write_csd(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn rhapsody(args: &[&OsStr]) -> RunOutput {
    run_rhapsody(args)
}

#[test]
fn check_accepts_a_valid_csd_with_exit_status_0() {
    let dir = unique_temp_dir("cli-check-ok");
    let csd = write_csd(&dir, "tone.csd", TONE);
    let out = rhapsody(&["check".as_ref(), csd.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", out.stderr);
}

#[test]
fn check_rejects_an_unknown_opcode_with_exit_status_1_and_a_message() {
    let dir = unique_temp_dir("cli-check-bad");
    let csd = write_csd(&dir, "broken.csd", BROKEN);
    let out = rhapsody(&["check".as_ref(), csd.as_os_str()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout:\n{}\nstderr:\n{}",
        out.stdout,
        out.stderr
    );
    assert!(
        out.stderr.contains("nosuchopcode"),
        "the error should name the opcode:\n{}",
        out.stderr
    );
}

/// An orchestra that indexes a scalar and writes a k-value into an i-array.
const BAD_ARRAYS: &str = "<CsoundSynthesizer>\n<CsInstruments>\ninstr 1\n  kx = 1\n  \
iArr[] fillarray 1, 2\n  ky = kx[0]\n  iArr[1] = ky\nendin\n</CsInstruments>\n<CsScore>\n\
i 1 0 1\n</CsScore>\n</CsoundSynthesizer>\n";

#[test]
fn check_reports_bad_array_use_with_file_line_and_column() {
    let dir = unique_temp_dir("cli-check-arrays");
    let csd = write_csd(&dir, "arrays.csd", BAD_ARRAYS);
    let out = rhapsody(&["check".as_ref(), csd.as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{}", out.stderr);
    assert!(
        out.stderr
            .contains("arrays.csd:6:8: error: 'kx' is not an array, it cannot be indexed"),
        "indexing a scalar should point at it:\n{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("arrays.csd:7:3: error: cannot write a k-rate value into 'iArr'"),
        "a k-value into an i-array should be refused:\n{}",
        out.stderr
    );
}

#[test]
fn render_of_a_missing_file_exits_with_status_1() {
    let dir = unique_temp_dir("cli-missing");
    let out = rhapsody(&[
        "render".as_ref(),
        dir.join("does-not-exist.csd").as_os_str(),
        "-o".as_ref(),
        dir.join("x.wav").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn render_to_a_full_disk_says_so_and_exits_with_status_1() {
    // /dev/full accepts the file's creation and fails every write; the
    // writer thread's error must reach the user.
    let dir = unique_temp_dir("cli-full");
    let csd = write_csd(&dir, "tone.csd", TONE);
    let out = rhapsody(&[
        "render".as_ref(),
        csd.as_os_str(),
        "-o".as_ref(),
        "/dev/full".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{}", out.stderr);
    assert!(
        out.stderr
            .contains("cannot write /dev/full: No space left on device"),
        "stderr:\n{}",
        out.stderr
    );
}

#[test]
fn render_writes_a_tone_with_the_right_pitch_level_and_length() {
    let dir = unique_temp_dir("cli-tone");
    let csd = write_csd(&dir, "tone.csd", TONE);
    let a = render_with_rhapsody(&csd, &dir.join("tone.wav"));
    assert_eq!(a.sample_rate, 44100);
    assert_eq!(a.num_channels(), 2);
    assert!(a.len().abs_diff(44100) <= 10, "length {} frames", a.len());
    assert!(
        (peak(&a.channels[0]) - 0.5).abs() < 0.005,
        "left peak {}",
        peak(&a.channels[0])
    );
    assert!(
        (peak(&a.channels[1]) - 0.25).abs() < 0.005,
        "right peak {}",
        peak(&a.channels[1])
    );
    let f = estimate_pitch(&a.channels[0][..8192], 44100, 50.0, 2000.0).expect("a pitch");
    assert!((f - 440.0).abs() < 0.5, "pitch {f}");
}

fn render_format(flag: Option<&str>, label: &str) -> hound::WavSpec {
    let dir = unique_temp_dir(label);
    let csd = write_csd(&dir, "tone.csd", TONE);
    let wav = dir.join("out.wav");
    let mut args: Vec<&OsStr> = vec![
        "render".as_ref(),
        csd.as_os_str(),
        "-o".as_ref(),
        wav.as_os_str(),
    ];
    if let Some(f) = flag {
        args.push(f.as_ref());
    }
    let out = rhapsody(&args);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", out.stderr);
    read_wav_spec(&wav)
}

#[test]
fn render_sample_format_flags_choose_float_24_bit_and_16_bit() {
    let f = render_format(Some("-f"), "cli-fmt-f");
    assert_eq!(
        (f.sample_format, f.bits_per_sample),
        (hound::SampleFormat::Float, 32)
    );
    let i24 = render_format(Some("-3"), "cli-fmt-3");
    assert_eq!(
        (i24.sample_format, i24.bits_per_sample),
        (hound::SampleFormat::Int, 24)
    );
    let i16 = render_format(Some("-s"), "cli-fmt-s");
    assert_eq!(
        (i16.sample_format, i16.bits_per_sample),
        (hound::SampleFormat::Int, 16)
    );
}

#[test]
fn render_sample_rate_override_keeps_pitch_and_duration() {
    let dir = unique_temp_dir("cli-rate");
    let csd = write_csd(&dir, "tone.csd", TONE);
    let wav = dir.join("out.wav");
    let out = rhapsody(&[
        "render".as_ref(),
        csd.as_os_str(),
        "-o".as_ref(),
        wav.as_os_str(),
        "-f".as_ref(),
        "-r".as_ref(),
        "48000".as_ref(),
        "--ksmps".as_ref(),
        "16".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", out.stderr);
    let a = read_wav(&wav);
    assert_eq!(a.sample_rate, 48000);
    assert!(
        (a.duration_secs() - 1.0).abs() < 0.001,
        "duration {}",
        a.duration_secs()
    );
    let f = estimate_pitch(&a.channels[0][..8192], 48000, 50.0, 2000.0).expect("a pitch");
    assert!((f - 440.0).abs() < 0.5, "pitch {f}");
}

#[test]
fn render_with_scripts_draws_into_the_plots_folder() {
    let dir = unique_temp_dir("cli-plots");
    let script = dir.join("draw.rhai");
    std::fs::write(
        &script,
        "score_event(\"f\", [1, 0, 1024, 10, 1]);\nprint(draw_table(1));\n",
    )
    .unwrap();
    let plots = dir.join("figs");
    let simple = repo_root().join("csd/simple.csd");
    let out = rhapsody(&[
        "render".as_ref(),
        simple.as_os_str(),
        script.as_os_str(),
        "--plots".as_ref(),
        plots.as_os_str(),
        "-n".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", out.stderr);
    let png = plots.join("table-1.png");
    assert!(png.is_file() && plots.join("table-1.svg").is_file());
    // Offline, the path is printed, not the braille picture.
    assert!(
        out.stdout.contains(&png.display().to_string()),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains('\u{2800}'), "{}", out.stdout);
    let out = rhapsody(&[
        "render".as_ref(),
        simple.as_os_str(),
        script.as_os_str(),
        "--plots".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stderr.contains("--plots needs a folder"),
        "{}",
        out.stderr
    );
}
