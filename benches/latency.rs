//! Event-to-sound latency of a live session: how long from `note()` on the
//! control side until the note's first samples exist, and how long the device
//! says it then takes to play them.
//!
//!     cargo bench --bench latency -- [FRAMES] [NOTES]     (defaults 256 and 100)
//!
//! The engine part is measured: the instrument writes p4 into a channel at its
//! init, which happens in the block that holds the note's first samples, and
//! the host polls the channel. So it covers the queue, the wait for the next
//! callback (up to one buffer period) and the callback's own work. The device
//! part is what the output reports (cpal's callback-to-playback timestamps;
//! the silent clock reports none), and adds to the first.
//!
//! Then live edits of a 100-instrument orchestra (issue #22): the time from
//! an `orchestra(text)` call (`Session::compile_orchestra`, crossfade mode)
//! and from a CSD saved and re-read (`Session::reload_orchestra_from`, what
//! `--watch` does after its debounce) until the redefined, sounding
//! instrument's new code runs in the callback, and the compile part of it.

use std::time::{Duration, Instant};

use rhapsody::engine::swap::SwapMode;
use rhapsody::options::Options;
use rhapsody::session::{Clock, Session};

const ORCHESTRA: &str = r#"<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  chnset p4, "mark"
  a1 oscili 0.1, 440
  outs a1, a1
endin
</CsInstruments>
<CsScore>
f 0 3600
</CsScore>
</CsoundSynthesizer>
"#;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let frames: u32 = args.first().and_then(|a| a.parse().ok()).unwrap_or(256);
    let notes: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);

    let dir = std::env::temp_dir().join(format!("rhapsody-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let csd = dir.join("latency.csd");
    std::fs::write(&csd, ORCHESTRA).expect("write the CSD");

    let mut session = Session::new(
        Clock::Live {
            device: None,
            buffer_frames: Some(frames),
        },
        Options::default(),
    );
    let messages = session.take_messages();
    session.load(&csd).expect("load");
    if let Some(rx) = &messages {
        while let Ok(m) = rx.try_recv() {
            if m.text.starts_with("audio output") {
                println!("{}", m.text);
            }
        }
    }
    // PulseAudio (the null sink here) stalls for a second or two shortly
    // after a stream starts (tests/live_device.rs waits for the same
    // reason): notes sent then measure the sound server, not the session.
    std::thread::sleep(Duration::from_secs(3));

    let mut latencies = Vec::with_capacity(notes);
    for k in 1..=notes {
        // Spread the sends over the buffer period, as a player's keystrokes are.
        std::thread::sleep(Duration::from_micros(3000 + (k as u64 * 7919) % 6000));
        let sent = Instant::now();
        session
            .note(&[1.0, 0.0, 0.02, k as f64])
            .expect("send the note");
        while session.chnget("mark") != k as f64 {
            if sent.elapsed() > Duration::from_secs(2) {
                panic!("note {k} never started");
            }
            std::thread::sleep(Duration::from_micros(50));
        }
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    let device = session
        .output_stats()
        .map(|s| s.snapshot().output_latency.as_secs_f64() * 1000.0)
        .unwrap_or(0.0);
    let swaps = measure_swaps(&mut session, &dir, 20);
    session.stop();
    let _ = std::fs::remove_dir_all(&dir);

    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let period = frames as f64 / 48.0;
    println!(
        "{notes} notes, {frames}-frame buffers at 48 kHz (period {period:.2} ms): \
         event to first samples min {:.2} ms, median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        at(0.0),
        at(0.5),
        at(0.95),
        at(1.0)
    );
    println!(
        "device-reported output latency (callback to playback): {device:.2} ms{}",
        if device == 0.0 {
            " (none reported: silent clock)"
        } else {
            ""
        }
    );
    for (what, mut times, mut compile) in swaps {
        times.sort_by(f64::total_cmp);
        compile.sort_by(f64::total_cmp);
        let mid = |v: &[f64]| v[v.len() / 2];
        println!(
            "{what}, 100 instruments, {} swaps: call to new code sounding median {:.2} ms, \
             max {:.2} ms (of which compiling median {:.2} ms)",
            times.len(),
            mid(&times),
            times[times.len() - 1],
            mid(&compile)
        );
    }
}

/// A 100-instrument orchestra whose instrument 1 (always on) marks
/// `version` in a channel every block; the others are ordinary voices.
fn hundred_instruments(version: usize) -> String {
    let mut text = format!("instr 1\n  chnset k({version}), \"version\"\nendin\n");
    for n in 2..=100 {
        text.push_str(&format!(
            "instr {n}\n  kenv linseg 0, 0.01, p4, p3 - 0.02, p4, 0.01, 0\n  \
             a1 vco2 kenv, p5 * {n}\n  a2 moogladder a1, 800 + {n} * 10, 0.4\n  \
             outs a2, a2\nendin\n"
        ));
    }
    text
}

fn csd_with(orchestra: &str) -> String {
    format!(
        "<CsoundSynthesizer>\n<CsInstruments>\nsr = 48000\nksmps = 32\nnchnls = 2\n\
         0dbfs = 1\n{orchestra}</CsInstruments>\n<CsScore>\nf 0 3600\n</CsScore>\n\
         </CsoundSynthesizer>\n"
    )
}

/// Wait until the always-on instrument marks `version`; the time since `since`.
fn until_version(session: &Session, version: usize, since: Instant) -> f64 {
    while session.chnget("version") != version as f64 {
        if since.elapsed() > Duration::from_secs(5) {
            panic!("version {version} never sounded");
        }
        std::thread::sleep(Duration::from_micros(50));
    }
    since.elapsed().as_secs_f64() * 1000.0
}

/// Each way of editing, with its call-to-sound and compile times in ms.
fn measure_swaps(
    session: &mut Session,
    dir: &std::path::Path,
    swaps: usize,
) -> Vec<(&'static str, Vec<f64>, Vec<f64>)> {
    let move_notes = Some(SwapMode::Crossfade(0.005));
    let mut version = 1;
    session
        .compile_orchestra("bench", &hundred_instruments(version), move_notes)
        .expect("the 100-instrument orchestra compiles");
    session
        .note(&[1.0, 0.0, -1.0])
        .expect("start the always-on instrument");
    until_version(session, version, Instant::now());

    let mut results = Vec::new();
    let (mut times, mut compile) = (Vec::new(), Vec::new());
    for _ in 0..swaps {
        version += 1;
        let text = hundred_instruments(version);
        std::thread::sleep(Duration::from_millis(20));
        let called = Instant::now();
        let report = session
            .compile_orchestra("bench", &text, move_notes)
            .expect("orchestra() compiles");
        times.push(until_version(session, version, called));
        compile.push(report.compile_seconds * 1000.0);
    }
    results.push(("orchestra(text)", times, compile));

    let saved = dir.join("edited.csd");
    let (mut times, mut compile) = (Vec::new(), Vec::new());
    for _ in 0..swaps {
        version += 1;
        std::thread::sleep(Duration::from_millis(20));
        let called = Instant::now();
        std::fs::write(&saved, csd_with(&hundred_instruments(version))).expect("save the CSD");
        let report = session
            .reload_orchestra_from(&saved, move_notes)
            .expect("the saved CSD compiles");
        times.push(until_version(session, version, called));
        compile.push(report.compile_seconds * 1000.0);
    }
    results.push(("CSD saved and re-read", times, compile));
    results
}
