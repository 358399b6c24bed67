//! Pictures from scripts: `draw_table`, `draw_tables`, `draw_skewlines` and
//! `draw_output` write a PNG and an SVG into the plot folder (`plots/`, or
//! `--plots DIR`) and return the PNG's path; in a console on a terminal they
//! also print the picture as braille text, so no window is needed.
//!
//! The drawing itself is in `crate::plot`; this module gathers the data
//! (tables, lines, the recent output) and names the files.

use rhai::plugin::*;
use rhai::{Array, Dynamic, EvalAltResult, NativeCallContext};

use crate::host::api::integer;
use crate::host::state::{HostState, script_error, state};
use crate::host::utils::{Point, points};
use crate::plot::{self, PlotFiles, Series};

// Helpers of the Rhai module (outside it: the plugin macro would export them).

/// A script error naming the function: "draw_table: table 7 does not exist".
fn fail(func: &str, message: impl std::fmt::Display) -> Box<EvalAltResult> {
    script_error(format!("{func}: {message}"))
}

/// Table numbers from an array of numbers.
fn table_numbers(func: &str, list: &Array) -> Result<Vec<i64>, Box<EvalAltResult>> {
    if list.is_empty() {
        return Err(fail(func, "the list of tables is empty"));
    }
    list.iter()
        .enumerate()
        .map(|(i, v)| integer(v, &format!("{func}: table number [{i}]")))
        .collect()
}

/// The points of each table (without the guard point), after the engine has
/// taken every table sent so far.
fn table_series(
    func: &str,
    st: &HostState,
    numbers: &[i64],
) -> Result<Vec<Series>, Box<EvalAltResult>> {
    let mut session = st.session();
    session.flush().map_err(|e| fail(func, format!("{e:#}")))?;
    numbers
        .iter()
        .map(|&n| {
            let t = session
                .table(n)
                .ok_or_else(|| fail(func, format!("table {n} does not exist")))?;
            let mut v = t.to_vec();
            v.truncate(t.len());
            Ok(Series::new(format!("table {n}"), v))
        })
        .collect()
}

/// "tables-101-to-111" for a run of consecutive numbers, else the plot
/// library's "tables-101-111-121".
fn stem_for_tables(numbers: &[i64]) -> String {
    let consecutive = numbers.len() > 2 && numbers.windows(2).all(|w| w[1] == w[0] + 1);
    if consecutive {
        format!("tables-{}-to-{}", numbers[0], numbers[numbers.len() - 1])
    } else {
        plot::tables_stem(numbers)
    }
}

/// "table 1", "tables 101 to 111", "tables 101, 111, 121".
fn title_for_tables(numbers: &[i64]) -> String {
    match numbers {
        [n] => format!("table {n}"),
        _ if numbers.len() > 2 && numbers.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("tables {} to {}", numbers[0], numbers[numbers.len() - 1])
        }
        _ => {
            let list: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
            format!("tables {}", list.join(", "))
        }
    }
}

/// Print a picture's text version (console on a terminal only) under a caption.
fn show_text(st: &HostState, caption: &str, lines: impl FnOnce(usize, usize) -> Vec<String>) {
    let size = *st.terminal_plots.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((w, h)) = size {
        let mut text = caption.to_string();
        for l in lines(w, h) {
            text.push('\n');
            text.push_str(&l);
        }
        st.say(&text);
    }
}

fn png_path(files: &PlotFiles) -> String {
    files.png.display().to_string()
}

/// Draw tables into the plot folder (and the terminal); the PNG's path.
fn draw_table_list(
    ctx: &NativeCallContext,
    func: &str,
    numbers: &[i64],
    name: Option<&str>,
) -> Result<String, Box<EvalAltResult>> {
    let st = state(ctx)?;
    let series = table_series(func, &st, numbers)?;
    let (stem, title) = match name {
        Some(n) => (n.to_string(), n.to_string()),
        None => (stem_for_tables(numbers), title_for_tables(numbers)),
    };
    let files = plot::draw_tables(&st.plot_dir, &stem, &title, &series)
        .map_err(|e| fail(func, format!("{e:#}")))?;
    let (lo, hi) = value_range(&series);
    let points = series.iter().map(|s| s.points.len()).max().unwrap_or(0);
    show_text(
        &st,
        &format!(
            "{title}: {points} points, {lo} to {hi} -> {}",
            files.png.display()
        ),
        |w, h| plot::terminal_plot_coloured(&series, w, h),
    );
    Ok(png_path(&files))
}

/// Smallest and largest finite value, shortly written (for captions).
fn value_range(series: &[Series]) -> (String, String) {
    let (lo, hi) = series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let short = |v: f64| {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        if s == "-0" { "0".to_string() } else { s }
    };
    (short(lo), short(hi))
}

fn draw_skew(
    ctx: &NativeCallContext,
    l1: &Array,
    l2: &Array,
    n: &Dynamic,
    name: Option<&str>,
) -> Result<String, Box<EvalAltResult>> {
    const FUNC: &str = "draw_skewlines";
    let n = integer(n, &format!("{FUNC}: n"))?;
    // Lists of points or the article's three coordinate rows, as skewlines takes them.
    let p1: Vec<Point> = points(l1, "l1")?;
    let p2: Vec<Point> = points(l2, "l2")?;
    if p1.len() != p2.len() {
        return Err(fail(
            FUNC,
            format!(
                "l1 and l2 must have as many points ({} and {})",
                p1.len(),
                p2.len()
            ),
        ));
    }
    if p1.is_empty() {
        return Err(fail(FUNC, "l1 and l2 are empty"));
    }
    if !(2..=100_000).contains(&n) {
        return Err(fail(FUNC, format!("n must be 2 to 100000 (got {n})")));
    }
    let st = state(ctx)?;
    // Each ruling is straight: drawn from its first point to its last, which
    // is exact and draws cleaner than hundreds of one-pixel pieces.
    let rulings: Vec<Vec<Point>> = p1.iter().zip(&p2).map(|(a, b)| vec![*a, *b]).collect();
    let base = vec![p1, p2];
    let count = rulings.len();
    let default_title = format!(
        "hyperbolic paraboloid: {count} ruling{}, {n} points each",
        if count == 1 { "" } else { "s" }
    );
    let (stem, title) = match name {
        Some(s) => (s.to_string(), s.to_string()),
        None => (format!("skewlines-{count}x{n}"), default_title),
    };
    let files = plot::draw_lines_3d(&st.plot_dir, &stem, &title, &base, &rulings)
        .map_err(|e| fail(FUNC, format!("{e:#}")))?;
    show_text(
        &st,
        &format!("{title} (base lines, rulings) -> {}", files.png.display()),
        |w, h| plot::terminal_lines_3d(&base, &rulings, w, h, true),
    );
    Ok(png_path(&files))
}

fn draw_out(
    ctx: &NativeCallContext,
    seconds: &Dynamic,
    name: Option<&str>,
) -> Result<String, Box<EvalAltResult>> {
    const FUNC: &str = "draw_output";
    let seconds = crate::host::api::number(seconds, &format!("{FUNC}: seconds"))?;
    if !(seconds > 0.0 && seconds.is_finite()) {
        return Err(fail(FUNC, format!("seconds must be > 0 (got {seconds})")));
    }
    let st = state(ctx)?;
    let clip = st
        .session()
        .recent_output(seconds)
        .map_err(|e| fail(FUNC, format!("{e:#}")))?
        .ok_or_else(|| {
            fail(
                FUNC,
                "nothing has been played yet: wait(beats) first, or let the performance play",
            )
        })?;
    let frames = clip.channels.first().map(|c| c.len()).unwrap_or(0);
    let shown = frames as f64 / clip.sample_rate;
    let series: Vec<Series> = clip
        .channels
        .into_iter()
        .enumerate()
        .map(|(c, v)| Series::new(format!("channel {}", c + 1), v))
        .collect();
    let secs = {
        let s = format!("{seconds:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let default_title = format!(
        "output, score time {:.3} to {:.3} s",
        (clip.end_time - shown).max(0.0),
        clip.end_time
    );
    let (stem, title) = match name {
        Some(s) => (s.to_string(), s.to_string()),
        None => (format!("output-last-{secs}s"), default_title),
    };
    let files = plot::draw_waveforms(&st.plot_dir, &stem, &title, &series, clip.sample_rate)
        .map_err(|e| fail(FUNC, format!("{e:#}")))?;
    let (lo, hi) = value_range(&series);
    show_text(
        &st,
        &format!("{title}: {lo} to {hi} -> {}", files.png.display()),
        |w, h| plot::terminal_plot_coloured(&series, w, h),
    );
    Ok(png_path(&files))
}

#[export_module]
pub mod plots_api {
    use std::ops::{Range, RangeInclusive};

    use rhai::{Array, Dynamic, EvalAltResult, INT, NativeCallContext};

    use super::{draw_out, draw_skew, draw_table_list, table_numbers};
    use crate::host::api::integer;
    use crate::host::state::state;

    /// Draw table n (its points, without the guard point) into the plot folder
    /// as `table-N.png` and `.svg`; returns the PNG's path. In the console on a
    /// terminal the curve is printed too. A table longer than the picture is
    /// wide is drawn with min/max per column, so a one-point click shows.
    #[rhai_fn(return_raw)]
    pub fn draw_table(ctx: NativeCallContext, n: Dynamic) -> Result<String, Box<EvalAltResult>> {
        let n = integer(&n, "draw_table: table number")?;
        draw_table_list(&ctx, "draw_table", &[n], None)
    }

    /// Draw table n under a title of your own, which also names the files
    /// (`draw_table(1, "notched sine")` writes `notched-sine.png`).
    #[rhai_fn(name = "draw_table", return_raw)]
    pub fn draw_table_named(
        ctx: NativeCallContext,
        n: Dynamic,
        name: &str,
    ) -> Result<String, Box<EvalAltResult>> {
        let n = integer(&n, "draw_table: table number")?;
        draw_table_list(&ctx, "draw_table", &[n], Some(name))
    }

    /// Draw several tables overlaid, one colour and one legend entry each
    /// (`draw_tables([101, 111, 121])` writes `tables-101-111-121.png`);
    /// returns the PNG's path.
    #[rhai_fn(return_raw)]
    pub fn draw_tables(
        ctx: NativeCallContext,
        numbers: Array,
    ) -> Result<String, Box<EvalAltResult>> {
        let numbers = table_numbers("draw_tables", &numbers)?;
        draw_table_list(&ctx, "draw_tables", &numbers, None)
    }

    /// Draw several tables overlaid under a title of your own, which also names the files.
    #[rhai_fn(name = "draw_tables", return_raw)]
    pub fn draw_tables_named(
        ctx: NativeCallContext,
        numbers: Array,
        name: &str,
    ) -> Result<String, Box<EvalAltResult>> {
        let numbers = table_numbers("draw_tables", &numbers)?;
        draw_table_list(&ctx, "draw_tables", &numbers, Some(name))
    }

    /// Draw a range of tables overlaid: `draw_tables(101..=111)` writes
    /// `tables-101-to-111.png`; returns the PNG's path.
    #[rhai_fn(name = "draw_tables", return_raw)]
    pub fn draw_tables_range_incl(
        ctx: NativeCallContext,
        range: RangeInclusive<INT>,
    ) -> Result<String, Box<EvalAltResult>> {
        let numbers: Vec<i64> = range.collect();
        if numbers.is_empty() || numbers.len() > 1000 {
            return Err(super::fail(
                "draw_tables",
                "the range must hold 1 to 1000 tables",
            ));
        }
        draw_table_list(&ctx, "draw_tables", &numbers, None)
    }

    /// Draw a range of tables overlaid: `draw_tables(101..112)`.
    #[rhai_fn(name = "draw_tables", return_raw)]
    pub fn draw_tables_range(
        ctx: NativeCallContext,
        range: Range<INT>,
    ) -> Result<String, Box<EvalAltResult>> {
        draw_tables_range_incl(ctx, range.start..=range.end.saturating_sub(1))
    }

    /// The surface `skewlines(l1, l2, n)` describes, in 3-D: the base lines
    /// through the points of l1 and of l2 in one colour, the n-point rulings
    /// between them in another, axes x, y and z (z up). Writes
    /// `skewlines-<lines>x<n>.png` and `.svg`; returns the PNG's path.
    #[rhai_fn(return_raw)]
    pub fn draw_skewlines(
        ctx: NativeCallContext,
        l1: Array,
        l2: Array,
        n: Dynamic,
    ) -> Result<String, Box<EvalAltResult>> {
        draw_skew(&ctx, &l1, &l2, &n, None)
    }

    /// The skewlines picture under a title of your own, which also names the files.
    #[rhai_fn(name = "draw_skewlines", return_raw)]
    pub fn draw_skewlines_named(
        ctx: NativeCallContext,
        l1: Array,
        l2: Array,
        n: Dynamic,
        name: &str,
    ) -> Result<String, Box<EvalAltResult>> {
        draw_skew(&ctx, &l1, &l2, &n, Some(name))
    }

    /// Draw the last `seconds` of the engine's output (every channel, full
    /// scale 1; at most the last 10 s are kept) as `output-last-<seconds>s.png`;
    /// returns the PNG's path.
    #[rhai_fn(return_raw)]
    pub fn draw_output(
        ctx: NativeCallContext,
        seconds: Dynamic,
    ) -> Result<String, Box<EvalAltResult>> {
        draw_out(&ctx, &seconds, None)
    }

    /// Draw the last `seconds` of output under a title of your own, which also names the files.
    #[rhai_fn(name = "draw_output", return_raw)]
    pub fn draw_output_named(
        ctx: NativeCallContext,
        seconds: Dynamic,
        name: &str,
    ) -> Result<String, Box<EvalAltResult>> {
        draw_out(&ctx, &seconds, Some(name))
    }

    /// The folder the draw functions write to (`plots`, or `--plots DIR`).
    #[rhai_fn(return_raw)]
    pub fn plot_folder(ctx: NativeCallContext) -> Result<String, Box<EvalAltResult>> {
        Ok(state(&ctx)?.plot_dir.display().to_string())
    }
}
