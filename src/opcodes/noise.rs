//! Noise and random values: Csound's deterministic `rand`/`randh`/`randi`
//! generators, and the seeded `random`/`randomh`/`randomi`/`rnd`/`birnd`/
//! `noise` with the `seed` opcode.
//!
//! `rand`, `randh` and `randi` reproduce Csound 6.18's sequences exactly:
//! the 16-bit mode is the congruence `x = 15625 x + 1 (mod 2^16)` started
//! from `iseed * 32768`, the 31-bit mode is Park and Miller's
//! `x = 16807 x (mod 2^31 - 1)` started from `iseed * 2^31` and stepped
//! twice at init. `random`, `randomh`, `randomi`, `rnd`, `birnd` and
//! `noise` draw from csound's shared generators (`crate::random`), so they
//! give csound's numbers; `seed` seeds those. `rnd31` draws from `rand`'s
//! `SmallRng` (see [`new_rng`]), seeded at note start from a process-wide
//! sequence that `seed` restarts.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::random;

/// The fixed-point phase of `randh`/`randi`/`randomh`/`randomi`: 2^28 per
/// cycle, increments truncated (what reproduces csound 6.18 sample for
/// sample; the classic 2^24 drifts by a sample within a second).
const MAXLEN: i64 = 1 << 28;
const PHMASK: i64 = MAXLEN - 1;

/// Where the next opcode's generator seed comes from (`seed` sets it).
static SEED_SEQUENCE: AtomicU64 = AtomicU64::new(0x005E_ED0F_C50D);

/// SplitMix64's finaliser: spreads consecutive counters over 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A fresh generator for one opcode instance (lock-free, no allocation).
pub(super) fn new_rng() -> SmallRng {
    let n = SEED_SEQUENCE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    SmallRng::seed_from_u64(mix(n))
}

/// A seed from the clock (`seed 0`, `iseed > 1`).
fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// Uniform in [0, 1).
#[inline(always)]
pub(super) fn unit(rng: &mut SmallRng) -> f64 {
    rng.random::<f64>()
}

/// Csound's `rand` family generator, 16-bit or 31-bit.
#[derive(Clone, Copy)]
struct CsRand {
    x: i64,
    wide: bool,
}

impl CsRand {
    /// The seed actually used for `iseed` (above 1 means the clock).
    fn effective_seed(seed: f64) -> f64 {
        if seed > 1.0 {
            (clock_seed() % 1_000_000) as f64 / 1_000_000.0
        } else {
            seed
        }
    }

    /// Start from `seed` (0..1, see [`CsRand::effective_seed`]).
    fn seeded(seed: f64, wide: bool) -> CsRand {
        if wide {
            let x = ((seed * 2_147_483_648.0) as i64).clamp(0, 0x7FFF_FFFE);
            let mut r = CsRand { x, wide };
            r.step();
            r.step();
            r
        } else {
            CsRand {
                x: (seed * 32768.0) as i64 as i16 as i64,
                wide,
            }
        }
    }

    #[inline(always)]
    fn step(&mut self) {
        self.x = if self.wide {
            (self.x * 16807) % 0x7FFF_FFFF
        } else {
            (self.x.wrapping_mul(15625) + 1) as i16 as i64
        };
    }

    /// The current value in [-1, 1).
    #[inline(always)]
    fn value(&self) -> f64 {
        if self.wide {
            (self.x * 2 - (1 << 31)) as f64 / 2_147_483_648.0
        } else {
            self.x as f64 / 32768.0
        }
    }

    /// Step and return the new value.
    #[inline(always)]
    fn next(&mut self) -> f64 {
        self.step();
        self.value()
    }
}

fn ticks(a: &Args) -> usize {
    if a.out_rate(0) == Rate::Audio {
        a.ksmps
    } else {
        1
    }
}

fn tick_rate(ctx: &Ctx, samples: usize) -> f64 {
    if samples == 1 {
        ctx.rates.kr
    } else {
        ctx.rates.sr
    }
}

/// `rand xamp [, iseed, isel, ioffset]`: white noise in [-amp, amp) plus
/// an offset, one new value per sample (or per block at control rate).
struct Rand {
    out: Output,
    amp: Input,
    seed: Input,
    wide: Input,
    offset: Input,
    samples: usize,
    generator: CsRand,
}

fn build_rand(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Rand {
        out: a.out(0),
        amp: a.input(0),
        seed: a.input(1),
        wide: a.input(2),
        offset: a.input(3),
        samples: ticks(a),
        generator: CsRand::seeded(0.5, false),
    })
}

impl Opcode for Rand {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let seed = self.seed.get();
        if seed >= 0.0 {
            let seed = CsRand::effective_seed(seed);
            self.generator = CsRand::seeded(seed, self.wide.get() != 0.0);
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let base = self.offset.get();
        for i in 0..self.samples {
            let v = self.generator.next();
            self.out.set_at(i, v * self.amp.at(i) + base);
        }
        Ok(())
    }
}

/// `randh xamp, xcps [, iseed, isize, ioffset]` (holds each value for a
/// cycle of `xcps`) and `randi` (ramps linearly between them).
struct RandHold {
    out: Output,
    amp: Input,
    cps: Input,
    seed: Input,
    wide: Input,
    offset: Input,
    samples: usize,
    interpolate: bool,
    generator: CsRand,
    phase: i64,
    num1: f64,
    num2: f64,
    slope: f64,
}

fn build_randh(a: &Args, interpolate: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(RandHold {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        seed: a.input(2),
        wide: a.input(3),
        offset: a.input(4),
        samples: ticks(a),
        interpolate,
        generator: CsRand::seeded(0.5, false),
        phase: 0,
        num1: 0.0,
        num2: 0.0,
        slope: 0.0,
    })
}

impl Opcode for RandHold {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let seed = self.seed.get();
        if seed >= 0.0 {
            let wide = self.wide.get() != 0.0;
            let seed = CsRand::effective_seed(seed);
            self.generator = CsRand::seeded(seed, wide);
            if !wide {
                // The first value is the seed itself, unquantised.
                self.num1 = seed;
                if self.interpolate {
                    self.num2 = self.generator.next();
                }
            } else if !self.interpolate {
                self.num1 = self.generator.value();
            } else {
                // csound 6.18's randi starts its 31-bit ramp from 0, and
                // reads the first target without the bipolar offset (as a
                // wrapped 32-bit integer); observed, and kept for identity.
                self.num1 = 0.0;
                self.generator.step();
                self.num2 = ((self.generator.x << 1) as u32 as i32) as f64 / 2_147_483_648.0;
            }
            self.slope = (self.num2 - self.num1) / MAXLEN as f64;
        }
        self.phase = 0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let to_fixed = MAXLEN as f64 / tick_rate(ctx, self.samples);
        let base = self.offset.get();
        let fixed_inc = (!self.cps.is_audio()).then(|| (self.cps.get() * to_fixed) as i64);
        for i in 0..self.samples {
            let v = if self.interpolate {
                self.num1 + self.phase as f64 * self.slope
            } else {
                self.num1
            };
            self.out.set_at(i, v * self.amp.at(i) + base);
            let inc = match fixed_inc {
                Some(inc) => inc,
                None => (self.cps.at(i) * to_fixed) as i64,
            };
            self.phase += inc;
            if self.phase >= MAXLEN {
                self.phase &= PHMASK;
                if self.interpolate {
                    self.num1 = self.num2;
                    self.num2 = self.generator.next();
                    self.slope = (self.num2 - self.num1) / MAXLEN as f64;
                } else {
                    self.num1 = self.generator.next();
                }
            }
        }
        Ok(())
    }
}

/// `random kmin, kmax`: a uniform random value in [min, max) at each
/// sample, block or (at i-rate) note start.
struct Random {
    out: Output,
    min: Input,
    max: Input,
    samples: usize,
    init_rate: bool,
}

fn build_random(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Random {
        out: a.out(0),
        min: a.input(0),
        max: a.input(1),
        samples: ticks(a),
        init_rate: a.out_rate(0) == Rate::Init,
    })
}

impl Random {
    fn run(&mut self) {
        let (lo, hi) = (self.min.get(), self.max.get());
        random::with(|g| {
            for i in 0..self.samples {
                self.out.set_at(i, lo + (hi - lo) * g.lcg_unit());
            }
        });
    }
}

impl Opcode for Random {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
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

/// `randomh kmin, kmax, xcps [, imode, ifirstval]` (held values) and
/// `randomi` (linear ramps between them), in [min, max). `imode` says how
/// the first cycle starts: 0 at kmin (held a cycle), 1 ramping from kmin,
/// 2 from ifirstval, 3 from a random value.
struct RandomHold {
    out: Output,
    min: Input,
    max: Input,
    cps: Input,
    mode: Input,
    first: Input,
    samples: usize,
    interpolate: bool,
    phase: i64,
    /// The current and next values as fractions of the range (0 = min).
    num1: f64,
    num2: f64,
}

fn build_randomh(a: &Args, interpolate: bool) -> Result<Box<dyn Opcode>, String> {
    let name = if interpolate { "randomi" } else { "randomh" };
    if let Some(m) = a.constant(3)
        && !(0.0..=3.0).contains(&m)
    {
        return Err(format!("{name}: imode must be 0, 1, 2 or 3, not {m}"));
    }
    boxed(RandomHold {
        out: a.out(0),
        min: a.input(0),
        max: a.input(1),
        cps: a.input(2),
        mode: a.input(3),
        first: a.input(4),
        samples: ticks(a),
        interpolate,
        phase: 0,
        num1: 0.0,
        num2: 0.0,
    })
}

impl Opcode for RandomHold {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let (lo, hi) = (self.min.get(), self.max.get());
        let first = if hi != lo {
            (self.first.get() - lo) / (hi - lo)
        } else {
            0.0
        };
        let mode = self.mode.get() as i64;
        // What csound 6.18 draws at init, per mode (observed): randomh
        // holds kmin (0, 1), ifirstval (2) or a draw (3) for the first
        // cycle; randomi holds kmin a cycle (0), or ramps from kmin (1),
        // ifirstval (2) or a draw (3) towards a draw.
        random::with(|g| {
            self.num1 = match mode {
                2 => first,
                3 => g.lcg_unit(),
                _ => 0.0,
            };
            self.num2 = if !self.interpolate || mode == 0 {
                self.num1
            } else {
                g.lcg_unit()
            };
        });
        self.phase = 0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let to_fixed = MAXLEN as f64 / tick_rate(ctx, self.samples);
        let (lo, hi) = (self.min.get(), self.max.get());
        let range = hi - lo;
        let fixed_inc = (!self.cps.is_audio()).then(|| (self.cps.get() * to_fixed) as i64);
        for i in 0..self.samples {
            let v = if self.interpolate {
                self.num1 + (self.num2 - self.num1) * (self.phase as f64 / MAXLEN as f64)
            } else {
                self.num1
            };
            self.out.set_at(i, lo + range * v);
            let inc = match fixed_inc {
                Some(inc) => inc,
                None => (self.cps.at(i) * to_fixed) as i64,
            };
            self.phase += inc;
            if self.phase >= MAXLEN {
                self.phase &= PHMASK;
                let next = random::with(|g| g.lcg_unit());
                if self.interpolate {
                    self.num1 = self.num2;
                    self.num2 = next;
                } else {
                    self.num1 = next;
                }
            }
        }
        Ok(())
    }
}

/// `rnd(x)` (uniform in [0, x)) and `birnd(x)` (uniform in [-x, x)), at
/// init or control rate.
struct Rnd {
    out: Output,
    x: Input,
    bipolar: bool,
    init_rate: bool,
}

fn build_rnd(a: &Args, bipolar: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Rnd {
        out: a.out(0),
        x: a.input(0),
        bipolar,
        init_rate: a.out_rate(0) == Rate::Init,
    })
}

impl Rnd {
    fn run(&mut self) {
        let u = random::with(|g| g.rnd_unit());
        let u = if self.bipolar { 2.0 * u - 1.0 } else { u };
        self.out.set(self.x.get() * u);
    }
}

impl Opcode for Rnd {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
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

/// `noise xamp, kbeta`: white noise `x` from csound's shared congruence
/// (`crate::random`) through the one-pole
/// `y[n] = sqrt((1 - beta) / (1 + beta)) x[n] + beta y[n-1]`.
struct Noise {
    out: Output,
    amp: Input,
    beta: Input,
    samples: usize,
    last: f64,
}

fn build_noise(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Noise {
        out: a.out(0),
        amp: a.input(0),
        beta: a.input(1),
        samples: a.ksmps,
        last: 0.0,
    })
}

impl Opcode for Noise {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.last = 0.0;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let beta = self.beta.get();
        let gain = ((1.0 - beta) / (1.0 + beta)).sqrt();
        let mut last = self.last;
        random::with(|g| {
            for i in 0..self.samples {
                last = gain * g.noise_white() + beta * last;
                self.out.set_at(i, last * self.amp.at(i));
            }
        });
        self.last = last;
        Ok(())
    }
}

/// `seed ival`: seeds csound's shared generators (the distributions,
/// GEN21, `random`, `randomh`, `randomi`) and restarts the sequence that
/// seeds `noise`, `dust` and `dust2` (0 seeds from the clock).
struct Seed {
    value: Input,
}

impl Opcode for Seed {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let v = self.value.get();
        let s = if v == 0.0 {
            let s = clock_seed();
            ctx.warn(format_args!("seeding from current time {}", s as u32));
            s
        } else {
            v as u64
        };
        random::seed(if v == 0.0 {
            (s % 2_147_483_647).max(1) as f64
        } else {
            v
        });
        SEED_SEQUENCE.store(mix(s), Ordering::Relaxed);
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "rand",
        "a",
        "xvoo",
        Pass::Both,
        build_rand,
        "Csound's white noise in [-xamp, xamp) from a 16-bit or 31-bit generator",
    ),
    spec(
        "rand",
        "k",
        "kvoo",
        Pass::Both,
        build_rand,
        "Csound's random value in [-kamp, kamp) each block",
    ),
    spec(
        "randh",
        "a",
        "xxvoo",
        Pass::Both,
        |a| build_randh(a, false),
        "random values in [-xamp, xamp), each held for one cycle of xcps",
    ),
    spec(
        "randh",
        "k",
        "kkvoo",
        Pass::Both,
        |a| build_randh(a, false),
        "random values in [-kamp, kamp), each held for one cycle of kcps",
    ),
    spec(
        "randi",
        "a",
        "xxvoo",
        Pass::Both,
        |a| build_randh(a, true),
        "random values in [-xamp, xamp), a new one every cycle of xcps, ramped linearly",
    ),
    spec(
        "randi",
        "k",
        "kkvoo",
        Pass::Both,
        |a| build_randh(a, true),
        "random values in [-kamp, kamp), a new one every cycle of kcps, ramped linearly",
    ),
    spec(
        "random",
        "a",
        "kk",
        Pass::Both,
        build_random,
        "uniform random values between kmin and kmax",
    ),
    spec(
        "random",
        "k",
        "kk",
        Pass::Both,
        build_random,
        "uniform random values between kmin and kmax",
    ),
    spec(
        "random",
        "i",
        "ii",
        Pass::Init,
        build_random,
        "a uniform random value between imin and imax",
    ),
    spec(
        "randomh",
        "a",
        "kkxoo",
        Pass::Both,
        |a| build_randomh(a, false),
        "random values between kmin and kmax, each held for one cycle of xcps",
    ),
    spec(
        "randomh",
        "k",
        "kkkoo",
        Pass::Both,
        |a| build_randomh(a, false),
        "random values between kmin and kmax, each held for one cycle of kcps",
    ),
    spec(
        "randomi",
        "a",
        "kkxoo",
        Pass::Both,
        |a| build_randomh(a, true),
        "random values between kmin and kmax, ramped linearly, a new one every cycle of xcps",
    ),
    spec(
        "randomi",
        "k",
        "kkkoo",
        Pass::Both,
        |a| build_randomh(a, true),
        "random values between kmin and kmax, ramped linearly, a new one every cycle of kcps",
    ),
    spec(
        "rnd",
        "i",
        "i",
        Pass::Init,
        |a| build_rnd(a, false),
        "a uniform random value between 0 and x",
    ),
    spec(
        "rnd",
        "k",
        "k",
        Pass::Both,
        |a| build_rnd(a, false),
        "a uniform random value between 0 and x",
    ),
    spec(
        "birnd",
        "i",
        "i",
        Pass::Init,
        |a| build_rnd(a, true),
        "a uniform random value between -x and x",
    ),
    spec(
        "birnd",
        "k",
        "k",
        Pass::Both,
        |a| build_rnd(a, true),
        "a uniform random value between -x and x",
    ),
    spec(
        "seed",
        "",
        "i",
        Pass::Init,
        |a| boxed(Seed { value: a.input(0) }),
        "seeds the distributions, GEN21, random, randomh, randomi, noise and dust (0: from the clock)",
    ),
    spec(
        "noise",
        "a",
        "xk",
        Pass::Both,
        build_noise,
        "white noise through a one-pole filter of coefficient kbeta (-1 to 1)",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::envelopes::harness::{In, find, rig};

    // Expected values below are csound 6.18 output (sr 1000, ksmps 10).

    #[test]
    fn rand_16_bit_default_seed_is_csounds_sequence() {
        let spec = find("rand", "a", "xvoo");
        let ins = [In::K(1.0), In::K(0.5), In::K(0.0), In::K(0.0)];
        let v = rig(spec, &ins, "a", 1000.0, 10).run(1, 0);
        let expected = [16385.0, 32010.0, -14501.0];
        for (got, want) in v.iter().zip(expected) {
            assert_eq!(*got, want / 32768.0);
        }
    }

    #[test]
    fn rand_31_bit_steps_park_miller_twice_at_init() {
        let spec = find("rand", "a", "xvoo");
        let ins = [In::K(1.0), In::K(0.5), In::K(1.0), In::K(0.0)];
        let v = rig(spec, &ins, "a", 1000.0, 10).run(1, 0);
        assert!((v[0] - 0.755_605_321_377_515_8).abs() < 1e-12, "{v:?}");
        assert!((v[1] + 0.541_349_868_290_126_3).abs() < 1e-12, "{v:?}");
    }

    #[test]
    fn randh_holds_the_seed_for_the_first_cycle() {
        let spec = find("randh", "a", "xxvoo");
        let ins = [In::K(1.0), In::K(300.0), In::K(0.5), In::K(0.0), In::K(0.0)];
        let v = rig(spec, &ins, "a", 1000.0, 10).run(1, 0);
        assert_eq!(&v[..4], &[0.5; 4]);
        assert_eq!(v[4], 16385.0 / 32768.0);
        assert_eq!(v[7], 32010.0 / 32768.0);
    }

    #[test]
    fn randomh_mode_0_starts_at_kmin_then_stays_in_range() {
        let spec = find("randomh", "k", "kkkoo");
        let ins = [
            In::K(10.0),
            In::K(20.0),
            In::K(10.0),
            In::K(0.0),
            In::K(0.0),
        ];
        let v = rig(spec, &ins, "k", 1000.0, 10).run(100, 0);
        assert_eq!(&v[..10], &[10.0; 10]);
        assert!(v.iter().all(|x| (10.0..20.0).contains(x)));
        assert!(v[10..].iter().any(|x| *x != 10.0));
    }
}
