//! GEN17: a step function from (index, value) pairs.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Pairs `x0, y0, x1, y1, ...` with `x0 = 0` and the indices increasing:
/// `table[i] = y_k` for `x_k <= i < x_(k+1)`, the last value holding to the
/// end (guard point included). Indices are truncated to integers.
pub fn gen17(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 17)?;
    let args = numeric_args(req, 17)?;
    let npairs = args.len() / 2;
    if npairs == 0 {
        return Err("GEN17 needs at least one index and value pair".into());
    }
    if args[0] as i64 != 0 {
        return Err(format!(
            "GEN17: the first index must be 0 (got {})",
            args[0]
        ));
    }
    let mut data = zeroed(len);
    let mut pos = 0usize;
    let mut ndx = 0i64;
    for k in 0..npairs - 1 {
        let val = args[2 * k + 1];
        let next = args[2 * k + 2] as i64;
        if next <= ndx {
            return Err(format!(
                "GEN17: indices must increase (got {} at argument {} after {ndx})",
                args[2 * k + 2],
                2 * k + 3
            ));
        }
        while ndx < next {
            data[pos] = val;
            pos += 1;
            ndx += 1;
            if pos > len {
                return Ok(TableData::from_points(data));
            }
        }
    }
    let last = args[2 * npairs - 1];
    for p in &mut data[pos..] {
        *p = last;
    }
    Ok(TableData::from_points(data))
}
