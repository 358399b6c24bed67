//! Pictures from known data: PNG size and content, the one-point spike, SVG text, terminal text.

use std::f64::consts::TAU;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rhapsody::host::HostConfig;
use rhapsody::options::{Options, SampleFormat};
use rhapsody::session::{Clock, Session};

use rhapsody::plot::{
    BASE_COLOUR, RULING_COLOUR, SIZE_2D, SIZE_3D, Series, draw_lines_3d, draw_tables,
    draw_waveform, series_colour, terminal_plot,
};

/// A fresh folder for one test's pictures (kept after the run for inspection).
fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("plot")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn sine(n: usize) -> Vec<f64> {
    (0..n).map(|i| (i as f64 / n as f64 * TAU).sin()).collect()
}

/// A decoded RGB picture.
struct Rgb {
    width: usize,
    height: usize,
    data: Vec<u8>,
}

impl Rgb {
    fn load(path: &Path) -> Rgb {
        let mut decoder = png::Decoder::new(fs::File::open(path).unwrap());
        // Pictures with few colours are written indexed: expand them to RGB.
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        let channels = match info.color_type {
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            other => panic!("unexpected colour type {other:?}"),
        };
        let (width, height) = (info.width as usize, info.height as usize);
        let mut data = Vec::with_capacity(width * height * 3);
        for px in buf[..width * height * channels].chunks(channels) {
            data.extend_from_slice(&px[..3]);
        }
        Rgb {
            width,
            height,
            data,
        }
    }

    fn at(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let i = (y * self.width + x) * 3;
        (self.data[i], self.data[i + 1], self.data[i + 2])
    }

    fn count(&self, pred: impl Fn((u8, u8, u8)) -> bool) -> usize {
        (0..self.height)
            .flat_map(|y| (0..self.width).map(move |x| (x, y)))
            .filter(|&(x, y)| pred(self.at(x, y)))
            .count()
    }

    /// Rows (top to bottom) of the pixels of exactly `colour` in column `x`.
    fn rows_of(&self, x: usize, colour: (u8, u8, u8)) -> Vec<usize> {
        (0..self.height)
            .filter(|&y| self.at(x, y) == colour)
            .collect()
    }

    /// The plotted extent of a series: the first run of consecutive columns
    /// holding its colour, from the left (a legend swatch further right, past
    /// a gap, is not part of it).
    fn series_columns(&self, colour: (u8, u8, u8)) -> (usize, usize) {
        let has = |x: usize| !self.rows_of(x, colour).is_empty();
        let first = (0..self.width)
            .find(|&x| has(x))
            .expect("series colour not found");
        let mut last = first;
        while last + 1 < self.width && has(last + 1) {
            last += 1;
        }
        (first, last)
    }
}

/// Whether `p` is `c` drawn over white with at least 40% coverage (slanted
/// thin lines are anti-aliased, so few of their pixels hold the exact colour).
fn blend_of(p: (u8, u8, u8), c: (u8, u8, u8)) -> bool {
    let (p, c) = ([p.0, p.1, p.2], [c.0, c.1, c.2]);
    let k = (0..3).max_by_key(|&k| 255 - c[k]).unwrap();
    let a = (255.0 - f64::from(p[k])) / (255.0 - f64::from(c[k]));
    a >= 0.4
        && (0..3).all(|k| {
            let want = 255.0 * (1.0 - a) + f64::from(c[k]) * a;
            (f64::from(p[k]) - want).abs() <= 16.0
        })
}

fn assert_not_blank(img: &Rgb, min_pixels: usize) {
    let ink = img.count(|p| p != (255, 255, 255));
    assert!(
        ink >= min_pixels,
        "only {ink} non-white pixels (expected at least {min_pixels})"
    );
}

fn assert_svg_ok(path: &Path, must_contain: &[&str]) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.trim_start().starts_with("<svg"), "not an SVG document");
    assert!(text.trim_end().ends_with("</svg>"), "SVG not closed");
    // Balanced elements: every opening tag that is not self-closing has its closing tag.
    let opened = text.matches('<').count() - text.matches("</").count();
    let self_closed = text.matches("/>").count();
    assert_eq!(
        opened - self_closed,
        text.matches("</").count(),
        "unbalanced SVG tags"
    );
    for s in must_contain {
        assert!(text.contains(s), "SVG lacks {s:?}");
    }
}

/// The contents of the SVG's `<text>` elements, trimmed.
fn svg_texts(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap();
    text.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// Column extent, vertical span of series `colour` in the column that shows
/// index `index` of `n` points, and the plotted height (rows of the colour's
/// whole extent).
fn column_span(img: &Rgb, colour: (u8, u8, u8), index: usize, n: usize) -> (usize, usize) {
    let (x0, x1) = img.series_columns(colour);
    let centre = x0 + ((x1 - x0) as f64 * index as f64 / (n - 1) as f64).round() as usize;
    // The widest span among the columns next to the expected one (±2 px).
    (centre.saturating_sub(2)..=(centre + 2).min(x1))
        .map(|x| {
            let rows = img.rows_of(x, colour);
            match (rows.first(), rows.last()) {
                (Some(a), Some(b)) => (*a, *b),
                _ => (0, 0),
            }
        })
        .max_by_key(|(a, b)| b - a)
        .unwrap()
}

#[test]
fn tables_picture_shows_a_one_point_click() {
    let dir = out_dir("tables");
    let mut clicked = sine(4096);
    clicked[1024] = -1.0; // the sine's top, set to the bottom
    let ramp: Vec<f64> = (0..=512).map(|i| i as f64 / 512.0 - 0.5).collect();
    let series = [
        Series::new("table 1 (click)", clicked),
        Series::new("table 2 & <ramp>", ramp),
    ];
    let files = draw_tables(&dir, "tables-1-2", "Tables 1 and 2", &series).unwrap();
    assert_eq!(files.png, dir.join("tables-1-2.png"));
    assert_eq!(files.svg, dir.join("tables-1-2.svg"));

    let img = Rgb::load(&files.png);
    assert_eq!((img.width as u32, img.height as u32), SIZE_2D);
    assert_not_blank(&img, 5_000);

    let colour = series_colour(0);
    let (x0, x1) = img.series_columns(colour);
    assert!(
        x1 - x0 > img.width / 2,
        "plotted width {x0}..{x1} too small"
    );
    // The sine spans its full height at 1/4 (the click) ...
    let whole = (0..img.width)
        .flat_map(|x| img.rows_of(x, colour))
        .fold((usize::MAX, 0), |(a, b), y| (a.min(y), b.max(y)));
    let height = whole.1 - whole.0;
    let (top, bottom) = column_span(&img, colour, 1024, 4096);
    assert!(
        top <= whole.0 + height / 20 && bottom >= whole.1 - height / 20,
        "the click at index 1024 is not drawn: column span {top}..{bottom}, plot {whole:?}"
    );
    // ... but not at 1/8 or 3/8, where the sine is smooth.
    for index in [512, 1536] {
        let (t, b) = column_span(&img, colour, index, 4096);
        assert!(
            b - t < height / 10,
            "unexpected span {t}..{b} at index {index}"
        );
    }
    // The second series is there too.
    assert!(img.count(|p| p == series_colour(1)) > 300);

    assert_svg_ok(
        &files.svg,
        &[
            "table 1 (click)",
            "table 2 &amp; &lt;ramp&gt;",
            "Tables 1 and 2",
        ],
    );
}

#[test]
fn redrawing_overwrites_and_stems_are_sanitized() {
    let dir = out_dir("overwrite");
    let s = [Series::new("t", sine(64))];
    let a = draw_tables(&dir, "../table 7", "first", &s).unwrap();
    assert_eq!(a.png, dir.join("table-7.png"));
    let b = draw_tables(&dir, "table-7", "second", &s).unwrap();
    assert_eq!(a, b);
    assert!(fs::read_to_string(&b.svg).unwrap().contains("second"));
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "left-over files: {names:?}");
}

#[test]
fn empty_and_nan_data_give_errors_not_panics() {
    let dir = out_dir("empty");
    let err = draw_tables(&dir, "none", "t", &[]).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    let nan = [
        Series::new("nan", vec![f64::NAN; 8]),
        Series::new("empty", vec![]),
    ];
    let err = draw_tables(&dir, "nan", "t", &nan).unwrap_err();
    assert!(err.to_string().contains("no finite"), "{err}");
    assert!(draw_waveform(&dir, "w", "t", &[], 48000.0).is_err());
    assert!(draw_waveform(&dir, "w", "t", &[0.0, 1.0], 0.0).is_err());
    assert!(draw_waveform(&dir, "w", "t", &[0.0, 1.0], f64::NAN).is_err());
    assert!(draw_lines_3d(&dir, "l", "t", &[], &[]).is_err());
    assert!(draw_lines_3d(&dir, "l", "t", &[vec![[f64::NAN, 0.0, 0.0]]], &[]).is_err());

    // Partly bad data still draws: holes, a lone point, a flat and an empty series.
    let mut holes = sine(300);
    holes[100..120].fill(f64::NAN);
    holes[200] = f64::INFINITY;
    let mixed = [
        Series::new("holes", holes),
        Series::new("one point", vec![0.25]),
        Series::new("flat", vec![0.5; 10]),
        Series::new("empty", vec![]),
    ];
    let files = draw_tables(&dir, "mixed", "Holes", &mixed).unwrap();
    assert_not_blank(&Rgb::load(&files.png), 3_000);
    assert_svg_ok(&files.svg, &["holes", "one point", "empty (no data)"]);
    let flat = draw_tables(&dir, "flat", "Flat", &[Series::new("zero", vec![0.0; 4])]).unwrap();
    assert_not_blank(&Rgb::load(&flat.png), 3_000);
}

#[test]
fn waveform_picture() {
    let dir = out_dir("waveform");
    let sr = 48_000.0;
    // 0.1 s of a decaying 220 Hz tone with one click.
    let mut samples: Vec<f64> = (0..4800)
        .map(|i| {
            let t = i as f64 / sr;
            0.6 * (-t * 20.0).exp() * (TAU * 220.0 * t).sin()
        })
        .collect();
    samples[3600] = -0.9;
    let files = draw_waveform(&dir, "output", "Output, last 0.1 s", &samples, sr).unwrap();
    let img = Rgb::load(&files.png);
    assert_eq!((img.width as u32, img.height as u32), SIZE_2D);
    assert_not_blank(&img, 5_000);
    let colour = series_colour(0);
    let whole = (0..img.width)
        .flat_map(|x| img.rows_of(x, colour))
        .fold((usize::MAX, 0), |(a, b), y| (a.min(y), b.max(y)));
    let (_, bottom) = column_span(&img, colour, 3600, 4800);
    assert!(
        bottom >= whole.1 - 2,
        "click at sample 3600 not at the bottom: {bottom} vs {whole:?}"
    );
    assert_svg_ok(&files.svg, &["time (s)", "amplitude", "Output, last 0.1 s"]);
}

/// A 3-D polyline.
type Polyline = Vec<[f64; 3]>;

/// The ruled surface between two lines l1 and l2, with `n` rulings.
fn ruled_surface(n: usize) -> (Vec<Polyline>, Vec<Polyline>) {
    let l1 = |t: f64| [t, 0.0, 0.5 * t];
    let l2 = |t: f64| [1.0 - t, 1.0, 1.0 - t];
    let steps: Vec<f64> = (0..=40).map(|i| i as f64 / 40.0).collect();
    let base = vec![
        steps.iter().map(|&t| l1(t)).collect(),
        steps.iter().map(|&t| l2(t)).collect(),
    ];
    let rulings = (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            vec![l1(t), l2(t)]
        })
        .collect();
    (base, rulings)
}

#[test]
fn lines_3d_picture() {
    let dir = out_dir("lines3d");
    let (base, rulings) = ruled_surface(16);
    let files = draw_lines_3d(&dir, "ruled-surface", "Ruled surface", &base, &rulings).unwrap();
    let img = Rgb::load(&files.png);
    assert_eq!((img.width as u32, img.height as u32), SIZE_3D);
    assert_not_blank(&img, 5_000);
    let (base_px, ruling_px) = (
        img.count(|p| blend_of(p, BASE_COLOUR)),
        img.count(|p| blend_of(p, RULING_COLOUR)),
    );
    assert!(base_px > 200, "base lines missing: {base_px} pixels");
    assert!(ruling_px > 500, "rulings missing: {ruling_px} pixels");
    assert_svg_ok(&files.svg, &["base lines", "rulings", "Ruled surface"]);
    let texts = svg_texts(&files.svg);
    for name in ["x", "y", "z"] {
        assert!(
            texts.iter().any(|t| t == name),
            "axis name {name:?} missing: {texts:?}"
        );
    }
}

#[test]
fn terminal_sine_matches_the_stored_text() {
    let expected_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/plot/sine_terminal.txt");
    let lines = terminal_plot(&[Series::new("sine", sine(4096))], 60, 12);
    assert_eq!(lines.len(), 12);
    assert!(lines.iter().all(|l| l.chars().count() == 60));
    let text = lines.join("\n") + "\n";
    if std::env::var_os("RHAPSODY_BLESS").is_some() {
        fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
        fs::write(&expected_path, &text).unwrap();
    }
    let expected = fs::read_to_string(&expected_path).unwrap();
    assert_eq!(text, expected, "terminal rendering changed; got:\n{text}");
}

#[test]
fn terminal_shows_the_click() {
    let mut clicked = sine(4096);
    clicked[1024] = -1.0;
    let lines = terminal_plot(&[Series::new("click", clicked)], 60, 12);
    // Index 1024 of 4096 lands in dot column 30 of 120: character 15.
    let bottom: Vec<char> = lines[11].chars().collect();
    let plain = terminal_plot(&[Series::new("sine", sine(4096))], 60, 12);
    let plain_bottom: Vec<char> = plain[11].chars().collect();
    assert_eq!(
        plain_bottom[15], '\u{2800}',
        "the plain sine should not reach the bottom there"
    );
    assert_ne!(
        bottom[15],
        '\u{2800}',
        "the click is missing:\n{}",
        lines.join("\n")
    );
    // The whole column from top to bottom is drawn at the click.
    assert!(lines.iter().all(|l| l.chars().nth(15) != Some('\u{2800}')));
}

// ------------------------------------------------------------ from scripts

/// A host on an offline session of simple.csd drawing into `dir`, printing
/// braille text of `terminal` size (or not), with its prints collected.
fn script_host(
    dir: &Path,
    terminal: Option<(usize, usize)>,
) -> (rhapsody::host::Host, Arc<Mutex<Vec<String>>>) {
    let printed = Arc::new(Mutex::new(Vec::new()));
    let sink = printed.clone();
    let mut session = Session::new(
        Clock::Offline {
            path: None,
            format: SampleFormat::Float32,
        },
        Options::default(),
    );
    session
        .load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("csd/simple.csd"))
        .expect("simple.csd loads");
    let config = HostConfig {
        print: Some(Arc::new(move |s: &str| {
            sink.lock().unwrap().push(s.to_string())
        })),
        plot_dir: dir.to_path_buf(),
        terminal_plots: terminal,
        ..HostConfig::default()
    };
    (rhapsody::host::Host::with_config(session, config), printed)
}

fn eval_path(h: &mut rhapsody::host::Host, code: &str) -> PathBuf {
    let v = h.eval_line(code).unwrap_or_else(|e| panic!("{code}: {e}"));
    PathBuf::from(
        v.into_string()
            .expect("a draw function returns the PNG's path"),
    )
}

#[test]
fn draw_table_from_a_script_shows_the_click() {
    let dir = out_dir("script-table");
    let (mut h, printed) = script_host(&dir, None);
    let png = eval_path(
        &mut h,
        r#"score_event("f", [1, 0, 4096, 10, 1]); flush(); table_set(1, 1024, -1.0); draw_table(1)"#,
    );
    assert_eq!(png, dir.join("table-1.png"));
    assert!(dir.join("table-1.svg").is_file());
    let img = Rgb::load(&png);
    assert_eq!((img.width as u32, img.height as u32), SIZE_2D);
    assert_not_blank(&img, 5_000);
    let colour = series_colour(0);
    let whole = (0..img.width)
        .flat_map(|x| img.rows_of(x, colour))
        .fold((usize::MAX, 0), |(a, b), y| (a.min(y), b.max(y)));
    let height = whole.1 - whole.0;
    // 4096 points drawn (the guard point left out): the click's column spans the plot.
    let (top, bottom) = column_span(&img, colour, 1024, 4096);
    assert!(
        top <= whole.0 + height / 20 && bottom >= whole.1 - height / 20,
        "the click is not drawn: {top}..{bottom} in {whole:?}"
    );
    let (t, b) = column_span(&img, colour, 512, 4096);
    assert!(b - t < height / 10, "unexpected span {t}..{b} at 512");
    assert_svg_ok(&dir.join("table-1.svg"), &["table 1"]);
    // A title of your own names the files; no terminal: nothing printed.
    let named = eval_path(&mut h, r#"draw_table(1, "clicked sine")"#);
    assert_eq!(named, dir.join("clicked-sine.png"));
    assert_svg_ok(&dir.join("clicked-sine.svg"), &["clicked sine", "table 1"]);
    assert!(printed.lock().unwrap().is_empty());
    // Clear errors, named after the function.
    let e = h.eval_line("draw_table(99)").unwrap_err().to_string();
    assert!(e.contains("draw_table: table 99 does not exist"), "{e}");
    let e = h.eval_line("draw_tables([])").unwrap_err().to_string();
    assert!(
        e.contains("draw_tables: the list of tables is empty"),
        "{e}"
    );
    h.session().stop();
}

#[test]
fn draw_tables_overlays_one_colour_and_legend_entry_each() {
    let dir = out_dir("script-tables");
    let (mut h, _) = script_host(&dir, None);
    let _ = h
        .eval_line(
            "bl_triangle(101, 4096, 25); bl_square(111, 4096, 25); bl_impulse(121, 4096, 25);",
        )
        .unwrap();
    let png = eval_path(&mut h, "draw_tables([101, 111, 121])");
    assert_eq!(png, dir.join("tables-101-111-121.png"));
    let img = Rgb::load(&png);
    assert_eq!((img.width as u32, img.height as u32), SIZE_2D);
    for k in 0..3 {
        let n = img.count(|p| p == series_colour(k));
        assert!(n > 300, "series {k}: only {n} pixels of its colour");
    }
    assert_svg_ok(
        &dir.join("tables-101-111-121.svg"),
        &[
            "table 101",
            "table 111",
            "table 121",
            "tables 101, 111, 121",
        ],
    );
    let _ = h.eval_line("interpolate_tables(101, 111)").unwrap();
    let png = eval_path(&mut h, "draw_tables(101..=111)");
    assert_eq!(png, dir.join("tables-101-to-111.png"));
    let svg = svg_texts(&dir.join("tables-101-to-111.svg"));
    for n in 101..=111 {
        assert!(
            svg.contains(&format!("table {n}")),
            "legend lacks {n}: {svg:?}"
        );
    }
    assert_eq!(
        eval_path(&mut h, "draw_tables(101..104)"),
        dir.join("tables-101-to-103.png")
    );
    h.session().stop();
}

#[test]
fn draw_skewlines_draws_base_lines_and_rulings() {
    let dir = out_dir("script-skewlines");
    let (mut h, printed) = script_host(&dir, Some((40, 10)));
    let png = eval_path(
        &mut h,
        "draw_skewlines([[1, -1, -1], [0, -1, 0], [-1, -1, 1]], [[-1, 1, 0], [0, 0.4, 0], [1, -0.25, 0]], 40)",
    );
    assert_eq!(png, dir.join("skewlines-3x40.png"));
    let img = Rgb::load(&png);
    assert_eq!((img.width as u32, img.height as u32), SIZE_3D);
    assert_not_blank(&img, 5_000);
    assert!(img.count(|p| blend_of(p, BASE_COLOUR)) > 200);
    assert!(img.count(|p| blend_of(p, RULING_COLOUR)) > 200);
    let svg = dir.join("skewlines-3x40.svg");
    assert_svg_ok(
        &svg,
        &["base lines", "rulings", "3 rulings, 40 points each"],
    );
    let texts = svg_texts(&svg);
    for axis in ["x", "y", "z"] {
        assert!(texts.iter().any(|t| t == axis), "axis {axis} not named");
    }
    // On a terminal: a caption and the braille picture.
    let printed = printed.lock().unwrap().clone();
    assert_eq!(printed.len(), 1, "{printed:?}");
    let lines: Vec<&str> = printed[0].lines().collect();
    assert!(lines[0].contains("skewlines-3x40.png"), "{}", lines[0]);
    assert_eq!(lines.len(), 11);
    let e = h
        .eval_line("draw_skewlines([[0, 0, 0]], [], 4)")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("draw_skewlines: l1 and l2 must have as many points"),
        "{e}"
    );
    h.session().stop();
}

#[test]
fn draw_output_plots_the_last_seconds_rendered() {
    let dir = out_dir("script-output");
    let (mut h, _) = script_host(&dir, None);
    let e = h.eval_line("draw_output(1)").unwrap_err().to_string();
    assert!(
        e.contains("draw_output: nothing has been played yet"),
        "{e}"
    );
    let _ = h.eval_line(
        "score_event(\"f\", [1, 0, 4096, 10, 1]); note([1, 0, 1, 0.5, 8.75, 1, 0.05, 0.3, 0.0]); wait(0.6);",
    )
    .unwrap();
    let png = eval_path(&mut h, "draw_output(0.05)");
    assert_eq!(png, dir.join("output-last-0.05s.png"));
    let img = Rgb::load(&png);
    assert_eq!((img.width as u32, img.height as u32), SIZE_2D);
    assert_not_blank(&img, 5_000);
    // Panned hard left: channel 1 (colour 0) sounds.
    assert!(img.count(|p| p == series_colour(0)) > 500);
    assert_svg_ok(
        &dir.join("output-last-0.05s.svg"),
        &[
            "channel 1",
            "channel 2",
            "time (s)",
            "score time 0.550 to 0.600 s",
        ],
    );
    // The clip is what the engine played: a 440 Hz tone, 0.05 s at 96 kHz.
    let clip = h.session().recent_output(0.05).unwrap().unwrap();
    assert_eq!(clip.channels.len(), 2);
    assert_eq!(clip.channels[0].len(), 4800);
    let left = clip.channels[0].iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let right = clip.channels[1].iter().fold(0.0f64, |m, x| m.max(x.abs()));
    assert!(left > 0.3 && right < 1e-6, "left {left}, right {right}");
    let e = h.eval_line("draw_output(0)").unwrap_err().to_string();
    assert!(e.contains("seconds must be > 0"), "{e}");
    h.session().stop();
}

#[test]
fn console_on_a_terminal_prints_the_sine_as_stored() {
    let dir = out_dir("script-terminal");
    let (mut h, printed) = script_host(&dir, Some((60, 12)));
    eval_path(
        &mut h,
        r#"score_event("f", [1, 0, 4096, 10, 1]); draw_table(1)"#,
    );
    let printed = printed.lock().unwrap().clone();
    assert_eq!(printed.len(), 1, "{printed:?}");
    let mut lines = printed[0].lines();
    let caption = lines.next().unwrap();
    assert!(
        caption.starts_with("table 1: 4096 points, -1 to 1 -> ")
            && caption.ends_with("table-1.png"),
        "{caption}"
    );
    // Colour codes off, the braille is the stored sine's.
    let plain: String = lines.map(|l| strip_ansi(l) + "\n").collect();
    let expected = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/plot/sine_terminal.txt"),
    )
    .unwrap();
    assert_eq!(plain, expected, "got:\n{plain}");
    h.session().stop();
}

/// `text` without ANSI colour sequences (`ESC [ ... m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
