//! `transeg`: an envelope of segments whose curvature each segment chooses
//! (straight for type 0, concave or convex otherwise, as GEN16).
//!
//! A curved segment from `a` to `b` over `d` ticks gives, at step `i`,
//! `a + (b - a) * (1 - exp(i * type / d)) / (1 - exp(type))`, with `d` the
//! unrounded duration in ticks; a straight one adds `(b - a) / d` per step.
//! The number of steps per segment follows csound 6.18 as measured (sr 100,
//! ksmps 10): at control rate `trunc(d)`; at audio rate about `round(d)`,
//! one fewer for the last segment (`ceil(d + 0.5) - 1`, last
//! `ceil(d - 0.5) - 1`). A segment's last step is not forced onto its end
//! value, except that the envelope holds the final value once done.

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// One segment as set up at init.
#[derive(Clone, Copy, Default)]
struct Segment {
    /// Steps taken in this segment.
    steps: i64,
    /// Nominal start and end values.
    from: f64,
    to: f64,
    /// Curvature per step (`type / d`); 0 for a straight segment.
    alpha: f64,
    /// Straight: increment per step. Curved: `(to - from) / (1 - exp(type))`.
    c1: f64,
}

struct Transeg {
    out: Output,
    start: Input,
    /// (duration, type, value) inputs.
    points: Vec<(Input, Input, Input)>,
    segs: Vec<Segment>,
    samples: usize,
    active: bool,
    val: f64,
    /// Current segment and step within it.
    index: usize,
    step: i64,
    done: bool,
}

fn build_transeg(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let n = a.ins.len();
    if n < 4 || !(n - 1).is_multiple_of(3) {
        return Err(
            "needs ia, idur1, itype1, ib [, idur2, itype2, ic ...] (1 + 3n arguments)".into(),
        );
    }
    let points: Vec<(Input, Input, Input)> = (1..n)
        .step_by(3)
        .map(|i| (a.input(i), a.input(i + 1), a.input(i + 2)))
        .collect();
    let segs = vec![Segment::default(); points.len()];
    boxed(Transeg {
        out: a.out(0),
        start: a.input(0),
        points,
        segs,
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
        active: false,
        val: 0.0,
        index: 0,
        step: 0,
        done: false,
    })
}

impl Transeg {
    #[inline]
    fn tick(&mut self) -> f64 {
        let out = self.val;
        if self.done {
            return out;
        }
        self.step += 1;
        if self.step > self.segs[self.index].steps {
            // On to the next segment that takes a step, or hold the end.
            loop {
                self.index += 1;
                if self.index == self.segs.len() {
                    self.done = true;
                    self.val = self.segs[self.segs.len() - 1].to;
                    return out;
                }
                if self.segs[self.index].steps > 0 {
                    break;
                }
            }
            self.step = 1;
        }
        let s = self.segs[self.index];
        self.val = if s.alpha == 0.0 {
            self.val + s.c1
        } else {
            s.from + s.c1 * (1.0 - (self.step as f64 * s.alpha).exp())
        };
        out
    }
}

impl Opcode for Transeg {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let audio = self.samples > 1;
        let rate = if audio { ctx.rates.sr } else { ctx.rates.kr };
        let last = self.points.len() - 1;
        let mut from = self.start.get();
        for (k, &(dur, kind, value)) in self.points.iter().enumerate() {
            let (dur, kind, to) = (dur.get(), kind.get(), value.get());
            let d = dur * rate;
            let steps = if d <= 0.0 {
                0
            } else if !audio {
                d as i64
            } else if k < last {
                (d + 0.5).ceil() as i64 - 1
            } else {
                ((d - 0.5).ceil() as i64 - 1).max(0)
            };
            self.segs[k] = if kind == 0.0 || d <= 0.0 {
                Segment {
                    steps,
                    from,
                    to,
                    alpha: 0.0,
                    c1: if d > 0.0 { (to - from) / d } else { 0.0 },
                }
            } else {
                Segment {
                    steps,
                    from,
                    to,
                    alpha: kind / d,
                    c1: (to - from) / (1.0 - kind.exp()),
                }
            };
            from = to;
        }
        // As csound, a first duration that is not positive skips set-up.
        self.active = self.points[0].0.get() > 0.0;
        self.val = if self.active { self.start.get() } else { 0.0 };
        self.index = 0;
        self.step = 0;
        self.done = false;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let v = if self.active { self.tick() } else { 0.0 };
            self.out.set_at(i, v);
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "transeg",
        "a",
        "iiiim",
        Pass::Both,
        build_transeg,
        "segments from ia to ib, ... each straight (itype 0) or curved by itype; holds the last value",
    ),
    spec(
        "transeg",
        "k",
        "iiiim",
        Pass::Both,
        build_transeg,
        "segments from ia to ib, ... each straight (itype 0) or curved by itype; holds the last value",
    ),
];
