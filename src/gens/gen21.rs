//! GEN21: tables of random numbers from one of eleven distributions.

use super::{GenRequest, TableData, numeric_args, required_len, table_shape, zeroed};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A small 32-bit generator (xorshift64*, upper half): the values only need
/// Csound's distributions, not its exact sequence.
struct Rng(u64);

impl Rng {
    fn seeded(table: i32) -> Rng {
        // Different on every call, like Csound's time-seeded generator.
        static CALLS: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut s = nanos
            ^ (table as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ CALLS
                .fetch_add(1, Ordering::Relaxed)
                .wrapping_mul(0xD1B5_4A32_D192_ED03);
        if s == 0 {
            s = 0x2545_F491_4F6C_DD1D;
        }
        Rng(s)
    }

    fn next_u32(&mut self) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }

    /// Csound's mapping of a 32-bit integer into (0, 1).
    fn to_unit(r: u32) -> f64 {
        (r as f64 + 0.03125) * (1.0 / 4294967295.0625)
    }

    fn unit(&mut self) -> f64 {
        Self::to_unit(self.next_u32())
    }
}

/// One value of distribution `kind` with level `a` and shape `b`, `c`,
/// following Csound's formulas (its cmath.c generators).
fn draw(rng: &mut Rng, kind: i64, a: f64, b: f64, c: f64) -> f64 {
    match kind {
        1 => a * rng.unit(),
        2 => {
            let (r1, r2) = (rng.next_u32(), rng.next_u32());
            Rng::to_unit(r1.min(r2)) * a
        }
        3 => {
            let r1 = (rng.next_u32() ^ 0x8000_0000) as i32 as f64;
            let r2 = (rng.next_u32() ^ 0x8000_0000) as i32 as f64;
            (r1 + r2 + 1.0) * (1.0 / 4294967295.0625) * a
        }
        4 => {
            if a < 0.0 {
                return 0.0;
            }
            let r = loop {
                let r = rng.next_u32();
                if r != 0 {
                    break r;
                }
            };
            -Rng::to_unit(r).ln() * a
        }
        5 => {
            if a < 0.0 {
                return 0.0;
            }
            let r = loop {
                let r = rng.next_u32() as i32;
                if r != 0 {
                    break r;
                }
            };
            if r < 0 {
                -(-(r as f64) / 2147483648.0).ln() * a
            } else {
                (r as f64 / 2147483648.0).ln() * a
            }
        }
        6 => {
            let sum: u64 = (0..12).map(|_| rng.next_u32() as u64).sum();
            (sum as f64 - 25769803770.0) * (a / (3.83 * 4294967295.0625))
        }
        7 | 8 => {
            // Cauchy, limited to ±1 before scaling as Csound does.
            loop {
                let u = rng.unit();
                let x = if kind == 7 {
                    (u * std::f64::consts::PI).tan() / 318.3
                } else {
                    (u * std::f64::consts::FRAC_PI_2).tan() / 318.3
                };
                let ok = if kind == 7 {
                    (-1.0..=1.0).contains(&x)
                } else {
                    x <= 1.0
                };
                if ok {
                    return x * a;
                }
            }
        }
        9 => {
            if b < 0.0 || c < 0.0 {
                return 0.0;
            }
            // Rejection sampling; bounded so that odd shapes cannot hang.
            for _ in 0..10_000 {
                let r1 = rng.unit().powf(1.0 / b);
                let r2 = rng.unit().powf(1.0 / c);
                if r1 + r2 <= 1.0 && r1 + r2 > 0.0 {
                    return r1 / (r1 + r2) * a;
                }
            }
            0.5 * a
        }
        10 => {
            if b < 0.0 {
                return 0.0;
            }
            let r1 = rng.unit();
            a * (1.0 / (1.0 - r1)).ln().powf(1.0 / b)
        }
        _ => {
            // 11, Poisson: count uniform factors until the product drops
            // below e^-λ, as Csound does. That takes about λ draws, so for
            // large λ use the normal approximation instead (same mean and
            // variance, which is all that has to match).
            if a < 0.0 {
                return 0.0;
            }
            if a > 200.0 {
                let (u1, u2) = (rng.unit(), rng.unit());
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                return (a + a.sqrt() * z).round().max(0.0);
            }
            let limit = (-a).exp();
            let mut r1 = rng.unit();
            let mut count = 0.0;
            while r1 >= limit {
                count += 1.0;
                r1 *= rng.unit();
            }
            count
        }
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
    let mut rng = Rng::seeded(req.table);
    for p in data.iter_mut().take(n) {
        *p = draw(&mut rng, kind_i, level, b, c);
    }
    Ok(TableData::from_points(data))
}
