//! Table-lookup oscillators: `oscil`, `oscili`, `poscil`, `phasor`.
//!
//! `oscil` and `oscili` keep their phase as a 24-bit fixed-point number, as
//! Csound does: the phase increment per sample is `cps * 2^24 / sr`
//! truncated to an integer, the top bits index the table and the low bits
//! give the interpolation fraction. Matching that truncation is what makes
//! long notes stay in phase with Csound's output. `poscil` keeps a
//! floating-point phase (its point is precision).

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// One full cycle of phase in fixed point.
const FMAXLEN: f64 = 16_777_216.0;
const PHMASK: i64 = 0x00FF_FFFF;

/// `oscil` (truncating) and `oscili` (linear interpolation).
struct Oscil {
    out: Output,
    amp: Input,
    cps: Input,
    table: Input,
    iphase: Input,
    phase: i64,
    samples: usize,
    interpolate: bool,
}

fn build_oscil(a: &Args, interpolate: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Oscil {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        table: a.input(2),
        iphase: a.input(3),
        phase: 0,
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
        interpolate,
    })
}

/// Bits below the table index for a power-of-two table of `len` points.
fn lobits(len: usize) -> Option<u32> {
    if len.is_power_of_two() && len <= 1 << 24 {
        Some(24 - len.trailing_zeros())
    } else {
        None
    }
}

impl Opcode for Oscil {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let iphs = self.iphase.get();
        if iphs >= 0.0 {
            self.phase = ((iphs * FMAXLEN) as i64) & PHMASK;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(table) = ctx.tables.get(n) else {
            return Err(ctx.fail(format_args!("oscil: table {n} does not exist")));
        };
        let Some(lobits) = lobits(table.len()) else {
            let len = table.len();
            return Err(ctx.fail(format_args!(
                "oscil: table {n} length {len} is not a power of two"
            )));
        };
        let rate = if self.samples == 1 {
            ctx.rates.kr
        } else {
            ctx.rates.sr
        };
        let to_fixed = FMAXLEN / rate;
        let lomask = (1i64 << lobits) - 1;
        let lodiv = 1.0 / (1i64 << lobits) as f64;
        let mut phase = self.phase;
        for i in 0..self.samples {
            let inc = (self.cps.at(i) * to_fixed) as i64;
            let index = (phase >> lobits) as usize;
            let v = if self.interpolate {
                let frac = (phase & lomask) as f64 * lodiv;
                let v1 = table.get(index);
                v1 + (table.get(index + 1) - v1) * frac
            } else {
                table.get(index)
            };
            self.out.set_at(i, self.amp.at(i) * v);
            phase = (phase + inc) & PHMASK;
        }
        self.phase = phase;
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "oscil",
        "a",
        "xxjo",
        Pass::Both,
        |a| build_oscil(a, false),
        "table-lookup oscillator, no interpolation",
    ),
    spec(
        "oscil",
        "k",
        "kkjo",
        Pass::Both,
        |a| build_oscil(a, false),
        "table-lookup oscillator, no interpolation",
    ),
    spec(
        "oscili",
        "a",
        "xxjo",
        Pass::Both,
        |a| build_oscil(a, true),
        "table-lookup oscillator with linear interpolation",
    ),
    spec(
        "oscili",
        "k",
        "kkjo",
        Pass::Both,
        |a| build_oscil(a, true),
        "table-lookup oscillator with linear interpolation",
    ),
];
