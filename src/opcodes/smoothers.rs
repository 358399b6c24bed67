//! Smoothing a signal: `lag` and `lagud` at control rate (SuperCollider's
//! exponential lags, a one-pole filter set by a 60 dB time, the second with
//! separate rising and falling times), `lineto` (straight glides between
//! the steps of a stepped control signal) and `median`/`mediank` (the
//! median of the last few values, which removes spikes).

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Ticks per block: `ksmps` for an audio output, 1 for a control output.
fn ticks(a: &Args) -> usize {
    if a.out_rate(0) == Rate::Audio {
        a.ksmps
    } else {
        1
    }
}

/// The coefficient that brings a one-pole filter within 60 dB of its
/// target in `seconds` at `rate` ticks per second (0 for no lag).
fn lag_coefficient(seconds: f64, rate: f64) -> f64 {
    if seconds > 0.0 {
        (0.001f64.ln() / (seconds * rate)).exp()
    } else {
        0.0
    }
}

/// `lag xin, klagtime [, initialvalue]` and `lagud xin, klagup, klagdown
/// [, initialvalue]`: `y = x + b (y - x)`, with `b` from the rising or
/// falling time; `y` starts at `initialvalue`, or at the first input.
struct Lag {
    out: Output,
    sig: Input,
    up: Input,
    down: Input,
    initial: Input,
    has_initial: bool,
    samples: usize,
    prev: (f64, f64),
    b_up: f64,
    b_down: f64,
    y: f64,
    fresh: bool,
}

impl Opcode for Lag {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev = (f64::NAN, f64::NAN);
        self.fresh = !self.has_initial;
        self.y = self.initial.get();
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = if self.samples == 1 {
            ctx.rates.kr
        } else {
            ctx.rates.sr
        };
        let times = (self.up.get(), self.down.get());
        if times != self.prev {
            self.prev = times;
            self.b_up = lag_coefficient(times.0, rate);
            self.b_down = lag_coefficient(times.1, rate);
        }
        if self.fresh {
            self.y = self.sig.at(0);
            self.fresh = false;
        }
        let mut y = self.y;
        for i in 0..self.samples {
            let x = self.sig.at(i);
            let b = if x > y { self.b_up } else { self.b_down };
            y = x + b * (y - x);
            self.out.set_at(i, y);
        }
        self.y = y;
        Ok(())
    }
}

fn build_lag(a: &Args, both: bool) -> Result<Box<dyn Opcode>, String> {
    let (down, initial) = if both { (2, 3) } else { (1, 2) };
    boxed(Lag {
        out: a.out(0),
        sig: a.input(0),
        up: a.input(1),
        down: a.input(down),
        initial: a.input(initial),
        has_initial: a.ins.len() > initial,
        samples: ticks(a),
        prev: (f64::NAN, f64::NAN),
        b_up: 0.0,
        b_down: 0.0,
        y: 0.0,
        fresh: true,
    })
}

/// `kres lineto ksig, ktime`: when `ksig` moves to a new value, a straight
/// line from the current output to it over `ktime * kr` blocks (rounded),
/// the first of them still on the old value (csound 6.18's timing,
/// measured); the input is not looked at again until the line arrives.
struct Lineto {
    out: Output,
    sig: Input,
    time: Input,
    started: bool,
    value: f64,
    target: f64,
    step: f64,
    left: i64,
}

impl Opcode for Lineto {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.started = false;
        self.left = 0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let x = self.sig.get();
        if !self.started {
            self.started = true;
            (self.value, self.target) = (x, x);
        } else if self.left > 0 {
            self.left -= 1;
            self.value = if self.left == 0 {
                self.target
            } else {
                self.value + self.step
            };
        } else if x != self.target {
            let blocks = (self.time.get() * ctx.rates.kr + 0.5).floor();
            self.target = x;
            if blocks > 1.0 && blocks < 1e12 {
                self.left = blocks as i64 - 1;
                self.step = (x - self.value) / self.left as f64;
            } else {
                self.value = x;
            }
        }
        self.out.set(self.value);
        Ok(())
    }
}

fn build_lineto(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Lineto {
        out: a.out(0),
        sig: a.input(0),
        time: a.input(1),
        started: false,
        value: 0.0,
        target: 0.0,
        step: 0.0,
        left: 0,
    })
}

/// The largest window `median` and `mediank` accept.
const MAX_WINDOW: usize = 1 << 16;

/// `median asig, ksize, imaxsize [, iskip]` and `mediank`: the median of the
/// last `ksize` values (at most `imaxsize`; the values before the note are
/// zeros). For an even window, the upper of the two middle values.
struct Median {
    out: Output,
    sig: Input,
    size: Input,
    skip: Input,
    samples: usize,
    history: Vec<f64>,
    sorted: Vec<f64>,
    pos: usize,
}

impl Opcode for Median {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        if self.skip.get() == 0.0 {
            self.history.iter_mut().for_each(|v| *v = 0.0);
            self.pos = 0;
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let cap = self.history.len();
        let size = (self.size.get().max(1.0) as usize).min(cap);
        for i in 0..self.samples {
            self.history[self.pos] = self.sig.at(i);
            self.pos = (self.pos + 1) % cap;
            // The last `size` values, newest first.
            for (k, slot) in self.sorted[..size].iter_mut().enumerate() {
                *slot = self.history[(self.pos + cap - 1 - k) % cap];
            }
            let window = &mut self.sorted[..size];
            window.sort_unstable_by(f64::total_cmp);
            self.out.set_at(i, window[size / 2]);
        }
        Ok(())
    }
}

fn build_median(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let max = match a.constant(2) {
        Some(m) if m >= 1.0 && m <= MAX_WINDOW as f64 => m as usize,
        Some(m) => return Err(format!("median: imaxsize {m} is outside 1..{MAX_WINDOW}")),
        None => return Err("median: imaxsize must be a constant".into()),
    };
    boxed(Median {
        out: a.out(0),
        sig: a.input(0),
        size: a.input(1),
        skip: a.input(3),
        samples: ticks(a),
        history: vec![0.0; max],
        sorted: vec![0.0; max],
        pos: 0,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    // Each with and without `initialvalue` (a form per count, so the
    // opcode knows whether it was given). The audio-rate forms are left
    // out: csound 6.18's differ from this recursion in a way not yet
    // understood (measured at -1 dB on a stepped frequency).
    spec(
        "lag",
        "a",
        "ak",
        Pass::Both,
        |a| build_lag(a, false),
        LAG_DOC,
    ),
    spec(
        "lag",
        "a",
        "aki",
        Pass::Both,
        |a| build_lag(a, false),
        LAG_DOC,
    ),
    spec(
        "lag",
        "k",
        "kk",
        Pass::Both,
        |a| build_lag(a, false),
        LAG_DOC,
    ),
    spec(
        "lag",
        "k",
        "kki",
        Pass::Both,
        |a| build_lag(a, false),
        LAG_DOC,
    ),
    spec(
        "lagud",
        "a",
        "akk",
        Pass::Both,
        |a| build_lag(a, true),
        LAGUD_DOC,
    ),
    spec(
        "lagud",
        "a",
        "akki",
        Pass::Both,
        |a| build_lag(a, true),
        LAGUD_DOC,
    ),
    spec(
        "lagud",
        "k",
        "kkk",
        Pass::Both,
        |a| build_lag(a, true),
        LAGUD_DOC,
    ),
    spec(
        "lagud",
        "k",
        "kkki",
        Pass::Both,
        |a| build_lag(a, true),
        LAGUD_DOC,
    ),
    spec(
        "lineto",
        "k",
        "kk",
        Pass::Both,
        build_lineto,
        "glide in straight lines of ktime seconds between the steps of a control signal",
    ),
    spec(
        "median",
        "a",
        "akio",
        Pass::Both,
        build_median,
        "median of the last ksize samples (a spike remover)",
    ),
    spec(
        "mediank",
        "k",
        "kkio",
        Pass::Both,
        build_median,
        "median of the last ksize control values",
    ),
];

const LAG_DOC: &str = "exponential lag reaching within 60 dB of the input in klagtime seconds";
const LAGUD_DOC: &str = "exponential lag with separate rising and falling 60 dB times";
