//! Analysis and synthesis windows of the phase vocoder.
//!
//! Measured against csound (an impulse analysed at every position of the
//! window): the analysis window of size M is sampled at the centres of the
//! samples, `w(q) = 0.5 - 0.5 cos(2 pi (q + 0.5) / M)` for the von Hann
//! shape, and scaled so that its values sum to 2, which makes the
//! amplitude of a bin equal to the amplitude of a sinusoid centred on it.

use std::f64::consts::PI;

/// Window shapes by Csound's `iwintype` numbers.
pub const HAMMING: i32 = 0;
pub const HANN: i32 = 1;
pub const KAISER: i32 = 2;

/// The raw (unscaled) window value at sample `q` of `m`.
fn shape(wintype: i32, q: usize, m: usize) -> f64 {
    let x = (q as f64 + 0.5) / m as f64;
    match wintype {
        HAMMING => 0.54 - 0.46 * (2.0 * PI * x).cos(),
        KAISER => {
            // Kaiser with beta 6.8 (about 70 dB side lobes).
            let beta = 6.8;
            let r = 2.0 * x - 1.0;
            bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / bessel_i0(beta)
        }
        _ => 0.5 - 0.5 * (2.0 * PI * x).cos(),
    }
}

/// The modified Bessel function I0 by its power series.
fn bessel_i0(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let half = x / 2.0;
    for k in 1..50 {
        term *= half / k as f64;
        let t = term * term;
        sum += t;
        if t < sum * 1e-17 {
            break;
        }
    }
    sum
}

/// Fill `out[..span]` with a window of `m` samples centred in `span`
/// (`span >= m`; zeros around it) and return the sum of its raw values.
pub fn fill(out: &mut [f64], wintype: i32, m: usize, span: usize) -> f64 {
    let pad = (span - m) / 2;
    let mut sum = 0.0;
    for (i, w) in out[..span].iter_mut().enumerate() {
        *w = if i >= pad && i < pad + m {
            shape(wintype, i - pad, m)
        } else {
            0.0
        };
        sum += *w;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hann_matches_csound_samples() {
        // Values csound's pvsanal gave for an impulse, N = M = 64, read back
        // through pvs2tab: csound's frames are 32-bit floats, so they agree
        // to about 1e-8 (the window without the half-sample offset would
        // be off by 1e-3).
        let mut w = [0.0; 64];
        let sum = fill(&mut w, HANN, 64, 64);
        assert!((sum - 32.0).abs() < 1e-12);
        let scaled = |q: usize| w[q] * 2.0 / sum;
        assert!((scaled(0) - 0.000037641992).abs() < 1e-8);
        assert!((scaled(31) - 0.062462359667).abs() < 1e-8);
        assert!((scaled(48) - 0.029716635123).abs() < 1e-8);
    }
}
