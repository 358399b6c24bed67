//! GEN08: a cubic spline through given points, as smooth as possible.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Arguments `a, n1, b, n2, c, ...` (values and distances in points; the
/// distances may be fractional). Each segment is a cubic whose slope at an
/// inner point is that of the parabola through it and its two neighbours;
/// the slope is 0 at both ends. Points after the last segment repeat the
/// last value.
pub fn gen08(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 8)?;
    let args = numeric_args(req, 8)?;
    let mut nsegs = args.len().saturating_sub(1) / 2;
    if nsegs == 0 {
        return Err("GEN08 needs at least a start value, a distance and an end value".into());
    }
    let bad_interval = |v: f64, at: usize| {
        format!("GEN08: distances must be greater than 0 (got {v} at argument {at})")
    };
    let mut data = zeroed(len);
    let mut pos = 0usize;
    let mut next_arg = 0usize;
    let mut take = || {
        let v = args[next_arg];
        next_arg += 1;
        (v, next_arg)
    };
    let (mut f0, _) = take();
    let (mut dx01, at) = take();
    if dx01 <= 0.0 {
        return Err(bad_interval(dx01, at));
    }
    let (mut f1, _) = take();
    let mut f2 = 0.0;
    let mut dx12 = 0.0;
    let mut curx = 0.0;
    let mut df0 = 0.0;
    loop {
        let df1 = if nsegs > 1 {
            let (d, at) = take();
            if d <= 0.0 {
                return Err(bad_interval(d, at));
            }
            dx12 = d;
            f2 = take().0;
            let dx02 = dx01 + dx12;
            // Slope at x1 of the parabola through the three points.
            (f2 * dx01 * dx01 + f1 * (dx12 - dx01) * dx02 - f0 * dx12 * dx12) / (dx01 * dx02 * dx12)
        } else {
            0.0
        };
        let mut npts = (dx01 - curx) as i64;
        npts = npts.min((len - pos) as i64);
        if npts > 0 {
            let slope = (f1 - f0) / dx01;
            let resd0 = df0 - slope;
            let resd1 = df1 - slope;
            let c3 = (resd0 + resd1) / (dx01 * dx01);
            let c2 = -(resd1 + 2.0 * resd0) / dx01;
            let c1 = df0;
            let c0 = f0;
            let mut x = curx;
            while npts > 0 {
                data[pos] = ((c3 * x + c2) * x + c1) * x + c0;
                pos += 1;
                npts -= 1;
                x += 1.0;
            }
            curx = x;
        }
        curx -= dx01;
        dx01 = dx12;
        f0 = f1;
        f1 = f2;
        df0 = df1;
        nsegs -= 1;
        if nsegs == 0 || pos >= len {
            break;
        }
    }
    for p in &mut data[pos..] {
        *p = f0;
    }
    Ok(TableData::from_points(data))
}
