//! The Rhai host end to end: every script in `scripts/` runs offline
//! against `csd/simple.csd` and does what the walkthrough says; the sandbox
//! stops runaway scripts and refuses file access; errors carry positions.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rhapsody::host::{Host, HostConfig, finish_render};
use rhapsody::options::{Options, SampleFormat};
use rhapsody::session::{Clock, Session};

/// A host on an offline session of simple.csd writing `wav`, with its prints collected.
fn host(wav: Option<&Path>, time_limit: Duration) -> (Host, Arc<Mutex<Vec<String>>>) {
    let printed = Arc::new(Mutex::new(Vec::new()));
    let sink = printed.clone();
    let mut session = Session::new(
        Clock::Offline {
            path: wav.map(Path::to_path_buf),
            format: SampleFormat::Float32,
        },
        Options::default(),
    );
    session
        .load(&common::repo_root().join("csd/simple.csd"))
        .expect("simple.csd loads");
    let config = HostConfig {
        time_limit,
        print: Some(Arc::new(move |s: &str| {
            sink.lock().unwrap().push(s.to_string())
        })),
        // The scripts draw figures: into a folder of their own, not the repository's plots/.
        plot_dir: common::unique_temp_dir("plots"),
        ..HostConfig::default()
    };
    (Host::with_config(session, config), printed)
}

/// The folder a host draws into.
fn plot_dir(h: &mut Host) -> PathBuf {
    PathBuf::from(h.eval_line("plot_folder()").unwrap().into_string().unwrap())
}

/// Each of `stems` has a PNG of `size` with ink on it, and an SVG, in `dir`.
fn assert_figures(dir: &Path, stems: &[&str], size: (u32, u32)) {
    for stem in stems {
        let png = dir.join(format!("{stem}.png"));
        let decoder = png::Decoder::new(
            std::fs::File::open(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display())),
        );
        let info = decoder.read_info().unwrap().info().clone();
        assert_eq!((info.width, info.height), size, "{stem}");
        let bytes = std::fs::metadata(&png).unwrap().len();
        assert!(
            (5_000..100_000).contains(&bytes),
            "{stem}.png: {bytes} bytes (blank, or too big for the book)"
        );
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"), "{stem}.svg");
    }
}

fn script(name: &str) -> PathBuf {
    common::repo_root().join("scripts").join(name)
}

/// Run one script and render to the end; returns the audio and the prints.
fn render(name: &str) -> (Host, common::Audio, Vec<String>) {
    let dir = common::unique_temp_dir("host");
    let wav = dir.join("out.wav");
    let (mut h, printed) = host(Some(&wav), Duration::from_secs(30));
    h.run_file(&script(name)).unwrap_or_else(|e| panic!("{e}"));
    let end = h.last_event_end();
    finish_render(&mut h.session(), end).expect("render ends");
    h.session().stop();
    let audio = common::read_wav(&wav);
    let printed = printed.lock().unwrap().clone();
    (h, audio, printed)
}

/// RMS of all channels between two times (seconds).
fn rms_between(a: &common::Audio, from: f64, to: f64) -> f64 {
    let sr = a.sample_rate as f64;
    let (i, j) = ((from * sr) as usize, ((to * sr) as usize).min(a.len()));
    a.channels
        .iter()
        .map(|c| common::rms(&c[i..j]))
        .fold(0.0, f64::max)
}

fn printed_line<'a>(printed: &'a [String], start: &str) -> &'a str {
    printed
        .iter()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in {printed:#?}"))
}

#[test]
fn score_events_play_mute_and_advance() {
    let (h, audio, printed) = render("01_score_events.rhai");
    assert_eq!(
        printed_line(&printed, "sr "),
        "sr 96000.0, kr 960.0, ksmps 100, nchnls 2, 0dbfs 1.0"
    );
    assert_eq!(
        printed_line(&printed, "csd: "),
        "csd: csd/simple.csd".replace("csd/", &format!("{}/csd/", common::repo_root().display()))
    );
    assert_eq!(printed_line(&printed, "table 1"), "table 1 has 4096 points");
    assert_eq!(h.notes_sent(), 4);
    // Notes at 0, 1.5 (heard), 3 (muted), 4.5 (heard after unmuting).
    assert!(rms_between(&audio, 0.2, 0.8) > 0.05);
    assert!(rms_between(&audio, 1.7, 2.3) > 0.05);
    assert!(
        rms_between(&audio, 3.0, 4.4) < 1e-6,
        "the muted note sounds"
    );
    assert!(rms_between(&audio, 4.7, 5.3) > 0.05);
    let after: f64 = printed_line(&printed, "score time after")
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        after > 6000.0,
        "the a statement advanced the score: {after}"
    );
}

#[test]
fn tables_are_read_written_and_notched_live() {
    let (h, audio, printed) = render("02_tables.rhai");
    assert!(printed.contains(&"table 1 length: 4096; table 99 length: -1".to_string()));
    assert!(printed.contains(&"table 1 point 1024: 1.0".to_string()));
    assert!(!printed_line(&printed, "table 1 (4096 points + guard): 4097 points").is_empty());
    assert!(printed.contains(&"(t * 0.5)[1024] = 0.5".to_string()));
    // The session is stopped: check the table through a fresh run below.
    drop(h);
    for window in [(0.2, 0.8), (1.7, 2.3), (3.2, 3.8), (4.7, 5.3)] {
        assert!(rms_between(&audio, window.0, window.1) > 0.05, "{window:?}");
    }
    // The click: the note with point 1024 at -1 differs from the clean one.
    let sr = audio.sample_rate as f64;
    let clean = &audio.channels[0][(0.2 * sr) as usize..(0.8 * sr) as usize];
    let click = &audio.channels[0][(1.7 * sr) as usize..(2.3 * sr) as usize];
    assert!(common::peak(click) >= common::peak(clean) * 0.99);
}

#[test]
fn notch_edit_reaches_the_engines_table() {
    let (mut h, _) = host(None, Duration::from_secs(30));
    h.run_file(&script("02_tables.rhai"))
        .unwrap_or_else(|e| panic!("{e}"));
    let t = h.session().table(1).expect("table 1");
    let y0 = (std::f64::consts::PI / 4.0).sin();
    assert!((t.get(512) - y0).abs() < 1e-12);
    assert!((t.get(768) - (y0 + (-0.5 - y0) * 0.5)).abs() < 1e-12);
    assert_eq!(t.get(1024), -0.5);
    for k in 1..=512 {
        assert_eq!(t.get(1024 + k), t.get(1024 - k), "mirror at {k}");
    }
    // Past the notch the sine is untouched.
    assert!((t.get(2048)).abs() < 1e-12);
    // The live object and the table functions agree; whole-table arithmetic.
    let v = h
        .eval_line("let t = table(1); [t.len(), t[1024], (t + t)[1024], (2 * t)[0], t.points().len(), table_get(1, 4096)]")
        .unwrap();
    let v: Vec<String> = v
        .into_array()
        .unwrap()
        .iter()
        .map(|x| x.to_string())
        .collect();
    assert_eq!(v, ["4097", "-0.5", "-1.0", "0.0", "4097", "0.0"]);
    let sum = h
        .eval_line("let s = 0.0; for x in table(1) { s += x } s")
        .unwrap();
    assert!(sum.as_float().unwrap().is_finite());
    let m = h.eval_line("table(1).map(|x| x * 2.0)[1024]").unwrap();
    assert_eq!(m.as_float().unwrap(), -1.0);
}

#[test]
fn waveforms_and_interpolated_tables() {
    let (mut h, printed) = host(None, Duration::from_secs(30));
    h.run_file(&script("03_waveforms.rhai"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        printed
            .lock()
            .unwrap()
            .contains(&"tables 101..121: 4096 .. 4096 points".to_string())
    );
    assert_eq!(h.notes_sent(), 11);
    let s = h.session();
    let t = |n: i64| s.table(n).unwrap_or_else(|| panic!("table {n}")).to_vec();
    let (a, b) = (t(101), t(111));
    for k in 102..=110 {
        let f = (k - 101) as f64 / 10.0;
        let mut want: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + (y - x) * f).collect();
        let peak = want.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        want.iter_mut().for_each(|x| *x /= peak);
        let got = t(k);
        assert_eq!(got.len(), 4097);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-12, "table {k}");
        }
    }
    // The square's first quarter is positive, its second half negative.
    let sq = t(111);
    assert!(sq[512] > 0.5 && sq[2560] < -0.5, "{} {}", sq[512], sq[2560]);
    for n in [101, 111, 121, 115] {
        let peak = t(n).iter().fold(0.0f64, |m, x| m.max(x.abs()));
        assert!((peak - 1.0).abs() < 1e-9, "table {n} peak {peak}");
    }
}

#[test]
fn walkthrough_scripts_draw_the_articles_figures() {
    let (mut h, _) = host(None, Duration::from_secs(60));
    let dir = plot_dir(&mut h);
    h.run_file(&script("02_tables.rhai"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_figures(&dir, &["table-1", "notched-sine"], (1024, 576));
    // Figure 3 shows the notch: the SVG holds the title given.
    let svg = std::fs::read_to_string(dir.join("notched-sine.svg")).unwrap();
    assert!(svg.contains("notched sine"));
    h.run_file(&script("03_waveforms.rhai"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_figures(
        &dir,
        &[
            "tables-101-111-121",
            "tables-101-to-111",
            "tables-111-to-121",
        ],
        (1024, 576),
    );
    h.run_file(&script("04_hyperbolic_paraboloid.rhai"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_figures(&dir, &["skewlines-5x400", "skewlines-17x400"], (900, 760));
    h.session().stop();
}

#[test]
fn waveform_notes_sound() {
    let (_, audio, _) = render("03_waveforms.rhai");
    assert!(audio.duration_secs() >= 11.0);
    for i in 0..11 {
        let t = i as f64;
        assert!(rms_between(&audio, t + 0.2, t + 0.7) > 0.02, "note {i}");
    }
}

#[test]
fn hyperbolic_paraboloid_sends_6800_grains() {
    let (mut h, printed) = host(None, Duration::from_secs(30));
    h.run_file(&script("04_hyperbolic_paraboloid.rhai"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(h.notes_sent(), 6800);
    assert!(
        printed
            .lock()
            .unwrap()
            .contains(&"6800 grains sent".to_string())
    );
    let end = h.last_event_end();
    assert!((120.0..125.0).contains(&end), "last grain ends at {end}");
}

#[test]
fn utils_file_defines_functions_for_later_lines() {
    let (mut h, _) = host(None, Duration::from_secs(30));
    let _ = h
        .eval_line(&format!("run(\"{}\")", script("utils.rhai").display()))
        .unwrap();
    let _ = h.eval_line("my_square(7, 4096, 25)").unwrap();
    let _ = h.eval_line("bl_square(8, 4096, 25); flush();").unwrap();
    let s = h.session();
    assert_eq!(s.table(7).unwrap().to_vec(), s.table(8).unwrap().to_vec());
    drop(s);
    let names = h.eval_line("dir()").unwrap().into_array().unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    for n in ["note", "my_square", "play_hp", "table", "help", "dir"] {
        assert!(names.contains(&n.to_string()), "{n} missing from dir()");
    }
    let help = h.eval_line("help(\"note\")").unwrap().to_string();
    assert!(
        help.contains("note(pfields: Array)") && help.contains("Play a note"),
        "{help}"
    );
    let help = h.eval_line("help(\"my_square\")").unwrap().to_string();
    assert!(help.contains("band-limited square"), "{help}");
}

#[test]
fn console_state_and_defaults() {
    let (mut h, _) = host(None, Duration::from_secs(5));
    let _ = h.eval_line("let x = 40;").unwrap();
    let _ = h.eval_line("fn twice(v) { v * 2 }").unwrap();
    assert_eq!(h.eval_line("twice(x + 1)").unwrap().as_int().unwrap(), 82);
    let _ = h.eval_line("stop()").unwrap();
    assert!(h.eval_line("csd_name()").unwrap().is_unit());
    assert_eq!(h.eval_line("sr()").unwrap().as_float().unwrap(), 44100.0);
    assert_eq!(
        h.eval_line("table_length(1)").unwrap().as_int().unwrap(),
        -1
    );
    let _ = h.eval_line("restart()").unwrap();
    assert_eq!(h.eval_line("sr()").unwrap().as_float().unwrap(), 96000.0);
}

#[test]
fn runaway_loop_is_stopped_by_the_deadline() {
    let (mut h, _) = host(None, Duration::from_millis(300));
    let t = Instant::now();
    let e = h.eval_line("loop { }").unwrap_err();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    assert!(e.to_string().contains("runaway"), "{e}");
    // The host still works afterwards.
    assert_eq!(h.eval_line("1 + 1").unwrap().as_int().unwrap(), 2);
}

#[test]
fn interrupt_flag_stops_a_script() {
    let (mut h, _) = host(None, Duration::from_secs(60));
    let flag = h.interrupt_flag();
    let setter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let t = Instant::now();
    let e = h.eval_line("let i = 0; loop { i += 1; }").unwrap_err();
    setter.join().unwrap();
    assert!(t.elapsed() < Duration::from_secs(5));
    assert!(e.to_string().contains("interrupted"), "{e}");
}

#[test]
fn import_and_eval_are_refused() {
    let (mut h, _) = host(None, Duration::from_secs(5));
    assert!(h.eval_line("import \"scripts/utils\" as u;").is_err());
    assert!(h.eval_line("eval(\"1 + 1\")").is_err());
}

#[test]
fn huge_arrays_and_strings_are_refused() {
    let (mut h, _) = host(None, Duration::from_secs(5));
    let e = h
        .eval_line("let a = []; a.pad(100000000, 0); a.len()")
        .unwrap_err();
    assert!(e.to_string().to_lowercase().contains("array"), "{e}");
    assert!(
        h.eval_line("let s = \"x\"; for i in 0..40 { s += s; } s.len()")
            .is_err()
    );
    // Deep nesting neither overflows the stack nor runs away.
    assert!(
        h.eval_line("let a = []; for i in 0..100000 { a = [a]; }")
            .is_err()
    );
}

#[test]
fn errors_name_file_line_and_column() {
    let dir = common::unique_temp_dir("host-err");
    let path = dir.join("bad.rhai");
    std::fs::write(&path, "let a = 1;\nlet b = 2;\n  note([1, 0, 1], 5, 6);\n").unwrap();
    let (mut h, _) = host(None, Duration::from_secs(5));
    let e = h.run_file(&path).unwrap_err();
    assert_eq!((e.line, e.column), (3, 3), "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("{}:3:3: ", path.display())),
        "{e}"
    );
    // A bad p-field count is the session's error, placed at the call.
    std::fs::write(&path, "\n    table_get(1, 99999);\n").unwrap();
    let _ = h
        .eval_line("score_event(\"f\", [1, 0, 16, 10, 1]); flush();")
        .unwrap();
    let e = h.run_file(&path).unwrap_err();
    assert_eq!((e.line, e.column), (2, 5), "{e}");
    assert!(e.message.contains("outside table 1"), "{e}");
    // A syntax error.
    std::fs::write(&path, "let x = ;\n").unwrap();
    let e = h.run_file(&path).unwrap_err();
    assert_eq!(e.line, 1, "{e}");
    // The engine is still there.
    assert!(h.session().is_playing());
}

/// Render `script` (Rhai text) against simple.csd to the end; the audio's length in seconds.
fn rendered_seconds(script: &str) -> f64 {
    let dir = common::unique_temp_dir("host-e");
    let wav = dir.join("out.wav");
    let rhai = dir.join("e.rhai");
    std::fs::write(&rhai, script).unwrap();
    let (mut h, _) = host(Some(&wav), Duration::from_secs(30));
    h.run_file(&rhai).unwrap_or_else(|e| panic!("{e}"));
    let end = h.last_event_end();
    finish_render(&mut h.session(), end).expect("render ends");
    h.session().stop();
    common::read_wav(&wav).duration_secs()
}

#[test]
fn an_e_from_a_script_ends_the_render_at_its_time() {
    // simple.csd's score runs for 14400 s (`f 0 14400`): the `e` decides.
    let alone = rendered_seconds("score_event(\"e\", [0, 1]);\n");
    assert!((alone - 1.0).abs() < 0.01, "{alone} s");
    // After a note that ends at 2 s, the `e` at 13 s still decides.
    let after = rendered_seconds(
        "score_event(\"f\", [1, 0, 4096, 10, 1]);\nnote([1, 0, 2, 0.2, 8.00, 1, 0.01, 0.1, 0.5]);\nscore_event(\"e\", [0, 13]);\n",
    );
    assert!((after - 13.0).abs() < 0.01, "{after} s");
    // Sooner than the note's end: the performance stops there.
    let cut = rendered_seconds(
        "score_event(\"f\", [1, 0, 4096, 10, 1]);\nnote([1, 0, 2, 0.2, 8.00, 1, 0.01, 0.1, 0.5]);\nscore_event(\"e\", [0, 0.5]);\n",
    );
    assert!((cut - 0.5).abs() < 0.01, "{cut} s");
}

/// The article writes skewlines' base lines as three coordinate rows
/// (`array([xs, ys, zs])`): that form gives the same rulings as lists of
/// points, and `ones(n) * -1` works as numpy's does.
#[test]
fn skewlines_takes_the_articles_coordinate_rows() {
    let (mut h, _) = host(None, Duration::from_secs(30));
    let rows = h
        .eval_line(
            "let l1 = [linspace(1, -1, 17), ones(17) * -1, linspace(-1, 1, 17)];\n\
             let l2 = [linspace(-1, 1, 17), linspace(1, -0.25, 17), zeros(17)];\n\
             skewlines(l1, l2, 400)",
        )
        .unwrap();
    let points = h
        .eval_line(
            "let x1 = linspace(1, -1, 17); let z1 = linspace(-1, 1, 17);\n\
             let x2 = linspace(-1, 1, 17); let y2 = linspace(1, -0.25, 17);\n\
             let p1 = []; let p2 = [];\n\
             for i in 0..17 { p1.push([x1[i], -1.0, z1[i]]); p2.push([x2[i], y2[i], 0.0]); }\n\
             skewlines(p1, p2, 400)",
        )
        .unwrap();
    assert_eq!(rows.to_string(), points.to_string());
    let lines = rows.into_array().unwrap();
    assert_eq!(lines.len(), 17);
    assert_eq!(lines[0].clone().into_array().unwrap().len(), 400);
    // Three rows of three numbers read as three points, as before.
    let three = h
        .eval_line("skewlines([[1, -1, -1], [0, -1, 0], [-1, -1, 1]], [[-1, 1, 0], [0, 0, 0], [1, 1, 0]], 2)")
        .unwrap()
        .into_array()
        .unwrap();
    assert_eq!(
        three[0].clone().into_array().unwrap()[0].to_string(),
        "[1.0, -1.0, -1.0]"
    );
    // The drawing takes the same form.
    let png = h
        .eval_line("draw_skewlines(l1, l2, 400)")
        .unwrap()
        .to_string();
    assert!(png.ends_with("skewlines-17x400.png"), "{png}");
}

#[test]
fn a_runaway_script_is_stopped_within_a_second_by_default() {
    assert_eq!(HostConfig::default().time_limit, Duration::from_secs(1));
    let (mut h, _) = host(None, HostConfig::default().time_limit);
    let t = Instant::now();
    // A nested build as well as a plain loop: whichever limit it meets, it
    // stops within the second with one message.
    for script in ["loop { }", "let a = []; loop { a = [a, a.len()]; }"] {
        let e = h.eval_line(script).unwrap_err().to_string();
        assert!(e.contains("stopped") && e.contains("runaway"), "{e}");
        assert_eq!(e.matches("stopped").count(), 1, "{e}");
    }
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "took {:?}",
        t.elapsed()
    );
}

#[test]
fn huge_arrays_are_refused_before_allocating() {
    let (mut h, _) = host(None, Duration::from_secs(5));
    for script in ["linspace(0, 1, 1e9)", "ones(5e8)", "zeros(1 << 40)"] {
        let e = h.eval_line(script).unwrap_err().to_string();
        assert!(e.contains("largest array"), "{script}: {e}");
    }
    assert_eq!(
        h.eval_line("ones(1000).len()").unwrap().as_int().unwrap(),
        1000
    );
}

#[test]
fn a_deeply_nested_value_does_not_crash_the_host() {
    let (mut h, _) = host(None, Duration::from_secs(1));
    // Built until the time limit stops it, or to the end: either way the
    // process lives and the host answers afterwards.
    let _ = h.eval_line("let a = []; for i in 0..15000 { a = [take(a)]; }");
    let _ = h.eval_line("let b = []; for i in 0..1000000 { b = [take(b)]; }");
    assert_eq!(h.eval_line("1 + 1").unwrap().as_int().unwrap(), 2);
}
