//! `foscil` and `foscili`: Chowning's FM pair, a carrier oscillator whose
//! frequency is swung by a modulating one: carrier `kcps * xcar`, modulator
//! `kcps * xmod`, peak deviation `kndx * kcps * xmod`.
//!
//! As csound 6.18 (measured): both phases are 28-bit fixed-point fractions
//! of a cycle reading one (power-of-two) table; each sample's carrier step
//! is the carrier frequency plus the modulator's current value times the
//! deviation, truncated to the fixed-point grid. `foscil` reads the point
//! below each phase, `foscili` interpolates linearly.

use super::buzz::{CYCLE, MASK};
use super::oscillators::sine_table;
use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::engine::table::Table;

/// `ares foscil[i] xamp, kcps, xcar, xmod, kndx [, ifn] [, iphs]`; ifn -1
/// is csound's built-in sine (the default for `foscil`; `foscili` needs ifn).
struct Foscil {
    name: &'static str,
    interpolate: bool,
    out: Output,
    amp: Input,
    cps: Input,
    car: Input,
    modf: Input,
    index: Input,
    table: Input,
    iphase: Input,
    samples: usize,
    /// Carrier and modulator phases, in 1/2^28 of a cycle.
    car_phase: i64,
    mod_phase: i64,
}

fn build(a: &Args, name: &'static str, interpolate: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Foscil {
        name,
        interpolate,
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        car: a.input(2),
        modf: a.input(3),
        index: a.input(4),
        table: a.input(5),
        iphase: a.input(6),
        samples: a.ksmps,
        car_phase: 0,
        mod_phase: 0,
    })
}

/// The table an FM pair reads: a numbered one, or csound's built-in sine
/// (ifn -1, the default).
enum Wave<'a> {
    Table(&'a Table),
    Sine(&'static [f64]),
}

impl Wave<'_> {
    #[inline(always)]
    fn get(&self, i: usize) -> f64 {
        match self {
            Wave::Table(t) => t.get(i),
            Wave::Sine(s) => s.get(i).copied().unwrap_or(0.0),
        }
    }
}

/// Table `n` (or the built-in sine for -1) and the bits of the phase below
/// its index, or an init error naming the opcode when it is missing or not
/// a power of two long.
fn table_bits<'a>(ctx: &'a mut Ctx, name: &str, n: f64) -> Result<(Wave<'a>, u32), Failed> {
    if n == -1.0 {
        let sine = sine_table();
        let lobits = 28 - (sine.len() - 1).trailing_zeros();
        return Ok((Wave::Sine(sine), lobits));
    }
    let len = match ctx.tables.get(n) {
        None => return Err(ctx.fail(format_args!("{name}: table {n} does not exist"))),
        Some(t) => t.len(),
    };
    if !len.is_power_of_two() || len > CYCLE as usize {
        return Err(ctx.fail(format_args!(
            "{name}: table {n} has {len} points, not a power of two"
        )));
    }
    let lobits = 28 - len.trailing_zeros();
    ctx.tables
        .get(n)
        .map(|t| (Wave::Table(t), lobits))
        .ok_or(Failed)
}

impl Opcode for Foscil {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        table_bits(ctx, self.name, self.table.get())?;
        let iphs = self.iphase.get();
        if iphs >= 0.0 {
            let p = ((iphs * CYCLE as f64) as i64) & MASK;
            self.car_phase = p;
            self.mod_phase = p;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let to_fixed = CYCLE as f64 / ctx.rates.sr;
        let (table, lobits) = table_bits(ctx, self.name, self.table.get())?;
        let frac_scale = 1.0 / (1i64 << lobits) as f64;
        let low_mask = (1i64 << lobits) - 1;
        // The point at `phase`, or between it and the next one (the guard
        // point makes the next one exist at the end).
        let read = |phase: i64| {
            let i = (phase >> lobits) as usize;
            let v = table.get(i);
            if self.interpolate {
                let frac = (phase & low_mask) as f64 * frac_scale;
                v + (table.get(i + 1) - v) * frac
            } else {
                v
            }
        };
        let cps = self.cps.get();
        let index = self.index.get();
        let (mut car_phase, mut mod_phase) = (self.car_phase, self.mod_phase);
        for i in 0..self.samples {
            let modf = cps * self.modf.at(i);
            let deviation = index * modf;
            let car = cps * self.car.at(i);
            let m = read(mod_phase);
            let v = read(car_phase) * self.amp.at(i);
            self.out.set_at(i, v);
            mod_phase = (mod_phase + (modf * to_fixed) as i64) & MASK;
            car_phase = (car_phase + ((car + m * deviation) * to_fixed) as i64) & MASK;
        }
        self.car_phase = car_phase;
        self.mod_phase = mod_phase;
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "foscil",
        "a",
        "xkxxkjo",
        Pass::Both,
        |a| build(a, a.name, false),
        "FM pair: carrier kcps*xcar swung by modulator kcps*xmod, index kndx",
    ),
    spec(
        "foscili",
        "a",
        "xkxxkio",
        Pass::Both,
        |a| build(a, a.name, true),
        "FM pair like foscil, reading the table with linear interpolation",
    ),
];
