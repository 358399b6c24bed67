//! The Butterworth sections `butterlp`/`butterhp`/`butterbp`/`butterbr` (and the `butlp`... aliases).

use super::*;

/// Which Butterworth section.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Butter {
    Low,
    High,
    Band,
    Reject,
}

/// `butterlp/butterhp asig, xfreq [, iskip]` and `butterbp/butterbr asig,
/// xfreq, xband [, iskip]`: second-order Butterworth sections designed by
/// the bilinear transform (direct form II, as in Csound).
struct Butterworth {
    out: Output,
    sig: Input,
    freq: Input,
    band: Input,
    skip: Input,
    kind: Butter,
    samples: usize,
    prev_freq: f64,
    prev_band: f64,
    /// a1..a5 of the difference equation (a[0] unused, to keep the names).
    a: [f64; 6],
    s1: f64,
    s2: f64,
}

pub(super) fn build_butter(a: &Args, kind: Butter) -> Result<Box<dyn Opcode>, String> {
    let two = matches!(kind, Butter::Band | Butter::Reject);
    boxed(Butterworth {
        out: a.out(0),
        sig: a.input(0),
        freq: a.input(1),
        band: if two { a.input(2) } else { Input::zero() },
        skip: a.input(if two { 3 } else { 2 }),
        kind,
        samples: a.ksmps,
        prev_freq: f64::NAN,
        prev_band: f64::NAN,
        a: [0.0; 6],
        s1: 0.0,
        s2: 0.0,
    })
}

impl Butterworth {
    /// Whether the controls make the section a bypass (true: copy the
    /// input) or a mute (false), as Csound does for a cutoff or bandwidth
    /// not above zero; None for a working filter.
    #[inline(always)]
    fn degenerate(&self, freq: f64, band: f64) -> Option<bool> {
        match self.kind {
            Butter::Low if freq <= 0.0 => Some(false),
            Butter::High if freq <= 0.0 => Some(true),
            Butter::Band if band <= 0.0 => Some(false),
            Butter::Reject if band <= 0.0 => Some(true),
            _ => None,
        }
    }

    #[inline(always)]
    fn update(&mut self, freq: f64, band: f64, sr: f64) {
        if freq == self.prev_freq && band == self.prev_band {
            return;
        }
        self.prev_freq = freq;
        self.prev_band = band;
        let pidsr = PI / sr;
        let a = &mut self.a;
        match self.kind {
            Butter::Low => {
                let c = 1.0 / (pidsr * freq).tan();
                a[1] = 1.0 / (1.0 + SQRT_2 * c + c * c);
                a[2] = 2.0 * a[1];
                a[3] = a[1];
                a[4] = 2.0 * (1.0 - c * c) * a[1];
                a[5] = (1.0 - SQRT_2 * c + c * c) * a[1];
            }
            Butter::High => {
                let c = (pidsr * freq).tan();
                a[1] = 1.0 / (1.0 + SQRT_2 * c + c * c);
                a[2] = -2.0 * a[1];
                a[3] = a[1];
                a[4] = 2.0 * (c * c - 1.0) * a[1];
                a[5] = (1.0 - SQRT_2 * c + c * c) * a[1];
            }
            Butter::Band => {
                let c = 1.0 / (pidsr * band).tan();
                let d = 2.0 * (2.0 * pidsr * freq).cos();
                a[1] = 1.0 / (1.0 + c);
                a[2] = 0.0;
                a[3] = -a[1];
                a[4] = -c * d * a[1];
                a[5] = (c - 1.0) * a[1];
            }
            Butter::Reject => {
                let c = (pidsr * band).tan();
                let d = 2.0 * (2.0 * pidsr * freq).cos();
                a[1] = 1.0 / (1.0 + c);
                a[2] = -d * a[1];
                a[3] = a[1];
                a[4] = a[2];
                a[5] = (1.0 - c) * a[1];
            }
        }
    }

    #[inline(always)]
    fn tick(&mut self, x: f64) -> f64 {
        let a = &self.a;
        let t = x - a[4] * self.s1 - a[5] * self.s2;
        let y = t * a[1] + a[2] * self.s1 + a[3] * self.s2;
        self.s2 = self.s1;
        self.s1 = t;
        y
    }
}

impl Opcode for Butterworth {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev_freq = f64::NAN;
        self.prev_band = f64::NAN;
        if self.skip.get() == 0.0 {
            self.s1 = 0.0;
            self.s2 = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        if self.freq.is_audio() || self.band.is_audio() {
            for i in 0..self.samples {
                let (f, b) = (self.freq.at(i), self.band.at(i));
                let x = self.sig.at(i);
                let y = match self.degenerate(f, b) {
                    Some(pass) => {
                        if pass {
                            x
                        } else {
                            0.0
                        }
                    }
                    None => {
                        self.update(f, b, sr);
                        self.tick(x)
                    }
                };
                self.out.set_at(i, y);
            }
            return Ok(());
        }
        let (f, b) = (self.freq.get(), self.band.get());
        if let Some(pass) = self.degenerate(f, b) {
            for i in 0..self.samples {
                self.out.set_at(i, if pass { self.sig.at(i) } else { 0.0 });
            }
            return Ok(());
        }
        self.update(f, b, sr);
        for i in 0..self.samples {
            let y = self.tick(self.sig.at(i));
            self.out.set_at(i, y);
        }
        Ok(())
    }
}
