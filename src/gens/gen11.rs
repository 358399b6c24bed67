//! GEN11: a sum of harmonic cosine partials (the `buzz`/`gbuzz` spectrum).

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};
use std::f64::consts::{PI, TAU};

/// Arguments `nh [, lh [, r]]`: partials `lh .. lh + nh - 1` with strengths
/// `1, r, r², ...`. With `lh = 1, r = 1` this is the closed form
/// `(sin((2nh + 1) x) / sin x - 1) / (2 nh)` with `x = π i / len`; otherwise
/// the general gbuzz formula, scaled by `(1 - |r|) / (1 - |r^nh|)` (or
/// `1/nh` for |r| ≈ 1), as Csound computes it. Points where the denominator
/// vanishes are 1.
pub fn gen11(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 11)?;
    let args = numeric_args(req, 11)?;
    let Some(&nh) = args.first() else {
        return Err("GEN11 needs the number of harmonics".into());
    };
    let n = nh as i64;
    if n < 1 {
        return Err(format!(
            "GEN11: the number of harmonics must be at least 1 (got {nh})"
        ));
    }
    let k = args.get(1).map_or(1, |v| *v as i64);
    let r = args.get(2).copied().unwrap_or(1.0);
    let mut data = zeroed(len);
    if args.len() == 1 || (k == 1 && r == 1.0) {
        let tnp1 = 2.0 * n as f64 + 1.0;
        let scale = 0.5 / n as f64;
        let pdlen = PI / len as f64;
        for (i, p) in data.iter_mut().enumerate() {
            let x = i as f64 * pdlen;
            let denom = x.sin();
            *p = if denom == 0.0 {
                1.0
            } else {
                ((tnp1 * x).sin() / denom - 1.0) * scale
            };
        }
    } else {
        let tpdlen = TAU / len as f64;
        let (km1, kpn) = (k as f64 - 1.0, k as f64 + n as f64);
        let kpnm1 = kpn - 1.0;
        let twor = 2.0 * r;
        let rsqp1 = r * r + 1.0;
        let rtn = r.powi(n.min(i32::MAX as i64) as i32);
        let rtnp1 = rtn * r;
        let absr = r.abs();
        let scale = if absr > 0.999 && absr < 1.001 {
            1.0 / n as f64
        } else {
            (1.0 - absr) / (1.0 - rtn.abs())
        };
        let kf = k as f64;
        for (i, p) in data.iter_mut().enumerate() {
            let x = i as f64 * tpdlen;
            let numer = (x * kf).cos() - r * (x * km1).cos() - rtn * (x * kpn).cos()
                + rtnp1 * (x * kpnm1).cos();
            let denom = rsqp1 - twor * x.cos();
            *p = if !(-0.0001..=0.0001).contains(&denom) {
                numer / denom * scale
            } else {
                1.0
            };
        }
    }
    Ok(TableData::from_points(data))
}
