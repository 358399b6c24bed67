//! Filters: one-pole `tone`/`atone`, the resonators `reson`/`areson`, the
//! Butterworth sections (`butterlp`/`butterhp`/`butterbp`/`butterbr` and
//! their `butlp`... aliases), the ladder filters `moogladder`/`moogvcf`/
//! `moogvcf2`, `lowpass2`, Mikelson's `lowres`/`lowresx`, the `hilbert`
//! transformer, the control-rate smoothers `port`/`portk`, and the stacks
//! `tonex`/`atonex`/`resonx` (several identical sections in series).
//!
//! Each filter keeps its state in `f64` and follows Csound 6.18's difference
//! equations term by term, so renders agree sample for sample. Coefficients
//! are recomputed only when a control input changed since the last block
//! (a NaN "previous value" forces the first computation); audio-rate
//! controls are checked sample by sample. An `iskip`/`istor` argument that is
//! not zero keeps the state of the previous note (tied or reused instances).

use std::f64::consts::{PI, SQRT_2, TAU};

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// The one-pole feedback coefficient for a half-power point of `hz`
/// (`c2` of `tone`/`atone`/`balance`): `b = 2 - cos(2 pi hz / sr)`,
/// `c2 = b - sqrt(b^2 - 1)`.
pub(crate) fn one_pole_c2(hz: f64, sr: f64) -> f64 {
    let b = 2.0 - (hz * (TAU / sr)).cos();
    b - (b * b - 1.0).sqrt()
}

/// Values per block: `ksmps` for an audio output, 1 for the control-rate
/// forms (`tonek`, `resonk`, ...).
fn block_or_one(a: &Args) -> usize {
    if a.out_rate(0) == super::Rate::Control {
        1
    } else {
        a.ksmps
    }
}

/// The rate a filter runs at: sr, or kr for the control-rate forms (the
/// same when ksmps is 1).
fn tick_rate(ctx: &Ctx, samples: usize) -> f64 {
    if samples == 1 {
        ctx.rates.kr
    } else {
        ctx.rates.sr
    }
}

/// `tone asig, khp [, iskip]` (low-pass) and `atone` (its high-pass
/// complement): first-order recursive filters.
struct Tone {
    out: Output,
    sig: Input,
    hp: Input,
    skip: Input,
    high: bool,
    samples: usize,
    prev_hp: f64,
    c1: f64,
    c2: f64,
    y1: f64,
}

fn build_tone(a: &Args, high: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Tone {
        out: a.out(0),
        sig: a.input(0),
        hp: a.input(1),
        skip: a.input(2),
        high,
        samples: block_or_one(a),
        prev_hp: f64::NAN,
        c1: 0.0,
        c2: 0.0,
        y1: 0.0,
    })
}

impl Opcode for Tone {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev_hp = f64::NAN;
        if self.skip.get() == 0.0 {
            self.y1 = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let hp = self.hp.get();
        if hp != self.prev_hp {
            self.prev_hp = hp;
            self.c2 = one_pole_c2(hp, tick_rate(ctx, self.samples));
            self.c1 = 1.0 - self.c2;
        }
        let (c1, c2) = (self.c1, self.c2);
        let mut y1 = self.y1;
        if self.high {
            // atone keeps y[n] - x[n] as its state.
            for i in 0..self.samples {
                let x = self.sig.at(i);
                let y = c2 * (y1 + x);
                self.out.set_at(i, y);
                y1 = y - x;
            }
        } else {
            for i in 0..self.samples {
                y1 = c1 * self.sig.at(i) + c2 * y1;
                self.out.set_at(i, y1);
            }
        }
        self.y1 = y1;
        Ok(())
    }
}

/// `reson asig, xcf, xbw [, iscl, iskip]` (second-order resonator) and
/// `areson` (its notch complement). `iscl` 1 scales the peak to unity,
/// 2 the RMS response to unity, 0 leaves the raw gain.
struct Reson {
    out: Output,
    sig: Input,
    cf: Input,
    bw: Input,
    scale_arg: Input,
    scale: i32,
    skip: Input,
    notch: bool,
    samples: usize,
    prev_cf: f64,
    prev_bw: f64,
    cosf: f64,
    c1: f64,
    c2: f64,
    c3: f64,
    y1: f64,
    y2: f64,
}

fn build_reson(a: &Args, notch: bool) -> Result<Box<dyn Opcode>, String> {
    let name = if notch { "areson" } else { "reson" };
    let scale = match a.constant(3) {
        Some(s) if s != 0.0 && s != 1.0 && s != 2.0 => {
            return Err(format!("{name}: illegal iscl value {s} (use 0, 1 or 2)"));
        }
        Some(s) => s as i32,
        None => -1,
    };
    boxed(Reson {
        out: a.out(0),
        sig: a.input(0),
        cf: a.input(1),
        bw: a.input(2),
        scale_arg: a.input(3),
        scale,
        skip: a.input(4),
        notch,
        samples: block_or_one(a),
        prev_cf: f64::NAN,
        prev_bw: f64::NAN,
        cosf: 0.0,
        c1: 0.0,
        c2: 0.0,
        c3: 0.0,
        y1: 0.0,
        y2: 0.0,
    })
}

impl Reson {
    /// Recompute the coefficients if `cf` or `bw` changed.
    #[inline(always)]
    fn update(&mut self, cf: f64, bw: f64, sr: f64) {
        let a = self.set_cf(cf, sr);
        let b = self.set_bw(bw, sr);
        if a || b {
            self.coefficients();
        }
    }

    /// Take a new centre frequency; true if it changed.
    #[inline(always)]
    fn set_cf(&mut self, cf: f64, sr: f64) -> bool {
        if cf == self.prev_cf {
            return false;
        }
        self.prev_cf = cf;
        self.cosf = (cf * (TAU / sr)).cos();
        true
    }

    /// Take a new bandwidth; true if it changed.
    #[inline(always)]
    fn set_bw(&mut self, bw: f64, sr: f64) -> bool {
        if bw == self.prev_bw {
            return false;
        }
        self.prev_bw = bw;
        self.c3 = (bw * (-TAU / sr)).exp();
        true
    }

    /// c1 and c2 from the current cos(cf) and c3.
    #[inline(always)]
    fn coefficients(&mut self) {
        let c3 = self.c3;
        let c3p1 = c3 + 1.0;
        let c3t4 = c3 * 4.0;
        let omc3 = 1.0 - c3;
        self.c2 = c3t4 * self.cosf / c3p1;
        let c2sqr = self.c2 * self.c2;
        // reson's gain for a unit peak (1) or unit RMS (2); areson is
        // D times the input minus that resonance (D is 2 for iscl 2,
        // else 1), so its input gain is D - gain (0 unscaled).
        let gain = match self.scale {
            1 => omc3 * (1.0 - c2sqr / c3t4).sqrt(),
            2 => ((c3p1 * c3p1 - c2sqr) * omc3 / c3p1).sqrt(),
            _ => 1.0,
        };
        self.c1 = if !self.notch {
            gain
        } else {
            match self.scale {
                1 => 1.0 - gain,
                2 => 2.0 - gain,
                _ => 0.0,
            }
        };
    }
}

impl Opcode for Reson {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.scale = self.scale_input(ctx)?;
        self.prev_cf = f64::NAN;
        self.prev_bw = f64::NAN;
        // The coefficients are left as they are: areson at a-rate starts
        // from those of the note this instance last played (zero when new),
        // as csound's reused instances do (see perform_notch_audio).
        if self.skip.get() == 0.0 {
            self.y1 = 0.0;
            self.y2 = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = tick_rate(ctx, self.samples);
        let per_sample = self.cf.is_audio() || self.bw.is_audio();
        if per_sample && self.notch {
            self.perform_notch_audio(sr);
            return Ok(());
        }
        if !per_sample {
            self.update(self.cf.get(), self.bw.get(), sr);
        }
        let (mut y1, mut y2) = (self.y1, self.y2);
        // areson with iscl 2 subtracts twice the input (its "D" is 2).
        let d = if self.notch {
            if self.scale == 2 { 2.0 } else { 1.0 }
        } else {
            0.0
        };
        for i in 0..self.samples {
            if per_sample {
                self.update(self.cf.at(i), self.bw.at(i), sr);
            }
            let x = self.sig.at(i);
            let y = self.c1 * x + self.c2 * y1 - self.c3 * y2;
            self.out.set_at(i, y);
            y2 = y1;
            // areson keeps y - D*x as state: output = D*x - resonance.
            y1 = y - d * x;
        }
        self.y1 = y1;
        self.y2 = y2;
        Ok(())
    }
}

impl Reson {
    /// `areson` with an a-rate centre or bandwidth, as csound 6 computes it:
    /// each block filters with the coefficients in force when the block
    /// begins (after a k-rate argument's change is taken in, which combines
    /// it with the other argument's last value), and the per-sample changes
    /// of an a-rate argument only take effect from the next block. A new
    /// instance starts from zero coefficients, so its first block is shaped
    /// by the k-rate argument alone (or silent when both are a-rate), and a
    /// reused one from those its previous note left. (A-rate bandwidth with
    /// a k-rate centre and iscl 1 thus starts on 0/0 and gives NaN, in
    /// csound too.)
    fn perform_notch_audio(&mut self, sr: f64) {
        let (cf_audio, bw_audio) = (self.cf.is_audio(), self.bw.is_audio());
        let mut changed = false;
        if !cf_audio {
            changed |= self.set_cf(self.cf.get(), sr);
        }
        if !bw_audio {
            changed |= self.set_bw(self.bw.get(), sr);
        }
        if changed {
            self.coefficients();
        }
        let (c1, c2, c3) = (self.c1, self.c2, self.c3);
        let d = if self.scale == 2 { 2.0 } else { 1.0 };
        let (mut y1, mut y2) = (self.y1, self.y2);
        for i in 0..self.samples {
            let mut changed = false;
            if cf_audio {
                changed |= self.set_cf(self.cf.at(i), sr);
            }
            if bw_audio {
                changed |= self.set_bw(self.bw.at(i), sr);
            }
            if changed {
                self.coefficients();
            }
            let x = self.sig.at(i);
            let y = c1 * x + c2 * y1 - c3 * y2;
            self.out.set_at(i, y);
            y2 = y1;
            y1 = y - d * x;
        }
        self.y1 = y1;
        self.y2 = y2;
    }

    /// The `iscl` argument, checked (a constant was checked when building).
    fn scale_input(&self, ctx: &mut Ctx) -> Result<i32, Failed> {
        let s = self.scale_arg.get();
        if s != 0.0 && s != 1.0 && s != 2.0 {
            let name = if self.notch { "areson" } else { "reson" };
            return Err(ctx.fail(format_args!(
                "{name}: illegal iscl value {s} (use 0, 1 or 2)"
            )));
        }
        Ok(s as i32)
    }
}

/// Which Butterworth section.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Butter {
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

fn build_butter(a: &Args, kind: Butter) -> Result<Box<dyn Opcode>, String> {
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

/// The thermal voltage scale of `moogladder`'s transistor model (1/40000
/// of a 16-bit full scale): csound 6.18 applies it to the signal scaled to
/// 32768 at 0dbfs (fitted: the tanh argument is 0.8192 x at 0dbfs = 1).
const THERMAL: f64 = 0.000025;

/// `moogladder ain, xcf, xres [, istor]`: Huovilainen's non-linear model of
/// the Moog ladder, four tanh stages run at twice the sample rate with a
/// half-sample delay to compensate the phase.
struct MoogLadder {
    out: Output,
    sig: Input,
    cf: Input,
    res: Input,
    skip: Input,
    samples: usize,
    prev_cf: f64,
    prev_res: f64,
    tune: f64,
    res4: f64,
    acr: f64,
    /// THERMAL per unit of signal (for the note's 0dbfs).
    thermal: f64,
    delay: [f64; 6],
    tanh_stage: [f64; 3],
}

fn build_moogladder(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(MoogLadder {
        out: a.out(0),
        sig: a.input(0),
        cf: a.input(1),
        res: a.input(2),
        skip: a.input(3),
        samples: a.ksmps,
        prev_cf: f64::NAN,
        prev_res: f64::NAN,
        tune: 0.0,
        res4: 0.0,
        acr: 0.0,
        thermal: THERMAL,
        delay: [0.0; 6],
        tanh_stage: [0.0; 3],
    })
}

impl MoogLadder {
    #[inline(always)]
    fn update(&mut self, cf: f64, res: f64, sr: f64) {
        if cf != self.prev_cf {
            self.prev_cf = cf;
            let fc = cf / sr;
            let f = 0.5 * fc;
            let fc2 = fc * fc;
            let fc3 = fc2 * fc;
            // Huovilainen's polynomial corrections of tuning and resonance.
            let fcr = 1.8730 * fc3 + 0.4955 * fc2 - 0.6490 * fc + 0.9988;
            self.acr = -3.9364 * fc2 + 1.8409 * fc + 0.9968;
            self.tune = (1.0 - (-(TAU * f * fcr)).exp()) / self.thermal;
            self.prev_res = f64::NAN;
        }
        if res != self.prev_res {
            self.prev_res = res;
            self.res4 = 4.0 * res * self.acr;
        }
    }

    #[inline(always)]
    fn tick(&mut self, x: f64) -> f64 {
        let d = &mut self.delay;
        let t = &mut self.tanh_stage;
        let tune = self.tune;
        let thermal = self.thermal;
        for _ in 0..2 {
            let input = x - self.res4 * d[5];
            let mut stage = d[0] + tune * ((input * thermal).tanh() - t[0]);
            d[0] = stage;
            for k in 1..4 {
                let th = (stage * thermal).tanh();
                t[k - 1] = th;
                let other = if k != 3 {
                    t[k]
                } else {
                    (d[k] * thermal).tanh()
                };
                stage = d[k] + tune * (th - other);
                d[k] = stage;
            }
            d[5] = (stage + d[4]) * 0.5;
            d[4] = stage;
        }
        d[5]
    }
}

impl Opcode for MoogLadder {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.thermal = THERMAL * 32768.0 / ctx.rates.zero_dbfs;
        self.prev_cf = f64::NAN;
        self.prev_res = f64::NAN;
        if self.skip.get() == 0.0 {
            self.delay = [0.0; 6];
            self.tanh_stage = [0.0; 3];
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        let per_sample = self.cf.is_audio() || self.res.is_audio();
        if !per_sample {
            self.update(self.cf.get(), self.res.get(), sr);
        }
        for i in 0..self.samples {
            if per_sample {
                self.update(self.cf.at(i), self.res.at(i), sr);
            }
            let y = self.tick(self.sig.at(i));
            self.out.set_at(i, y);
        }
        Ok(())
    }
}

/// `moogvcf asig, xfco, xres [, iscale, iskip]`: Stilson and Smith's
/// linearised Moog ladder (four bilinear one-poles with inverted feedback
/// and a cubic soft clipper), as coded by Comajuncosas and Mikelson.
/// `iscale` (default 1; 0 means 0dbfs) normalises the input.
struct MoogVcf {
    out: Output,
    sig: Input,
    fco: Input,
    res: Input,
    scale: Input,
    skip: Input,
    samples: usize,
    max: f64,
    prev_fco: f64,
    kp: f64,
    pp1d2: f64,
    res_scale: f64,
    /// Previous input and stage outputs (x, y1, y2, y3) and the stages' current outputs.
    xnm1: f64,
    ynm1: [f64; 3],
    yn: [f64; 4],
}

fn build_moogvcf(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(MoogVcf {
        out: a.out(0),
        sig: a.input(0),
        fco: a.input(1),
        res: a.input(2),
        scale: a.input(3),
        skip: a.input(4),
        samples: a.ksmps,
        max: 1.0,
        prev_fco: f64::NAN,
        kp: 0.0,
        pp1d2: 0.0,
        res_scale: 0.0,
        xnm1: 0.0,
        ynm1: [0.0; 3],
        yn: [0.0; 4],
    })
}

impl MoogVcf {
    #[inline(always)]
    fn update(&mut self, fco: f64, sr: f64) {
        if fco != self.prev_fco {
            self.prev_fco = fco;
            let fcon = 2.0 * fco / sr;
            // Empirical tuning of the one-pole coefficient.
            self.kp = 3.6 * fcon - 1.6 * fcon * fcon - 1.0;
            self.pp1d2 = (self.kp + 1.0) * 0.5;
            self.res_scale = ((1.0 - self.pp1d2) * 1.386249).exp();
        }
    }

    #[inline(always)]
    fn tick(&mut self, x: f64, res: f64) -> f64 {
        let (kp, p) = (self.kp, self.pp1d2);
        let k = res * self.res_scale;
        let y = &mut self.yn;
        let xn = x / self.max - k * y[3];
        y[0] = xn * p + self.xnm1 * p - kp * y[0];
        y[1] = y[0] * p + self.ynm1[0] * p - kp * y[1];
        y[2] = y[1] * p + self.ynm1[1] * p - kp * y[2];
        y[3] = y[2] * p + self.ynm1[2] * p - kp * y[3];
        y[3] -= y[3] * y[3] * y[3] / 6.0;
        self.xnm1 = xn;
        self.ynm1 = [y[0], y[1], y[2]];
        y[3] * self.max
    }
}

impl Opcode for MoogVcf {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let s = self.scale.get();
        self.max = if s == 0.0 { ctx.rates.zero_dbfs } else { s };
        self.prev_fco = f64::NAN;
        if self.skip.get() == 0.0 {
            self.xnm1 = 0.0;
            self.ynm1 = [0.0; 3];
            self.yn = [0.0; 4];
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        if self.fco.is_audio() {
            for i in 0..self.samples {
                self.update(self.fco.at(i), sr);
                let y = self.tick(self.sig.at(i), self.res.at(i));
                self.out.set_at(i, y);
            }
        } else {
            self.update(self.fco.get(), sr);
            for i in 0..self.samples {
                let y = self.tick(self.sig.at(i), self.res.at(i));
                self.out.set_at(i, y);
            }
        }
        Ok(())
    }
}

/// `lowpass2 asig, kcf, kq [, iskip]`: a two-pole resonant low-pass whose
/// pole radius follows the cutoff over Q.
struct Lowpass2 {
    out: Output,
    sig: Input,
    cf: Input,
    q: Input,
    skip: Input,
    samples: usize,
    prev: (f64, f64),
    a: f64,
    b: f64,
    c: f64,
    y1: f64,
    y2: f64,
}

fn build_lowpass2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Lowpass2 {
        out: a.out(0),
        sig: a.input(0),
        cf: a.input(1),
        q: a.input(2),
        skip: a.input(3),
        samples: a.ksmps,
        prev: (f64::NAN, f64::NAN),
        a: 0.0,
        b: 0.0,
        c: 0.0,
        y1: 0.0,
        y2: 0.0,
    })
}

impl Opcode for Lowpass2 {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev = (f64::NAN, f64::NAN);
        if self.skip.get() == 0.0 {
            self.y1 = 0.0;
            self.y2 = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (cf, q) = (self.cf.get(), self.q.get());
        if (cf, q) != self.prev {
            self.prev = (cf, q);
            let sr = ctx.rates.sr;
            let t = (-PI / sr) * cf / q;
            self.a = 2.0 * (cf * (TAU / sr)).cos() * t.exp();
            self.b = (t + t).exp();
            self.c = 1.0 - self.a + self.b;
        }
        let (a, b, c) = (self.a, self.b, self.c);
        let (mut y1, mut y2) = (self.y1, self.y2);
        for i in 0..self.samples {
            let y = c * self.sig.at(i) + a * y1 - b * y2;
            self.out.set_at(i, y);
            y2 = y1;
            y1 = y;
        }
        self.y1 = y1;
        self.y2 = y2;
        Ok(())
    }
}

/// Most layers a `lowresx` whose `inumlayer` is not known when the
/// orchestra compiles may use (its state is sized before the note starts).
const LOWRESX_MAX_LAYERS: usize = 256;

/// `lowres asig, xcutoff, xres [, iskip]` and `lowresx asig, xcutoff, xres
/// [, inumlayer, iskip]`: Hans Mikelson's two-pole resonant low-pass, alone
/// or as a chain of identical layers (default 4). With `b = 10 / (xres
/// sqrt(xcutoff)) - 1` and `k = 1000 / xcutoff`, each layer computes
/// `y[n] = (x[n] + (b + 2k) y[n-1] - k y[n-2]) / (1 + b + k)`: unity gain at
/// DC, a resonant peak that grows with `xres`. The cutoff is not in Hz.
struct Lowres {
    out: Output,
    sig: Input,
    cutoff: Input,
    res: Input,
    layers_arg: Input,
    skip: Input,
    samples: usize,
    /// `lowresx` (reads `inumlayer`) rather than `lowres`.
    layered: bool,
    /// Layers in use this note (1 for `lowres`).
    layers: usize,
    prev: (f64, f64),
    k: f64,
    b: f64,
    coef: f64,
    /// `(y[n-1], y[n-2])` of each layer, sized when built.
    state: Vec<(f64, f64)>,
}

fn build_lowres(a: &Args, layered: bool) -> Result<Box<dyn Opcode>, String> {
    let (layers_arg, skip, capacity) = if layered {
        let capacity = match a.constant(3) {
            Some(n) if n < 0.0 => return Err(format!("lowresx: inumlayer {n} is negative")),
            Some(n) if n < 1.0 => 4,
            Some(n) => n as usize,
            None => LOWRESX_MAX_LAYERS,
        };
        (a.input(3), a.input(4), capacity)
    } else {
        (Input::zero(), a.input(3), 1)
    };
    boxed(Lowres {
        out: a.out(0),
        sig: a.input(0),
        cutoff: a.input(1),
        res: a.input(2),
        layers_arg,
        skip,
        samples: a.ksmps,
        layered,
        layers: 1,
        prev: (f64::NAN, f64::NAN),
        k: 0.0,
        b: 0.0,
        coef: 0.0,
        state: vec![(0.0, 0.0); capacity],
    })
}

impl Lowres {
    #[inline(always)]
    fn update(&mut self, cutoff: f64, res: f64) {
        if (cutoff, res) != self.prev {
            self.prev = (cutoff, res);
            self.b = 10.0 / (res * cutoff.sqrt()) - 1.0;
            self.k = 1000.0 / cutoff;
            self.coef = 1.0 / (1.0 + self.b + self.k);
        }
    }

    /// `lowres`'s coefficients when the resonance is a-rate: csound 6.18 then
    /// follows both inputs in `b` but keeps `k` from the block's first
    /// cutoff (measured: 139 dB against 60 dB for a cutoff held whole).
    #[inline(always)]
    fn update_audio_res(&mut self, cutoff: f64, res: f64, block_cutoff: f64) {
        self.b = 10.0 / (res * cutoff.sqrt()) - 1.0;
        self.k = 1000.0 / block_cutoff;
        self.coef = 1.0 / (1.0 + self.b + self.k);
    }

    #[inline(always)]
    fn tick(&mut self, x: f64) -> f64 {
        let (b2k, k, coef) = (self.b + 2.0 * self.k, self.k, self.coef);
        let mut y = x;
        for (y1, y2) in self.state[..self.layers].iter_mut() {
            let yn = coef * (y + b2k * *y1 - k * *y2);
            *y2 = *y1;
            *y1 = yn;
            y = yn;
        }
        y
    }
}

impl Opcode for Lowres {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.layered {
            // inumlayer left out (or below 1) means the default 4.
            let n = self.layers_arg.get();
            let n = if n < 1.0 { 4.0 } else { n };
            if n as usize > self.state.len() {
                return Err(ctx.fail(format_args!(
                    "lowresx: inumlayer {n} must be from 1 to {}",
                    self.state.len()
                )));
            }
            self.layers = n as usize;
        }
        self.prev = (f64::NAN, f64::NAN);
        if self.skip.get() == 0.0 {
            self.state.iter_mut().for_each(|s| *s = (0.0, 0.0));
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        // lowres (not lowresx) has the quirk of `update_audio_res`.
        let res_audio = self.res.is_audio() && !self.layered;
        let per_sample = self.res.is_audio() || self.cutoff.is_audio();
        let block_cutoff = self.cutoff.get();
        if !per_sample {
            self.update(block_cutoff, self.res.get());
        }
        for i in 0..self.samples {
            if res_audio {
                self.update_audio_res(self.cutoff.at(i), self.res.at(i), block_cutoff);
            } else if per_sample {
                self.update(self.cutoff.at(i), self.res.at(i));
            }
            let y = self.tick(self.sig.at(i));
            self.out.set_at(i, y);
        }
        Ok(())
    }
}

/// The poles (Hz, before scaling by 15) of `hilbert`'s two chains of
/// first-order all-pass sections, from Bernie Hutchins' "Musical Engineer's
/// Handbook": the first six make the imaginary (sine) output, the last six
/// the real (cosine) one.
const HILBERT_POLES: [f64; 12] = [
    0.3609, 2.7412, 11.1573, 44.7581, 179.6242, 798.4578, 1.2524, 5.5671, 22.3423, 89.6271,
    364.7914, 2770.1114,
];

/// `areal, aimag hilbert asig`: an IIR Hilbert transformer, two chains of
/// six first-order all-passes whose outputs are 90 degrees apart over
/// roughly 15 Hz to 15 kHz (for frequency shifting and single-sideband
/// modulation). Each section is `y[n] = c (x[n] - y[n-1]) + x[n-1]` with
/// `c = -(1 - a) / (1 + a)`, `a = 15 pi pole / sr`.
struct Hilbert {
    real: Output,
    imag: Output,
    sig: Input,
    samples: usize,
    coef: [f64; 12],
    x1: [f64; 12],
    y1: [f64; 12],
}

fn build_hilbert(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Hilbert {
        real: a.out(0),
        imag: a.out(1),
        sig: a.input(0),
        samples: a.ksmps,
        coef: [0.0; 12],
        x1: [0.0; 12],
        y1: [0.0; 12],
    })
}

impl Hilbert {
    /// One sample through sections `range` in series.
    #[inline(always)]
    fn chain(&mut self, range: std::ops::Range<usize>, mut x: f64) -> f64 {
        for j in range {
            let y = self.coef[j] * (x - self.y1[j]) + self.x1[j];
            self.x1[j] = x;
            self.y1[j] = y;
            x = y;
        }
        x
    }
}

impl Opcode for Hilbert {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        for (c, pole) in self.coef.iter_mut().zip(HILBERT_POLES) {
            let a = PI * 15.0 * pole / ctx.rates.sr;
            *c = -(1.0 - a) / (1.0 + a);
        }
        self.x1 = [0.0; 12];
        self.y1 = [0.0; 12];
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let x = self.sig.at(i);
            let imag = self.chain(0..6, x);
            let real = self.chain(6..12, x);
            self.real.set_at(i, real);
            self.imag.set_at(i, imag);
        }
        Ok(())
    }
}

/// `port ksig, ihtim [, isig]` and `portk ksig, khtim [, isig]`: a
/// control-rate one-pole that moves halfway to its input every `htim`
/// seconds (portamento). A negative `isig` keeps the previous note's value.
struct Port {
    out: Output,
    sig: Input,
    htim: Input,
    initial: Input,
    prev_htim: f64,
    c1: f64,
    c2: f64,
    y1: f64,
}

fn build_port(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Port {
        out: a.out(0),
        sig: a.input(0),
        htim: a.input(1),
        initial: a.input(2),
        prev_htim: f64::NAN,
        c1: 0.0,
        c2: 0.0,
        y1: 0.0,
    })
}

impl Opcode for Port {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev_htim = f64::NAN;
        let isig = self.initial.get();
        if isig >= 0.0 {
            self.y1 = isig;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let htim = self.htim.get();
        if htim != self.prev_htim {
            self.prev_htim = htim;
            self.c2 = 0.5f64.powf((1.0 / ctx.rates.kr) / htim);
            self.c1 = 1.0 - self.c2;
        }
        self.y1 = self.c1 * self.sig.get() + self.c2 * self.y1;
        self.out.set(self.y1);
        Ok(())
    }
}

/// The most sections `tonex`, `atonex` and `resonx` stack.
const MAX_LAYERS: usize = 64;

/// How many sections a stack asks for (`inumlayer`; 4 when left out or
/// below 1).
fn layer_count(a: &Args, i: usize, name: &str) -> Result<usize, String> {
    match a.constant(i) {
        Some(n) if n < 1.0 => Ok(4),
        Some(n) if n > MAX_LAYERS as f64 => {
            Err(format!("{name}: inumlayer {n} is outside 1..{MAX_LAYERS}"))
        }
        Some(n) => Ok(n as usize),
        None => Err(format!("{name}: inumlayer must be a constant")),
    }
}

/// `tonex asig, xhp [, inumlayer, iskip]` and `atonex`: `inumlayer` `tone`
/// (or, one fewer, `atone`) sections in series, all with the same
/// half-power point.
struct ToneX {
    out: Output,
    sig: Input,
    hp: Input,
    skip: Input,
    high: bool,
    samples: usize,
    prev_hp: f64,
    c1: f64,
    c2: f64,
    state: Vec<f64>,
}

impl ToneX {
    #[inline(always)]
    fn update(&mut self, hp: f64, sr: f64) {
        if hp != self.prev_hp {
            self.prev_hp = hp;
            self.c2 = one_pole_c2(hp, sr);
            self.c1 = 1.0 - self.c2;
        }
    }
}

impl Opcode for ToneX {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.prev_hp = f64::NAN;
        // The first block filters with the cutoff as it reads at init time
        // (0 for a control variable no opcode has set yet: silence).
        self.update(self.hp.get(), ctx.rates.sr);
        if self.skip.get() == 0.0 {
            self.state.iter_mut().for_each(|y| *y = 0.0);
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        let per_sample = self.hp.is_audio();
        for i in 0..self.samples {
            if per_sample {
                self.update(self.hp.at(i), sr);
            }
            let (c1, c2) = (self.c1, self.c2);
            let mut x = self.sig.at(i);
            for y1 in self.state.iter_mut() {
                if self.high {
                    let y = c2 * (*y1 + x);
                    *y1 = y - x;
                    x = y;
                } else {
                    *y1 = c1 * x + c2 * *y1;
                    x = *y1;
                }
            }
            self.out.set_at(i, x);
        }
        // A control-rate cutoff takes effect from the next block, as in
        // csound 6.18 (measured: its tonex lags tone by one block).
        if !per_sample {
            self.update(self.hp.get(), sr);
        }
        Ok(())
    }
}

fn build_tonex(a: &Args, high: bool) -> Result<Box<dyn Opcode>, String> {
    let mut layers = layer_count(a, 2, if high { "atonex" } else { "tonex" })?;
    if high {
        // csound 6.18's atonex runs one section fewer than it is asked
        // for (one layer passes the signal through): measured, and kept.
        layers -= 1;
    }
    boxed(ToneX {
        out: a.out(0),
        sig: a.input(0),
        hp: a.input(1),
        skip: a.input(3),
        high,
        samples: a.ksmps,
        prev_hp: f64::NAN,
        c1: 0.0,
        c2: 0.0,
        state: vec![0.0; layers],
    })
}

/// `resonx asig, xcf, xbw [, inumlayer, iscl, iskip]`: `inumlayer` `reson`
/// sections in series, all with the same centre, bandwidth and scaling.
struct ResonX {
    /// A `reson` whose coefficients the stack shares (its own input, output
    /// and state are not used).
    design: Reson,
    out: Output,
    sig: Input,
    skip: Input,
    samples: usize,
    state: Vec<(f64, f64)>,
}

impl Opcode for ResonX {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.design.scale = self.design.scale_input(ctx)?;
        self.design.prev_cf = f64::NAN;
        self.design.prev_bw = f64::NAN;
        if self.skip.get() == 0.0 {
            self.state.iter_mut().for_each(|s| *s = (0.0, 0.0));
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        let (cf, bw) = (self.design.cf, self.design.bw);
        let per_sample = cf.is_audio() || bw.is_audio();
        if !per_sample {
            self.design.update(cf.get(), bw.get(), sr);
        }
        for i in 0..self.samples {
            if per_sample {
                self.design.update(cf.at(i), bw.at(i), sr);
            }
            let (c1, c2, c3) = (self.design.c1, self.design.c2, self.design.c3);
            let mut x = self.sig.at(i);
            for (y1, y2) in self.state.iter_mut() {
                let y = c1 * x + c2 * *y1 - c3 * *y2;
                *y2 = *y1;
                *y1 = y;
                x = y;
            }
            self.out.set_at(i, x);
        }
        Ok(())
    }
}

fn build_resonx(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let layers = layer_count(a, 3, "resonx")?;
    let scale = match a.constant(4) {
        Some(s) if s != 0.0 && s != 1.0 && s != 2.0 => {
            return Err(format!("resonx: illegal iscl value {s} (use 0, 1 or 2)"));
        }
        Some(s) => s as i32,
        None => -1,
    };
    let design = Reson {
        out: a.out(0),
        sig: a.input(0),
        cf: a.input(1),
        bw: a.input(2),
        scale_arg: a.input(4),
        scale,
        skip: a.input(5),
        notch: false,
        samples: a.ksmps,
        prev_cf: f64::NAN,
        prev_bw: f64::NAN,
        cosf: 0.0,
        c1: 0.0,
        c2: 0.0,
        c3: 0.0,
        y1: 0.0,
        y2: 0.0,
    };
    boxed(ResonX {
        design,
        out: a.out(0),
        sig: a.input(0),
        skip: a.input(5),
        samples: a.ksmps,
        state: vec![(0.0, 0.0); layers],
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "tonex",
        "a",
        "axoo",
        Pass::Both,
        |a| build_tonex(a, false),
        "a stack of inumlayer (default 4) tone low-pass sections",
    ),
    spec(
        "atonex",
        "a",
        "axoo",
        Pass::Both,
        |a| build_tonex(a, true),
        "a stack of inumlayer (default 4) atone high-pass sections",
    ),
    spec(
        "resonx",
        "a",
        "axxooo",
        Pass::Both,
        build_resonx,
        "a stack of inumlayer (default 4) reson band-pass sections",
    ),
    spec(
        "tone",
        "a",
        "ako",
        Pass::Both,
        |a| build_tone(a, false),
        "first-order low-pass filter with its half-power point at khp Hz",
    ),
    spec(
        "atone",
        "a",
        "ako",
        Pass::Both,
        |a| build_tone(a, true),
        "first-order high-pass filter, the complement of tone",
    ),
    spec(
        "reson",
        "a",
        "axxoo",
        Pass::Both,
        |a| build_reson(a, false),
        "second-order resonant band-pass filter at xcf Hz with bandwidth xbw Hz",
    ),
    spec(
        "areson",
        "a",
        "axxoo",
        Pass::Both,
        |a| build_reson(a, true),
        "band-reject filter: the input minus reson's response",
    ),
    spec(
        "tonek",
        "k",
        "kko",
        Pass::Both,
        |a| build_tone(a, false),
        "first-order low-pass filter of a control signal (tone at k-rate)",
    ),
    spec(
        "atonek",
        "k",
        "kko",
        Pass::Both,
        |a| build_tone(a, true),
        "first-order high-pass filter of a control signal (atone at k-rate)",
    ),
    // csound 6.18's resonk/aresonk scale as iscl 1 when iscl is left out
    // (measured), though the manual gives 0 as the default.
    spec(
        "resonk",
        "k",
        "kkkpo",
        Pass::Both,
        |a| build_reson(a, false),
        "second-order resonant filter of a control signal (reson at k-rate)",
    ),
    spec(
        "aresonk",
        "k",
        "kkkpo",
        Pass::Both,
        |a| build_reson(a, true),
        "band-reject filter of a control signal (areson at k-rate)",
    ),
    spec(
        "butterlp",
        "a",
        "axo",
        Pass::Both,
        |a| build_butter(a, Butter::Low),
        "second-order Butterworth low-pass filter",
    ),
    spec(
        "butlp",
        "a",
        "axo",
        Pass::Both,
        |a| build_butter(a, Butter::Low),
        "second-order Butterworth low-pass filter (alias of butterlp)",
    ),
    spec(
        "butterhp",
        "a",
        "axo",
        Pass::Both,
        |a| build_butter(a, Butter::High),
        "second-order Butterworth high-pass filter",
    ),
    spec(
        "buthp",
        "a",
        "axo",
        Pass::Both,
        |a| build_butter(a, Butter::High),
        "second-order Butterworth high-pass filter (alias of butterhp)",
    ),
    spec(
        "butterbp",
        "a",
        "axxo",
        Pass::Both,
        |a| build_butter(a, Butter::Band),
        "second-order Butterworth band-pass filter at xfreq Hz, xband Hz wide",
    ),
    spec(
        "butbp",
        "a",
        "axxo",
        Pass::Both,
        |a| build_butter(a, Butter::Band),
        "second-order Butterworth band-pass filter (alias of butterbp)",
    ),
    spec(
        "butterbr",
        "a",
        "axxo",
        Pass::Both,
        |a| build_butter(a, Butter::Reject),
        "second-order Butterworth band-reject filter at xfreq Hz, xband Hz wide",
    ),
    spec(
        "butbr",
        "a",
        "axxo",
        Pass::Both,
        |a| build_butter(a, Butter::Reject),
        "second-order Butterworth band-reject filter (alias of butterbr)",
    ),
    spec(
        "moogladder",
        "a",
        "axxo",
        Pass::Both,
        build_moogladder,
        "Huovilainen's non-linear Moog ladder low-pass with resonance 0 to 1",
    ),
    spec(
        "moogvcf",
        "a",
        "axxpo",
        Pass::Both,
        build_moogvcf,
        "Stilson and Smith's Moog ladder low-pass; self-oscillates near xres 1",
    ),
    spec(
        "moogvcf2",
        "a",
        "axxoo",
        Pass::Both,
        build_moogvcf,
        "moogvcf whose iscale defaults to 0dbfs",
    ),
    spec(
        "hilbert",
        "aa",
        "a",
        Pass::Both,
        build_hilbert,
        "IIR Hilbert transformer: two outputs 90 degrees apart (cosine, sine)",
    ),
    spec(
        "lowres",
        "a",
        "axxo",
        Pass::Both,
        |a| build_lowres(a, false),
        "Mikelson's two-pole resonant low-pass (cutoff not in Hz)",
    ),
    spec(
        "lowresx",
        "a",
        "axxoo",
        Pass::Both,
        |a| build_lowres(a, true),
        "inumlayer (default 4) lowres filters in series, for a steeper slope",
    ),
    spec(
        "lowpass2",
        "a",
        "akko",
        Pass::Both,
        build_lowpass2,
        "resonant second-order low-pass filter with cutoff kcf Hz and quality kq",
    ),
    spec(
        "port",
        "k",
        "kio",
        Pass::Both,
        build_port,
        "portamento: a control signal glides halfway to its input every ihtim seconds",
    ),
    spec(
        "portk",
        "k",
        "kko",
        Pass::Both,
        build_port,
        "portamento with a control-rate half-time khtim",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::envelopes::harness::{In, find, rig};

    #[test]
    fn tone_settles_on_dc_and_atone_removes_it() {
        let dc = || In::A(vec![0.5; 10]);
        let low = rig(
            find("tone", "a", "ako"),
            &[dc(), In::K(50.0), In::K(0.0)],
            "a",
            1000.0,
            10,
        )
        .run(100, 0);
        assert!((low.last().unwrap() - 0.5).abs() < 1e-6);
        let high = rig(
            find("atone", "a", "ako"),
            &[dc(), In::K(50.0), In::K(0.0)],
            "a",
            1000.0,
            10,
        )
        .run(100, 0);
        assert!(high.last().unwrap().abs() < 1e-6);
    }

    #[test]
    fn reson_rejects_an_unknown_scaling_mode() {
        let spec = find("reson", "a", "axxoo");
        let ins = [
            In::A(vec![0.0; 10]),
            In::K(100.0),
            In::K(10.0),
            In::K(3.0),
            In::K(0.0),
        ];
        let mut r = rig(spec, &ins, "a", 1000.0, 10);
        assert!(!r.init());
        assert!(format!("{:?}", r.messages.drain().next()).contains("reson: illegal iscl value 3"));
    }

    #[test]
    fn butterlp_with_zero_cutoff_is_silent_and_butterhp_passes() {
        let x = || In::A((0..10).map(|i| i as f64).collect());
        let lp = rig(
            find("butterlp", "a", "axo"),
            &[x(), In::K(0.0), In::K(0.0)],
            "a",
            1000.0,
            10,
        )
        .run(1, 0);
        assert_eq!(lp, vec![0.0; 10]);
        let hp = rig(
            find("butterhp", "a", "axo"),
            &[x(), In::K(0.0), In::K(0.0)],
            "a",
            1000.0,
            10,
        )
        .run(1, 0);
        assert_eq!(hp, (0..10).map(|i| i as f64).collect::<Vec<_>>());
    }
}
