//! Editing the orchestra while it plays and steering the notes that sound:
//! `orchestra`, `instr`, `reload_orchestra` from scripts, the three things a
//! swap can do to sounding notes (checked on the audio the device was given:
//! no gap, no click, the new definition where it should be), note handles
//! rendered offline (pitch measured before, during and after), and the
//! script clock under a `t` statement, live and offline.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rhapsody::host::Host;
use rhapsody::options::{Options, SampleFormat};
use rhapsody::session::{Clock, Session};

/// A drone instrument that reads its pitch (p5) at k-rate, and a second
/// one that sets a global its successor reads.
const DRONE: &str = r#"<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
gkamp init 0.1
instr 1
  kfreq = p5
  a1 oscili p4 * gkamp * 10, kfreq
  out a1
endin
instr 2
  gkamp = p4
  turnoff
endin
</CsInstruments>
<CsScore>
TEMPO
</CsScore>
</CsoundSynthesizer>
"#;

fn write_csd(dir: &Path, tempo: &str) -> PathBuf {
    let path = dir.join("drone.csd");
    std::fs::write(&path, DRONE.replace("TEMPO", tempo)).unwrap();
    path
}

fn render(dir: &Path, csd: &Path, script: &str) -> (common::Audio, common::RunOutput) {
    let rhai = dir.join("steer.rhai");
    std::fs::write(&rhai, script).unwrap();
    let wav = dir.join("out.wav");
    let out = common::run_rhapsody(&[
        "render".as_ref(),
        csd.as_os_str(),
        rhai.as_os_str(),
        "-o".as_ref(),
        wav.as_os_str(),
        "-f".as_ref(),
    ]);
    (common::read_wav(&wav), out)
}

/// Pitch of channel 0 around `t` (seconds), 60 ms.
fn pitch_at(audio: &common::Audio, t: f64) -> f64 {
    let sr = audio.sample_rate as f64;
    let x = &audio.channels[0][(t * sr) as usize..((t + 0.06) * sr) as usize];
    common::estimate_pitch(x, audio.sample_rate, 80.0, 2000.0).unwrap_or(0.0)
}

fn window_peak(audio: &common::Audio, from: f64, to: f64) -> f64 {
    let sr = audio.sample_rate as f64;
    let x = &audio.channels[0][(from * sr) as usize..((to * sr) as usize).min(audio.len())];
    common::peak(x)
}

fn assert_near(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < want * 0.02,
        "{what}: {got:.1} Hz, expected {want:.1} Hz"
    );
}

#[test]
fn a_rendered_script_sets_and_automates_a_running_notes_pitch() {
    let dir = common::unique_temp_dir("steer");
    let csd = write_csd(&dir, "");
    let (audio, out) = render(
        &dir,
        &csd,
        "let h = note([1, 0, 6, 0.03, 220]);\n\
         wait(1);\n\
         h.set(\"p5\", 330);\n\
         wait(1);\n\
         h.automate(5, [0, 330, 2, 660]);\n\
         wait(3);\n\
         print(h.playing());\n\
         h.release();\n\
         wait(0.5);\n\
         print(h.playing());\n\
         h.set(5, 100);\n",
    );
    assert_near(pitch_at(&audio, 0.5), 220.0, "before set");
    assert_near(pitch_at(&audio, 1.5), 330.0, "after set");
    // The ramp from 330 to 660 over 2 s starting at 2 s: 495 Hz at 3 s.
    assert_near(pitch_at(&audio, 2.97), 495.0, "halfway through the ramp");
    assert_near(pitch_at(&audio, 4.3), 660.0, "after the ramp");
    // Released at 5 s (a 10 ms fade): silent after.
    assert!(window_peak(&audio, 5.02, 5.4) < 1e-6, "released");
    assert!(out.stdout.contains("true\nfalse"), "{}", out.stdout);
    assert!(
        out.stderr.contains("steer.rhai:11:3") && out.stderr.contains("has ended"),
        "a handle to a finished note is an error: {}",
        out.stderr
    );
}

#[test]
fn instr_and_orchestra_redefine_keep_globals_and_report_errors_in_the_text() {
    let dir = common::unique_temp_dir("redefine");
    let csd = write_csd(&dir, "");
    let (audio, out) = render(
        &dir,
        &csd,
        "note([2, 0, 0.1, 0.05]);\n\
         wait(0.2);\n\
         try { instr(1, \"kfreq = p5\\na1 nosuchopcode 1\\nout a1\"); } catch (e) { print(e); }\n\
         try { orchestra(\"instr 3\\n  out 0\\n  a1 oscili 1\\nendin\"); } catch (e) { print(e); }\n\
         note([1, 0, 0.5, 0.03, 220]);\n\
         wait(1);\n\
         instr(1, \"kfreq = p5 * 2\\na1 oscili p4 * gkamp * 10, kfreq\\nout a1\");\n\
         note([1, 0, 0.5, 0.03, 220]);\n\
         wait(1);\n\
         orchestra(\"instr 3\\na1 oscili gkamp, p5\\nout a1\\nendin\");\n\
         note([3, 0, 0.5, 0, 300]);\n\
         wait(1);\n",
    );
    assert!(
        out.stdout.contains("instr 1:2:") && out.stdout.contains("nosuchopcode"),
        "errors point into the body: {}",
        out.stdout
    );
    assert!(
        out.stdout.contains("<orchestra>:3:"),
        "errors point into the text: {}",
        out.stdout
    );
    // The failed swaps changed nothing: 220 Hz; then the new instr 1: 440 Hz.
    assert_near(pitch_at(&audio, 0.4), 220.0, "before the swap");
    assert_near(pitch_at(&audio, 1.4), 440.0, "after the swap");
    // gkamp, set to 0.05 by instr 2 before the swaps, is still 0.05:
    // 0.03 * 0.05 * 10 = 0.015 for instr 1, 0.05 for the new instr 3.
    assert!((window_peak(&audio, 1.3, 1.5) - 0.015).abs() < 1e-3);
    assert_near(pitch_at(&audio, 2.4), 300.0, "the added instr 3");
    assert!((window_peak(&audio, 2.3, 2.5) - 0.05).abs() < 1e-3);
}

#[test]
fn wait_counts_beats_at_the_scores_tempo_live_as_offline() {
    let dir = common::unique_temp_dir("tempo");
    // 120 beats a minute: a beat lasts 0.5 s.
    let csd = write_csd(&dir, "t 0 120\nf 0 60");
    // Offline: wait(2) renders 1 s.
    let mut offline = Session::new(
        Clock::Offline {
            path: None,
            format: SampleFormat::Float32,
        },
        Options::default(),
    );
    offline.load(&csd).unwrap();
    let mut host = Host::new(offline);
    let _ = host.eval_line("wait(2)").unwrap();
    let offline_time = host.session().score_time();
    assert!((offline_time - 1.0).abs() < 0.01, "{offline_time}");
    // Live: the same wait lets 1 s of score time pass, not 2.
    let mut live = Session::new(
        Clock::Live {
            device: Some(rhapsody::audio::SILENT_CLOCK_DEVICE.to_string()),
            buffer_frames: Some(256),
        },
        Options::default(),
    );
    live.load(&csd).unwrap();
    let mut host = Host::new(live);
    let before = host.session().score_time();
    let started = Instant::now();
    let _ = host.eval_line("wait(2)").unwrap();
    let wall = started.elapsed().as_secs_f64();
    let live_time = host.session().score_time() - before;
    assert!(
        (0.9..1.6).contains(&wall),
        "wait(2) at 120 bpm slept {wall} s"
    );
    assert!(
        (0.8..1.6).contains(&live_time),
        "{live_time} s of score passed"
    );
}

/// What the live swap tests play: a low sine (p5 Hz) that instrument 1
/// holds for 3 s; `body` is the new instrument 1.
fn live_swap(mode: &str, body: &str) -> (common::Audio, f64) {
    let dir = common::unique_temp_dir(&format!("swap-{}", mode.replace(' ', "-")));
    let csd = write_csd(&dir, "f 0 60");
    let wav = dir.join("live.wav");
    let mut s = Session::new(
        Clock::Live {
            device: Some(rhapsody::audio::SILENT_CLOCK_DEVICE.to_string()),
            buffer_frames: Some(256),
        },
        Options::default(),
    );
    s.record_audio_to(&wav);
    s.load(&csd).unwrap();
    let mut host = Host::new(s);
    let _ = host
        .eval_line("let h = note([1, 0, 3, 0.03, 110]);")
        .unwrap();
    wait_score(&host, 0.5);
    let swapped = host.session().score_time();
    let _ = host
        .eval_line(&format!("instr(1, {body:?}, {mode:?});"))
        .unwrap();
    wait_score(&host, 1.5);
    // The next note outlasts the first (which ends 2.5 s after the swap).
    let _ = host.eval_line("note([1, 0, 1.5, 0.03, 110]);").unwrap();
    wait_score(&host, 1.8);
    drop(host);
    (common::read_wav(&wav), swapped)
}

fn wait_score(host: &Host, seconds: f64) {
    let until = host.session().score_time() + seconds;
    let start = Instant::now();
    while host.session().score_time() < until {
        assert!(
            start.elapsed().as_secs_f64() < seconds * 4.0 + 5.0,
            "clock stalled"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Largest jump between two samples from `from` to `to` (s).
fn largest_step(audio: &common::Audio, from: f64, to: f64) -> f64 {
    let sr = audio.sample_rate as f64;
    let x = &audio.channels[0][(from * sr) as usize..((to * sr) as usize).min(audio.len())];
    x.windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(0.0, f64::max)
}

/// A sine of amplitude 0.03 at 110 Hz moves at most 0.03 * 2 pi 110 / 48000
/// = 0.00043 per sample, at 220 Hz twice that: ten times this is a click.
const CLICK: f64 = 0.01;

const OCTAVE_UP: &str = "kfreq = p5 * 2\na1 oscili p4 * gkamp * 10, kfreq\nout a1";

#[test]
fn a_swap_that_lets_notes_finish_keeps_the_old_sound_without_a_gap() {
    let (audio, at) = live_swap("finish", OCTAVE_UP);
    let step = largest_step(&audio, at - 0.5, at + 2.0);
    assert!(step < CLICK, "click: a step of {step}");
    // No gap, and the note goes on at its old pitch; the next note is new.
    for k in 0..20 {
        let t = at - 0.4 + k as f64 * 0.1;
        assert!(window_peak(&audio, t, t + 0.05) > 0.02, "gap at {t}");
    }
    assert_near(
        pitch_at(&audio, at + 0.5),
        110.0,
        "the old definition plays on",
    );
    assert_near(pitch_at(&audio, at + 2.7), 220.0, "the next note is new");
}

#[test]
fn a_crossfade_swap_moves_the_sounding_note_to_the_new_definition() {
    let (audio, at) = live_swap("crossfade 80", OCTAVE_UP);
    let step = largest_step(&audio, at - 0.5, at + 2.0);
    assert!(step < CLICK, "click: a step of {step}");
    for k in 0..20 {
        let t = at - 0.4 + k as f64 * 0.1;
        assert!(window_peak(&audio, t, t + 0.05) > 0.01, "gap at {t}");
    }
    // After the 80 ms crossfade the note that was sounding is an octave up.
    assert_near(
        pitch_at(&audio, at + 0.3),
        220.0,
        "moved to the new definition",
    );
}

#[test]
fn a_release_swap_ends_the_sounding_notes_without_a_click() {
    let (audio, at) = live_swap("release", OCTAVE_UP);
    let step = largest_step(&audio, at - 0.5, at + 2.0);
    assert!(step < CLICK, "click: a step of {step}");
    // Released (a 10 ms fade, it has no release segment) within a block or
    // two of the device's buffer after the call.
    assert!(window_peak(&audio, at + 0.1, at + 1.4) < 1e-6, "released");
    assert_near(pitch_at(&audio, at + 2.7), 220.0, "the next note is new");
}

/// Play a held note in the console with `mode`, then save an edited CSD (a
/// broken version first, then instrument 1 an octave up) while it sounds.
fn console_watch(mode: &str) -> (common::Audio, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = common::unique_temp_dir(&format!("watch-{}", mode.replace(' ', "-")));
    let csd = write_csd(&dir, "f 0 60");
    let wav = dir.join("live.wav");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rhapsody"))
        .arg(&csd)
        .arg("--watch")
        .arg(&csd)
        .args(["--device", "silent", "--record-audio"])
        .arg(&wav)
        .env("XDG_STATE_HOME", &dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rhapsody");
    let mut stdin = child.stdin.take().unwrap();
    writeln!(
        stdin,
        "swap_mode(1, {mode:?});\nnote([1, 0, 6, 0.03, 110]);"
    )
    .unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    let text = std::fs::read_to_string(&csd).unwrap();
    std::fs::write(&csd, text.replace("kfreq = p5", "kfreq = p5 *")).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    std::fs::write(&csd, text.replace("kfreq = p5", "kfreq = p5 * 2")).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    writeln!(stdin, "note([1, 0, 1, 0.03, 110]);").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    (common::read_wav(&wav), stdout)
}

/// Where in `audio` the held note is at `hz` (first 60 ms window), if anywhere.
fn first_time_at(audio: &common::Audio, hz: f64) -> Option<f64> {
    let end = audio.duration_secs() - 0.1;
    let mut t = 0.0;
    while t < end {
        let p = pitch_at(audio, t);
        if (p - hz).abs() < hz * 0.02 {
            return Some(t);
        }
        t += 0.05;
    }
    None
}

#[test]
fn saving_a_watched_csd_crossfades_the_held_note_to_the_new_instrument() {
    let (audio, stdout) = console_watch("crossfade 80");
    assert!(stdout.contains("reload failed"), "{stdout}");
    assert!(
        stdout.contains("drone.csd:"),
        "the error names the file: {stdout}"
    );
    assert!(stdout.contains("instr 1 redefined"), "{stdout}");
    let low = first_time_at(&audio, 110.0).expect("the note at 110 Hz");
    let high = first_time_at(&audio, 220.0).expect("then at 220 Hz after the save");
    assert!(
        low + 1.5 < high,
        "110 Hz from {low} s, 220 Hz from {high} s"
    );
    let step = largest_step(&audio, 0.0, audio.duration_secs() - 0.01);
    assert!(step < CLICK, "click: a step of {step}");
    // No gap between the two pitches: the note sounds throughout.
    let mut t = low;
    while t < high + 0.5 {
        assert!(window_peak(&audio, t, t + 0.05) > 0.01, "gap at {t}");
        t += 0.05;
    }
}

#[test]
fn saving_a_watched_csd_lets_the_held_note_finish_and_the_next_note_is_new() {
    let (audio, stdout) = console_watch("finish");
    assert!(stdout.contains("instr 1 redefined"), "{stdout}");
    let low = first_time_at(&audio, 110.0).expect("the note at 110 Hz");
    // The held note stays at 110 Hz until the next note (220 Hz) joins it:
    // before that, no window is at 220 Hz alone.
    let step = largest_step(&audio, 0.0, audio.duration_secs() - 0.01);
    assert!(step < CLICK, "click: a step of {step}");
    assert_near(
        pitch_at(&audio, low + 2.5),
        110.0,
        "the old definition plays on",
    );
}
