// Survey of the Csound manual's example CSDs: how many rhapsody renders, and how many of
// those match csound's render at >= 60 dB on every channel. Slow (it renders ~1300 files
// with both engines), so it is ignored by default; run it with
//
//     cargo test --release --test manual_survey -- --ignored --nocapture
//
// Environment: MANUAL_EXAMPLES (default /usr/share/doc/csound-doc/html/examples),
// MANUAL_SURVEY_DIR (working folder, default target/manual-survey; csound's renders are
// cached there between runs), MANUAL_SURVEY_ONLY (a substring: survey matching names only).
// The per-example table is written to MANUAL_SURVEY_DIR/report.tsv.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

/// How long one render of one example may take, per engine.
const EXAMPLE_TIMEOUT: Duration = Duration::from_secs(40);

/// What an example needs beyond its own text, by the names it uses (whole words, or word
/// prefixes ending in `*`). Examples that need FLTK widgets or Python are left out; those
/// that wait for a MIDI keyboard or read the sound card's input are fed a MIDI file
/// (`-F FILE -T`, the performance ending with the file) or an input file (`-i FILE`),
/// the same to both engines. Examples that need plugin opcodes are not left out by
/// name: they count, against us, whenever the installed csound can render them.
const NEEDS: &[(Need, &[&str])] = &[
    (Need::Skip("FLTK"), &["FL*"]),
    (Need::Skip("Python"), &["py*"]),
    (
        Need::MidiFile,
        &[
            "M0",
            "M1",
            "Ma",
            "midi*",
            "massign",
            "pgmassign",
            "notnum",
            "veloc",
            "aftouch",
            "pchbend",
            "ctrl7",
            "ctrl14",
            "ctrl21",
            "initc7",
            "initc14",
            "mrtmsg",
            "noteon",
            "noteoff",
            "cpsmidi*",
            "ampmidi*",
            "octmidi*",
            "pchmidi*",
            "mididefault",
        ],
    ),
    (
        Need::InputFile,
        &["in", "ins", "inch", "inq", "inh", "ino", "inx", "inz"],
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    /// Left out of the count, for this reason.
    Skip(&'static str),
    /// Played [`SURVEY_MIDI`] with `-F FILE -T`.
    MidiFile,
    /// Given [`SURVEY_INPUT`] with `-i FILE`.
    InputFile,
}

/// The MIDI file MIDI examples play (written into the survey folder): 3 s on channel 1
/// of single notes, a chord, velocities from soft to loud, the modulation wheel, volume,
/// pitch bend and aftertouch, ending with every note released.
const SURVEY_MIDI: &str = "survey.mid";
/// The input file audio-input examples read: 3 s of stereo 16-bit at 44.1 kHz, a tone
/// on each channel (220 Hz with a 1375 Hz partial left, 330 Hz right).
const SURVEY_INPUT: &str = "survey-input.wav";

fn write_survey_inputs(work: &Path) {
    use rhapsody::engine::midi::MidiMessage;
    // 480 ticks a beat at 120 beats a minute: 960 ticks a second. Times are kept off the
    // halves of common block lengths, where rounding alone would decide the block.
    let mut events = Vec::new();
    let notes = [
        (60u8, 100u8, 10u32, 400u32),
        (64, 40, 420, 800),
        (67, 127, 830, 1200),
    ];
    for (key, velocity, on, off) in notes {
        events.push((on, MidiMessage::new(0x90, key, velocity)));
        events.push((off, MidiMessage::new(0x80, key, 0)));
    }
    for (key, velocity) in [(48u8, 70u8), (55, 80), (62, 90)] {
        events.push((1300, MidiMessage::new(0x90, key, velocity)));
        events.push((2300, MidiMessage::new(0x80, key, 0)));
    }
    for i in 0..16u32 {
        let t = 1310 + i * 61;
        events.push((t, MidiMessage::new(0xB0, 1, (i * 8) as u8)));
        events.push((t + 7, MidiMessage::new(0xB0, 7, (127 - i * 4) as u8)));
        events.push((t + 13, MidiMessage::new(0xE0, 0, (64 + i * 3) as u8)));
        events.push((t + 19, MidiMessage::new(0xD0, (i * 7) as u8, 0)));
    }
    events.push((2500, MidiMessage::new(0x90, 72, 64)));
    events.push((2870, MidiMessage::new(0x80, 72, 0)));
    let bytes = rhapsody::midi::file::write(480, &events).expect("the survey's MIDI file");
    std::fs::write(work.join(SURVEY_MIDI), bytes).expect("write the survey's MIDI file");

    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav =
        hound::WavWriter::create(work.join(SURVEY_INPUT), spec).expect("create the input file");
    let tau = std::f64::consts::TAU;
    for n in 0..3 * 44100 {
        let t = n as f64 / 44100.0;
        let left = 0.4 * (tau * 220.0 * t).sin() + 0.1 * (tau * 1375.0 * t).sin();
        let right = 0.3 * (tau * 330.0 * t).sin();
        for x in [left, right] {
            wav.write_sample((x * 32767.0) as i16)
                .expect("write the input file");
        }
    }
    wav.finalize().expect("finish the input file");
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// Left out: needs what the survey skips (the reason).
    Skipped(&'static str),
    /// csound itself cannot render it here (missing file, plugin, error): not counted.
    ReferenceFails,
    /// Counted: rhapsody refused or failed it (first error line).
    Fails(String),
    /// Counted: rendered, but below 60 dB on some channel (worst SNR).
    Differs(String),
    /// Counted: rendered and matched on every channel.
    Matches,
}

fn examples_dir() -> PathBuf {
    std::env::var_os("MANUAL_EXAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/doc/csound-doc/html/examples"))
}

fn survey_dir() -> PathBuf {
    std::env::var_os("MANUAL_SURVEY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target").join("manual-survey"))
}

/// A writable copy of the examples folder with its gzipped sound files unpacked, so that
/// examples reading `beats.wav` find it (the Debian package ships them compressed).
fn prepare_examples(work: &Path) -> PathBuf {
    let copy = work.join("examples");
    if copy.join(".ready").is_file() {
        return copy;
    }
    std::fs::create_dir_all(&copy).expect("create the examples copy");
    let status = Command::new("cp")
        .arg("-r")
        .arg(format!("{}/.", examples_dir().display()))
        .arg(&copy)
        .status()
        .expect("run cp");
    assert!(status.success(), "copying the manual's examples failed");
    let _ = Command::new("sh")
        .arg("-c")
        .arg("gunzip -f *.gz 2>/dev/null; true")
        .current_dir(&copy)
        .status();
    std::fs::write(copy.join(".ready"), "").expect("mark the copy ready");
    copy
}

fn need(text: &str) -> Option<Need> {
    // Comments do not count: most examples' options carry the manual's
    // boilerplate "; Select audio/midi flags here" and a commented `-iadc`.
    let code: String = text
        .lines()
        .map(|l| l.split(';').next().unwrap_or(""))
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let used = |marker: &str| match marker.strip_suffix('*') {
        Some(prefix) => words.iter().any(|w| w.starts_with(prefix)),
        None => words.contains(&marker),
    };
    NEEDS
        .iter()
        .find(|(_, markers)| markers.iter().any(|m| used(m)))
        .map(|(need, _)| *need)
}

/// Runs `cmd` in `dir` with the example timeout; Err with a one-line reason on failure.
fn run_in(mut cmd: Command, dir: &Path, what: &str) -> Result<RunOutput, String> {
    cmd.current_dir(dir);
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_with_timeout(cmd, EXAMPLE_TIMEOUT, what)
    }))
    .map_err(|_| format!("{what} timed out"))?;
    if out.status.success() {
        Ok(out)
    } else {
        let first_error = out
            .stderr
            .lines()
            .chain(out.stdout.lines())
            .find(|l| l.contains("error"))
            .unwrap_or("failed")
            .trim()
            .to_string();
        Err(first_error)
    }
}

/// The example's outcome, and what it was fed (a MIDI or an input file), if anything.
fn survey_one(csd: &Path, examples: &Path, work: &Path) -> (Outcome, Option<Need>) {
    let Ok(text) = std::fs::read_to_string(csd) else {
        return (Outcome::Skipped("not UTF-8"), None);
    };
    let need = need(&text);
    let fed = need.filter(|n| !matches!(n, Need::Skip(_)));
    (render_and_compare(csd, &text, need, examples, work), fed)
}

fn render_and_compare(
    csd: &Path,
    text: &str,
    need: Option<Need>,
    examples: &Path,
    work: &Path,
) -> Outcome {
    let fed: Vec<String> = match need {
        Some(Need::Skip(why)) => return Outcome::Skipped(why),
        Some(Need::MidiFile) => {
            let midi = work.join(SURVEY_MIDI).display().to_string();
            // csound's null MIDI driver: the examples' `-M0` would fail on a machine
            // with no MIDI port (rhapsody does not open ports when rendering).
            vec!["-F".into(), midi, "-T".into(), "-+rtmidi=null".into()]
        }
        Some(Need::InputFile) => vec!["-i".into(), work.join(SURVEY_INPUT).display().to_string()],
        None => Vec::new(),
    };
    let stem = csd.file_stem().unwrap().to_string_lossy().into_owned();
    // rhapsody first: most examples it cannot play stop at compile time in
    // milliseconds, and then csound only has to say whether the example counts.
    let ours = work.join("rhapsody").join(format!("{stem}.wav"));
    let _ = std::fs::remove_file(&ours);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rhapsody"));
    cmd.arg("render")
        .arg(csd)
        .arg("-o")
        .arg(&ours)
        .arg("-f")
        .args(&fed);
    let ours_failed = run_in(cmd, examples, "rhapsody").err();
    let reference = work.join("csound").join(format!("{stem}.wav"));
    let failed_marker = work.join("csound").join(format!("{stem}.failed"));
    if failed_marker.is_file() {
        return Outcome::ReferenceFails;
    }
    if let Some(why) = ours_failed {
        if reference.is_file() {
            return Outcome::Fails(why);
        }
        let mut cmd = Command::new("csound");
        cmd.arg("--syntax-check-only").args(&fed).arg(csd);
        return match run_in(cmd, examples, "csound") {
            Ok(_) => Outcome::Fails(why),
            Err(_) => {
                let _ = std::fs::write(&failed_marker, "");
                Outcome::ReferenceFails
            }
        };
    }
    if !reference.is_file() {
        let mut cmd = Command::new("csound");
        cmd.args(["-f", "-d", "-o"])
            .arg(&reference)
            .args(&fed)
            .arg(csd);
        let ok = run_in(cmd, examples, "csound").is_ok()
            && reference.is_file()
            && std::fs::metadata(&reference).is_ok_and(|m| m.len() > 44);
        if !ok {
            let _ = std::fs::remove_file(&reference);
            let _ = std::fs::write(&failed_marker, "");
            return Outcome::ReferenceFails;
        }
    }
    let (Ok(a), Ok(b)) = (
        std::panic::catch_unwind(|| read_wav(&reference)),
        std::panic::catch_unwind(|| read_wav(&ours)),
    ) else {
        return Outcome::Fails("unreadable output".into());
    };
    let _ = std::fs::remove_file(&ours);
    let ksmps = csd_ksmps(text);
    match compare_audio(&a, &b, ksmps) {
        Err(why) => Outcome::Differs(why),
        Ok(snrs) => {
            let worst = snrs.iter().copied().fold(f64::INFINITY, f64::min);
            if worst >= CONFORMANCE_MIN_SNR_DB {
                Outcome::Matches
            } else {
                Outcome::Differs(format!("worst channel {} dB", fmt_db(worst)))
            }
        }
    }
}

#[test]
#[ignore = "slow: renders the whole Csound manual's examples with csound and rhapsody"]
fn manual_examples_survey() {
    if !csound_available() || !examples_dir().is_dir() {
        eprintln!("SKIPPED: needs csound and csound-doc's examples");
        return;
    }
    // Many examples ask for `-iadc` in their options: without a sound card csound can
    // only open it through PulseAudio, and an example csound cannot render is not
    // counted. Starting the null sink makes the count the same on every machine;
    // it is held for the whole survey (a server the tests start exits when unused).
    let _pulse = ensure_and_hold_pulse("manual survey's csound renders");
    let work = survey_dir();
    for sub in ["csound", "rhapsody"] {
        std::fs::create_dir_all(work.join(sub)).expect("create the survey folders");
    }
    let examples = prepare_examples(&work);
    write_survey_inputs(&work);
    let only = std::env::var("MANUAL_SURVEY_ONLY").unwrap_or_default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&examples)
        .expect("read the examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csd"))
        // The manual's own *.csd files, not the ones unpacked from *.csd.gz.
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| examples_dir().join(n).is_file())
        })
        .filter(|p| p.to_string_lossy().contains(&only))
        .collect();
    files.sort();

    // Two workers: the machine has two cores, and both engines render single-threaded.
    let queue = Mutex::new(files.into_iter());
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let Some(csd) = queue.lock().unwrap().next() else {
                        break;
                    };
                    let (outcome, fed) = survey_one(&csd, &examples, &work);
                    let name = csd.file_name().unwrap().to_string_lossy().into_owned();
                    results.lock().unwrap().insert(name, (outcome, fed));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();

    let mut report = String::from("example\toutcome\tdetail\n");
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut reference_fails, mut fails, mut differs, mut matches) = (0, 0, 0, 0);
    // Examples fed a MIDI or input file: (counted, rendered, matched) for each.
    let mut fed_counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (name, (outcome, fed)) in &results {
        if let Some(fed) = fed {
            let what = if *fed == Need::MidiFile {
                "a MIDI file (-F -T)"
            } else {
                "an input file (-i)"
            };
            let counts = fed_counts.entry(what).or_default();
            match outcome {
                Outcome::Fails(_) => counts.0 += 1,
                Outcome::Differs(_) => (counts.0, counts.1) = (counts.0 + 1, counts.1 + 1),
                Outcome::Matches => *counts = (counts.0 + 1, counts.1 + 1, counts.2 + 1),
                _ => {}
            }
        }
        let (kind, detail) = match outcome {
            Outcome::Skipped(why) => {
                *skipped.entry(why).or_default() += 1;
                ("skipped", why.to_string())
            }
            Outcome::ReferenceFails => {
                reference_fails += 1;
                ("csound-fails", String::new())
            }
            Outcome::Fails(why) => {
                fails += 1;
                ("fails", why.clone())
            }
            Outcome::Differs(why) => {
                differs += 1;
                ("differs", why.clone())
            }
            Outcome::Matches => {
                matches += 1;
                ("matches", String::new())
            }
        };
        report.push_str(&format!("{name}\t{kind}\t{detail}\n"));
    }
    std::fs::write(work.join("report.tsv"), &report).expect("write the report");
    let counted = fails + differs + matches;
    println!("manual examples: {} files", results.len());
    println!("  skipped: {skipped:?}; csound itself cannot render {reference_fails}");
    println!(
        "  counted {counted}: rhapsody renders {} ({} of them match csound at >= 60 dB), \
         fails {fails}",
        differs + matches,
        matches
    );
    for (what, (counted, rendered, matched)) in &fed_counts {
        println!(
            "  of those, fed {what}: {counted} (rhapsody renders {rendered}, {matched} match)"
        );
    }
    println!("  per-example table: {}", work.join("report.tsv").display());
}
