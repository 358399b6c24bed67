//! GEN20: window functions (Hamming, Hanning, Kaiser, ...).

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};
use std::f64::consts::{PI, TAU};

/// Modified Bessel function I0, by the polynomial approximation Csound uses
/// (Abramowitz & Stegun 9.8.1 and 9.8.2).
pub(super) fn bessel_i0(x: f64) -> f64 {
    let ax = x.abs();
    if ax < 3.75 {
        let y = (x / 3.75).powi(2);
        1.0 + y
            * (3.5156229
                + y * (3.0899424
                    + y * (1.2067492 + y * (0.2659732 + y * (0.360768e-1 + y * 0.45813e-2)))))
    } else {
        let y = 3.75 / ax;
        (ax.exp() / ax.sqrt())
            * (0.39894228
                + y * (0.1328592e-1
                    + y * (0.225319e-2
                        + y * (-0.157565e-2
                            + y * (0.916281e-2
                                + y * (-0.2057706e-1
                                    + y * (0.2635537e-1
                                        + y * (-0.1647633e-1 + y * 0.392377e-2))))))))
    }
}

/// `p5` window type, `p6` peak (used when the GEN number is negative; a
/// positive one rescales to 1 anyway), `p7` Kaiser β or Gaussian σ.
/// Cosine windows: `c0 - c1 cos(2πi/len) + c2 cos(4πi/len) - c3 cos(6πi/len)`.
pub fn gen20(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 20)?;
    let args = numeric_args(req, 20)?;
    let Some(&kind) = args.first() else {
        return Err("GEN20 needs a window type (1 to 9)".into());
    };
    let peak = if args.len() >= 2 { args[1] } else { 1.0 };
    let opt = if args.len() > 2 { args[2] } else { 1.0 };
    let beta = if args.len() > 2 { args[2] } else { 0.0 };
    let lenf = len as f64;
    let half = len / 2;
    let mut ft = zeroed(len);
    let cf: [f64; 4] = match kind as i64 {
        1 => [0.54, 0.46, 0.0, 0.0],
        2 => [0.5, 0.5, 0.0, 0.0],
        3 => {
            // Bartlett: the guard point is left at 0, as in Csound.
            let arg = 2.0 / lenf;
            for (i, p) in ft.iter_mut().take(len).enumerate() {
                let x = i as f64;
                *p = if i < half {
                    x * arg * peak
                } else {
                    (2.0 - x * arg) * peak
                };
            }
            return Ok(TableData::from_points(ft));
        }
        4 => [0.42, 0.5, 0.08, 0.0],
        5 => [0.35878, 0.48829, 0.14128, 0.01168],
        6 => {
            let arg = 12.0 / lenf;
            // Csound raises its own 12-digit e, not exp(); keep it for equal bits.
            #[allow(clippy::approx_constant)]
            const CSOUND_E: f64 = 2.718281828459;
            let gauss = |x: f64| peak * CSOUND_E.powf(-(x * x) / (2.0 * opt * opt));
            let mut x = -6.0;
            for p in ft.iter_mut().take(half) {
                *p = gauss(x);
                x += arg;
            }
            let mut x = 0.0;
            for p in ft.iter_mut().skip(half) {
                *p = gauss(x);
                x += arg;
            }
            return Ok(TableData::from_points(ft));
        }
        7 => {
            let flen2 = 4.0 / (lenf * lenf);
            let besbeta = 1.0 / bessel_i0(beta);
            let mut x = lenf * -0.5 + 1.0;
            ft[0] = peak * besbeta;
            ft[len] = peak * besbeta;
            for p in ft.iter_mut().take(len).skip(1) {
                *p = peak * bessel_i0(beta * (1.0 - x * x * flen2).sqrt()) * besbeta;
                x += 1.0;
            }
            return Ok(TableData::from_points(ft));
        }
        8 => {
            ft.iter_mut().for_each(|p| *p = 1.0);
            return Ok(TableData::from_points(ft));
        }
        9 => {
            let arg = TAU / lenf;
            let mut x = -PI;
            for p in ft.iter_mut().take(half) {
                *p = peak * x.sin() / x;
                x += arg;
            }
            ft[half] = peak;
            let mut x = arg;
            for p in ft.iter_mut().skip(half + 1) {
                *p = peak * x.sin() / x;
                x += arg;
            }
            return Ok(TableData::from_points(ft));
        }
        _ => {
            return Err(format!(
                "GEN20: unknown window type {kind} (1 Hamming, 2 Hanning, 3 Bartlett, 4 Blackman, 5 Blackman-Harris, 6 Gaussian, 7 Kaiser, 8 rectangle, 9 sinc)"
            ));
        }
    };
    let arg = TAU / lenf;
    for (i, p) in ft.iter_mut().enumerate() {
        let x = i as f64 * arg;
        *p = peak * (cf[0] - cf[1] * x.cos() + cf[2] * (2.0 * x).cos() - cf[3] * (3.0 * x).cos());
    }
    Ok(TableData::from_points(ft))
}
