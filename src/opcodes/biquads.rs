//! Two-pole two-zero filters: `biquad`/`biquada` (coefficients given),
//! `resonz`/`resonr` (Smith and Angell's resonators), `pareq` (Zoelzer's
//! peaking and shelving equalisers), `rbjeq` (Bristow-Johnson's seven
//! types), `eqfil` (Regalia and Mitra's peak/notch equaliser) and
//! `svfilter` (Chamberlin's state-variable filter, its three outputs).
//!
//! All run one direct-form-I section, `y = b0 x + b1 x1 + b2 x2 - a1 y1 -
//! a2 y2`, with coefficients divided by a0 (`eqfil` runs its allpass in it
//! and mixes that with the input). The designs are the formulas of
//! the manual's pages; where a page leaves a choice open (which bandwidth
//! form `rbjeq` uses for its band types, how `resonz` scales) the one
//! csound 6.18 takes was found by comparing impulse responses.

use std::f64::consts::PI;

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// One section's coefficients (already divided by a0) and state.
#[derive(Clone, Copy, Default)]
struct Section {
    b0: f64,
    b1: f64,
    b2: f64,
    a1: f64,
    a2: f64,
    x1: f64,
    x2: f64,
    y1: f64,
    y2: f64,
}

impl Section {
    fn set(&mut self, b: [f64; 3], a: [f64; 3]) {
        let inv = 1.0 / a[0];
        self.b0 = b[0] * inv;
        self.b1 = b[1] * inv;
        self.b2 = b[2] * inv;
        self.a1 = a[1] * inv;
        self.a2 = a[2] * inv;
    }

    fn clear(&mut self) {
        self.x1 = 0.0;
        self.x2 = 0.0;
        self.y1 = 0.0;
        self.y2 = 0.0;
    }

    #[inline(always)]
    fn tick(&mut self, x: f64) -> f64 {
        let y = self.b0 * x + self.b1 * self.x1 + self.b2 * self.x2
            - self.a1 * self.y1
            - self.a2 * self.y2;
        self.x2 = self.x1;
        self.x1 = x;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

/// `biquad asig, kb0, kb1, kb2, ka0, ka1, ka2 [, iskip]` and `biquada`
/// (the same with audio-rate coefficients).
struct Biquad {
    out: Output,
    sig: Input,
    coef: [Input; 6],
    skip: Input,
    samples: usize,
    per_sample: bool,
    section: Section,
}

impl Biquad {
    #[inline(always)]
    fn update(&mut self, i: usize) {
        let c = self.coef.map(|c| c.at(i));
        self.section.set([c[0], c[1], c[2]], [c[3], c[4], c[5]]);
    }
}

impl Opcode for Biquad {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        if self.skip.get() == 0.0 {
            self.section.clear();
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        if !self.per_sample {
            self.update(0);
        }
        for i in 0..self.samples {
            if self.per_sample {
                self.update(i);
            }
            let y = self.section.tick(self.sig.at(i));
            self.out.set_at(i, y);
        }
        Ok(())
    }
}

fn build_biquad(a: &Args, per_sample: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Biquad {
        out: a.out(0),
        sig: a.input(0),
        coef: [1, 2, 3, 4, 5, 6].map(|i| a.input(i)),
        skip: a.input(7),
        samples: a.ksmps,
        per_sample,
        section: Section::default(),
    })
}

/// `resonz asig, xcf, xbw [, iscl, iskip]` (zeros at 1 and -1) and `resonr`
/// (zeros at +-sqrt(R)): poles at radius `R = exp(-pi bw / sr)` and angle
/// `2 pi cf / sr`. `iscl` 1 scales the peak to unity (`(1 - R^2) / 2` for
/// resonz, `1 - R` for resonr), 2 the RMS response (their square roots).
struct Resonz {
    out: Output,
    sig: Input,
    cf: Input,
    bw: Input,
    scale: Input,
    skip: Input,
    samples: usize,
    r_zeros: bool,
    prev: (f64, f64),
    section: Section,
}

impl Resonz {
    #[inline(always)]
    fn update(&mut self, cf: f64, bw: f64, sr: f64) {
        if (cf, bw) == self.prev {
            return;
        }
        self.prev = (cf, bw);
        let r = (-PI * bw / sr).exp();
        let c1 = 2.0 * r * (2.0 * PI * cf / sr).cos();
        let c2 = -r * r;
        let mode = self.scale.get();
        let (zero, peak) = if self.r_zeros {
            (r, 1.0 - r)
        } else {
            (1.0, (1.0 - r * r) / 2.0)
        };
        let g = if mode == 1.0 {
            peak
        } else if mode == 2.0 {
            peak.sqrt()
        } else {
            1.0
        };
        let s = &mut self.section;
        s.b0 = g;
        s.b1 = 0.0;
        s.b2 = -g * zero;
        s.a1 = -c1;
        s.a2 = -c2;
    }
}

impl Opcode for Resonz {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev = (f64::NAN, f64::NAN);
        if self.skip.get() == 0.0 {
            self.section.clear();
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        let per_sample = self.cf.is_audio() || self.bw.is_audio();
        if !per_sample {
            self.update(self.cf.get(), self.bw.get(), sr);
        }
        for i in 0..self.samples {
            if per_sample {
                self.update(self.cf.at(i), self.bw.at(i), sr);
            }
            let y = self.section.tick(self.sig.at(i));
            self.out.set_at(i, y);
        }
        Ok(())
    }
}

fn build_resonz(a: &Args, r_zeros: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Resonz {
        out: a.out(0),
        sig: a.input(0),
        cf: a.input(1),
        bw: a.input(2),
        scale: a.input(3),
        skip: a.input(4),
        samples: a.ksmps,
        r_zeros,
        prev: (f64::NAN, f64::NAN),
        section: Section::default(),
    })
}

/// Which equaliser a [`Equaliser`] designs from its three controls.
#[derive(Clone, Copy, PartialEq)]
enum Design {
    /// `pareq` modes 0, 1, 2: peaking, low shelf, high shelf (kv, kq).
    Pareq(u8),
    /// `rbjeq` types 0, 2, ..., 12 (klvl, kQ, kS).
    Rbj(u8),
    /// `eqfil` (kbw, kgain).
    Eqfil,
}

/// The coefficients of one design at frequency `f` with controls `p`.
fn design(d: Design, f: f64, p: [f64; 3], sr: f64) -> ([f64; 3], [f64; 3]) {
    let w0 = 2.0 * PI * f / sr;
    match d {
        Design::Pareq(mode) => {
            let (v, q) = (p[0], p[1]);
            let a = |k: f64| {
                [
                    1.0 + k / q + k * k,
                    2.0 * (k * k - 1.0),
                    1.0 - k / q + k * k,
                ]
            };
            match mode {
                1 | 2 => {
                    let k = if mode == 1 {
                        (w0 / 2.0).tan()
                    } else {
                        ((PI - w0) / 2.0).tan()
                    };
                    let r = (2.0 * v).sqrt() * k;
                    let vk2 = v * k * k;
                    let mut b = [1.0 + r + vk2, 2.0 * (vk2 - 1.0), 1.0 - r + vk2];
                    let mut a = a(k);
                    if mode == 2 {
                        b[1] = -b[1];
                        a[1] = -a[1];
                    }
                    (b, a)
                }
                _ => {
                    let k = (w0 / 2.0).tan();
                    let b = [
                        1.0 + v * k / q + k * k,
                        2.0 * (k * k - 1.0),
                        1.0 - v * k / q + k * k,
                    ];
                    (b, a(k))
                }
            }
        }
        Design::Rbj(kind) => {
            let (lvl, q, s) = (p[0], p[1], p[2]);
            let (sn, cs) = w0.sin_cos();
            match kind {
                0 | 2 => {
                    let alpha = sn / (2.0 * q);
                    let a = [1.0 + alpha, -2.0 * cs, 1.0 - alpha];
                    let b = if kind == 0 {
                        let h = (1.0 - cs) / 2.0;
                        [h, 1.0 - cs, h]
                    } else {
                        let h = (1.0 + cs) / 2.0;
                        [h, -(1.0 + cs), h]
                    };
                    (b, a)
                }
                4 | 6 | 8 => {
                    // The band types take kfco / kQ as a bandwidth in Hz
                    // through the bilinear transform's tangent.
                    let alpha = (PI * (f / q) / sr).tan();
                    match kind {
                        4 => ([alpha, 0.0, -alpha], [1.0 + alpha, -2.0 * cs, 1.0 - alpha]),
                        6 => ([1.0, -2.0 * cs, 1.0], [1.0 + alpha, -2.0 * cs, 1.0 - alpha]),
                        _ => {
                            let a = lvl.sqrt();
                            (
                                [1.0 + alpha * a, -2.0 * cs, 1.0 - alpha * a],
                                [1.0 + alpha / a, -2.0 * cs, 1.0 - alpha / a],
                            )
                        }
                    }
                }
                _ => {
                    let a = lvl.sqrt();
                    let alpha = sn / 2.0 * ((a + 1.0 / a) * (1.0 / s - 1.0) + 2.0).sqrt();
                    let sa = 2.0 * a.sqrt() * alpha;
                    let (ap, am) = (a + 1.0, a - 1.0);
                    if kind == 10 {
                        (
                            [
                                a * (ap - am * cs + sa),
                                2.0 * a * (am - ap * cs),
                                a * (ap - am * cs - sa),
                            ],
                            [ap + am * cs + sa, -2.0 * (am + ap * cs), ap + am * cs - sa],
                        )
                    } else {
                        (
                            [
                                a * (ap + am * cs + sa),
                                -2.0 * a * (am + ap * cs),
                                a * (ap + am * cs - sa),
                            ],
                            [ap - am * cs + sa, 2.0 * (am - ap * cs), ap - am * cs - sa],
                        )
                    }
                }
            }
        }
        Design::Eqfil => {
            // The allpass section A(z) = (d - c (1 + d) z^-1 + z^-2) /
            // (1 - c (1 + d) z^-1 + d z^-2); the equaliser mixes it with
            // the input (see `Equaliser::perform`).
            let bw = p[0];
            let c = w0.cos();
            let t = (PI * bw / sr).tan();
            let d = (1.0 - t) / (1.0 + t);
            let m = -c * (1.0 + d);
            ([d, m, 1.0], [1.0, m, d])
        }
    }
}

/// `pareq asig, kc, kv, kq [, imode, iskip]`, `rbjeq asig, kfco, klvl, kQ,
/// kS [, imode]` and `eqfil ain, kcf, kbw, kgain [, istor]`: an equaliser
/// section redesigned whenever a control changes.
struct Equaliser {
    out: Output,
    sig: Input,
    freq: Input,
    controls: [Input; 3],
    mode: Input,
    skip: Input,
    samples: usize,
    design: Design,
    prev: [f64; 4],
    section: Section,
}

impl Opcode for Equaliser {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let mode = self.mode.get();
        let skip = match self.design {
            Design::Pareq(_) => {
                if !(0.0..=2.0).contains(&mode) {
                    return Err(ctx.fail(format_args!("pareq: imode {mode} is not 0, 1 or 2")));
                }
                self.design = Design::Pareq(mode as u8);
                self.skip.get() != 0.0
            }
            Design::Rbj(_) => {
                let m = mode as i64;
                let kind = m & !1;
                if !(0..=12).contains(&kind) {
                    return Err(ctx.fail(format_args!("rbjeq: unknown filter type {kind}")));
                }
                self.design = Design::Rbj(kind as u8);
                m & 1 != 0
            }
            Design::Eqfil => self.skip.get() != 0.0,
        };
        self.prev = [f64::NAN; 4];
        if !skip {
            self.section.clear();
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let now = [
            self.freq.get(),
            self.controls[0].get(),
            self.controls[1].get(),
            self.controls[2].get(),
        ];
        if now != self.prev {
            self.prev = now;
            let (b, a) = design(self.design, now[0], [now[1], now[2], now[3]], ctx.rates.sr);
            self.section.set(b, a);
        }
        if self.design == Design::Eqfil {
            // Regalia and Mitra's structure: (1 + g) / 2 of the input plus
            // (1 - g) / 2 of the allpass output. Keeping the allpass's own
            // state (not one combined section's) matters when kgain moves.
            let g = now[2];
            let (h, l) = ((1.0 + g) / 2.0, (1.0 - g) / 2.0);
            for i in 0..self.samples {
                let x = self.sig.at(i);
                let ap = self.section.tick(x);
                self.out.set_at(i, h * x + l * ap);
            }
            return Ok(());
        }
        for i in 0..self.samples {
            let y = self.section.tick(self.sig.at(i));
            self.out.set_at(i, y);
        }
        Ok(())
    }
}

fn build_pareq(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Equaliser {
        out: a.out(0),
        sig: a.input(0),
        freq: a.input(1),
        controls: [a.input(2), a.input(3), Input::zero()],
        mode: a.input(4),
        skip: a.input(5),
        samples: a.ksmps,
        design: Design::Pareq(0),
        prev: [f64::NAN; 4],
        section: Section::default(),
    })
}

fn build_rbjeq(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Equaliser {
        out: a.out(0),
        sig: a.input(0),
        freq: a.input(1),
        controls: [a.input(2), a.input(3), a.input(4)],
        mode: a.input(5),
        skip: Input::zero(),
        samples: a.ksmps,
        design: Design::Rbj(0),
        prev: [f64::NAN; 4],
        section: Section::default(),
    })
}

fn build_eqfil(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Equaliser {
        out: a.out(0),
        sig: a.input(0),
        freq: a.input(1),
        controls: [a.input(2), a.input(3), Input::zero()],
        mode: Input::zero(),
        skip: a.input(4),
        samples: a.ksmps,
        design: Design::Eqfil,
        prev: [f64::NAN; 4],
        section: Section::default(),
    })
}

/// `alow, ahigh, aband svfilter asig, kcf, kq [, iscl, iskip]`:
/// Chamberlin's state-variable filter, `f = 2 sin(pi cf / sr)`,
/// `q = 1 / kq`; per sample `low += f band`, `high = s x - low - q band`,
/// `band += f high`, where `s` is `q` with `iscl` set (unit peak), else 1.
struct Svfilter {
    low: Output,
    high: Output,
    band: Output,
    sig: Input,
    cf: Input,
    q: Input,
    scale: Input,
    skip: Input,
    samples: usize,
    prev: (f64, f64),
    f: f64,
    damp: f64,
    state: (f64, f64),
}

impl Opcode for Svfilter {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev = (f64::NAN, f64::NAN);
        if self.skip.get() == 0.0 {
            self.state = (0.0, 0.0);
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let now = (self.cf.get(), self.q.get());
        if now != self.prev {
            self.prev = now;
            self.f = 2.0 * (PI * now.0 / ctx.rates.sr).sin();
            self.damp = 1.0 / now.1;
        }
        let s = if self.scale.get() != 0.0 {
            self.damp
        } else {
            1.0
        };
        let (f, q) = (self.f, self.damp);
        let (mut low, mut band) = self.state;
        for i in 0..self.samples {
            low += f * band;
            let high = s * self.sig.at(i) - low - q * band;
            band += f * high;
            self.low.set_at(i, low);
            self.high.set_at(i, high);
            self.band.set_at(i, band);
        }
        self.state = (low, band);
        Ok(())
    }
}

fn build_svfilter(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Svfilter {
        low: a.out(0),
        high: a.out(1),
        band: a.out(2),
        sig: a.input(0),
        cf: a.input(1),
        q: a.input(2),
        scale: a.input(3),
        skip: a.input(4),
        samples: a.ksmps,
        prev: (f64::NAN, f64::NAN),
        f: 0.0,
        damp: 1.0,
        state: (0.0, 0.0),
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "svfilter",
        "aaa",
        "akkoo",
        Pass::Both,
        build_svfilter,
        "Chamberlin's state-variable filter: low-pass, high-pass and band-pass outputs",
    ),
    spec(
        "biquad",
        "a",
        "akkkkkko",
        Pass::Both,
        |a| build_biquad(a, false),
        "general two-pole two-zero filter from six control-rate coefficients",
    ),
    spec(
        "biquada",
        "a",
        "aaaaaaao",
        Pass::Both,
        |a| build_biquad(a, true),
        "general two-pole two-zero filter from six audio-rate coefficients",
    ),
    spec(
        "resonz",
        "a",
        "axxoo",
        Pass::Both,
        |a| build_resonz(a, false),
        "two-pole band-pass with zeros at 1 and -1 (nearly constant gain when swept)",
    ),
    spec(
        "resonr",
        "a",
        "axxoo",
        Pass::Both,
        |a| build_resonz(a, true),
        "two-pole band-pass with zeros at +-sqrt(R) (constant peak gain when swept)",
    ),
    spec(
        "pareq",
        "a",
        "akkkoo",
        Pass::Both,
        build_pareq,
        "Zoelzer's parametric equaliser: peaking (0), low shelf (1), high shelf (2)",
    ),
    spec(
        "rbjeq",
        "a",
        "akkkko",
        Pass::Both,
        build_rbjeq,
        "Bristow-Johnson's equaliser: low/high-pass, band-pass/reject, peaking, shelves",
    ),
    spec(
        "eqfil",
        "a",
        "akkko",
        Pass::Both,
        build_eqfil,
        "Regalia-Mitra peak/notch equaliser at kcf with bandwidth kbw and gain kgain",
    ),
];
