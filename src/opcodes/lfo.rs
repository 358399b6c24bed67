//! Oscillators that need no table from the score: `lfo` (sine, triangle,
//! squares and saws for modulation) and `oscils` (a sine by recursion).
//!
//! `lfo` keeps a 24-bit fixed-point phase (`cps * 2^24 / rate`, truncated),
//! and its sine reads a 4096-point table with linear interpolation, as the
//! manual says csound's does; the other shapes are computed from the phase.

use std::f64::consts::TAU;
use std::sync::OnceLock;

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// One cycle of `lfo`'s phase.
const LFO_CYCLE: i64 = 1 << 24;
/// Bits of the phase below the sine table index (4096 points).
const LFO_SINE_SHIFT: u32 = 12;

/// `lfo`'s 4096-point sine plus guard point, built once off the audio thread.
fn lfo_sine() -> &'static [f64] {
    static SINE: OnceLock<Vec<f64>> = OnceLock::new();
    SINE.get_or_init(|| {
        let n = 4096;
        (0..=n)
            .map(|i| (TAU * (i % n) as f64 / n as f64).sin())
            .collect()
    })
}

/// The six `lfo` shapes, by `itype`.
#[derive(Clone, Copy)]
enum Shape {
    Sine,
    Triangle,
    Square,
    SquareUnipolar,
    SawUp,
    SawDown,
}

/// `lfo kamp, kcps [, itype]`.
struct Lfo {
    out: Output,
    amp: Input,
    cps: Input,
    kind: Input,
    shape: Shape,
    samples: usize,
    phase: i64,
    sine: &'static [f64],
}

fn build_lfo(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Lfo {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        kind: a.input(2),
        shape: Shape::Sine,
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
        phase: 0,
        sine: lfo_sine(),
    })
}

impl Lfo {
    /// The shape's value at the current phase, in -1..1 (0..1 unipolar).
    #[inline(always)]
    fn value(&self) -> f64 {
        let p = self.phase;
        let x = p as f64 / LFO_CYCLE as f64;
        match self.shape {
            Shape::Sine => {
                let i = (p >> LFO_SINE_SHIFT) as usize;
                let frac = (p & ((1 << LFO_SINE_SHIFT) - 1)) as f64 / (1 << LFO_SINE_SHIFT) as f64;
                let v = self.sine[i];
                v + (self.sine[i + 1] - v) * frac
            }
            Shape::Triangle => {
                if x < 0.25 {
                    4.0 * x
                } else if x < 0.75 {
                    2.0 - 4.0 * x
                } else {
                    4.0 * x - 4.0
                }
            }
            Shape::Square => {
                if x < 0.5 {
                    1.0
                } else {
                    -1.0
                }
            }
            Shape::SquareUnipolar => {
                if x < 0.5 {
                    1.0
                } else {
                    0.0
                }
            }
            Shape::SawUp => x,
            Shape::SawDown => 1.0 - x,
        }
    }
}

impl Opcode for Lfo {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let kind = self.kind.get();
        self.shape = match kind as i64 {
            0 => Shape::Sine,
            1 => Shape::Triangle,
            2 => Shape::Square,
            3 => Shape::SquareUnipolar,
            4 => Shape::SawUp,
            5 => Shape::SawDown,
            _ => {
                return Err(ctx.fail(format_args!(
                    "lfo: unknown type {kind} (0 sine, 1 triangle, 2 square, 3 unipolar square, 4 saw up, 5 saw down)"
                )));
            }
        };
        self.phase = 0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = if self.samples > 1 {
            ctx.rates.sr
        } else {
            ctx.rates.kr
        };
        let inc = (self.cps.get() * LFO_CYCLE as f64 / rate) as i64;
        let amp = self.amp.get();
        for i in 0..self.samples {
            self.out.set_at(i, amp * self.value());
            self.phase = (self.phase + inc) & (LFO_CYCLE - 1);
        }
        Ok(())
    }
}

/// `oscils iamp, icps, iphs [, iflg]`: a sine computed by the recursion
/// `x[n+1] = 2 cos(w) x[n] - x[n-1]`, set up at init. Bit 1 of `iflg`
/// skips the set-up (a tied note goes on); bit 2 (double precision) is
/// always on here.
struct Oscils {
    out: Output,
    amp: Input,
    cps: Input,
    phase: Input,
    flags: Input,
    /// Two times the cosine of the phase step.
    c: f64,
    x: f64,
    xm1: f64,
    samples: usize,
}

impl Opcode for Oscils {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if (self.flags.get() as i64) & 1 != 0 {
            return Ok(());
        }
        let w = TAU * self.cps.get() / ctx.rates.sr;
        let start = TAU * self.phase.get();
        let amp = self.amp.get();
        self.c = 2.0 * w.cos();
        self.x = amp * start.sin();
        self.xm1 = amp * (start - w).sin();
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            self.out.set_at(i, self.x);
            let next = self.c * self.x - self.xm1;
            self.xm1 = self.x;
            self.x = next;
        }
        Ok(())
    }
}

fn build_oscils(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Oscils {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        phase: a.input(2),
        flags: a.input(3),
        c: 0.0,
        x: 0.0,
        xm1: 0.0,
        samples: a.ksmps,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "lfo",
        "a",
        "kko",
        Pass::Both,
        build_lfo,
        "low-frequency oscillator: sine, triangle, square, unipolar square, saw up or saw down (itype 0-5)",
    ),
    spec(
        "lfo",
        "k",
        "kko",
        Pass::Both,
        build_lfo,
        "low-frequency oscillator: sine, triangle, square, unipolar square, saw up or saw down (itype 0-5)",
    ),
    spec(
        "oscils",
        "a",
        "iiio",
        Pass::Both,
        build_oscils,
        "sine oscillator computed by recursion, with amplitude, frequency and phase fixed at init",
    ),
];
