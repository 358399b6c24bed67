//! GEN21: tables of random numbers from one of eleven distributions.
//!
//! The values come from csound's shared Mersenne Twister (`crate::random`)
//! with the distributions' formulas, so after the same `seed` a table holds
//! csound's numbers. Tables of a score's `f` statements are drawn before
//! the performance starts, in the order of the statements.

use super::{GenRequest, TableData, numeric_args, required_len, table_shape, zeroed};
use crate::random::{self, Twister, draw};

/// One value of distribution `kind` with level `a` and shapes `b`, `c`.
fn value(t: &mut Twister, kind: i64, a: f64, b: f64, c: f64) -> f64 {
    match kind {
        1 => draw::uniform(t, a),
        2 => draw::linear(t, a),
        3 => draw::triangular(t, a),
        4 => draw::exponential(t, a),
        5 => draw::bilateral_exponential(t, a),
        6 => draw::gauss_range(t, a),
        7 => draw::cauchy(t, a, false),
        8 => draw::cauchy(t, a, true),
        9 => draw::beta(t, a, b, c),
        10 => draw::weibull(t, a, b),
        _ => draw::poisson(t, a),
    }
}

/// `p5` distribution (1 uniform, 2 linear, 3 triangular, 4 exponential,
/// 5 bilateral exponential, 6 Gaussian, 7 Cauchy, 8 positive Cauchy, 9 beta,
/// 10 Weibull, 11 Poisson), `p6` level (default 1), `p7`, `p8` shape
/// arguments for beta (a, b) and Weibull (t). The guard point is random too
/// when the table has an extended guard point.
pub fn gen21(req: &GenRequest) -> Result<TableData, String> {
    let len = required_len(req, 21)?;
    let args = numeric_args(req, 21)?;
    let Some(&kind) = args.first() else {
        return Err("GEN21 needs a distribution type (1 to 11)".into());
    };
    let kind_i = kind as i64;
    if !(1..=11).contains(&kind_i) {
        return Err(format!(
            "GEN21: unknown distribution {kind} (1 uniform, 2 linear, 3 triangular, 4 exponential, 5 bilateral exponential, 6 Gaussian, 7 Cauchy, 8 positive Cauchy, 9 beta, 10 Weibull, 11 Poisson)"
        ));
    }
    if kind_i == 9 && args.len() < 4 {
        return Err("GEN21: the beta distribution needs a level and the shapes a and b".into());
    }
    if kind_i == 10 && args.len() < 3 {
        return Err("GEN21: the Weibull distribution needs a level and the shape t".into());
    }
    let level = args.get(1).copied().unwrap_or(1.0);
    let b = args.get(2).copied().unwrap_or(0.0);
    let c = args.get(3).copied().unwrap_or(0.0);
    let wraps = matches!(table_shape(req.size), Some(Ok((_, true))));
    let mut data = zeroed(len);
    let n = if wraps { len } else { len + 1 };
    random::with(|g| {
        for p in data.iter_mut().take(n) {
            *p = value(&mut g.twister, kind_i, level, b, c);
        }
    });
    Ok(TableData::from_points(data))
}
