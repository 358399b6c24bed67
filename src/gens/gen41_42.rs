//! GEN41 and GEN42: tables for `duserrnd`/`urd` that list values (GEN41) or
//! ranges of values (GEN42) as often as their probability says.

use super::{GenRequest, TableData, numeric_args, required_len, zeroed};

/// Fills `data[..len]` group by group: each group takes its share of the
/// table (probability over the total, rounded to whole points) until the
/// table is full; `fill(group, count, slot)` gives the slot'th of its points.
fn fill_shares(
    data: &mut [f64],
    len: usize,
    groups: &[&[f64]],
    prob: impl Fn(&[f64]) -> f64,
    fill: impl Fn(&[f64], usize, usize) -> f64,
) {
    let total: f64 = groups.iter().map(|g| prob(g)).sum();
    let mut at = 0;
    for g in groups {
        if total <= 0.0 || at >= len {
            break;
        }
        let count = (prob(g) / total * len as f64 + 0.5) as usize;
        let count = count.min(len - at);
        for slot in 0..count {
            data[at + slot] = fill(g, count, slot);
        }
        at += count;
    }
}

/// Pairs of value and probability.
pub fn gen41(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 41)?;
    let args = numeric_args(req, 41)?;
    if args.is_empty() || args.len() % 2 != 0 {
        return Err("GEN41 needs pairs of value and probability".into());
    }
    let groups: Vec<&[f64]> = args.chunks(2).collect();
    let mut data = zeroed(len);
    fill_shares(&mut data, len, &groups, |g| g[1], |g, _, _| g[0]);
    Ok(TableData::from_points(data))
}

/// Triplets of minimum, maximum and probability: each range's points go
/// evenly from its minimum to its maximum.
pub fn gen42(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 42)?;
    let args = numeric_args(req, 42)?;
    if args.is_empty() || args.len() % 3 != 0 {
        return Err("GEN42 needs triplets of minimum, maximum and probability".into());
    }
    let groups: Vec<&[f64]> = args.chunks(3).collect();
    let mut data = zeroed(len);
    fill_shares(
        &mut data,
        len,
        &groups,
        |g| g[2],
        |g, count, slot| {
            if count > 1 {
                g[0] + (g[1] - g[0]) * slot as f64 / (count - 1) as f64
            } else {
                g[0]
            }
        },
    );
    Ok(TableData::from_points(data))
}
