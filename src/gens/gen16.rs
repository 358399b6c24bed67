//! GEN16: curved segments with a chosen curvature.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Arguments `start, dur, type, value, dur, type, value, ...`. Within a
/// segment from `a` to `b` over `dur` points (rounded) with curvature `t`:
/// `y(k) = a + (b - a)(1 - e^(k t / dur)) / (1 - e^t)` for k = 1..dur, or a
/// straight line when `t = 0`. The first point is `start`; points past the
/// table are dropped, points never reached stay 0. (Csound writes past the
/// end of its table here; rhapsody stops at the guard point.)
pub fn gen16(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 16)?;
    let args = numeric_args(req, 16)?;
    if args.len() < 4 {
        return Err(
            "GEN16 needs a start value and at least one duration, curvature and value".into(),
        );
    }
    let mut data = zeroed(len);
    let mut val = args[0];
    data[0] = val;
    let mut pos = 1usize;
    for (s, seg) in args[1..].chunks_exact(3).enumerate() {
        let (dur, alpha, next) = (seg[0], seg[1], seg[2]);
        let cnt = (dur + 0.5) as i64;
        if cnt < 0 || dur < 0.0 {
            return Err(format!(
                "GEN16: durations must not be negative (got {dur} at argument {})",
                3 * s + 2
            ));
        }
        if alpha == 0.0 {
            let c1 = (next - val) / dur;
            // Points past the table are dropped (and not computed).
            for _ in 0..cnt.min((len + 1 - pos.min(len + 1)) as i64) {
                val += c1;
                data[pos] = val;
                pos += 1;
            }
        } else {
            let c1 = (next - val) / (1.0 - alpha.exp());
            let step = alpha / dur;
            let mut x = step;
            let mut last = val;
            for _ in 0..cnt.min((len + 1 - pos.min(len + 1)) as i64) {
                last = val + c1 * (1.0 - x.exp());
                data[pos] = last;
                pos += 1;
                x += step;
            }
            val = last;
        }
    }
    Ok(TableData::from_points(data))
}
