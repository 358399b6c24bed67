//! GEN13 and GEN14: waveshaping polynomials from a wanted spectrum, through
//! Chebyshev polynomials of the first (GEN13) or second (GEN14) kind.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Power-series coefficients (in `y`) of `Σ h_k P_k(y)`, where `P` are the
/// Chebyshev polynomials of the first kind (`second`: of the second kind).
/// csound 6.18 halves `h0` for the first kind and not for the second
/// (observed).
fn chebyshev_to_power(h: &[f64], second: bool) -> Vec<f64> {
    let n = h.len();
    let mut out = vec![0.0; n];
    // P_{k-1} and P_k as coefficient vectors.
    let mut prev = vec![0.0; n];
    let mut cur = vec![0.0; n];
    prev[0] = 1.0;
    if n > 1 {
        cur[1] = if second { 2.0 } else { 1.0 };
    }
    out[0] = if second { h[0] } else { h[0] / 2.0 };
    for (k, &hk) in h.iter().enumerate().skip(1) {
        for j in 0..n {
            out[j] += hk * cur[j];
        }
        // P_{k+1} = 2 y P_k - P_{k-1}
        let mut next = vec![0.0; n];
        for j in 0..n {
            if j + 1 < n {
                next[j + 1] += 2.0 * cur[j];
            }
            next[j] -= prev[j];
        }
        let _ = k;
        prev = std::mem::replace(&mut cur, next);
    }
    out
}

fn chebyshev(req: &GenRequest, gno: u32, second: bool) -> Result<TableData, String> {
    let len = required_len(req, gno)?;
    let args = numeric_args(req, gno)?;
    if args.len() < 3 {
        return Err(format!(
            "GEN{gno}: needs xint, xamp and at least one partial strength (h0, h1, ...)"
        ));
    }
    let (xint, xamp, h) = (args[0], args[1], &args[2..]);
    if xint <= 0.0 || xamp == 0.0 {
        return Err(format!(
            "GEN{gno}: xint must be positive and xamp not 0 (got {xint} and {xamp})"
        ));
    }
    // Coefficients in x = xamp * y.
    let mut coefs = chebyshev_to_power(h, second);
    let mut scale = 1.0;
    for c in coefs.iter_mut() {
        *c /= scale;
        scale *= xamp;
    }
    // Drawn like GEN03 over [-xint, xint].
    let step = 2.0 * xint / len as f64;
    let first = (-xint / step).trunc();
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

/// `p5` xint, `p6` xamp, `p7...` strengths of partials 0, 1, 2, ... that a
/// sine of amplitude xamp shaped by the table will have (first kind).
pub fn gen13(req: &GenRequest) -> Result<TableData, String> {
    chebyshev(req, 13, false)
}

/// As GEN13 with Chebyshev polynomials of the second kind.
pub fn gen14(req: &GenRequest) -> Result<TableData, String> {
    chebyshev(req, 14, true)
}
