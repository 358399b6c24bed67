//! The Moog ladder models: `moogladder` (Huovilainen) and `moogvcf`/`moogvcf2` (Stilson and Smith).

use super::*;

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

pub(super) fn build_moogladder(a: &Args) -> Result<Box<dyn Opcode>, String> {
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

pub(super) fn build_moogvcf(a: &Args) -> Result<Box<dyn Opcode>, String> {
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
