//! What a new user meets in the first hour, from the command line: a
//! misspelt script stops before playing, the help texts, a live CSD with no
//! console plays its score through, the device line and no sound-library
//! noise, what recordings write and say, and what an offline render that
//! stopped itself reports.

mod common;

use common::*;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// A half-second tone: a score that ends by itself.
const SHORT: &str = "<CsoundSynthesizer>\n<CsInstruments>\nsr = 44100\nksmps = 10\nnchnls = 2\n\
0dbfs = 1\ninstr 1\n  a1 oscili 0.3, 440\n  outs a1, a1\nendin\n</CsInstruments>\n<CsScore>\n\
i 1 0 0.5\n</CsScore>\n</CsoundSynthesizer>\n";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `rhapsody ARGS` in the repository, stdin from /dev/null, with `env` set.
fn run(args: &[&OsStr], env: &[(&str, &str)]) -> RunOutput {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rhapsody"));
    cmd.args(args).current_dir(repo_root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_timeout(cmd, Duration::from_secs(60), "rhapsody")
}

#[test]
fn a_missing_script_stops_before_playing_with_exit_status_1() {
    let out = run(
        &[
            "csd/simple.csd".as_ref(),
            "no_such_script.rhai".as_ref(),
            "--device".as_ref(),
            "silent".as_ref(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert!(
        out.stderr.contains("no such script: no_such_script.rhai"),
        "{}",
        out.stderr
    );
    // Nothing played: no device line, no end-of-performance report.
    assert!(!out.stderr.contains("playing on"), "{}", out.stderr);
    assert!(!out.stderr.contains("end of performance"), "{}", out.stderr);
    let out = run(
        &[
            "render".as_ref(),
            "csd/simple.csd".as_ref(),
            "no_such_script.rhai".as_ref(),
            "-n".as_ref(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("no such script"), "{}", out.stderr);
}

#[test]
fn the_help_texts_describe_the_arguments_and_list_j() {
    let out = run(&["render".as_ref(), "--help".as_ref()], &[]);
    assert!(out.stdout.contains("The .csd to render"), "{}", out.stdout);
    assert!(out.stdout.contains("SCRIPTS AND FLAGS"), "{}", out.stdout);
    assert!(out.stdout.contains("Rhai scripts"), "{}", out.stdout);
    let out = run(&["--help".as_ref()], &[]);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("-j N")),
        "{}",
        out.stdout
    );
}

#[test]
fn with_no_console_input_a_live_csd_plays_its_score_through() {
    let dir = unique_temp_dir("no-input");
    let csd = write(&dir, "short.csd", SHORT);
    // stdin is /dev/null: no console can be used.
    let out = run(
        &[csd.as_os_str(), "--device".as_ref(), "silent".as_ref()],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains("playing the score through"),
        "{}",
        out.stderr
    );
    let time: f64 = out
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("end of performance: score time "))
        .and_then(|t| t.trim_end_matches(" s").parse().ok())
        .unwrap_or_else(|| panic!("no end report: {}", out.stderr));
    assert!(time >= 0.45, "stopped at {time} s: {}", out.stderr);
}

#[test]
fn live_start_says_which_device_it_opened() {
    let dir = unique_temp_dir("device-line");
    let csd = write(&dir, "short.csd", SHORT);
    let out = run(
        &[
            csd.as_os_str(),
            "--device".as_ref(),
            "silent".as_ref(),
            "--no-console".as_ref(),
        ],
        &[],
    );
    let line = out
        .stderr
        .lines()
        .find(|l| l.starts_with("playing on"))
        .unwrap_or_else(|| panic!("no device line: {}", out.stderr));
    assert!(
        line.contains("44100 Hz") && line.contains("2 channels") && line.contains("buffer"),
        "{line}"
    );
}

#[test]
fn no_sound_library_noise_without_a_sound_card() {
    let dir = unique_temp_dir("no-noise");
    let csd = write(&dir, "short.csd", SHORT);
    // ALSA's default routed to a PulseAudio that is not there: what a machine
    // without a sound card (or server) gives.
    let nowhere = [("PULSE_SERVER", "unix:/nonexistent/rhapsody-no-pulse")];
    let out = run(&[csd.as_os_str(), "--no-console".as_ref()], &nowhere);
    assert!(!out.stderr.contains("ALSA lib"), "{}", out.stderr);
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.starts_with("playing on"))
            .count(),
        1,
        "{}",
        out.stderr
    );
    // Loading again from a script: still quiet.
    let script = write(
        &dir,
        "again.rhai",
        &format!("load(\"{}\");\n", csd.display()),
    );
    let out = run(
        &[csd.as_os_str(), script.as_os_str(), "--no-console".as_ref()],
        &nowhere,
    );
    assert!(!out.stderr.contains("ALSA lib"), "{}", out.stderr);
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.starts_with("playing on"))
            .count(),
        2,
        "{}",
        out.stderr
    );
    // Listing every device wakes JACK too: quiet as well.
    let out = run(&["--list-devices".as_ref()], &nowhere);
    assert!(!out.stderr.contains("ALSA lib"), "{}", out.stderr);
    assert!(!out.stderr.contains("jack server"), "{}", out.stderr);
    assert!(!out.stderr.contains("Cannot connect"), "{}", out.stderr);
}

#[test]
fn recordings_say_where_they_went_with_rounded_times_and_a_float_header_with_fact() {
    let dir = unique_temp_dir("recordings");
    let wav = dir.join("played.wav");
    let csd = dir.join("session.csd");
    // Notes at times that are not exact in binary.
    let script = write(
        &dir,
        "notes.rhai",
        "score_event(\"f\", [1, 0, 4096, 10, 1]);\nfor i in 0..3 { note([1, 0.1 * i, 0.1, 0.3, 8.75, 1, 0.01, 0.05, 0.5]); wait(0.1); }\nwait(0.3);\n",
    );
    let out = run(
        &[
            "csd/simple.csd".as_ref(),
            script.as_os_str(),
            "--device".as_ref(),
            "silent".as_ref(),
            "--duration".as_ref(),
            "1.5".as_ref(),
            "--record".as_ref(),
            csd.as_os_str(),
            "--record-audio".as_ref(),
            wav.as_os_str(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains(&format!("audio recorded to {}", wav.display())),
        "{all}"
    );
    assert!(
        all.contains(&format!("session recorded to {}", csd.display())),
        "{all}"
    );
    // Times as the engine used them: no 0.30000000000000004.
    let text = std::fs::read_to_string(&csd).unwrap();
    for line in text
        .lines()
        .filter(|l| l.starts_with("i ") || l.starts_with("e "))
    {
        let time = line
            .split_whitespace()
            .nth(if line.starts_with('e') { 1 } else { 2 });
        if let Some(t) = time {
            let decimals = t.split('.').nth(1).map_or(0, str::len);
            assert!(decimals <= 6, "{line}");
        }
    }
    // WAVE_FORMAT_EXTENSIBLE, IEEE float, with its fact chunk.
    let bytes = std::fs::read(&wav).unwrap();
    assert_eq!(&bytes[20..22], &[0xfe, 0xff], "format tag");
    assert_eq!(&bytes[60..64], b"fact");
    let reader = hound::WavReader::open(&wav).unwrap();
    assert_eq!(reader.spec().sample_format, hound::SampleFormat::Float);
    assert!(reader.duration() > 0);
}

#[test]
fn an_offline_render_that_stops_itself_reports_the_time_it_rendered() {
    let dir = unique_temp_dir("stop-render");
    let script = write(
        &dir,
        "stop.rhai",
        "score_event(\"f\", [1, 0, 4096, 10, 1]);\nnote([1, 0, 1, 0.3, 8.75, 1, 0.01, 0.1, 0.5]);\nwait(2);\nstop();\n",
    );
    let wav = dir.join("out.wav");
    let out = run(
        &[
            "render".as_ref(),
            "csd/simple.csd".as_ref(),
            script.as_os_str(),
            "-o".as_ref(),
            wav.as_os_str(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains("score time 2.000 s rendered"),
        "{}",
        out.stderr
    );
    let reader = hound::WavReader::open(&wav).unwrap();
    let seconds = reader.duration() as f64 / f64::from(reader.spec().sample_rate);
    assert!((seconds - 2.0).abs() < 0.01, "{seconds} s of audio");
}
