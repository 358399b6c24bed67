//! The utility library (the article's `sessionUtils`): band-limited
//! waveforms, table interpolation, the hyperbolic paraboloid's rulings and
//! the piece that plays them, plus small array helpers. The arithmetic is
//! in plain functions (tested directly); the Rhai module only adapts types.

use rand_distr::{Distribution, Normal};
use rhai::plugin::*;
use rhai::{Array, Dynamic, EvalAltResult, NativeCallContext};

use crate::host::api::{integer, numbers};
use crate::host::state::{HostState, from_anyhow, script_error, state};
use crate::session::EventKind;

/// GEN10 partial amplitudes of a band-limited square wave: partial k
/// (1-based) gets 100/k for odd k, 0 for even k.
pub fn square_partials(harmonics: usize) -> Vec<f64> {
    (1..=harmonics)
        .map(|k| if k % 2 == 1 { 100.0 / k as f64 } else { 0.0 })
        .collect()
}

/// Triangle: the square's amplitudes squared, with the sign flipped on
/// every other odd partial (3, 7, 11, ...).
pub fn triangle_partials(harmonics: usize) -> Vec<f64> {
    square_partials(harmonics)
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let k = i + 1;
            let sign = if k % 4 == 3 { -1.0 } else { 1.0 };
            sign * a * a
        })
        .collect()
}

/// Impulse: every partial at amplitude 1.
pub fn impulse_partials(harmonics: usize) -> Vec<f64> {
    vec![1.0; harmonics]
}

/// The `f` statement that makes table `n` of `size` points from partials.
pub fn gen10_statement(n: i64, size: i64, partials: &[f64]) -> Vec<f64> {
    let mut p = vec![n as f64, 0.0, size as f64, 10.0];
    p.extend_from_slice(partials);
    p
}

/// `n` equally spaced values from `a` to `b`, both included (numpy's linspace).
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![a],
        _ => (0..n)
            .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
            .collect(),
    }
}

/// Table `k` between `a` (weight 0) and `b` (weight 1), normalised to peak 1.
pub fn interpolate(a: &[f64], b: &[f64], frac: f64) -> Vec<f64> {
    let mut v: Vec<f64> = a.iter().zip(b).map(|(x, y)| x + (y - x) * frac).collect();
    let peak = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if peak > 0.0 {
        v.iter_mut().for_each(|x| *x /= peak);
    }
    v
}

pub type Point = [f64; 3];

/// The rulings of a hyperbolic paraboloid: for each i, `n` equally spaced
/// points on the segment from `l1[i]` to `l2[i]`.
pub fn skewlines(l1: &[Point], l2: &[Point], n: usize) -> Vec<Vec<Point>> {
    l1.iter()
        .zip(l2)
        .map(|(p, q)| {
            let t = linspace(0.0, 1.0, n);
            t.iter()
                .map(|t| {
                    [
                        p[0] + (q[0] - p[0]) * t,
                        p[1] + (q[1] - p[1]) * t,
                        p[2] + (q[2] - p[2]) * t,
                    ]
                })
                .collect()
        })
        .collect()
}

/// The grains of `play_hp`: one note's p-fields per point, in the order
/// the lines give them. `gauss` gives standard normal numbers.
pub fn hp_grains(
    lines: &[Vec<Point>],
    low: f64,
    high: f64,
    duration: f64,
    min_table: f64,
    max_table: f64,
    mut gauss: impl FnMut() -> f64,
) -> Vec<[f64; 9]> {
    let nl = lines.len();
    let mut grains = Vec::new();
    for line in lines {
        let ne = line.len() as f64;
        let dt = duration * 1.68 / ne;
        let amp = 0.7 / nl as f64;
        for (i, &[x, y, z]) in line.iter().enumerate() {
            let i = i as f64;
            let start = (y + 1.0) * duration / 2.0;
            // A negative p3 would make a held note that never ends; the
            // gaussian term can only do that far out in its tail.
            let dur = (dt + gauss() / 15.0 + i * 1.77 / ne).max(0.001);
            let pitch = (z + 1.0) * (high - low) / 2.0 + low;
            let table = (i * (max_table - min_table) / ne + min_table).round();
            let pan = (x + 1.0) / 2.0;
            grains.push([
                1.0,
                start,
                dur,
                amp,
                pitch,
                table,
                0.1 * dur,
                0.3 * dur,
                pan,
            ]);
        }
    }
    grains
}

// Helpers of the Rhai module (outside it: the plugin macro would export them).

fn band_limited(
    ctx: &NativeCallContext,
    n: &Dynamic,
    size: &Dynamic,
    harmonics: &Dynamic,
    partials: fn(usize) -> Vec<f64>,
) -> Result<(), Box<EvalAltResult>> {
    let n = integer(n, "table number")?;
    let size = integer(size, "size")?;
    let h = integer(harmonics, "harmonics")?;
    if !(1..=4096).contains(&h) {
        return Err(script_error("harmonics must be 1 to 4096"));
    }
    let st = state(ctx)?;
    let p = gen10_statement(n, size, &partials(h as usize));
    let result = st.session().score_event(EventKind::Table, &p, false);
    result.map_err(from_anyhow)
}

fn point(v: &Dynamic, what: &str) -> Result<Point, Box<EvalAltResult>> {
    let a = v
        .clone()
        .into_array()
        .map_err(|_| script_error(format!("{what} must be an [x, y, z] array")))?;
    let p = numbers(&a, what)?;
    match p.as_slice() {
        [x, y, z] => Ok([*x, *y, *z]),
        _ => Err(script_error(format!("{what} must have 3 coordinates"))),
    }
}

pub(crate) fn points(a: &Array, what: &str) -> Result<Vec<Point>, Box<EvalAltResult>> {
    if let Some(rows) = coordinate_rows(a) {
        let [xs, ys, zs] = [&rows[0], &rows[1], &rows[2]];
        return Ok((0..xs.len()).map(|i| [xs[i], ys[i], zs[i]]).collect());
    }
    a.iter()
        .enumerate()
        .map(|(i, v)| point(v, &format!("{what}[{i}]")))
        .collect()
}

/// The article's form of a line of points: three coordinate rows
/// `[xs, ys, zs]` (numpy's `array([xs, ys, zs])`), read when `a` holds
/// exactly three arrays of numbers of one length other than 3. Three rows
/// of three numbers read as three points, the other form.
fn coordinate_rows(a: &Array) -> Option<Vec<Vec<f64>>> {
    if a.len() != 3 {
        return None;
    }
    let rows: Vec<Vec<f64>> = a
        .iter()
        .map(|row| {
            let row = row.read_lock::<Array>()?;
            row.iter()
                .map(|v| {
                    v.as_float()
                        .ok()
                        .or_else(|| v.as_int().ok().map(|i| i as f64))
                })
                .collect::<Option<Vec<f64>>>()
        })
        .collect::<Option<_>>()?;
    let m = rows[0].len();
    (m != 3 && rows.iter().all(|r| r.len() == m)).then_some(rows)
}

fn to_array(p: &Point) -> Dynamic {
    Dynamic::from_array(p.iter().map(|x| Dynamic::from_float(*x)).collect())
}

fn gauss(st: &HostState) -> f64 {
    let normal = Normal::new(0.0, 1.0).unwrap_or_else(|_| unreachable!("valid parameters"));
    normal.sample(&mut *st.rng.lock().unwrap_or_else(|e| e.into_inner()))
}
#[export_module]
pub mod utils_api {
    use std::sync::atomic::Ordering;

    use rhai::{Array, Dynamic, EvalAltResult, FLOAT, INT, NativeCallContext};

    use super::{Point, array_len, band_limited, gauss, points, to_array};
    use crate::host::api::{integer, number};
    use crate::host::state::{from_anyhow, script_error, state};

    /// Table n: a band-limited triangle (GEN10) of `size` points and `harmonics` partials.
    #[rhai_fn(return_raw)]
    pub fn bl_triangle(
        ctx: NativeCallContext,
        n: Dynamic,
        size: Dynamic,
        harmonics: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        band_limited(&ctx, &n, &size, &harmonics, super::triangle_partials)
    }

    /// Table n: a band-limited square (GEN10): partial k gets 100/k for odd k.
    #[rhai_fn(return_raw)]
    pub fn bl_square(
        ctx: NativeCallContext,
        n: Dynamic,
        size: Dynamic,
        harmonics: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        band_limited(&ctx, &n, &size, &harmonics, super::square_partials)
    }

    /// Table n: a band-limited impulse (GEN10): every partial at 1.
    #[rhai_fn(return_raw)]
    pub fn bl_impulse(
        ctx: NativeCallContext,
        n: Dynamic,
        size: Dynamic,
        harmonics: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        band_limited(&ctx, &n, &size, &harmonics, super::impulse_partials)
    }

    /// Fill tables a+1 .. b-1 with the linear interpolation between tables
    /// a and b, each normalised to peak 1 (made where missing; same sizes only).
    #[rhai_fn(return_raw)]
    pub fn interpolate_tables(
        ctx: NativeCallContext,
        a: Dynamic,
        b: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let a = integer(&a, "table a")?;
        let b = integer(&b, "table b")?;
        if b <= a {
            return Err(script_error(format!(
                "interpolate_tables needs a < b (got {a}, {b})"
            )));
        }
        let st = state(&ctx)?;
        let mut session = st.session();
        // Tables a and b may have just been sent: let the engine make them.
        session.flush().map_err(from_anyhow)?;
        let ta = session
            .table(a)
            .ok_or_else(|| script_error(format!("table {a} does not exist")))?;
        let tb = session
            .table(b)
            .ok_or_else(|| script_error(format!("table {b} does not exist")))?;
        if ta.len() != tb.len() {
            return Err(script_error(format!(
                "tables {a} and {b} have different sizes ({} and {})",
                ta.len(),
                tb.len()
            )));
        }
        let (va, vb) = (ta.to_vec(), tb.to_vec());
        for k in a + 1..b {
            let v = super::interpolate(&va, &vb, (k - a) as f64 / (b - a) as f64);
            match session.table(k) {
                // Same size: write in place, so live views of it stay valid.
                Some(t) if t.stored() == v.len() => {
                    for (i, x) in v.iter().enumerate() {
                        t.edit(i, *x);
                    }
                }
                _ => session.set_table_data(k, &v).map_err(from_anyhow)?,
            }
        }
        // The new tables must exist before the script goes on.
        session.flush().map_err(from_anyhow)
    }

    /// The rulings of a hyperbolic paraboloid: for each i, n points from
    /// l1[i] to l2[i]; returns the lines. l1 and l2 are lists of [x, y, z]
    /// points, or (as in the article) three coordinate rows [xs, ys, zs].
    #[rhai_fn(return_raw)]
    pub fn skewlines(l1: Array, l2: Array, n: Dynamic) -> Result<Array, Box<EvalAltResult>> {
        let n = integer(&n, "n")?;
        let (p1, p2) = (points(&l1, "l1")?, points(&l2, "l2")?);
        if p1.len() != p2.len() {
            return Err(script_error(format!(
                "l1 and l2 must have as many points ({} and {})",
                p1.len(),
                p2.len()
            )));
        }
        if !(1..=1_000_000).contains(&n) {
            return Err(script_error("n must be 1 to 1000000"));
        }
        let lines = super::skewlines(&p1, &p2, n as usize);
        Ok(lines
            .iter()
            .map(|l| Dynamic::from_array(l.iter().map(to_array).collect()))
            .collect())
    }

    /// A standard normal random number (seedable with `seed(n)`).
    #[rhai_fn(return_raw, name = "gauss")]
    pub fn gauss_fn(ctx: NativeCallContext) -> Result<FLOAT, Box<EvalAltResult>> {
        Ok(gauss(&*state(&ctx)?))
    }

    /// Play the lines of `skewlines` as grains: y gives the start, z the
    /// pitch between low and high (oct), x the pan, the point's place the
    /// table; returns the number of grains sent.
    #[rhai_fn(return_raw)]
    pub fn play_hp(
        ctx: NativeCallContext,
        lines: Array,
        low_pitch: Dynamic,
        high_pitch: Dynamic,
        duration: Dynamic,
        min_table: Dynamic,
        max_table: Dynamic,
    ) -> Result<INT, Box<EvalAltResult>> {
        let low = number(&low_pitch, "low_pitch")?;
        let high = number(&high_pitch, "high_pitch")?;
        let duration = number(&duration, "duration")?;
        let tmin = number(&min_table, "min_table")?;
        let tmax = number(&max_table, "max_table")?;
        let lines: Vec<Vec<Point>> = lines
            .iter()
            .enumerate()
            .map(|(j, l)| {
                let a = l
                    .clone()
                    .into_array()
                    .map_err(|_| script_error(format!("lines[{j}] must be an array of points")))?;
                points(&a, &format!("lines[{j}]"))
            })
            .collect::<Result<_, _>>()?;
        let st = state(&ctx)?;
        let grains = super::hp_grains(&lines, low, high, duration, tmin, tmax, || gauss(&st));
        let mut session = st.session();
        let now = session.score_time();
        for g in &grains {
            if session.note(g).is_err() {
                // The command queue is full: let the engine take what waits, then retry.
                session.flush().map_err(from_anyhow)?;
                session.note(g).map_err(from_anyhow)?;
            }
            st.notes_sent.fetch_add(1, Ordering::Relaxed);
            st.event_ends_at(now + g[1] + g[2]);
        }
        Ok(grains.len() as INT)
    }

    /// `n` equally spaced numbers from a to b, both included.
    #[rhai_fn(return_raw)]
    pub fn linspace(
        ctx: NativeCallContext,
        a: Dynamic,
        b: Dynamic,
        n: Dynamic,
    ) -> Result<Array, Box<EvalAltResult>> {
        let n = array_len(&ctx, &n)?;
        let v = super::linspace(number(&a, "a")?, number(&b, "b")?, n);
        Ok(v.into_iter().map(Dynamic::from_float).collect())
    }

    /// An array of n ones (1.0).
    #[rhai_fn(return_raw)]
    pub fn ones(ctx: NativeCallContext, n: Dynamic) -> Result<Array, Box<EvalAltResult>> {
        let n = array_len(&ctx, &n)?;
        Ok(vec![Dynamic::from_float(1.0); n])
    }

    /// An array of n zeros (0.0).
    #[rhai_fn(return_raw)]
    pub fn zeros(ctx: NativeCallContext, n: Dynamic) -> Result<Array, Box<EvalAltResult>> {
        let n = array_len(&ctx, &n)?;
        Ok(vec![Dynamic::from_float(0.0); n])
    }

    /// Array * number: every element times x, as numpy does (`ones(17) * -1`).
    #[rhai_fn(name = "*", return_raw)]
    pub fn scale_array_f(a: Array, x: FLOAT) -> Result<Array, Box<EvalAltResult>> {
        let v = crate::host::api::numbers(&a, "array")?;
        Ok(v.into_iter().map(|e| Dynamic::from_float(e * x)).collect())
    }
    /// Array * integer: every element times x.
    #[rhai_fn(name = "*", return_raw)]
    pub fn scale_array_i(a: Array, x: INT) -> Result<Array, Box<EvalAltResult>> {
        scale_array_f(a, x as FLOAT)
    }
    /// Number * array: every element times x.
    #[rhai_fn(name = "*", return_raw)]
    pub fn rscale_array_f(x: FLOAT, a: Array) -> Result<Array, Box<EvalAltResult>> {
        scale_array_f(a, x)
    }
    /// Integer * array: every element times x.
    #[rhai_fn(name = "*", return_raw)]
    pub fn rscale_array_i(x: INT, a: Array) -> Result<Array, Box<EvalAltResult>> {
        scale_array_f(a, x as FLOAT)
    }
}

/// An array length asked for by a script, checked against the engine's
/// array limit before anything is allocated (`ones(5e8)` asked for 8 GB and
/// aborted the process when refused).
fn array_len(ctx: &NativeCallContext, n: &Dynamic) -> Result<usize, Box<EvalAltResult>> {
    let n = integer(n, "n")?;
    if n < 0 {
        return Err(script_error("n must be >= 0"));
    }
    let max = ctx.engine().max_array_size();
    if max > 0 && n as u64 > max as u64 {
        return Err(script_error(format!(
            "n = {n} is more than the largest array a script may make ({max} elements)"
        )));
    }
    Ok(n as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_has_odd_partials_only() {
        let s = square_partials(5);
        assert_eq!(s, vec![100.0, 0.0, 100.0 / 3.0, 0.0, 20.0]);
    }

    #[test]
    fn triangle_flips_3_7_11() {
        let t = triangle_partials(11);
        assert_eq!(t[0], 10_000.0);
        assert!(t[2] < 0.0 && t[6] < 0.0 && t[10] < 0.0);
        assert!(t[4] > 0.0 && t[8] > 0.0);
        assert!((t[2] + (100.0f64 / 3.0).powi(2)).abs() < 1e-9);
        assert_eq!(t[1], 0.0);
    }

    #[test]
    fn linspace_includes_both_ends() {
        assert_eq!(linspace(0.0, 1.0, 5), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(linspace(2.0, 3.0, 1), vec![2.0]);
    }

    #[test]
    fn interpolation_is_normalised() {
        let v = interpolate(&[1.0, 0.0], &[0.0, 1.0], 0.25);
        assert_eq!(v, vec![1.0, 1.0 / 3.0]);
    }

    #[test]
    fn grains_follow_the_formulas() {
        let lines = skewlines(&[[1.0, -1.0, -1.0]], &[[-1.0, 1.0, 1.0]], 3);
        assert_eq!(lines[0][1], [0.0, 0.0, 0.0]);
        let g = hp_grains(&lines, 4.0, 8.75, 120.0, 101.0, 121.0, || 0.0);
        assert_eq!(g.len(), 3);
        let dt = 120.0 * 1.68 / 3.0;
        // Point 1: (0, 0, 0).
        assert_eq!(g[1][1], 60.0);
        assert!((g[1][2] - (dt + 1.77 / 3.0)).abs() < 1e-12);
        assert_eq!(g[1][3], 0.7);
        assert!((g[1][4] - 6.375).abs() < 1e-12);
        assert_eq!(g[1][5], (20.0f64 / 3.0 + 101.0).round());
        assert_eq!(g[1][8], 0.5);
        assert!((g[1][6] - 0.1 * g[1][2]).abs() < 1e-12);
        assert!((g[1][7] - 0.3 * g[1][2]).abs() < 1e-12);
        // Point 0: starts at 0, lowest pitch, panned right, table 101.
        assert_eq!(g[0][1], 0.0);
        assert_eq!(g[0][4], 4.0);
        assert_eq!(g[0][8], 1.0);
        assert_eq!(g[0][5], 101.0);
    }
}
