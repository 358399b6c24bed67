//! `tone`/`atone` (one-pole low- and high-pass), the resonators
//! `reson`/`areson`, and their stacks `tonex`/`atonex`/`resonx` (several
//! identical sections in series).

use super::*;

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

pub(super) fn build_tone(a: &Args, high: bool) -> Result<Box<dyn Opcode>, String> {
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

pub(super) fn build_reson(a: &Args, notch: bool) -> Result<Box<dyn Opcode>, String> {
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

pub(super) fn build_tonex(a: &Args, high: bool) -> Result<Box<dyn Opcode>, String> {
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

pub(super) fn build_resonx(a: &Args) -> Result<Box<dyn Opcode>, String> {
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
