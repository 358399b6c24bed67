//! Band-limited pulse oscillators from closed-form sums of cosines: `buzz`
//! (n equal harmonics) and `gbuzz` (harmonics from `klh` up, strengths in a
//! power series of `kmul`).
//!
//! As csound 6.18 (measured), both keep a 28-bit fixed-point phase with a
//! truncated increment, truncate it to a table index `i` and read every
//! multiple of the angle at index `i * m` (modulo the table length), with
//! no interpolation: the sums are then exact at the truncated phase. So the
//! sine (`buzz`) or cosine (`gbuzz`) table must be a power of two long.
//!
//! `buzz`: with `p` half the fundamental's phase, the sum of
//! `cos(k * 2p)` for k = 1..n is `(sin((2n+1) p) / sin(p) - 1) / 2`, scaled
//! by `amp / n`. Where `sin(p)` is near zero the peak value `amp` is used.
//!
//! `gbuzz`: `sum r^k cos((l+k) t)` for k = 0..n-1 is
//! `(cos(l t) - r cos((l-1) t) - r^n cos((l+n) t) + r^(n+1) cos((l+n-1) t))
//! / (1 - 2 r cos(t) + r^2)`, scaled so the peak is `amp`.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::engine::table::Table;

/// One cycle of the fixed-point phase.
pub(super) const CYCLE: i64 = 1 << 28;
pub(super) const MASK: i64 = CYCLE - 1;

/// Table `n`, checked to exist and be a power of two long; with the bits
/// of the phase below its index.
pub(super) fn checked_table<'a>(
    ctx: &'a mut Ctx,
    name: &str,
    n: f64,
) -> Result<(&'a Table, u32), Failed> {
    let len = match ctx.tables.get(n) {
        None => return Err(ctx.fail(format_args!("{name}: table {n} does not exist"))),
        Some(t) => t.len(),
    };
    if !len.is_power_of_two() || len > 1 << 28 {
        return Err(ctx.fail(format_args!(
            "{name}: table {n} has {len} points, not a power of two"
        )));
    }
    let lobits = 28 - len.trailing_zeros();
    ctx.tables.get(n).map(|t| (t, lobits)).ok_or(Failed)
}

/// The fixed-point starting phase for `iphs` (a fraction of a cycle), times `scale`.
fn start_phase(iphs: f64, scale: f64) -> Option<i64> {
    (iphs >= 0.0).then_some(((iphs * scale * CYCLE as f64) as i64) & MASK)
}

/// The table at `m` times the angle of index `i` (wrapped round the table).
#[inline(always)]
pub(super) fn at_multiple(table: &Table, i: i64, m: i64) -> f64 {
    let mask = table.len() as i64 - 1;
    table.get((i.wrapping_mul(m) & mask) as usize)
}

/// `buzz xamp, xcps, knh, ifn [, iphs]`.
struct Buzz {
    out: Output,
    amp: Input,
    cps: Input,
    harmonics: Input,
    table: Input,
    iphase: Input,
    samples: usize,
    /// Phase of half the fundamental, in 1/2^28 of a cycle.
    phase: i64,
}

fn build_buzz(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Buzz {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        harmonics: a.input(2),
        table: a.input(3),
        iphase: a.input(4),
        samples: a.ksmps,
        phase: 0,
    })
}

impl Opcode for Buzz {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        checked_table(ctx, "buzz", self.table.get())?;
        if let Some(p) = start_phase(self.iphase.get(), 0.5) {
            self.phase = p;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let to_fixed = CYCLE as f64 / ctx.rates.sr * 0.5;
        let (table, lobits) = checked_table(ctx, "buzz", self.table.get())?;
        let n = (self.harmonics.get().abs() as i64).max(1);
        let twice_n_plus_1 = 2 * n + 1;
        let over_2n = 1.0 / (2 * n) as f64;
        let mut phase = self.phase;
        for i in 0..self.samples {
            let amp = self.amp.at(i);
            let index = phase >> lobits;
            let denom = at_multiple(table, index, 1);
            let v = if denom.abs() > 0.0002 {
                let num = at_multiple(table, index, twice_n_plus_1);
                (num / denom - 1.0) * amp * over_2n
            } else {
                amp
            };
            self.out.set_at(i, v);
            phase = (phase + (self.cps.at(i) * to_fixed) as i64) & MASK;
        }
        self.phase = phase;
        Ok(())
    }
}

/// `gbuzz xamp, xcps, knh, klh, kmul, ifn [, iphs]`.
struct Gbuzz {
    out: Output,
    amp: Input,
    cps: Input,
    harmonics: Input,
    lowest: Input,
    mul: Input,
    table: Input,
    iphase: Input,
    samples: usize,
    /// Phase of the fundamental, in 1/2^28 of a cycle.
    phase: i64,
}

fn build_gbuzz(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Gbuzz {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        harmonics: a.input(2),
        lowest: a.input(3),
        mul: a.input(4),
        table: a.input(5),
        iphase: a.input(6),
        samples: a.ksmps,
        phase: 0,
    })
}

impl Opcode for Gbuzz {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        checked_table(ctx, "gbuzz", self.table.get())?;
        if let Some(p) = start_phase(self.iphase.get(), 1.0) {
            self.phase = p;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let to_fixed = CYCLE as f64 / ctx.rates.sr;
        let (table, lobits) = checked_table(ctx, "gbuzz", self.table.get())?;
        let n = (self.harmonics.get().abs() as i64).max(1);
        let l = self.lowest.get() as i64;
        let r = self.mul.get();
        let r_n = r.powi(n as i32);
        let r_n1 = r_n * r;
        // Scale so the partials' strengths sum to 1.
        let scale = if (r.abs() - 1.0).abs() > 1e-7 {
            (1.0 - r.abs()) / (1.0 - r_n.abs())
        } else {
            1.0 / n as f64
        };
        let two_r = 2.0 * r;
        let r_sq_plus_1 = r * r + 1.0;
        let mut phase = self.phase;
        for i in 0..self.samples {
            let amp = self.amp.at(i);
            let index = phase >> lobits;
            let cos_at = |m: i64| at_multiple(table, index, m);
            let denom = r_sq_plus_1 - two_r * cos_at(1);
            let v = if denom.abs() > 1e-4 {
                let num =
                    cos_at(l) - r * cos_at(l - 1) - r_n * cos_at(l + n) + r_n1 * cos_at(l + n - 1);
                num / denom * amp * scale
            } else {
                amp
            };
            self.out.set_at(i, v);
            phase = (phase + (self.cps.at(i) * to_fixed) as i64) & MASK;
        }
        self.phase = phase;
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "buzz",
        "a",
        "xxkio",
        Pass::Both,
        build_buzz,
        "band-limited pulse: knh equal-strength cosine harmonics from a sine table",
    ),
    spec(
        "gbuzz",
        "a",
        "xxkkkio",
        Pass::Both,
        build_gbuzz,
        "cosine harmonics from klh up, knh of them, strengths a power series in kmul",
    ),
];
