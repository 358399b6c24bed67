//! Level measurement and following: `rms` (a power gauge), `gain` (set a
//! signal's RMS level), `balance2` (`balance` with a gain per sample),
//! `follow` (peak per window), `follow2` (Jot's attack/release follower) and
//! `max_k` (peak, extreme or mean between triggers).
//!
//! The RMS opcodes share `balance`'s one-pole power filter (half-power point
//! `ihp`, default 10 Hz), so `rms` and `gain` with matching `ihp` reproduce
//! `balance` as the manual says.

use super::filters::one_pole_c2;
use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// The power follower `rms`, `gain` and `balance2` share:
/// `q = c1 * x^2 + c2 * q` per sample.
#[derive(Default)]
struct Power {
    c1: f64,
    c2: f64,
    q: f64,
}

impl Power {
    fn init(&mut self, hp: f64, sr: f64, skip: bool) {
        self.c2 = one_pole_c2(hp, sr);
        self.c1 = 1.0 - self.c2;
        if !skip {
            self.q = 0.0;
        }
    }

    #[inline(always)]
    fn feed(&mut self, x: f64) -> f64 {
        self.q = self.c1 * x * x + self.c2 * self.q;
        self.q
    }
}

/// `kres rms asig [, ihp, iskip]`: the square root of the filtered power at
/// the end of each block.
struct Rms {
    out: Output,
    sig: Input,
    hp: Input,
    skip: Input,
    samples: usize,
    power: Power,
}

impl Opcode for Rms {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.power
            .init(self.hp.get(), ctx.rates.sr, self.skip.get() != 0.0);
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let mut q = 0.0;
        for i in 0..self.samples {
            q = self.power.feed(self.sig.at(i));
        }
        self.out.set(q.sqrt());
        Ok(())
    }
}

fn build_rms(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Rms {
        out: a.out(0),
        sig: a.input(0),
        hp: a.input(1),
        skip: a.input(2),
        samples: a.ksmps,
        power: Power::default(),
    })
}

/// `ares gain asig, krms [, ihp, iskip]`: scales `asig` so that its RMS
/// level becomes `krms`, ramping the gain across each block from the last
/// block's value (as `balance` does).
struct Gain {
    out: Output,
    sig: Input,
    rms: Input,
    hp: Input,
    skip: Input,
    samples: usize,
    power: Power,
    gain: f64,
}

impl Opcode for Gain {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let skip = self.skip.get() != 0.0;
        self.power.init(self.hp.get(), ctx.rates.sr, skip);
        if !skip {
            self.gain = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let mut q = self.power.q;
        for i in 0..self.samples {
            q = self.power.feed(self.sig.at(i));
        }
        let wanted = self.rms.get();
        let target = if q != 0.0 { wanted / q.sqrt() } else { wanted };
        let step = (target - self.gain) / self.samples as f64;
        if step != 0.0 {
            let mut g = self.gain;
            for i in 0..self.samples {
                self.out.set_at(i, self.sig.at(i) * g);
                g += step;
            }
        } else {
            for i in 0..self.samples {
                self.out.set_at(i, self.sig.at(i) * target);
            }
        }
        self.gain = target;
        Ok(())
    }
}

fn build_gain(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Gain {
        out: a.out(0),
        sig: a.input(0),
        rms: a.input(1),
        hp: a.input(2),
        skip: a.input(3),
        samples: a.ksmps,
        power: Power::default(),
        gain: 0.0,
    })
}

/// `ares balance2 asig, acomp [, ihp, iskip]`: like `balance`, but the gain
/// `sqrt(r / q)` is taken again at every sample (after that sample entered
/// both power filters) instead of being ramped per block.
struct Balance2 {
    out: Output,
    sig: Input,
    comp: Input,
    hp: Input,
    skip: Input,
    samples: usize,
    sig_power: Power,
    comp_power: Power,
}

impl Opcode for Balance2 {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let skip = self.skip.get() != 0.0;
        self.sig_power.init(self.hp.get(), ctx.rates.sr, skip);
        self.comp_power.init(self.hp.get(), ctx.rates.sr, skip);
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let s = self.sig.at(i);
            let q = self.sig_power.feed(s);
            let r = self.comp_power.feed(self.comp.at(i));
            let g = if q != 0.0 { (r / q).sqrt() } else { r.sqrt() };
            self.out.set_at(i, s * g);
        }
        Ok(())
    }
}

fn build_balance2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Balance2 {
        out: a.out(0),
        sig: a.input(0),
        comp: a.input(1),
        hp: a.input(2),
        skip: a.input(3),
        samples: a.ksmps,
        sig_power: Power::default(),
        comp_power: Power::default(),
    })
}

/// `ares follow asig, idt`: the largest absolute value of each window of
/// `idt` seconds, output from the window's last sample on until the next
/// window ends (zero during the first).
struct Follow {
    out: Output,
    sig: Input,
    period: Input,
    samples: usize,
    window: u64,
    count: u64,
    peak: f64,
    held: f64,
}

impl Opcode for Follow {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let window = self.period.get() * ctx.rates.sr;
        if !(1.0..1e12).contains(&window) {
            return Err(ctx.fail(format_args!(
                "follow: idt {} is shorter than one sample",
                self.period.get()
            )));
        }
        self.window = window as u64;
        self.count = 0;
        self.peak = 0.0;
        self.held = 0.0;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let x = self.sig.at(i).abs();
            if x > self.peak {
                self.peak = x;
            }
            self.count += 1;
            if self.count >= self.window {
                self.held = self.peak;
                self.peak = 0.0;
                self.count = 0;
            }
            self.out.set_at(i, self.held);
        }
        Ok(())
    }
}

fn build_follow(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Follow {
        out: a.out(0),
        sig: a.input(0),
        period: a.input(1),
        samples: a.ksmps,
        window: 1,
        count: 0,
        peak: 0.0,
        held: 0.0,
    })
}

/// `ares follow2 asig, katt, krel`: the envelope moves toward |x| with the
/// attack coefficient while rising and the release one while falling; each
/// is `0.001^(1 / (sr * t))`, so that it covers 60 dB in `t` seconds.
struct Follow2 {
    out: Output,
    sig: Input,
    attack: Input,
    release: Input,
    samples: usize,
    prev_attack: f64,
    prev_release: f64,
    ga: f64,
    gr: f64,
    env: f64,
}

/// The coefficient that decays by 60 dB in `seconds`.
fn sixty_db(seconds: f64, sr: f64) -> f64 {
    0.001f64.powf(1.0 / (sr * seconds))
}

impl Opcode for Follow2 {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev_attack = f64::NAN;
        self.prev_release = f64::NAN;
        self.env = 0.0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (att, rel) = (self.attack.get(), self.release.get());
        if att != self.prev_attack {
            self.prev_attack = att;
            self.ga = sixty_db(att, ctx.rates.sr);
        }
        if rel != self.prev_release {
            self.prev_release = rel;
            self.gr = sixty_db(rel, ctx.rates.sr);
        }
        let mut env = self.env;
        for i in 0..self.samples {
            let x = self.sig.at(i).abs();
            let g = if x > env { self.ga } else { self.gr };
            env = g * (env - x) + x;
            self.out.set_at(i, env);
        }
        self.env = env;
        Ok(())
    }
}

fn build_follow2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Follow2 {
        out: a.out(0),
        sig: a.input(0),
        attack: a.input(1),
        release: a.input(2),
        samples: a.ksmps,
        prev_attack: f64::NAN,
        prev_release: f64::NAN,
        ga: 0.0,
        gr: 0.0,
        env: 0.0,
    })
}

/// `knum max_k asig, ktrig, itype`: gathers the block's samples, then, when
/// `ktrig` is not zero, outputs what it gathered since the last trigger (1
/// the largest absolute value, 2 the maximum, 3 the minimum, 4 the mean)
/// and starts again. Between triggers the last result is held.
struct MaxK {
    out: Output,
    sig: Input,
    trig: Input,
    kind: Input,
    samples: usize,
    mode: u8,
    acc: f64,
    count: u64,
    held: f64,
}

impl MaxK {
    fn reset(&mut self) {
        self.acc = match self.mode {
            2 => f64::MIN,
            3 => f64::MAX,
            _ => 0.0,
        };
        self.count = 0;
    }
}

impl Opcode for MaxK {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let kind = self.kind.get();
        if !(1.0..=4.0).contains(&kind) || kind.fract() != 0.0 {
            return Err(ctx.fail(format_args!("max_k: itype {kind} is not 1, 2, 3 or 4")));
        }
        self.mode = kind as u8;
        self.held = 0.0;
        self.reset();
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let x = self.sig.at(i);
            match self.mode {
                1 => self.acc = self.acc.max(x.abs()),
                2 => self.acc = self.acc.max(x),
                3 => self.acc = self.acc.min(x),
                _ => self.acc += x,
            }
        }
        self.count += self.samples as u64;
        if self.trig.get() != 0.0 {
            self.held = if self.mode == 4 {
                self.acc / self.count as f64
            } else {
                self.acc
            };
            self.reset();
        }
        self.out.set(self.held);
        Ok(())
    }
}

fn build_max_k(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(MaxK {
        out: a.out(0),
        sig: a.input(0),
        trig: a.input(1),
        kind: a.input(2),
        samples: a.ksmps,
        mode: 1,
        acc: 0.0,
        count: 0,
        held: 0.0,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "rms",
        "k",
        "aqo",
        Pass::Both,
        build_rms,
        "RMS level of an audio signal through a low-pass at ihp Hz (default 10)",
    ),
    spec(
        "gain",
        "a",
        "akqo",
        Pass::Both,
        build_gain,
        "scale a signal so that its RMS level is krms",
    ),
    spec(
        "balance2",
        "a",
        "aaqo",
        Pass::Both,
        build_balance2,
        "balance with the gain taken at every sample",
    ),
    spec(
        "follow",
        "a",
        "ai",
        Pass::Both,
        build_follow,
        "peak absolute value of each window of idt seconds, held",
    ),
    spec(
        "follow2",
        "a",
        "akk",
        Pass::Both,
        build_follow2,
        "envelope follower with 60 dB attack and release times",
    ),
    spec(
        "max_k",
        "k",
        "aki",
        Pass::Both,
        build_max_k,
        "peak (1), maximum (2), minimum (3) or mean (4) of a signal between triggers",
    ),
];
