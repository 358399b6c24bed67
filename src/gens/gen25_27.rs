//! GEN25 and GEN27: exponential and straight-line segments between
//! breakpoints given as (x, y) pairs, x in table points.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Checks one breakpoint pair for both GENs.
fn check_x(gno: u32, len: usize, x1: f64, x2: f64, at: usize) -> Result<(), String> {
    if x2 < x1 {
        return Err(format!(
            "GEN{gno}: x values must increase (got {x2} at argument {at} after {x1})"
        ));
    }
    if x1 > len as f64 || x2 > len as f64 {
        return Err(format!(
            "GEN{gno}: x value {x2} at argument {at} is beyond the table length {len}"
        ));
    }
    Ok(())
}

/// GEN25: between breakpoints `(x1, y1)` and `(x2, y2)`,
/// `y = y1 (y2/y1)^((x - x1)/(x2 - x1))`; every y must be positive.
/// Segment lengths are truncated to whole points.
pub fn gen25(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 25)?;
    let args = numeric_args(req, 25)?;
    let npairs = args.len() / 2;
    if npairs < 2 {
        return Err("GEN25 needs at least two x, y breakpoints".into());
    }
    let mut data = zeroed(len);
    let mut pos = 0usize;
    let mut y = 0.0;
    for s in 0..npairs - 1 {
        let (x1, y1, x2, y2) = (
            args[2 * s],
            args[2 * s + 1],
            args[2 * s + 2],
            args[2 * s + 3],
        );
        check_x(25, len, x1, x2, 2 * s + 3)?;
        if y1 <= 0.0 || y2 <= 0.0 {
            let (bad, at) = if y1 <= 0.0 {
                (y1, 2 * s + 2)
            } else {
                (y2, 2 * s + 4)
            };
            return Err(format!(
                "GEN25: y values must be greater than 0 (got {bad} at argument {at})"
            ));
        }
        let seglen = (x2 - x1) as i64;
        let mult = (y2 / y1).powf(1.0 / seglen as f64);
        y = y1;
        for _ in 0..seglen {
            data[pos] = y;
            pos += 1;
            y *= mult;
            if pos > len {
                return Ok(TableData::from_points(data));
            }
        }
    }
    if pos == len {
        data[len] = y;
    }
    Ok(TableData::from_points(data))
}

/// GEN27: between breakpoints `(x1, y1)` and `(x2, y2)`,
/// `y = y1 + (y2 - y1)(x - x1)/(x2 - x1)`, by repeated addition as in Csound.
/// When the segments end exactly at the table length the guard point gets
/// the last segment's start value (Csound's rule).
pub fn gen27(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 27)?;
    let args = numeric_args(req, 27)?;
    let npairs = args.len() / 2;
    if npairs < 2 {
        return Err("GEN27 needs at least two x, y breakpoints".into());
    }
    let mut data = zeroed(len);
    let mut pos = 0usize;
    let mut last_start = 0.0;
    for s in 0..npairs - 1 {
        let (x1, y1, x2, y2) = (
            args[2 * s],
            args[2 * s + 1],
            args[2 * s + 2],
            args[2 * s + 3],
        );
        check_x(27, len, x1, x2, 2 * s + 3)?;
        let mut seglen = x2 - x1;
        let incr = (y2 - y1) / seglen;
        let mut yy = y1;
        last_start = y1;
        // Csound counts a fractional length down without ever reaching 0,
        // so such a segment runs to the end of the table.
        while seglen != 0.0 {
            data[pos] = yy;
            pos += 1;
            yy += incr;
            seglen -= 1.0;
            if pos > len {
                return Ok(TableData::from_points(data));
            }
        }
    }
    if pos == len {
        data[len] = last_start;
    }
    Ok(TableData::from_points(data))
}
