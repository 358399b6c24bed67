//! The live session through the real cpal path on a machine with no sound
//! card: PulseAudio's null sink (started by the test) paces ALSA's default
//! device; 60 s of 300 voices must play with no xrun.

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rhapsody::options::Options;
use rhapsody::session::{Clock, EventKind, Session};

#[test]
fn three_hundred_voices_for_sixty_seconds_without_an_xrun() {
    if !common::ensure_pulse("live device test") {
        return;
    }
    let mut s = Session::new(
        Clock::Live {
            device: None,
            buffer_frames: Some(1024),
        },
        Options::default(),
    );
    let _messages = s.take_messages();
    s.load(&common::repo_root().join("csd/simple.csd")).unwrap();
    s.score_event(EventKind::Table, &[1.0, 0.0, 4096.0, 10.0, 1.0], false)
        .unwrap();
    s.flush().unwrap();
    // PulseAudio stalls for a moment after the first callbacks: let it settle.
    std::thread::sleep(Duration::from_secs(3));
    let stats = s.output_stats().expect("live output");
    let xruns_before = stats.xruns.load(Ordering::Relaxed);
    for v in 0..300 {
        let pitch = 6.0 + (v % 36) as f64 / 12.0;
        let pan = (v % 11) as f64 / 10.0;
        s.note(&[1.0, 0.0, 70.0, 0.002, pitch, 1.0, 0.5, 0.5, pan])
            .unwrap();
    }
    let start = Instant::now();
    let score_start = s.score_time();
    while start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(200));
    }
    let played = s.score_time() - score_start;
    let active = s.active_notes();
    let xruns = stats.xruns.load(Ordering::Relaxed) - xruns_before;
    let peak = stats.peak_load_permille.load(Ordering::Relaxed) as f64 / 10.0;
    s.stop();
    eprintln!("300 voices: {played:.1} s of score in 60 s, {xruns} xruns, peak load {peak:.1}%");
    assert!(active >= 299, "all voices sounding ({active})");
    assert!(
        (55.0..65.0).contains(&played),
        "real-time pace: {played} s of score in 60 s"
    );
    assert_eq!(xruns, 0, "xruns during 60 s of 300 voices");
}
