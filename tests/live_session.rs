//! The live session in real time (on the paced silent clock when there is no
//! sound card): the article's steps through the Rust `Session` API, checked
//! on the audio the device was given (recorded with `record_audio_to`).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rhapsody::engine::context::MessageKind;
use rhapsody::options::{Options, SampleFormat};
use rhapsody::session::{Clock, EventKind, Session, SessionMessage};

/// On the silent clock even where PulseAudio runs (an earlier test binary
/// may have started it): its stall after the first callbacks would make the
/// pacing checks below measure the server, not the session.
fn live_session() -> Session {
    Session::new(
        Clock::Live {
            device: Some(rhapsody::audio::SILENT_CLOCK_DEVICE.to_string()),
            buffer_frames: Some(256),
        },
        Options::default(),
    )
}

fn simple_csd() -> PathBuf {
    common::repo_root().join("csd/simple.csd")
}

/// Wait until `cond` holds (polling), or fail after `secs`.
fn wait_for(secs: f64, what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed().as_secs_f64() < secs,
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Let `beats` of score time pass on the live clock.
fn play_for(session: &Session, seconds: f64) {
    let until = session.score_time() + seconds;
    wait_for(seconds * 3.0 + 5.0, "score time to advance", || {
        session.score_time() >= until
    });
}

/// The article's note: 1 s, 440 Hz (8.75), table 1, pan centre.
fn note_440(session: &mut Session) {
    session
        .note(&[1.0, 0.0, 1.0, 0.5, 8.75, 1.0, 0.05, 0.3, 0.5])
        .unwrap();
}

fn rms(x: &[f64]) -> f64 {
    (x.iter().map(|v| v * v).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

/// RMS of channel 0 of `audio` between two times (seconds).
fn window_rms(audio: &common::Audio, from: f64, to: f64) -> f64 {
    let sr = audio.sample_rate as f64;
    let (a, b) = ((from * sr) as usize, ((to * sr) as usize).min(audio.len()));
    rms(&audio.channels[0][a.min(b)..b])
}

fn messages_text(rx: &std::sync::mpsc::Receiver<SessionMessage>) -> String {
    let mut all = String::new();
    while let Ok(m) = rx.recv_timeout(Duration::from_millis(100)) {
        all.push_str(&m.text);
        all.push('\n');
    }
    all
}

#[test]
fn a_session_without_a_csd_reports_csound_defaults() {
    let s = live_session();
    assert_eq!((s.sr(), s.kr(), s.nchnls()), (44100.0, 4410.0, 1));
    assert_eq!(s.score_time(), 0.0);
    assert_eq!(s.csd_name(), None);
    assert_eq!(s.table_length(1), -1);
}

#[test]
fn the_command_line_threads_flag_reaches_the_live_engine() {
    // `rhapsody FILE.csd -j 2` used to drop -j when it merged the command
    // line with the CSD's <CsOptions>: the live engine ran on one thread.
    let mut s = Session::new(
        Clock::Live {
            device: Some(rhapsody::audio::SILENT_CLOCK_DEVICE.to_string()),
            buffer_frames: Some(256),
        },
        Options {
            threads: Some(2),
            ..Options::default()
        },
    );
    s.load(&simple_csd()).expect("loads");
    assert_eq!(s.threads(), 2);
    s.stop();
}

#[test]
fn load_plays_in_real_time_and_the_article_note_sounds() {
    let dir = common::unique_temp_dir("live-note");
    let wav = dir.join("live.wav");
    let mut s = live_session();
    let rx = s.take_messages().unwrap();
    s.record_audio_to(&wav);
    s.load(&simple_csd()).unwrap();
    assert_eq!((s.sr(), s.kr(), s.nchnls()), (96000.0, 960.0, 2));
    assert!(s.csd_name().unwrap().ends_with("simple.csd"));
    let t0 = Instant::now();
    play_for(&s, 0.3);
    // The clock is paced: 0.3 s of score took about 0.3 s of wall time.
    let wall = t0.elapsed().as_secs_f64();
    assert!((0.2..1.5).contains(&wall), "0.3 s of score took {wall} s");
    // f 1 0 4096 10 1, then flush: the table exists.
    s.score_event(EventKind::Table, &[1.0, 0.0, 4096.0, 10.0, 1.0], false)
        .unwrap();
    s.flush().unwrap();
    assert_eq!(s.table_length(1), 4096);
    let start = s.score_time();
    note_440(&mut s);
    play_for(&s, 1.5);
    s.stop();
    let _ = messages_text(&rx);
    let audio = common::read_wav(&wav);
    assert_eq!(audio.num_channels(), 2);
    let during = window_rms(&audio, start + 0.3, start + 0.6);
    let after = window_rms(&audio, start + 1.2, start + 1.4);
    assert!(during > 0.05, "the note is audible (rms {during})");
    assert!(after < 1e-6, "and over after a second (rms {after})");
    let sr = audio.sample_rate as f64;
    let seg = &audio.channels[0][((start + 0.3) * sr) as usize..((start + 0.6) * sr) as usize];
    let pitch = common::estimate_pitch(seg, audio.sample_rate, 100.0, 2000.0).unwrap();
    assert!((pitch - 440.0).abs() < 2.0, "pitch {pitch}");
}

#[test]
fn mute_does_not_cut_sounding_notes_and_silences_new_ones() {
    let dir = common::unique_temp_dir("live-mute");
    let wav = dir.join("live.wav");
    let mut s = live_session();
    let rx = s.take_messages().unwrap();
    s.record_audio_to(&wav);
    s.load(&simple_csd()).unwrap();
    s.score_event(EventKind::Table, &[1.0, 0.0, 4096.0, 10.0, 1.0], false)
        .unwrap();
    s.flush().unwrap();
    let start = s.score_time();
    note_440(&mut s);
    // Mute 0.3 s into the note; a new note during the mute is not heard.
    s.score_event(EventKind::Mute, &[1.0, 0.3, 0.0], false)
        .unwrap();
    s.note(&[1.0, 1.2, 0.5, 0.5, 9.0, 1.0, 0.05, 0.1, 0.5])
        .unwrap();
    s.score_event(EventKind::Mute, &[1.0, 2.0, 1.0], false)
        .unwrap();
    s.note(&[1.0, 2.2, 0.5, 0.5, 9.0, 1.0, 0.05, 0.1, 0.5])
        .unwrap();
    play_for(&s, 3.0);
    s.stop();
    let text = messages_text(&rx);
    assert!(text.contains("Setting instrument 1 off"), "{text}");
    assert!(text.contains("Setting instrument 1 on"), "{text}");
    let audio = common::read_wav(&wav);
    // Event times are relative to when the engine took them: within a few
    // buffers of `start`.
    let slack = 0.05;
    assert!(
        window_rms(&audio, start + 0.5 + slack, start + 0.6) > 0.05,
        "the sounding note went on"
    );
    assert!(
        window_rms(&audio, start + 1.3 + slack, start + 1.6) < 1e-6,
        "the muted note is silent"
    );
    assert!(
        window_rms(&audio, start + 2.3 + slack, start + 2.5) > 0.01,
        "unmuted again"
    );
}

#[test]
fn advance_rewind_and_end_follow_the_score_clock() {
    let mut s = live_session();
    let rx = s.take_messages().unwrap();
    s.load(&simple_csd()).unwrap();
    play_for(&s, 0.1);
    s.score_event(EventKind::Advance, &[0.0, 0.0, 6000.0], false)
        .unwrap();
    wait_for(5.0, "the advance", || s.score_time() > 6000.0);
    s.rewind_score().unwrap();
    wait_for(5.0, "the rewind", || s.score_time() < 1.0);
    // An absolute event already in the past is ignored, with a message.
    s.note(&[1.0, 0.0, 0.1, 0.1, 8.0, 1.0, 0.01, 0.01, 0.5])
        .unwrap();
    s.score_event(
        EventKind::Note,
        &[1.0, 0.0, 0.1, 0.1, 8.0, 1.0, 0.01, 0.01, 0.5],
        true,
    )
    .unwrap();
    // e after 0.2 beats ends the performance.
    s.score_event(EventKind::End, &[0.0, 0.2], false).unwrap();
    wait_for(5.0, "the end", || !s.is_playing());
    s.stop();
    let text = messages_text(&rx);
    assert!(
        text.contains("time advanced 6000.000 beats by score request"),
        "{text}"
    );
    assert!(text.contains("in the past; ignored"), "{text}");
    assert!(text.contains("overall amps"), "{text}");
}

#[test]
fn restart_replays_the_last_csd_and_channels_work_both_ways() {
    let mut s = live_session();
    s.load(&simple_csd()).unwrap();
    play_for(&s, 0.2);
    s.restart().unwrap();
    assert!(s.score_time() < 0.2, "restart starts from 0");
    assert!(s.csd_name().is_some());
    // An orchestra that copies channel "in" to channel "out" every block.
    s.swap_orchestra(
        "<chan>",
        "sr = 96000\nksmps = 100\nnchnls = 2\n0dbfs = 1\ninstr 2\nk1 chnget \"in\"\nchnset k1 * 2, \"out\"\nendin\n",
    )
    .unwrap();
    s.chnset("in", 0.25).unwrap();
    s.note(&[2.0, 0.0, -1.0]).unwrap();
    wait_for(5.0, "the instrument to write the channel", || {
        s.chnget("out") == 0.5
    });
}

#[test]
fn table_writes_are_heard_on_the_next_note_the_click_test() {
    let dir = common::unique_temp_dir("live-click");
    let wav = dir.join("live.wav");
    let mut s = live_session();
    s.record_audio_to(&wav);
    s.load(&simple_csd()).unwrap();
    s.score_event(EventKind::Table, &[1.0, 0.0, 4096.0, 10.0, 1.0], false)
        .unwrap();
    s.flush().unwrap();
    assert!((s.table_get(1, 1024).unwrap() - 1.0).abs() < 1e-12);
    assert!(s.table_get(1, 4097).is_err());
    assert!(
        (s.table_get(1, 4096).unwrap() - s.table_get(1, 0).unwrap()).abs() < 1e-12,
        "guard point"
    );
    s.table_set(1, 1024, -1.0).unwrap();
    let clicked = s.score_time();
    s.note(&[1.0, 0.0, 0.5, 0.5, 5.0, 1.0, 0.0, 0.0, 0.0])
        .unwrap();
    play_for(&s, 0.6);
    s.table_set(1, 1024, 1.0).unwrap();
    let clean = s.score_time();
    s.note(&[1.0, 0.0, 0.5, 0.5, 5.0, 1.0, 0.0, 0.0, 0.0])
        .unwrap();
    play_for(&s, 0.6);
    s.stop();
    let audio = common::read_wav(&wav);
    // At 32.7 Hz (oct 5.0) the sine's peak is smooth: a jump from +1 to -1 is the click.
    let jumps = |from: f64| {
        let sr = audio.sample_rate as f64;
        let x = &audio.channels[0][((from + 0.05) * sr) as usize..((from + 0.45) * sr) as usize];
        x.windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f64::max)
    };
    assert!(
        jumps(clicked) > 0.3,
        "the -1.0 at point 1024 clicks ({})",
        jumps(clicked)
    );
    assert!(
        jumps(clean) < 0.05,
        "and the restored point does not ({})",
        jumps(clean)
    );
}

#[test]
fn swapping_the_orchestra_keeps_the_sound_going() {
    let dir = common::unique_temp_dir("live-swap");
    let wav = dir.join("live.wav");
    let mut s = live_session();
    s.record_audio_to(&wav);
    s.load(&simple_csd()).unwrap();
    s.score_event(EventKind::Table, &[1.0, 0.0, 4096.0, 10.0, 1.0], false)
        .unwrap();
    s.flush().unwrap();
    let start = s.score_time();
    s.note(&[1.0, 0.0, 2.0, 0.5, 8.0, 1.0, 0.01, 0.01, 0.5])
        .unwrap();
    play_for(&s, 0.5);
    // A broken orchestra is refused and the old one keeps playing.
    let err = s
        .swap_orchestra("<broken>", "instr 1\n  a1 nosuchopcode 1\nendin\n")
        .unwrap_err();
    assert!(err.to_string().contains("nosuchopcode"), "{err}");
    // The new instrument 1 plays an octave up; the sounding note goes on.
    let new = std::fs::read_to_string(simple_csd()).unwrap();
    let orc = new
        .split("<CsInstruments>")
        .nth(1)
        .and_then(|r| r.split("</CsInstruments>").next())
        .unwrap()
        .replace("cpsoct(p5)", "cpsoct(p5 + 1)");
    s.swap_orchestra("<new>", &orc).unwrap();
    let swapped = s.score_time();
    s.note(&[1.0, 0.1, 0.5, 0.5, 8.0, 1.0, 0.01, 0.01, 0.5])
        .unwrap();
    play_for(&s, 2.0);
    s.stop();
    let audio = common::read_wav(&wav);
    // No gap: every 10 ms window of the old note's 2 s has sound.
    let sr = audio.sample_rate as f64;
    let mut t = start + 0.05;
    while t < start + 1.9 {
        assert!(window_rms(&audio, t, t + 0.01) > 0.01, "gap at {t} s");
        t += 0.01;
    }
    // The note started after the swap is an octave up (two notes overlap:
    // check the new pitch appears by autocorrelation on the sum's strongest period).
    let seg = &audio.channels[0][((swapped + 0.2) * sr) as usize..((swapped + 0.5) * sr) as usize];
    assert!(rms(seg) > 0.05);
    let _ = Path::new(".");
}

/// Render the recorded session `csd` offline to `offline` and check it against what
/// the device played (`live`): >= 60 dB on both channels.
fn assert_replay_matches_live(csd: &Path, live: &Path, offline: &Path) {
    let mut off = Session::new(
        Clock::Offline {
            path: Some(offline.to_path_buf()),
            format: SampleFormat::Float32,
        },
        Options::default(),
    );
    off.load(csd).unwrap();
    off.run_to_end(60.0).unwrap();
    off.stop();
    let live = common::read_wav(live);
    let rendered = common::read_wav(offline);
    let n = live.len().min(rendered.len());
    assert!(
        n as f64 > 0.9 * rendered.len() as f64,
        "lengths {} and {}",
        live.len(),
        rendered.len()
    );
    for c in 0..2 {
        let snr = common::snr_db(&rendered.channels[c][..n], &live.channels[c][..n]);
        assert!(snr >= 60.0, "channel {c}: {snr:.1} dB");
    }
}

/// A live session on `csd/simple.csd` recording its events and its audio:
/// the session, the live WAV, the recorded CSD and where to render it offline.
fn recorded_session(label: &str) -> (Session, PathBuf, PathBuf, PathBuf) {
    let dir = common::unique_temp_dir(label);
    let (wav, csd, offline) = (
        dir.join("live.wav"),
        dir.join("session.csd"),
        dir.join("offline.wav"),
    );
    let mut s = live_session();
    s.record_audio_to(&wav);
    s.record_to(&csd);
    s.load(&simple_csd()).unwrap();
    (s, wav, csd, offline)
}

#[test]
fn a_recorded_session_replays_point_edits_of_tables() {
    let (mut s, wav, csd, offline) = recorded_session("live-record-edits");
    s.score_event(EventKind::Table, &[1.0, 0.0, 4096.0, 10.0, 1.0], false)
        .unwrap();
    s.flush().unwrap();
    note_440(&mut s);
    play_for(&s, 1.1);
    // The article's notch: a stretch of the sine set to zero, then the same note.
    for i in 1000..1400 {
        s.table_set(1, i, 0.0).unwrap();
    }
    note_440(&mut s);
    play_for(&s, 1.2);
    s.stop();
    let text = std::fs::read_to_string(&csd).unwrap();
    assert!(
        text.lines().filter(|l| l.starts_with("f 1 ")).count() == 2,
        "the edited table is written once, before the second note:\n{}",
        &text[..text.len().min(2000)]
    );
    assert_replay_matches_live(&csd, &wav, &offline);
}

#[test]
fn a_recorded_session_renders_offline_to_the_same_audio() {
    let (mut s, wav, csd, offline) = recorded_session("live-record");
    s.score_event(EventKind::Table, &[1.0, 0.0, 4096.0, 10.0, 1.0, 0.5], false)
        .unwrap();
    s.flush().unwrap();
    for (i, pitch) in [8.0, 8.25, 8.5, 8.75].iter().enumerate() {
        s.note(&[
            1.0,
            0.1 * i as f64,
            0.4,
            0.3,
            *pitch,
            1.0,
            0.02,
            0.1,
            0.2 * i as f64,
        ])
        .unwrap();
        play_for(&s, 0.13);
    }
    s.score_event(EventKind::Mute, &[1.0, 0.0, 0.0], false)
        .unwrap();
    s.note(&[1.0, 0.0, 0.3, 0.3, 9.0, 1.0, 0.02, 0.1, 0.5])
        .unwrap();
    play_for(&s, 0.5);
    s.stop();
    assert!(csd.exists(), "the session was written");
    let text = std::fs::read_to_string(&csd).unwrap();
    assert!(text.contains("\nf 1 "), "{text}");
    assert!(text.contains("\nq 1 "), "{text}");
    assert_replay_matches_live(&csd, &wav, &offline);
    let _ = MessageKind::Info;
}
