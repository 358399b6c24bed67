//! GEN04 and GEN24: tables derived from another table, a normalizing
//! function (GEN04) and a rescaled copy (GEN24).

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// The points (guard point included) of table `number`, or a message.
fn source(req: &GenRequest, gno: u32, number: f64) -> Result<Vec<f64>, String> {
    (req.lookup)(number as i32)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| format!("GEN{gno:02}: source table {number} does not exist"))
}

/// `p5` source table, `p6` mode: each point is 1 / (the largest absolute
/// value scanned so far), scanning the source left to right (mode 0) or from
/// its middle outwards in pairs (bipolar, mode non-zero). A first value of 0
/// gives 1.
pub fn gen04(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 4)?;
    let args = numeric_args(req, 4)?;
    let Some(&number) = args.first() else {
        return Err("GEN04 needs a source table".into());
    };
    let bipolar = args.get(1).copied().unwrap_or(0.0) != 0.0;
    let src = source(req, 4, number)?;
    let src_len = src.len() - 1;
    let mut data = zeroed(len);
    let mut peak = 0.0f64;
    if bipolar {
        let mid = src_len / 2;
        let step = if len > 0 {
            (mid as f64 / len as f64).max(0.0)
        } else {
            0.0
        };
        for (i, p) in data.iter_mut().enumerate() {
            let j = ((i as f64 * step) as usize).min(mid);
            let a = src.get(mid + j).copied().unwrap_or(0.0).abs();
            let b = src[mid - j].abs();
            peak = peak.max(a).max(b);
            *p = if peak > 0.0 { 1.0 / peak } else { 1.0 };
        }
    } else {
        let step = src_len as f64 / len as f64;
        for (i, p) in data.iter_mut().enumerate() {
            let j = ((i as f64 * step) as usize).min(src_len);
            peak = peak.max(src[j].abs());
            *p = if peak > 0.0 { 1.0 / peak } else { 1.0 };
        }
    }
    Ok(TableData::from_points(data))
}

/// `p5` source table (of the same size), `p6` min, `p7` max: the source's
/// values mapped linearly so that its smallest becomes min and its largest
/// max (the guard point repeats the last point).
pub fn gen24(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 24)?;
    let args = numeric_args(req, 24)?;
    if args.len() < 3 {
        return Err("GEN24 needs a source table, a minimum and a maximum".into());
    }
    let (lo, hi) = (args[1], args[2]);
    let src = source(req, 24, args[0])?;
    let n = len.min(src.len() - 1);
    let (min, max) = src[..n]
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let range = max - min;
    let scale = if range != 0.0 { (hi - lo) / range } else { 0.0 };
    let mut data = zeroed(len);
    for (p, &x) in data.iter_mut().zip(&src[..n]) {
        *p = (x - min) * scale + lo;
    }
    if len > 0 {
        data[len] = data[len - 1];
    }
    Ok(TableData::from_points(data))
}
