//! GEN51 (a microtuning scale, for `cpstun`/`cpstuni`) and GEN52 (tables
//! interleaved into a multichannel one, or a channel taken out of one).

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// `p5` grades, `p6` interval (2 = octave), `p7` base frequency, `p8` base
/// key, `p9...` the grades' ratios: point `i` is
/// `base * ratio[(i - key) mod grades] * interval^floor((i - key) / grades)`.
pub fn gen51(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 51)?;
    let args = numeric_args(req, 51)?;
    if args.len() < 5 {
        return Err("GEN51 needs grades, interval, base frequency, base key and the ratios".into());
    }
    let grades = args[0] as i64;
    let (interval, base, key) = (args[1], args[2], args[3] as i64);
    let ratios = &args[4..];
    if grades < 1 || ratios.len() < grades as usize {
        return Err(format!(
            "GEN51: {grades} grades need as many ratios (got {})",
            ratios.len()
        ));
    }
    let mut data = zeroed(len);
    for (i, p) in data.iter_mut().enumerate().take(len) {
        let steps = i as i64 - key;
        let octave = steps.div_euclid(grades);
        let grade = steps.rem_euclid(grades) as usize;
        *p = base * ratios[grade] * interval.powi(octave as i32);
    }
    Ok(TableData::from_points(data))
}

/// `p5` channels, then per channel: source table, offset (points skipped in
/// the source) and the source's channel count (its step). Channels are
/// interleaved; a source that runs out leaves 0.
pub fn gen52(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 52)?;
    let args = numeric_args(req, 52)?;
    let Some(&channels) = args.first() else {
        return Err("GEN52 needs the number of channels".into());
    };
    let channels = channels as usize;
    if channels == 0 || args.len() < 1 + 3 * channels {
        return Err(format!(
            "GEN52: {channels} channels need {} arguments after it (table, offset, channels each)",
            3 * channels
        ));
    }
    let mut data = zeroed(len);
    for c in 0..channels {
        let g = &args[1 + 3 * c..4 + 3 * c];
        let src = (req.lookup)(g[0] as i32)
            .filter(|d| !d.is_empty())
            .ok_or_else(|| format!("GEN52: table {} does not exist", g[0]))?;
        let src_len = src.len() - 1;
        let (offset, step) = (g[1].max(0.0) as usize, (g[2] as usize).max(1));
        let mut j = offset;
        let mut i = c;
        while i < len && j < src_len {
            data[i] = src[j];
            i += channels;
            j += step;
        }
    }
    Ok(TableData::from_points(data))
}
