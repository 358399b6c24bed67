//! Test of the fallback: `OutputChoice::Default` without a usable device runs the null clock and says why.
//!
//! The test runs itself again in a child process with `PULSE_SERVER` pointing
//! nowhere, so ALSA's `default` is not routed to a running PulseAudio and, on
//! a machine without a sound card, cannot be opened.

use std::process::Command;
use std::time::Duration;

use rhapsody::audio::{self, OutputChoice, OutputConfig, OutputKind};

const CHILD: &str = "RHAPSODY_AUDIO_FALLBACK_CHILD";

#[test]
fn default_without_device_falls_back_to_the_null_clock() {
    let exe = std::env::current_exe().expect("test executable path");
    let out = Command::new(exe)
        .args(["--exact", "fallback_child", "--nocapture"])
        .env(CHILD, "1")
        .env("PULSE_SERVER", "unix:/nonexistent/rhapsody-no-pulse")
        .output()
        .expect("run the child test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "child failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 passed"), "the child test ran: {stdout}");
}

/// Runs only as the child of the test above.
#[test]
fn fallback_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let config = OutputConfig {
        sample_rate: 48_000,
        channels: 2,
        buffer_frames: Some(256),
        choice: OutputChoice::Default,
    };
    let out = audio::start(&config, Box::new(|buf: &mut [f32]| buf.fill(0.0)))
        .expect("start falls back instead of failing");
    println!("{}", out.kind());
    match out.kind() {
        OutputKind::NullClock { reason } => {
            assert!(reason.contains("default audio"), "reason: {reason}");
            std::thread::sleep(Duration::from_millis(200));
            assert!(out.stats().snapshot().frames > 0, "the clock runs");
        }
        OutputKind::Device { name } => {
            println!(
                "NOTE: this machine has a usable default device ({name}); fallback not exercised"
            );
        }
    }
}

#[test]
fn unknown_device_is_a_clear_error() {
    let config = OutputConfig {
        sample_rate: 48_000,
        channels: 2,
        buffer_frames: None,
        choice: OutputChoice::Device("no-such-device-xyz".into()),
    };
    let err = match audio::start(&config, Box::new(|buf: &mut [f32]| buf.fill(0.0))) {
        Ok(out) => panic!("opened {}", out.kind()),
        Err(e) => format!("{e:#}"),
    };
    println!("{err}");
    assert!(err.contains("no-such-device-xyz"), "{err}");
}
