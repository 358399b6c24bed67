//! GEN18: a composite of existing tables, each stretched over a span of the
//! new one and weighted.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Quadruplets `fn, amp, start, finish`: table `fn` (its points without the
/// guard) is stretched over points `start..=finish` with linear
/// interpolation, times `amp`, and added to what is there.
pub fn gen18(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 18)?;
    let args = numeric_args(req, 18)?;
    if args.is_empty() || args.len() % 4 != 0 {
        return Err("GEN18 needs groups of four: table, amplitude, start, finish".into());
    }
    let mut data = zeroed(len);
    for group in args.chunks(4) {
        let (number, amp) = (group[0], group[1]);
        let (start, finish) = (group[2].max(0.0) as usize, group[3].max(0.0) as usize);
        let src = (req.lookup)(number as i32)
            .filter(|d| d.len() > 1)
            .ok_or_else(|| format!("GEN18: table {number} does not exist"))?;
        let last = (src.len() - 2) as f64;
        let finish = finish.min(len);
        if finish < start {
            return Err(format!("GEN18: finish {finish} is before start {start}"));
        }
        let span = (finish - start) as f64;
        for i in 0..=(finish - start) {
            let pos = if span > 0.0 {
                i as f64 * last / span
            } else {
                0.0
            };
            let k = pos as usize;
            let frac = pos - k as f64;
            let a = src[k];
            let b = src.get(k + 1).copied().unwrap_or(a);
            data[start + i] += amp * (a + (b - a) * frac);
        }
    }
    Ok(TableData::from_points(data))
}
