//! GEN09, GEN10 and GEN19: tables made by adding sinusoids, one cycle of the
//! fundamental over the table length (the guard point is the next point of
//! the same sum).

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};
use std::f64::consts::TAU;

/// Adds `amp * sin(phase + i * inc) + dc` to every point, with the phase
/// accumulated and wrapped at 2π point by point as Csound does (so the
/// rounding matches its tables).
fn add_partial(data: &mut [f64], inc: f64, amp: f64, mut phs: f64, dc: f64) {
    for p in data.iter_mut() {
        *p += phs.sin() * amp + dc;
        phs += inc;
        if phs >= TAU {
            phs -= TAU;
        }
    }
}

/// Csound's degrees-to-radians constant (to its 15 digits, which is what
/// its tables were computed with).
const RADIANS_PER_DEGREE: f64 = 0.0174532925199433;

/// GEN09: `y[i] = Σ s_k sin(2π p_k i / len + φ_k)` over triplets
/// (partial number `p_k`, strength `s_k`, phase `φ_k` in degrees).
pub fn gen09(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 9)?;
    let args = numeric_args(req, 9)?;
    if args.len() < 3 {
        return Err(
            "GEN09 needs at least one partial: number, strength and phase in degrees".into(),
        );
    }
    let tpdlen = TAU / len as f64;
    let mut data = zeroed(len);
    // A trailing incomplete triplet is ignored, as in Csound.
    for t in args.chunks_exact(3) {
        add_partial(
            &mut data,
            t[0] * tpdlen,
            t[1],
            t[2] * RADIANS_PER_DEGREE,
            0.0,
        );
    }
    Ok(TableData::from_points(data))
}

/// GEN10: `y[i] = Σ_k s_k sin(2π k i / len)` for harmonics k = 1, 2, ...
/// with the strengths given in order. The phase is kept as an exact integer
/// `k i mod len`, as Csound does, so the sines land on exact table points.
pub fn gen10(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 10)?;
    let args = numeric_args(req, 10)?;
    if args.is_empty() {
        return Err("GEN10 needs at least one partial strength".into());
    }
    let tpdlen = TAU / len as f64;
    let mut data = zeroed(len);
    // Csound adds the highest harmonic first; the order changes the last bit.
    for (k, &amp) in args.iter().enumerate().rev() {
        if amp == 0.0 {
            continue;
        }
        let harmonic = (k + 1) as u64;
        let mut phs: u64 = 0;
        for p in data.iter_mut() {
            *p += (phs as f64 * tpdlen).sin() * amp;
            phs = (phs + harmonic) % len as u64;
        }
    }
    Ok(TableData::from_points(data))
}

/// GEN19: `y[i] = Σ (s_k sin(2π p_k i / len + φ_k) + d_k)` over quadruplets
/// (partial number, strength, phase in degrees, DC offset).
pub fn gen19(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 19)?;
    let args = numeric_args(req, 19)?;
    if args.len() < 4 {
        return Err(
            "GEN19 needs at least one partial: number, strength, phase in degrees and DC offset"
                .into(),
        );
    }
    let tpdlen = TAU / len as f64;
    let mut data = zeroed(len);
    for q in args.chunks_exact(4) {
        add_partial(
            &mut data,
            q[0] * tpdlen,
            q[1],
            q[2] * RADIANS_PER_DEGREE,
            q[3],
        );
    }
    Ok(TableData::from_points(data))
}
