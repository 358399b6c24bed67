//! Random values with a chosen distribution, at i-, k- or a-rate: `unirand`,
//! `linrand`, `trirand`, `exprand`, `bexprnd`, `cauchy`, `pcauchy`,
//! `poisson`, `gauss` (range or mean/deviation), `weibull`, `betarand`, and
//! `rnd31` (a power-shaped bipolar distribution); and `dust`/`dust2`, random
//! impulses at a given average density.
//!
//! The distributions draw from csound's shared Mersenne Twister
//! (`crate::random`) with csound's formulas, so after the same `seed` they
//! give csound's numbers; so do `dust` and `dust2` (csound's congruence
//! shared with `noise`). `rnd31` (its own seed) draws from a generator per
//! opcode: its statistics match csound's, not its exact values.

use rand::SeedableRng;
use rand::rngs::SmallRng;

use super::noise::{new_rng, unit};
use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::random::{self, Twister, draw};

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

/// `rnd31`'s value: a bipolar uniform shaped by the power `rpow`.
fn rnd31(rng: &mut SmallRng, scale: f64, rpow: f64) -> f64 {
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

/// One distribution opcode.
struct Distribution {
    kind: Kind,
    out: Output,
    params: [Input; 3],
    seed: Option<Input>,
    /// Values per block: `ksmps` at a-rate, 1 otherwise.
    samples: usize,
    init_rate: bool,
    /// `rnd31`'s own generator.
    rng: SmallRng,
    /// The second normal value of `gauss kmean, ksdev`'s last pair.
    spare_normal: Option<f64>,
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
        spare_normal: None,
    })
}

impl Distribution {
    /// One value from the shared twister.
    fn draw(&mut self, t: &mut Twister, p: [f64; 3]) -> f64 {
        match self.kind {
            Kind::Uniform => draw::uniform(t, p[0]),
            Kind::Linear => draw::linear(t, p[0]),
            Kind::Triangular => draw::triangular(t, p[0]),
            Kind::Exponential => draw::exponential(t, p[0]),
            Kind::BilateralExponential => draw::bilateral_exponential(t, p[0]),
            Kind::Cauchy => draw::cauchy(t, p[0], false),
            Kind::PositiveCauchy => draw::cauchy(t, p[0], true),
            Kind::Poisson => draw::poisson(t, p[0]),
            Kind::GaussRange => draw::gauss_range(t, p[0]),
            Kind::Gauss => {
                let z = match self.spare_normal.take() {
                    Some(z) => z,
                    None => {
                        let (z, spare) = draw::normal_pair(t);
                        self.spare_normal = Some(spare);
                        z
                    }
                };
                p[0] + p[1] * z
            }
            Kind::Weibull => draw::weibull(t, p[0], p[1]),
            Kind::Beta => draw::beta(t, p[0], p[1], p[2]),
            Kind::Rnd31 => rnd31(&mut self.rng, p[0], p[1]),
        }
    }

    fn run(&mut self) {
        let p = self.params.map(|i| i.get());
        random::with(|g| {
            for i in 0..self.samples {
                let v = self.draw(&mut g.twister, p);
                self.out.set_at(i, v);
            }
        });
    }
}

impl Opcode for Distribution {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        // rnd31 with a positive seed repeats its sequence; others start afresh.
        self.rng = match self.seed.map(|s| s.get()) {
            Some(s) if s >= 1.0 => SmallRng::seed_from_u64(s as u64),
            _ => new_rng(),
        };
        self.spare_normal = None;
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
/// The draws come from csound's shared congruence (`crate::random`), one
/// at init and one per tick; a draw under the chance, rescaled, is the
/// height.
struct Dust {
    out: Output,
    amp: Input,
    density: Input,
    bipolar: bool,
    samples: usize,
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
    })
}

impl Opcode for Dust {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        random::with(|g| g.mcg_unit());
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
        random::with(|g| {
            for i in 0..self.samples {
                let r = g.mcg_unit();
                let v = if r < chance {
                    let h = r / chance;
                    if self.bipolar { 2.0 * h - 1.0 } else { h }
                } else {
                    0.0
                };
                self.out.set_at(i, v * amp);
            }
        });
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
