//! Csound 6.18's shared random generators, reproduced so that a fixed `seed`
//! gives csound's numbers: the x-class distributions and GEN21 draw from a
//! Mersenne Twister, `random`/`randomh`/`randomi` from a 32-bit linear
//! congruence, and `rnd`/`birnd` from a fractional multiplier.
//!
//! Each was identified by comparing csound's printed values with candidate
//! generators (see the book's "Random numbers" section):
//!
//! * MT19937 (Matsumoto and Nishimura 1998), seeded by `seed ival` with
//!   `ival` as a 32-bit integer and by 5489 (the algorithm's own default)
//!   when the orchestra does not seed it. One 32-bit word `w` becomes the
//!   uniform `w / 4294967295.03125`.
//! * `h = 214013 h + 2531011 (mod 2^32)`, seeded by the same `seed`, and by
//!   2345678 otherwise; a value is `(h >> 1) / (2^31 - 1)`.
//! * `rnd`/`birnd`: `u = frac(105.947 u)` from `u = 0.5`, which `seed` does
//!   not touch (the manual says so too).
//! * `noise`, `dust`, `dust2`: the multiplicative congruence
//!   `s = 742938285 s (mod 2^31 - 1)` (Fishman and Moore's multiplier),
//!   seeded by `seed` and by 15937 otherwise.
//!
//! csound keeps one set per performance. Here the set is per thread: an
//! offline render draws every value on one thread, in csound's order, and
//! [`reset`] puts the thread's set back to csound's start for each new
//! performance. No allocation, no lock: the audio thread may draw.

use std::cell::RefCell;

/// Words in the Mersenne Twister's state.
const MT_N: usize = 624;
const MT_M: usize = 397;
/// The twister's seed when the orchestra sets none.
const MT_DEFAULT_SEED: u32 = 5489;
/// The congruence's state when the orchestra sets no seed.
const LCG_DEFAULT: u32 = 2_345_678;
/// The congruence behind `noise` and `dust` when the orchestra sets no seed.
const MCG_DEFAULT: u32 = 15_937;
const MCG_MODULUS: u64 = 2_147_483_647;
const MCG_MULTIPLIER: u64 = 742_938_285;
/// A 32-bit word over this is csound's uniform in [0, 1].
const WORD_SCALE: f64 = 4_294_967_295.031_25;
/// The largest 32-bit word, as csound's Cauchy and Weibull divide by it.
const WORD_MAX: f64 = 4_294_967_295.0;

/// The Mersenne Twister MT19937: 32-bit words, period 2^19937 - 1.
#[derive(Clone)]
pub struct Twister {
    state: [u32; MT_N],
    index: usize,
}

impl Twister {
    /// The generator started from `seed` (the reference `init_genrand`).
    pub const fn seeded(seed: u32) -> Twister {
        let mut state = [0u32; MT_N];
        state[0] = seed;
        let mut i = 1;
        while i < MT_N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
            i += 1;
        }
        Twister { state, index: MT_N }
    }

    /// Regenerate the whole state block (every 624 words).
    fn twist(&mut self) {
        for k in 0..MT_N {
            let y = (self.state[k] & 0x8000_0000) | (self.state[(k + 1) % MT_N] & 0x7FFF_FFFF);
            let mag = if y & 1 == 1 { 0x9908_B0DF } else { 0 };
            self.state[k] = self.state[(k + MT_M) % MT_N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// The next 32-bit word.
    #[inline]
    pub fn word(&mut self) -> u32 {
        if self.index >= MT_N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C_5680;
        y ^= (y << 15) & 0xEFC6_0000;
        y ^ (y >> 18)
    }

    /// A uniform value in [0, 1], csound's scaling of one word.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        self.word() as f64 / WORD_SCALE
    }
}

/// The generators one performance shares.
pub struct Generators {
    pub twister: Twister,
    /// State of the congruence behind `random`, `randomh`, `randomi`.
    lcg: u32,
    /// `rnd`/`birnd`'s last value.
    rnd: f64,
    /// State of the congruence behind `noise`, `dust` and `dust2`.
    mcg: u32,
}

impl Generators {
    const START: Generators = Generators {
        twister: Twister::seeded(MT_DEFAULT_SEED),
        lcg: LCG_DEFAULT,
        rnd: 0.5,
        mcg: MCG_DEFAULT,
    };

    /// `random`'s next value, uniform in [0, 1].
    #[inline]
    pub fn lcg_unit(&mut self) -> f64 {
        self.lcg = self.lcg.wrapping_mul(214_013).wrapping_add(2_531_011);
        ((self.lcg >> 1) & 0x7FFF_FFFF) as f64 / 2_147_483_647.0
    }

    /// The next state of `noise`'s and `dust`'s congruence (31 bits).
    #[inline]
    fn mcg_step(&mut self) -> f64 {
        self.mcg = (self.mcg as u64 * MCG_MULTIPLIER % MCG_MODULUS) as u32;
        self.mcg as f64
    }

    /// `dust`'s next uniform in [0, 1).
    #[inline]
    pub fn mcg_unit(&mut self) -> f64 {
        self.mcg_step() / 2_147_483_648.0
    }

    /// `noise`'s next white value, uniform within about ±0.785 (the scale
    /// fitted to csound's output).
    #[inline]
    pub fn noise_white(&mut self) -> f64 {
        const D: f64 = 2_147_483_645.0;
        let s = self.mcg_step();
        (2.0 * s / D - MCG_MODULUS as f64 / D) * 0.785
    }

    /// `rnd`'s next value, in [0, 1).
    #[inline]
    pub fn rnd_unit(&mut self) -> f64 {
        let x = self.rnd * 105.947;
        self.rnd = x - x.floor();
        self.rnd
    }
}

thread_local! {
    static GENERATORS: RefCell<Generators> = const { RefCell::new(Generators::START) };
}

/// Run `f` with this thread's generators.
#[inline]
pub fn with<R>(f: impl FnOnce(&mut Generators) -> R) -> R {
    GENERATORS.with(|g| f(&mut g.borrow_mut()))
}

/// Back to csound's state at the start of a performance (no `seed` yet).
pub fn reset() {
    with(|g| *g = Generators::START);
}

/// `seed`: restart the twister and the congruences from `value`. csound
/// 6.18 takes 1 to 2^31 - 1 as given and any other value as 0 (observed).
/// `rnd`/`birnd` are not affected.
pub fn seed(value: f64) {
    let v = if (1.0..=2_147_483_647.0).contains(&value) {
        value as u32
    } else {
        0
    };
    with(|g| {
        g.twister = Twister::seeded(v);
        g.lcg = v;
        g.mcg = v;
    });
}

/// Csound's distributions over the twister's words. `p` holds the opcode's
/// arguments in order (level first).
pub mod draw {
    use super::{Twister, WORD_MAX, WORD_SCALE};
    use std::f64::consts::{FRAC_PI_2, PI, TAU};

    /// Most words a rejection loop may take for one value (bounded work on
    /// the audio thread; reached only for degenerate shapes).
    const MAX_TRIES: u32 = 10_000;

    /// Uniform in [0, level].
    pub fn uniform(t: &mut Twister, level: f64) -> f64 {
        t.word() as f64 * (level / WORD_SCALE)
    }

    /// The smaller of two uniforms: density falling linearly to 0 at level.
    pub fn linear(t: &mut Twister, level: f64) -> f64 {
        let (a, b) = (t.word(), t.word());
        a.min(b) as f64 / WORD_SCALE * level
    }

    /// The sum of two uniforms, centred: triangular on [-level, level].
    pub fn triangular(t: &mut Twister, level: f64) -> f64 {
        let (a, b) = (t.word() as f64, t.word() as f64);
        (a + b - WORD_MAX) * (level / WORD_SCALE)
    }

    /// A nonzero word (a logarithm follows).
    fn nonzero(t: &mut Twister) -> u32 {
        for _ in 0..MAX_TRIES {
            let w = t.word();
            if w != 0 {
                return w;
            }
        }
        1
    }

    /// Exponential with mean `level`.
    pub fn exponential(t: &mut Twister, level: f64) -> f64 {
        -(nonzero(t) as f64 / WORD_SCALE).ln() * level
    }

    /// Two-sided exponential around 0 with scale `level`: the word's sign
    /// picks the side, its magnitude the distance.
    pub fn bilateral_exponential(t: &mut Twister, level: f64) -> f64 {
        let r = nonzero(t) as i32;
        if r < 0 {
            -(-(r as f64) / 2_147_483_648.0).ln() * level
        } else {
            (r as f64 / 2_147_483_648.0).ln() * level
        }
    }

    /// Cauchy (`positive`: its right half), `tan` of a uniform angle scaled
    /// by 1/318.3 and drawn again until it lies within ±1.
    pub fn cauchy(t: &mut Twister, level: f64, positive: bool) -> f64 {
        let angle = if positive { FRAC_PI_2 } else { PI } / WORD_MAX;
        for _ in 0..MAX_TRIES {
            let x = (t.word() as f64 * angle).tan();
            let scaled = x * (1.0 / 318.3);
            let inside = if positive {
                scaled <= 1.0
            } else {
                (-1.0..=1.0).contains(&scaled)
            };
            if inside {
                return x * (level / 318.3);
            }
        }
        0.0
    }

    /// Poisson with mean `lambda`: uniforms multiplied until the product
    /// falls under e^-lambda.
    pub fn poisson(t: &mut Twister, lambda: f64) -> f64 {
        let limit = (-lambda).exp();
        let mut product = t.unit();
        let mut count = 0u32;
        while product >= limit && count < MAX_TRIES {
            count += 1;
            product *= t.unit();
        }
        count as f64
    }

    /// Normal around 0 with deviation level / 3.83: the sum of twelve
    /// uniforms, centred.
    pub fn gauss_range(t: &mut Twister, level: f64) -> f64 {
        let sum: u64 = (0..12).map(|_| t.word() as u64).sum();
        (sum as f64 - 25_769_803_770.0) * (level / (3.83 * WORD_SCALE))
    }

    /// A pair of standard normal values (Box and Muller).
    pub fn normal_pair(t: &mut Twister) -> (f64, f64) {
        let u1 = nonzero(t) as f64 / WORD_SCALE;
        let u2 = t.unit();
        let r = (-2.0 * u1.ln()).sqrt();
        let theta = TAU * u2;
        (r * theta.cos(), r * theta.sin())
    }

    /// Weibull with scale `sigma` and shape `tau` (0 for tau <= 0).
    pub fn weibull(t: &mut Twister, sigma: f64, tau: f64) -> f64 {
        if tau <= 0.0 {
            return 0.0;
        }
        let u = t.word() as f64 / WORD_MAX;
        sigma * (-(1.0 - u).ln()).powf(1.0 / tau)
    }

    /// Beta with shapes `a`, `b` on [0, level] (Jöhnk's rejection).
    pub fn beta(t: &mut Twister, level: f64, a: f64, b: f64) -> f64 {
        if a <= 0.0 || b <= 0.0 {
            return 0.0;
        }
        for _ in 0..MAX_TRIES {
            let x = t.unit().powf(1.0 / a);
            let y = t.unit().powf(1.0 / b);
            let sum = x + y;
            if sum <= 1.0 && sum > 0.0 {
                return x / sum * level;
            }
        }
        a / (a + b) * level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values are csound 6.18's, printed with %.17g.

    #[test]
    fn twister_seeded_with_1_gives_csounds_unirand() {
        let mut t = Twister::seeded(1);
        assert_eq!(t.unit(), 0.417_021_998_531_182_77);
        assert_eq!(t.unit(), 0.997_184_808_358_089_8);
    }

    #[test]
    fn default_twister_is_seeded_with_5489() {
        let mut t = Twister::seeded(MT_DEFAULT_SEED);
        assert_eq!(t.word(), 3_499_211_612);
    }

    #[test]
    fn random_after_seed_1_is_csounds() {
        let mut g = Generators::START;
        g.lcg = 1;
        assert_eq!(g.lcg_unit(), 0.000_639_125_705_062_935_9);
        assert_eq!(g.lcg_unit(), 0.781_798_750_991_839_4);
    }

    #[test]
    fn rnd_starts_at_csounds_first_value() {
        let mut g = Generators::START;
        assert_eq!(g.rnd_unit(), 0.973_500_000_000_001_4);
        assert_eq!(g.rnd_unit(), 0.139_404_500_000_154_03);
    }

    #[test]
    fn noise_after_seed_1_is_csounds() {
        let mut g = Generators::START;
        g.mcg = 1;
        assert_eq!(g.noise_white(), -0.241_846_570_824_524_27);
        assert_eq!(g.noise_white(), 0.465_834_232_975_031_57);
    }

    #[test]
    fn twister_survives_a_twist() {
        let mut t = Twister::seeded(5489);
        // The reference implementation's 10000th output for seed 5489.
        let mut last = 0;
        for _ in 0..10_000 {
            last = t.word();
        }
        assert_eq!(last, 4_123_659_995);
    }
}
