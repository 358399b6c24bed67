//! GEN03: a polynomial evaluated over an interval of x.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// `y[i] = Σ c_k x_i^k` (Horner's rule) with `x_i = (⌊x1 / step⌋ + i) * step`
/// and `step = (x2 - x1) / len`; the start is snapped to a whole number of
/// steps as in Csound.
pub fn gen03(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 3)?;
    let args = numeric_args(req, 3)?;
    if args.len() < 3 {
        return Err("GEN03 needs the x interval (start, end) and at least one coefficient".into());
    }
    let (x1, x2, coefs) = (args[0], args[1], &args[2..]);
    // (Written so that NaN bounds are refused too.)
    if (x2 - x1).partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Err(format!(
            "GEN03: the end of the x interval must be greater than its start (got {x1} to {x2})"
        ));
    }
    let step = (x2 - x1) / len as f64;
    // Csound truncates the start to an integer number of steps.
    let first = (x1 / step).trunc();
    let mut data = zeroed(len);
    for (i, p) in data.iter_mut().enumerate() {
        let x = (first + i as f64) * step;
        let mut sum = coefs[coefs.len() - 1];
        for c in coefs[..coefs.len() - 1].iter().rev() {
            sum = sum * x + c;
        }
        *p = sum;
    }
    Ok(TableData::from_points(data))
}
