//! Level and DC processing: `balance` (RMS matching), `limit` and `clip`
//! (hard and soft limits), `wrap` and `mirror` (folding a signal into a
//! range), `dcblock` and `dcblock2` (DC removal), `distort1` (modified
//! hyperbolic tangent waveshaping).
//!
//! As in Csound 6.18, `balance` follows both signals' power with one-pole
//! filters and ramps its gain across each block; `dcblock2` is a
//! linear-phase DC blocker (the input delayed, minus four cascaded moving
//! averages of `iorder` samples).

use super::filters::one_pole_c2;
use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// `balance asig, acomp [, ihp, iskip]`: scales `asig` so that its RMS
/// power, measured through a one-pole low-pass at `ihp` Hz (default 10),
/// follows that of `acomp`.
struct Balance {
    out: Output,
    sig: Input,
    comp: Input,
    hp: Input,
    skip: Input,
    samples: usize,
    c1: f64,
    c2: f64,
    q: f64,
    r: f64,
    gain: f64,
}

fn build_balance(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Balance {
        out: a.out(0),
        sig: a.input(0),
        comp: a.input(1),
        hp: a.input(2),
        skip: a.input(3),
        samples: a.ksmps,
        c1: 0.0,
        c2: 0.0,
        q: 0.0,
        r: 0.0,
        gain: 0.0,
    })
}

impl Opcode for Balance {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.c2 = one_pole_c2(self.hp.get(), ctx.rates.sr);
        self.c1 = 1.0 - self.c2;
        if self.skip.get() == 0.0 {
            self.q = 0.0;
            self.r = 0.0;
            self.gain = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let (c1, c2) = (self.c1, self.c2);
        let (mut q, mut r) = (self.q, self.r);
        for i in 0..self.samples {
            let s = self.sig.at(i);
            let c = self.comp.at(i);
            q = c1 * s * s + c2 * q;
            r = c1 * c * c + c2 * r;
        }
        self.q = q;
        self.r = r;
        let target = if q != 0.0 { (r / q).sqrt() } else { r.sqrt() };
        let diff = target - self.gain;
        if diff != 0.0 {
            // Ramp from the last block's gain to this one's.
            let inc = diff / self.samples as f64;
            let mut g = self.gain;
            for i in 0..self.samples {
                self.out.set_at(i, self.sig.at(i) * g);
                g += inc;
            }
            self.gain = target;
        } else {
            for i in 0..self.samples {
                self.out.set_at(i, self.sig.at(i) * target);
            }
        }
        Ok(())
    }
}

/// How `limit`, `wrap` and `mirror` bring a signal into a range.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    Limit,
    Wrap,
    Mirror,
}

/// `limit|wrap|mirror xsig, xlow, xhigh`: the signal held between two
/// limits, wrapped round the range, or reflected at its edges. When the
/// range is empty the output is the mean of the limits (for `limit` only
/// when `low > high`, for the others also when they are equal).
struct Limit {
    out: Output,
    sig: Input,
    low: Input,
    high: Input,
    samples: usize,
    bound: Bound,
}

fn build_limit(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_bound(a, Bound::Limit)
}

fn build_bound(a: &Args, bound: Bound) -> Result<Box<dyn Opcode>, String> {
    boxed(Limit {
        bound,
        out: a.out(0),
        sig: a.input(0),
        low: a.input(1),
        high: a.input(2),
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
    })
}

impl Limit {
    fn run(&mut self) {
        let (low, high) = (self.low.get(), self.high.get());
        if self.bound != Bound::Limit && low < high {
            let width = (low - high).abs();
            for i in 0..self.samples {
                let x = self.sig.at(i);
                let y = if self.bound == Bound::Wrap {
                    // As csound: counted up from low, or down from high.
                    if x >= low {
                        low + (x - low) % width
                    } else {
                        high - (high - x) % width
                    }
                } else {
                    mirror(x, low, high, width)
                };
                self.out.set_at(i, y);
            }
            return;
        }
        if low > high || (self.bound != Bound::Limit && low == high) {
            let mean = (low + high) * 0.5;
            for i in 0..self.samples {
                self.out.set_at(i, mean);
            }
            return;
        }
        for i in 0..self.samples {
            let x = self.sig.at(i);
            self.out.set_at(
                i,
                if x > high {
                    high
                } else if x < low {
                    low
                } else {
                    x
                },
            );
        }
    }
}

/// `x` reflected at `low` and `high` until it lies between them, one
/// reflection at a time as csound does; a value many widths out (or
/// infinite, which would never come back) is folded in one step.
fn mirror(x: f64, low: f64, high: f64, width: f64) -> f64 {
    let mut x = x;
    for _ in 0..16 {
        if x > high {
            x = 2.0 * high - x;
        } else if x < low {
            x = 2.0 * low - x;
        } else {
            return x;
        }
    }
    let t = (x - low).rem_euclid(2.0 * width);
    low + if t > width { 2.0 * width - t } else { t }
}

impl Opcode for Limit {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
}

/// `clip asig, imeth, ilimit [, iarg]`: soft clipping to `ilimit` by Bram
/// de Jong's rational curve (0, knee at `iarg` of the limit), a sine (1) or
/// a tanh (2).
struct Clip {
    out: Output,
    sig: Input,
    meth: Input,
    limit: Input,
    arg: Input,
    samples: usize,
    method: u8,
    lim: f64,
    knee: f64,
    k1: f64,
    k2: f64,
}

fn build_clip(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Clip {
        out: a.out(0),
        sig: a.input(0),
        meth: a.input(1),
        limit: a.input(2),
        arg: a.input(3),
        samples: a.ksmps,
        method: 0,
        lim: 1.0,
        knee: 0.0,
        k1: 0.0,
        k2: 0.0,
    })
}

impl Opcode for Clip {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let lim = self.limit.get();
        if lim <= 0.0 {
            return Err(ctx.fail(format_args!("clip: ilimit must be above zero, not {lim}")));
        }
        self.lim = lim;
        let meth = self.meth.get().round();
        self.method = match meth {
            1.0 => {
                self.k1 = std::f64::consts::PI / (2.0 * lim);
                1
            }
            2.0 => {
                self.k1 = 1.0 / 1f64.tanh();
                2
            }
            // 0, and anything else (Csound falls back to 0 too).
            _ => {
                let mut a = self.arg.get().abs();
                if a > 1.0 {
                    a = 0.999;
                }
                self.knee = lim * a;
                let k = 1.0 / (lim - self.knee);
                self.k1 = k * k;
                self.k2 = (lim + self.knee) * 0.5;
                0
            }
        };
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let (lim, a, k1, k2) = (self.lim, self.knee, self.k1, self.k2);
        match self.method {
            0 => {
                for i in 0..self.samples {
                    let mut x = self.sig.at(i);
                    if x >= 0.0 {
                        if x > lim {
                            x = k2;
                        } else if x > a {
                            x = a + (x - a) / (1.0 + (x - a) * (x - a) * k1);
                        }
                    } else if x < -lim {
                        x = -k2;
                    } else if -x > a {
                        x = -a + (x + a) / (1.0 + (x + a) * (x + a) * k1);
                    }
                    self.out.set_at(i, x);
                }
            }
            1 => {
                for i in 0..self.samples {
                    let x = self.sig.at(i);
                    let y = if x >= lim {
                        lim
                    } else if x <= -lim {
                        -lim
                    } else {
                        lim * (k1 * x).sin()
                    };
                    self.out.set_at(i, y);
                }
            }
            _ => {
                let rlim = 1.0 / lim;
                for i in 0..self.samples {
                    let x = self.sig.at(i);
                    let y = if x >= lim {
                        lim
                    } else if x <= -lim {
                        -lim
                    } else {
                        lim * k1 * (x * rlim).tanh()
                    };
                    self.out.set_at(i, y);
                }
            }
        }
        Ok(())
    }
}

/// `dcblock ain [, igain]`: the one-zero one-pole DC blocker
/// `y[n] = x[n] - x[n-1] + g y[n-1]` (g defaults to 0.99, also for 0).
struct DcBlock {
    out: Output,
    sig: Input,
    gain_in: Input,
    samples: usize,
    gain: f64,
    x1: f64,
    y1: f64,
}

fn build_dcblock(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(DcBlock {
        out: a.out(0),
        sig: a.input(0),
        gain_in: a.input(1),
        samples: a.ksmps,
        gain: 0.99,
        x1: 0.0,
        y1: 0.0,
    })
}

impl Opcode for DcBlock {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let g = self.gain_in.get();
        self.gain = if g == 0.0 { 0.99 } else { g };
        self.x1 = 0.0;
        self.y1 = 0.0;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let g = self.gain;
        let (mut x1, mut y1) = (self.x1, self.y1);
        for i in 0..self.samples {
            let x = self.sig.at(i);
            y1 = x - x1 + g * y1;
            x1 = x;
            self.out.set_at(i, y1);
        }
        self.x1 = x1;
        self.y1 = y1;
        Ok(())
    }
}

/// The largest `iorder` a `dcblock2` accepts (its delay lines take about
/// six times that many samples).
const DCBLOCK2_MAX_ORDER: usize = 1 << 20;

/// The largest `iorder` a `dcblock2` accepts when its order is a variable
/// (its delay lines are sized when the instrument is built).
const DCBLOCK2_MAX_VARIABLE_ORDER: usize = 4096;

/// `dcblock2 ain [, iorder, iskip]`: a linear-phase DC blocker; the input
/// delayed by `2 (M - 1)` samples minus the mean of four cascaded moving
/// averages of `M = iorder` samples (default 128, at least 4).
struct DcBlock2 {
    out: Output,
    sig: Input,
    order_in: Input,
    skip: Input,
    samples: usize,
    order: usize,
    /// 2 (M - 1) samples of input delay, then four M-sample moving-sum lines.
    lines: Vec<f64>,
    sums: [f64; 4],
    delay_pos: usize,
    sum_pos: usize,
    scale: f64,
}

/// The order Csound uses for `iorder` (0 means 128, at least 4).
fn dcblock2_order(x: f64) -> usize {
    let n = x as i64;
    if n == 0 { 128 } else { n.max(4) as usize }
}

/// Samples of storage for order `m`: the delay and four moving sums.
fn dcblock2_len(m: usize) -> usize {
    2 * (m - 1) + 4 * m
}

fn build_dcblock2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let capacity = match a.constant(1) {
        Some(x) if dcblock2_order(x) > DCBLOCK2_MAX_ORDER => {
            return Err(format!(
                "dcblock2: iorder {x} is too large (at most {DCBLOCK2_MAX_ORDER})"
            ));
        }
        Some(x) => dcblock2_order(x),
        None => DCBLOCK2_MAX_VARIABLE_ORDER,
    };
    boxed(DcBlock2 {
        out: a.out(0),
        sig: a.input(0),
        order_in: a.input(1),
        skip: a.input(2),
        samples: a.ksmps,
        order: capacity,
        lines: vec![0.0; dcblock2_len(capacity)],
        sums: [0.0; 4],
        delay_pos: 0,
        sum_pos: 0,
        scale: 0.0,
    })
}

impl Opcode for DcBlock2 {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let m = dcblock2_order(self.order_in.get());
        if dcblock2_len(m) > self.lines.len() {
            return Err(ctx.fail(format_args!(
                "dcblock2: iorder {m} is too large for a variable order (at most {DCBLOCK2_MAX_VARIABLE_ORDER}; write it as a constant)"
            )));
        }
        if m != self.order || self.skip.get() == 0.0 {
            self.order = m;
            self.lines.fill(0.0);
            self.sums = [0.0; 4];
            self.delay_pos = 0;
            self.sum_pos = 0;
        }
        let mf = m as f64;
        self.scale = 1.0 / (mf * mf * mf * mf);
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let m = self.order;
        let delay_len = 2 * (m - 1);
        let (delay, rest) = self.lines.split_at_mut(delay_len);
        let mut dp = self.delay_pos;
        let mut sp = self.sum_pos;
        for i in 0..self.samples {
            let x = self.sig.at(i);
            let delayed = delay[dp];
            delay[dp] = x;
            dp += 1;
            if dp == delay_len {
                dp = 0;
            }
            let mut v = x;
            for (j, sum) in self.sums.iter_mut().enumerate() {
                let cell = &mut rest[j * m + sp];
                *sum += v - *cell;
                *cell = v;
                v = *sum;
            }
            sp += 1;
            if sp == m {
                sp = 0;
            }
            self.out.set_at(i, delayed - v * self.scale);
        }
        self.delay_pos = dp;
        self.sum_pos = sp;
        Ok(())
    }
}

/// `ares distort1 asig, kpregain, kpostgain, kshape1, kshape2 [, imode]`:
/// `post * (e^(x (s1 + pre)) - e^(x (s2 - pre))) / (e^(x pre) + e^(-x pre))`.
/// Modes 0 and 1 scale the gains and shapes for signals up to 32768 or up
/// to 0dbfs (pre by 6.5536 / full scale, post by full scale / 1.6384, the
/// shapes by 4.096 / full scale: the factors csound applies, measured);
/// mode 2 leaves the gains and makes the shapes `s1 * pre` and `-s2 * pre`.
struct Distort1 {
    out: Output,
    sig: Input,
    pre: Input,
    post: Input,
    shape1: Input,
    shape2: Input,
    mode: Input,
    samples: usize,
    /// Full scale for modes 0 and 1; None for mode 2.
    full_scale: Option<f64>,
}

impl Opcode for Distort1 {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.full_scale = match self.mode.get() {
            m if m >= 2.0 => None,
            m if m >= 1.0 => Some(ctx.rates.zero_dbfs),
            _ => Some(32768.0),
        };
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let (mut pre, mut post) = (self.pre.get(), self.post.get());
        let (mut s1, mut s2) = (self.shape1.get(), self.shape2.get());
        match self.full_scale {
            Some(fs) => {
                pre *= 6.5536 / fs;
                post *= fs / 1.6384;
                s1 *= 4.096 / fs;
                s2 *= 4.096 / fs;
            }
            None => {
                s1 *= pre;
                s2 *= -pre;
            }
        }
        let (a1, a2) = (s1 + pre, s2 - pre);
        for i in 0..self.samples {
            let x = self.sig.at(i);
            let y = ((x * a1).exp() - (x * a2).exp()) / ((x * pre).exp() + (-x * pre).exp());
            self.out.set_at(i, post * y);
        }
        Ok(())
    }
}

fn build_distort1(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Distort1 {
        out: a.out(0),
        sig: a.input(0),
        pre: a.input(1),
        post: a.input(2),
        shape1: a.input(3),
        shape2: a.input(4),
        mode: a.input(5),
        samples: a.ksmps,
        full_scale: None,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "distort1",
        "a",
        "akkkko",
        Pass::Both,
        build_distort1,
        "waveshaping distortion by a modified hyperbolic tangent",
    ),
    spec(
        "balance",
        "a",
        "aaqo",
        Pass::Both,
        build_balance,
        "scales asig so that its RMS level follows that of acomp",
    ),
    spec(
        "limit",
        "a",
        "akk",
        Pass::Perf,
        build_limit,
        "holds a signal between a lower and an upper limit",
    ),
    spec(
        "limit",
        "k",
        "kkk",
        Pass::Perf,
        build_limit,
        "holds a signal between a lower and an upper limit",
    ),
    spec(
        "limit",
        "i",
        "iii",
        Pass::Init,
        build_limit,
        "holds a value between a lower and an upper limit",
    ),
    spec(
        "wrap",
        "a",
        "akk",
        Pass::Perf,
        |a| build_bound(a, Bound::Wrap),
        "wraps a signal round the range from a lower to an upper limit",
    ),
    spec(
        "wrap",
        "k",
        "kkk",
        Pass::Perf,
        |a| build_bound(a, Bound::Wrap),
        "wraps a signal round the range from a lower to an upper limit",
    ),
    spec(
        "wrap",
        "i",
        "iii",
        Pass::Init,
        |a| build_bound(a, Bound::Wrap),
        "wraps a value round the range from a lower to an upper limit",
    ),
    spec(
        "mirror",
        "a",
        "akk",
        Pass::Perf,
        |a| build_bound(a, Bound::Mirror),
        "reflects a signal back into the range from a lower to an upper limit",
    ),
    spec(
        "mirror",
        "k",
        "kkk",
        Pass::Perf,
        |a| build_bound(a, Bound::Mirror),
        "reflects a signal back into the range from a lower to an upper limit",
    ),
    spec(
        "mirror",
        "i",
        "iii",
        Pass::Init,
        |a| build_bound(a, Bound::Mirror),
        "reflects a value back into the range from a lower to an upper limit",
    ),
    spec(
        "clip",
        "a",
        "aiiv",
        Pass::Both,
        build_clip,
        "soft-clips a signal to ilimit by Bram de Jong's method (0), a sine (1) or a tanh (2)",
    ),
    spec(
        "dcblock",
        "a",
        "ao",
        Pass::Both,
        build_dcblock,
        "removes DC offset with a one-zero one-pole high-pass (igain defaults to 0.99)",
    ),
    spec(
        "dcblock2",
        "a",
        "aoo",
        Pass::Both,
        build_dcblock2,
        "removes DC offset with a linear-phase filter of order iorder (default 128)",
    ),
];
