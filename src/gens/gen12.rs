//! GEN12: the natural log of the modified Bessel function I0, for
//! Palamin's amplitude-modulated FM.

use super::gen20::bessel_i0;
use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// `ln I0(x)` for x from 0 to `p5` (xint) over the table, the guard point
/// at xint itself. Rescaling should be inhibited (`-12`), as the manual says.
pub fn gen12(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 12)?;
    let args = numeric_args(req, 12)?;
    let Some(&xint) = args.first() else {
        return Err("GEN12 needs the x interval's end (xint)".into());
    };
    let step = xint / len as f64;
    let mut data = zeroed(len);
    for (i, p) in data.iter_mut().enumerate() {
        *p = bessel_i0(i as f64 * step).ln();
    }
    Ok(TableData::from_points(data))
}
