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

use std::time::{Duration, Instant};

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
}
