//! GEN06: cubic segments through alternating extremes and inflexion points.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Arguments `a, n1, b, n2, c, n3, d, ...`: the odd segments rise from an
/// extreme `e` to an inflexion `f` as `e + (f - e)(3y² - y³)/2` for `y` from
/// 0 to 1, the even ones mirror that from the inflexion to the next extreme.
/// The final value is written where the segments stop (the guard point when
/// they fill the table exactly); points never reached stay 0.
pub fn gen06(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 6)?;
    let args = numeric_args(req, 6)?;
    let nsegs = args.len().saturating_sub(1) / 2;
    if nsegs < 1 {
        return Err("GEN06 needs at least a start value, a length and an end value".into());
    }
    let mut data = zeroed(len);
    let mut pos = 0usize;
    let mut rising = true;
    for s in 0..nsegs {
        let here = args[2 * s];
        let seg_len = args[2 * s + 1];
        let next = args[2 * s + 2];
        let npts = seg_len as i64;
        if npts < 0 {
            return Err(format!(
                "GEN06: segment lengths must not be negative (got {seg_len} at argument {})",
                2 * s + 2
            ));
        }
        // Odd segments start at an extreme, even ones end at one.
        let (extreme, inflexion, mut pntno, inc) = if rising {
            (here, next, 0i64, 1i64)
        } else {
            (next, here, npts, -1i64)
        };
        let half_diff = (inflexion - extreme) * 0.5;
        let mut left = npts;
        while left > 0 && pos < len {
            let y = pntno as f64 / seg_len;
            data[pos] = (3.0 - y) * y * y * half_diff + extreme;
            pos += 1;
            pntno += inc;
            left -= 1;
        }
        rising = !rising;
    }
    data[pos] = args[2 * nsegs];
    Ok(TableData::from_points(data))
}
