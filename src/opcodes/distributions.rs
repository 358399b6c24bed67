//! Random values with a chosen distribution, at i-, k- or a-rate: `unirand`,
//! `linrand`, `trirand`, `exprand`, `bexprnd`, `cauchy`, `pcauchy`,
//! `poisson`, `gauss` (range or mean/deviation), `weibull`, `betarand`, and
//! `rnd31` (a power-shaped bipolar distribution); and `dust`/`dust2`, random
//! impulses at a given average density.
//!
//! Each opcode draws from its own generator (see `noise.rs`), so the
//! statistics match csound's and the exact values do not. The shapes and
//! scales are csound's: `gauss krange` has a deviation of krange / 3.83;
//! `cauchy`/`pcauchy` scale `tan` by about pi/1000 (measured); `exprand` and `bexprnd` take the mean (1/lambda), not lambda.

use rand::SeedableRng;
use rand::rngs::SmallRng;

use super::noise::{new_rng, unit};
use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Which distribution an opcode draws from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Uniform,
    Linear,
    Triangular,
    Exponential,
    BilateralExponential,
    Cauchy,
    PositiveCauchy,
    Poisson,
    /// `gauss krange`.
    GaussRange,
    /// `gauss kmean, ksdev`.
    Gauss,
    Weibull,
    Beta,
    /// `rnd31 kscl, krpow [, iseed]`.
    Rnd31,
}

/// The scale of `cauchy` and `pcauchy` at kalpha 1, measured on csound
/// 6.18 (quantiles of 220500 draws give 0.00312 to 0.00314: about pi/1000).
const CAUCHY_SCALE: f64 = std::f64::consts::PI / 1000.0;
/// Most draws Poisson's product method may take (bounded work per value;
/// reached only for means far beyond any musical use).
const POISSON_MAX_STEPS: u32 = 10_000;

/// Uniform in (0, 1): never 0, so logarithms and powers stay finite.
#[inline]
fn open_unit(rng: &mut SmallRng) -> f64 {
    let u = unit(rng);
    if u > 0.0 { u } else { f64::MIN_POSITIVE }
}

/// A standard normal value (Box and Muller).
#[inline]
fn normal(rng: &mut SmallRng) -> f64 {
    let u1 = open_unit(rng);
    let u2 = unit(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// One value of `kind` with parameters `p`.
fn draw(kind: Kind, p: [f64; 3], rng: &mut SmallRng) -> f64 {
    match kind {
        Kind::Uniform => unit(rng) * p[0],
        Kind::Linear => unit(rng).min(unit(rng)) * p[0],
        Kind::Triangular => (unit(rng) + unit(rng) - 1.0) * p[0],
        Kind::Exponential => -open_unit(rng).ln() * p[0],
        Kind::BilateralExponential => {
            let v = -open_unit(rng).ln() * p[0];
            if unit(rng) < 0.5 { v } else { -v }
        }
        Kind::Cauchy => {
            let mut u = unit(rng);
            if u == 0.5 {
                u = 0.25;
            }
            p[0] * (std::f64::consts::PI * u).tan() * CAUCHY_SCALE
        }
        Kind::PositiveCauchy => {
            p[0] * (std::f64::consts::FRAC_PI_2 * unit(rng)).tan() * CAUCHY_SCALE
        }
        Kind::Poisson => {
            // Knuth's product of uniforms, with bounded steps.
            let limit = (-p[0]).exp();
            let mut product = unit(rng);
            let mut count = 0u32;
            while product >= limit && count < POISSON_MAX_STEPS {
                count += 1;
                product *= unit(rng);
            }
            count as f64
        }
        Kind::GaussRange => normal(rng) * p[0] / 3.83,
        Kind::Gauss => p[0] + normal(rng) * p[1],
        Kind::Weibull => {
            let tau = p[1];
            if tau == 0.0 {
                return 0.0;
            }
            p[0] * (-open_unit(rng).ln()).powf(1.0 / tau)
        }
        Kind::Beta => {
            // Jöhnk's method: bounded tries, then the mean.
            let (a, b) = (p[1], p[2]);
            if a <= 0.0 || b <= 0.0 {
                return 0.0;
            }
            for _ in 0..1000 {
                let x = unit(rng).powf(1.0 / a);
                let y = unit(rng).powf(1.0 / b);
                let sum = x + y;
                if sum <= 1.0 && sum > 0.0 {
                    return x / sum * p[0];
                }
            }
            a / (a + b) * p[0]
        }
        Kind::Rnd31 => {
            let (scale, rpow) = (p[0], p[1]);
            let x = 2.0 * unit(rng) - 1.0;
            let v = if rpow == 0.0 || rpow == 1.0 || rpow == -1.0 {
                x
            } else if rpow > 0.0 {
                // Density |x|^(1/rpow - 1): a uniform magnitude to the rpow.
                x.signum() * x.abs().powf(rpow)
            } else {
                // Density (1 - |x|)^(-1/rpow - 1).
                x.signum() * (1.0 - (1.0 - x.abs()).powf(-rpow))
            };
            v * scale
        }
    }
}

/// One distribution opcode.
struct Distribution {
    kind: Kind,
    out: Output,
    params: [Input; 3],
    seed: Option<Input>,
    /// Values per block: `ksmps` at a-rate, 1 otherwise.
    samples: usize,
    init_rate: bool,
    rng: SmallRng,
}

fn build(a: &Args, kind: Kind) -> Result<Box<dyn Opcode>, String> {
    let rate = a.out_rate(0);
    boxed(Distribution {
        kind,
        out: a.out(0),
        params: [a.input(0), a.input(1), a.input(2)],
        seed: (kind == Kind::Rnd31).then(|| a.input(2)),
        samples: if rate == Rate::Audio { a.ksmps } else { 1 },
        init_rate: rate == Rate::Init,
        rng: new_rng(),
    })
}

impl Distribution {
    fn run(&mut self) {
        let p = self.params.map(|i| i.get());
        for i in 0..self.samples {
            let v = draw(self.kind, p, &mut self.rng);
            self.out.set_at(i, v);
        }
    }
}

impl Opcode for Distribution {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        // rnd31 with a positive seed repeats its sequence; others start afresh.
        self.rng = match self.seed.map(|s| s.get()) {
            Some(s) if s >= 1.0 => SmallRng::seed_from_u64(s as u64),
            _ => new_rng(),
        };
        if self.init_rate {
            self.run();
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
}

/// `dust kamp, kdensity` and `dust2`: random impulses, on average
/// kdensity per second, of random height from 0 to kamp (`dust`) or from
/// -kamp to kamp (`dust2`); 0 between them. At k-rate one chance per block.
struct Dust {
    out: Output,
    amp: Input,
    density: Input,
    bipolar: bool,
    samples: usize,
    rng: SmallRng,
}

fn build_dust(a: &Args, bipolar: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Dust {
        out: a.out(0),
        amp: a.input(0),
        density: a.input(1),
        bipolar,
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
        rng: new_rng(),
    })
}

impl Opcode for Dust {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.rng = new_rng();
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let ticks = if self.samples == 1 {
            ctx.rates.kr
        } else {
            ctx.rates.sr
        };
        let chance = self.density.get() / ticks;
        let amp = self.amp.get();
        for i in 0..self.samples {
            let r = unit(&mut self.rng);
            let v = if r < chance {
                // The draw under the threshold, rescaled, is the height.
                let h = r / chance;
                if self.bipolar { 2.0 * h - 1.0 } else { h }
            } else {
                0.0
            };
            self.out.set_at(i, v * amp);
        }
        Ok(())
    }
}

pub const DUST_SPECS: &[OpcodeSpec] = &[
    spec(
        "dust",
        "a",
        "kk",
        Pass::Both,
        |a| build_dust(a, false),
        "random impulses from 0 to kamp, kdensity per second on average",
    ),
    spec(
        "dust",
        "k",
        "kk",
        Pass::Both,
        |a| build_dust(a, false),
        "random impulses from 0 to kamp, kdensity per second on average",
    ),
    spec(
        "dust2",
        "a",
        "kk",
        Pass::Both,
        |a| build_dust(a, true),
        "random impulses from -kamp to kamp, kdensity per second on average",
    ),
    spec(
        "dust2",
        "k",
        "kk",
        Pass::Both,
        |a| build_dust(a, true),
        "random impulses from -kamp to kamp, kdensity per second on average",
    ),
];

/// The i-, k- and a-rate variants of each distribution opcode.
macro_rules! three_rates {
    ($($name:literal, $ins_i:literal, $ins_k:literal, $kind:expr, $doc:literal;)*) => {
        pub const SPECS: &[OpcodeSpec] = &[
            $(
                spec($name, "i", $ins_i, Pass::Init, |a| build(a, $kind), $doc),
                spec($name, "k", $ins_k, Pass::Both, |a| build(a, $kind), $doc),
                spec($name, "a", $ins_k, Pass::Both, |a| build(a, $kind), $doc),
            )*
        ];
    };
}

three_rates! {
    "unirand", "i", "k", Kind::Uniform, "uniform random values from 0 to krange";
    "linrand", "i", "k", Kind::Linear, "random values from 0 to krange, likelier near 0 (linear)";
    "trirand", "i", "k", Kind::Triangular, "random values from -krange to krange, likelier near 0 (triangular)";
    "exprand", "i", "k", Kind::Exponential, "exponentially distributed random values with mean klambda";
    "bexprnd", "i", "k", Kind::BilateralExponential, "bilateral exponential random values around 0 with scale krange";
    "cauchy", "i", "k", Kind::Cauchy, "Cauchy-distributed random values around 0, spread by kalpha";
    "pcauchy", "i", "k", Kind::PositiveCauchy, "positive Cauchy-distributed random values, spread by kalpha";
    "poisson", "i", "k", Kind::Poisson, "Poisson-distributed whole numbers with mean klambda";
    "gauss", "i", "k", Kind::GaussRange, "normal random values around 0 with deviation krange / 3.83";
    "gauss", "ii", "kk", Kind::Gauss, "normal random values with mean kmean and deviation ksdev";
    "weibull", "ii", "kk", Kind::Weibull, "Weibull-distributed random values, scale ksigma and shape ktau";
    "betarand", "iii", "kkk", Kind::Beta, "beta-distributed random values from 0 to krange, shapes kalpha and kbeta";
    "rnd31", "iio", "kko", Kind::Rnd31, "bipolar random values up to kscl, shaped by the power krpow, optional seed";
}
