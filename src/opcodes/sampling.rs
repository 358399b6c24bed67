//! Between rates and on the sample grid: `upsamp` and `interp` (control to
//! audio, held or ramped), `downsamp` (audio to control, optionally
//! averaged), `fold` (artificial foldover by sample-and-hold), `diff` and
//! `integ` (first difference and running sum) and `mpulse` (an impulse
//! train).
//!
//! Each follows what csound 6.18 outputs sample for sample (found by
//! printing both engines' blocks): `interp` ramps from the last block's
//! value and reaches the new one on the block's last sample; `downsamp`
//! takes the block's first sample, or the mean of its first `iwlen`.

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// `ares upsamp ksig`: the control value repeated over the block.
struct Upsamp {
    out: Output,
    sig: Input,
    samples: usize,
}

impl Opcode for Upsamp {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let v = self.sig.get();
        for i in 0..self.samples {
            self.out.set_at(i, v);
        }
        Ok(())
    }
}

fn build_upsamp(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Upsamp {
        out: a.out(0),
        sig: a.input(0),
        samples: a.ksmps,
    })
}

/// `kres downsamp asig [, iwlen]`: the block's first sample, or the mean of
/// its first `iwlen` samples (at most ksmps) when `iwlen` is above 1.
struct Downsamp {
    out: Output,
    sig: Input,
    window_arg: Input,
    ksmps: usize,
    window: usize,
}

impl Opcode for Downsamp {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let w = self.window_arg.get();
        if w > self.ksmps as f64 {
            return Err(ctx.fail(format_args!("downsamp: window {w} longer than ksmps")));
        }
        self.window = if w > 1.0 { w as usize } else { 1 };
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        if self.window <= 1 {
            self.out.set(self.sig.at(0));
        } else {
            let sum: f64 = (0..self.window).map(|i| self.sig.at(i)).sum();
            self.out.set(sum / self.window as f64);
        }
        Ok(())
    }
}

fn build_downsamp(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Downsamp {
        out: a.out(0),
        sig: a.input(0),
        window_arg: a.input(1),
        ksmps: a.ksmps,
        window: 1,
    })
}

/// `ares interp ksig [, iskip, imode, ivalue]`: a straight line from the
/// previous block's value to this one's, reaching it on the last sample.
/// The first block starts from `ivalue` (default 0), or from its own value
/// when `imode` is set; `iskip` keeps the last note's value.
struct Interp {
    out: Output,
    sig: Input,
    skip: Input,
    mode: Input,
    value: Input,
    samples: usize,
    prev: f64,
    first: bool,
}

impl Opcode for Interp {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.first = false;
        if self.skip.get() == 0.0 {
            if self.mode.get() != 0.0 {
                self.first = true;
            } else {
                self.prev = self.value.get();
            }
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let v = self.sig.get();
        if self.first {
            self.prev = v;
            self.first = false;
        }
        let step = (v - self.prev) / self.samples as f64;
        let mut x = self.prev;
        for i in 0..self.samples {
            x += step;
            self.out.set_at(i, x);
        }
        self.prev = v;
        Ok(())
    }
}

fn build_interp(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Interp {
        out: a.out(0),
        sig: a.input(0),
        skip: a.input(1),
        mode: a.input(2),
        value: a.input(3),
        samples: a.ksmps,
        prev: 0.0,
        first: false,
    })
}

/// `ares fold asig, kincr`: sample-and-hold at every `kincr` samples
/// (fractional steps allowed): a sample is taken once the running sample
/// count passes the next due point, which then moves on by `kincr`.
struct Fold {
    out: Output,
    sig: Input,
    incr: Input,
    samples: usize,
    /// Samples seen since the note began.
    count: f64,
    next: f64,
    held: f64,
}

impl Opcode for Fold {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.count = 0.0;
        self.next = 0.0;
        self.held = 0.0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let incr = self.incr.get();
        if incr.is_nan() || incr <= 0.0 {
            return Err(ctx.fail(format_args!("fold: kincr must be positive, not {incr}")));
        }
        for i in 0..self.samples {
            if self.count > self.next {
                self.held = self.sig.at(i);
                self.next += incr;
            }
            self.count += 1.0;
            self.out.set_at(i, self.held);
        }
        Ok(())
    }
}

fn build_fold(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Fold {
        out: a.out(0),
        sig: a.input(0),
        incr: a.input(1),
        samples: a.ksmps,
        count: 0.0,
        next: 0.0,
        held: 0.0,
    })
}

/// `diff xsig [, iskip]` (x[n] - x[n-1]) and `integ xsig [, iskip]` (the
/// running sum), at audio or control rate; `iskip` keeps the last note's
/// state.
struct Calculus {
    out: Output,
    sig: Input,
    skip: Input,
    samples: usize,
    integrate: bool,
    state: f64,
}

impl Opcode for Calculus {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        if self.skip.get() == 0.0 {
            self.state = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let mut state = self.state;
        if self.integrate {
            for i in 0..self.samples {
                state += self.sig.at(i);
                self.out.set_at(i, state);
            }
        } else {
            for i in 0..self.samples {
                let x = self.sig.at(i);
                self.out.set_at(i, x - state);
                state = x;
            }
        }
        self.state = state;
        Ok(())
    }
}

fn build_calculus(a: &Args, integrate: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Calculus {
        out: a.out(0),
        sig: a.input(0),
        skip: a.input(1),
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
        integrate,
        state: 0.0,
    })
}

/// `ares mpulse kamp, kintvl [, ioffset]`: single-sample impulses of
/// `kamp`, the first after `ioffset` seconds (samples when negative), each
/// next one `kintvl` seconds (samples when negative) later, the interval
/// read when the impulse sounds; an interval of 0 waits forever.
struct Mpulse {
    out: Output,
    amp: Input,
    interval: Input,
    offset: Input,
    samples: usize,
    /// Samples to wait before the next impulse (None: never again).
    wait: Option<u64>,
}

/// Seconds (or samples when negative) to a whole number of samples.
fn to_samples(x: f64, sr: f64) -> Option<u64> {
    let n = if x < 0.0 { -x } else { x * sr };
    if n.is_finite() && n < 1e15 {
        Some(n as u64)
    } else {
        None
    }
}

impl Opcode for Mpulse {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.wait = to_samples(self.offset.get(), ctx.rates.sr);
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            match self.wait {
                Some(0) => {
                    self.out.set_at(i, self.amp.get());
                    let interval = self.interval.get();
                    self.wait = if interval == 0.0 {
                        None
                    } else {
                        to_samples(interval, ctx.rates.sr).map(|n| n.saturating_sub(1))
                    };
                }
                Some(n) => {
                    self.out.set_at(i, 0.0);
                    self.wait = Some(n - 1);
                }
                None => self.out.set_at(i, 0.0),
            }
        }
        Ok(())
    }
}

fn build_mpulse(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Mpulse {
        out: a.out(0),
        amp: a.input(0),
        interval: a.input(1),
        offset: a.input(2),
        samples: a.ksmps,
        wait: Some(0),
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "upsamp",
        "a",
        "k",
        Pass::Perf,
        build_upsamp,
        "control signal to audio, each value held over its block",
    ),
    spec(
        "downsamp",
        "k",
        "ao",
        Pass::Both,
        build_downsamp,
        "audio to control: the block's first sample, or the mean of its first iwlen",
    ),
    spec(
        "interp",
        "a",
        "kooo",
        Pass::Both,
        build_interp,
        "control signal to audio by linear interpolation between blocks",
    ),
    spec(
        "fold",
        "a",
        "ak",
        Pass::Both,
        build_fold,
        "artificial foldover: hold every kincr-th sample",
    ),
    spec(
        "diff",
        "a",
        "xo",
        Pass::Both,
        |a| build_calculus(a, false),
        "first difference of a signal (differentiation)",
    ),
    spec(
        "diff",
        "k",
        "xo",
        Pass::Both,
        |a| build_calculus(a, false),
        "first difference of a signal (differentiation)",
    ),
    spec(
        "integ",
        "a",
        "xo",
        Pass::Both,
        |a| build_calculus(a, true),
        "running sum of a signal (integration)",
    ),
    spec(
        "integ",
        "k",
        "xo",
        Pass::Both,
        |a| build_calculus(a, true),
        "running sum of a signal (integration)",
    ),
    spec(
        "mpulse",
        "a",
        "kko",
        Pass::Both,
        build_mpulse,
        "single-sample impulses of kamp every kintvl seconds after ioffset",
    ),
];
