//! Tests of the cpal device path on PulseAudio's null sink: a paced `alsa:default` without a sound card.
//!
//! The test starts PulseAudio through `scripts/pulse-null-sink.sh` when no
//! server answers. If that fails it FAILS under CI (`CI` set) and is skipped
//! with a note otherwise.

mod common;

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rhapsody::audio::{self, OutputChoice, OutputConfig, OutputKind, Render, StatsSnapshot};

const RATE: u32 = 48_000;
const FRAMES: u32 = 256;
const CHANNELS: u16 = 2;

/// The tests share one PulseAudio server and measure timing: run them one
/// at a time (this also keeps two tests from starting the server at once).
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Makes sure a PulseAudio server with the null sink runs (see `common`).
fn ensure_pulse() -> bool {
    common::ensure_pulse("device test")
}

fn sine(channels: usize) -> Render {
    let mut phase = 0.0f32;
    Box::new(move |buf: &mut [f32]| {
        for frame in buf.chunks_mut(channels) {
            phase = (phase + 440.0 / RATE as f32).fract();
            frame.fill((phase * std::f32::consts::TAU).sin() * 0.2);
        }
    })
}

/// Frames per second between two snapshots.
fn pace(a: &StatsSnapshot, b: &StatsSnapshot) -> f64 {
    (b.frames - a.frames) as f64 / (b.elapsed - a.elapsed).as_secs_f64()
}

#[test]
fn sine_on_pulse_null_sink_plays_at_real_time_pace_without_xruns() {
    let _serial = serial();
    if !ensure_pulse() {
        return;
    }
    let config = OutputConfig {
        sample_rate: RATE,
        channels: CHANNELS,
        buffer_frames: Some(FRAMES),
        choice: OutputChoice::Default,
    };
    let started = Instant::now();
    let out = audio::start(&config, sine(usize::from(CHANNELS))).expect("audio starts");
    println!(
        "opened in {:?}: {} {:?}",
        started.elapsed(),
        out.kind(),
        out.info()
    );
    assert!(
        matches!(out.kind(), OutputKind::Device { .. }),
        "with PulseAudio running the default device must be used, got: {}",
        out.kind()
    );
    let stats = out.stats();

    // Settle: wait until four consecutive 250 ms windows (1 s) run at real-time pace
    // (PulseAudio stalls for 1.5-2 s after the first callbacks).
    let settle_limit = Duration::from_secs(10);
    let mut prev = stats.snapshot();
    let mut good_windows = 0;
    while good_windows < 4 {
        assert!(
            started.elapsed() < settle_limit,
            "the stream did not reach real-time pace within {settle_limit:?}: {}",
            stats.snapshot()
        );
        std::thread::sleep(Duration::from_millis(250));
        let now = stats.snapshot();
        let p = pace(&prev, &now);
        println!(
            "  t={:6.3}s pace {p:8.0} frames/s  {now}",
            now.elapsed.as_secs_f64()
        );
        good_windows = if (p - f64::from(RATE)).abs() < f64::from(RATE) * 0.1 {
            good_windows + 1
        } else {
            0
        };
        prev = now;
    }
    let settled = stats.snapshot();
    println!("settled after {:?}: {settled}", settled.elapsed);

    // Five seconds of sine.
    std::thread::sleep(Duration::from_secs(5));
    let end = stats.snapshot();
    let p = pace(&settled, &end);
    let cbs = end.callbacks - settled.callbacks;
    println!(
        "5 s window: {p:.0} frames/s, {cbs} callbacks ({:.1} frames each), {} xruns, {} errors",
        (end.frames - settled.frames) as f64 / cbs.max(1) as f64,
        end.xruns - settled.xruns,
        end.errors - settled.errors
    );
    println!("end: {end}");
    out.stop();
    assert!(
        (p - f64::from(RATE)).abs() < f64::from(RATE) * 0.1,
        "device pace {p:.0} frames/s, expected {RATE} +-10%"
    );
    assert_eq!(end.xruns - settled.xruns, 0, "xruns while playing: {end}");
    assert!(
        end.min_callback_frames > 0 && end.max_callback_frames <= 4096,
        "{end}"
    );
}

#[test]
fn list_devices_shows_the_pulse_default() {
    let _serial = serial();
    if !ensure_pulse() {
        return;
    }
    let devices = audio::list_devices().expect("devices can be listed");
    for d in &devices {
        println!("{d:?}");
    }
    let default = devices
        .iter()
        .find(|d| d.id == "alsa:default")
        .expect("alsa:default is listed");
    let config = default
        .default_config
        .as_ref()
        .expect("alsa:default has a default configuration with PulseAudio running");
    assert!(config.sample_rate > 0 && config.channels > 0, "{config:?}");
}

/// A PulseAudio server the tests start exits by itself once unused, so that
/// `cargo test` leaves no daemon behind (one rhapsody would later play into,
/// silently). Checked on a server of its own (own runtime folder and home),
/// so that a server already running is neither used nor disturbed.
#[test]
fn a_pulse_server_started_for_the_tests_exits_when_unused() {
    if std::process::Command::new("pulseaudio")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "pulseaudio is needed under CI"
        );
        eprintln!("SKIPPED: pulseaudio is not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("rhapsody-pulse-exit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["home", "run", "state", "tmp"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let env = [
        ("HOME", dir.join("home")),
        ("PULSE_RUNTIME_PATH", dir.join("run")),
        ("PULSE_STATE_PATH", dir.join("state")),
        ("TMPDIR", dir.join("tmp")),
    ];
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pulse-null-sink.sh");
    let started = std::process::Command::new("bash")
        .arg(script)
        .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())))
        .env("PULSE_EXIT_IDLE", "1")
        .output()
        .unwrap();
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let running = || {
        std::process::Command::new("pulseaudio")
            .arg("--check")
            .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())))
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(running(), "the script's server is not running");
    let t = Instant::now();
    while running() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "the server is still running 20 s after its last client"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
