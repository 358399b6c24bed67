//! GEN05 and GEN07: exponential and straight-line segments between values,
//! each segment's length given in points.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Walks the segments `a, n1, b, n2, c, ...`, filling points with
/// `step(value, factor)` from each segment's start value, where `factor`
/// comes from `per_segment(a, b, n, index of b)`. Lengths are truncated to
/// integers and zero-length segments skipped, as Csound does. Points past the
/// end are dropped (and later segments never checked, like Csound); if the
/// segments end exactly at the guard point it gets the final value; points
/// never reached stay 0.
fn fill_segments(
    gno: u32,
    len: usize,
    args: &[f64],
    per_segment: impl Fn(f64, f64, i64, usize) -> Result<f64, String>,
    step: impl Fn(f64, f64) -> f64,
) -> Result<Vec<f64>, String> {
    let mut data = zeroed(len);
    let nsegs = args.len().saturating_sub(1) / 2;
    let mut pos = 0usize;
    let mut value = 0.0;
    for s in 0..nsegs {
        let a = args[2 * s];
        let n = args[2 * s + 1] as i64;
        let b = args[2 * s + 2];
        // Csound's running value starts each segment at `a`, even one it
        // skips, which matters for the guard point below.
        value = a;
        if n == 0 {
            continue;
        }
        if n < 0 {
            return Err(format!(
                "GEN{gno:02}: segment lengths must not be negative (got {} at argument {})",
                args[2 * s + 1],
                2 * s + 2
            ));
        }
        let factor = per_segment(a, b, n, 2 * s + 3)?;
        for _ in 0..n {
            data[pos] = value;
            pos += 1;
            value = step(value, factor);
            if pos > len {
                return Ok(data);
            }
        }
    }
    if pos == len {
        data[len] = value;
    }
    Ok(data)
}

/// Exponential segments: within a segment from `a` to `b` over `n` points,
/// `y[k] = a * (b/a)^(k/n)`, computed by repeated multiplication as Csound
/// does. All values must be non-zero and share one sign.
pub fn gen05(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 5)?;
    let args = numeric_args(req, 5)?;
    if args.len() < 3 {
        return Err("GEN05 needs at least a start value, a length and an end value".into());
    }
    if args[0] == 0.0 {
        return Err(format!(
            "GEN05: values must be non-zero and of one sign (got {} at argument 1)",
            args[0]
        ));
    }
    // Like Csound, each segment's end value is checked when the segment is
    // reached: the ratio to its start must be positive.
    let data = fill_segments(
        5,
        len,
        &args,
        |a, b, n, at| {
            let ratio = b / a;
            if ratio > 0.0 {
                Ok(ratio.powf(1.0 / n as f64))
            } else {
                Err(format!(
                    "GEN05: values must be non-zero and of one sign (got {b} at argument {at})"
                ))
            }
        },
        |v, mult| v * mult,
    )?;
    Ok(TableData::from_points(data))
}

/// Straight-line segments: within a segment from `a` to `b` over `n` points,
/// `y[k] = a + k (b - a) / n`, computed by repeated addition as Csound does.
pub fn gen07(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 7)?;
    let args = numeric_args(req, 7)?;
    if args.len() < 3 {
        return Err("GEN07 needs at least a start value, a length and an end value".into());
    }
    let data = fill_segments(
        7,
        len,
        &args,
        |a, b, n, _| Ok((b - a) / n as f64),
        |v, inc| v + inc,
    )?;
    Ok(TableData::from_points(data))
}
