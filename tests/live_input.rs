//! Live audio input (`-i adc`) through the real cpal path without a sound card:
//! PulseAudio's null sink plays the output and its monitor is the default input,
//! so a tone the session plays comes back on its input bus. On the silent clock
//! the input is silence.

mod common;

use std::process::Command;

fn run(args: &[&str]) -> common::RunOutput {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rhapsody"));
    cmd.arg(common::repo_root().join("tests/data/input/loopback.csd"))
        .args(args)
        .arg("--no-console");
    common::run_with_timeout(cmd, common::RENDER_TIMEOUT, "rhapsody")
}

/// The printed input levels, in order.
fn levels(stdout: &str) -> Vec<f64> {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("input rms "))
        .filter_map(|v| v.trim().parse().ok())
        .collect()
}

#[test]
fn the_output_heard_on_the_input_through_pulseaudio() {
    if !common::ensure_pulse("live input test") {
        return;
    }
    let out = run(&["-iadc", "-b", "512"]);
    assert!(out.status.success(), "{}", out.stderr);
    assert!(
        out.stderr.contains("input-to-output latency about"),
        "{}",
        out.stderr
    );
    // A 0.3 sine has an RMS of 0.212: once the loop has settled, the input hears it.
    let heard = levels(&out.stdout);
    let settled = heard.iter().filter(|v| (**v - 0.212).abs() < 0.01).count();
    assert!(
        settled >= 3,
        "the tone was not heard on the input: {heard:?}\n{}",
        out.stderr
    );
}

#[test]
fn on_the_silent_clock_the_input_is_silence() {
    let out = run(&["-iadc", "--device", "silent"]);
    assert!(out.status.success(), "{}", out.stderr);
    assert!(
        out.stderr.contains("audio input: silence"),
        "{}",
        out.stderr
    );
    let heard = levels(&out.stdout);
    assert!(!heard.is_empty(), "{}", out.stdout);
    assert!(heard.iter().all(|v| *v == 0.0), "{heard:?}");
}
