//! Resonant two-pole low-passes: `lowpass2`, and Mikelson's `lowres`/`lowresx`.

use super::*;

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

pub(super) fn build_lowpass2(a: &Args) -> Result<Box<dyn Opcode>, String> {
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

pub(super) fn build_lowres(a: &Args, layered: bool) -> Result<Box<dyn Opcode>, String> {
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
