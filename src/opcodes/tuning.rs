//! Pitch-class to Hz in other tunings: `cps2pch` (an equal division of the
//! octave, or a table of ratios) and `cpsxpch` (any repeating interval and
//! base frequency).
//!
//! `8ve.pc`: the whole part counts repeats of the interval ("octaves"), the
//! two digits after the point pick a step within it. With `iequal > 0` a
//! step is `1/iequal` of the interval; with `iequal < 0`, table `-iequal`
//! holds each step's frequency ratio (its guard point being the last),
//! and a step past the table's end carries into the next interval.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// The frequency of pitch 0.0 in `cps2pch`: middle C (8.00) is 2^8 of it.
const CPS2PCH_BASE: f64 = 1.02197503906;

/// `icps cps2pch ipch, iequal` and `icps cpsxpch ipch, iequal, irepeat, ibase`.
struct Cps2pch {
    name: &'static str,
    out: Output,
    pch: Input,
    equal: Input,
    /// `cpsxpch`'s interval and base (None: an octave above 1.02197503906 Hz).
    repeat: Option<(Input, Input)>,
}

fn build(a: &Args, name: &'static str, extended: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Cps2pch {
        name,
        out: a.out(0),
        pch: a.input(0),
        equal: a.input(1),
        repeat: extended.then(|| (a.input(2), a.input(3))),
    })
}

impl Opcode for Cps2pch {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let name = self.name;
        let pch = self.pch.get();
        let equal = self.equal.get();
        let (repeat, base) = match self.repeat {
            Some((r, b)) => (r.get(), b.get()),
            None => (2.0, CPS2PCH_BASE),
        };
        if repeat <= 0.0 || base <= 0.0 {
            return Err(ctx.fail(format_args!(
                "{name}: irepeat and ibase must be positive (got {repeat}, {base})"
            )));
        }
        let octave = pch.trunc();
        let steps = (pch - octave) * 100.0;
        let cps = if equal > 0.0 {
            base * repeat.powf(octave + steps / equal)
        } else if equal < 0.0 {
            let n = -equal;
            let Some(table) = ctx.tables.get(n) else {
                return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
            };
            let len = table.len() as i64;
            if len == 0 {
                return Err(ctx.fail(format_args!("{name}: table {n} is empty")));
            }
            // As csound 6.18 (measured): the step is the two digits plus a
            // half, truncated toward zero; steps up to the table's length
            // read it directly (its guard point is the last ratio), and
            // only steps beyond it carry into the next interval.
            let mut step = (steps + 0.5).trunc() as i64;
            let mut carry = 0i64;
            if step > len {
                carry = (step - 1) / len;
                step -= carry * len;
            } else if step < 0 {
                carry = -((-step + len - 1) / len);
                step -= carry * len;
            }
            let ratio = table.get(step as usize);
            base * ratio * repeat.powf(octave + carry as f64)
        } else {
            return Err(ctx.fail(format_args!("{name}: iequal must not be 0")));
        };
        self.out.set(cps);
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "cps2pch",
        "i",
        "ii",
        Pass::Init,
        |a| build(a, a.name, false),
        "pitch-class to Hz in iequal equal steps per octave, or through a table of ratios",
    ),
    spec(
        "cpsxpch",
        "i",
        "iiii",
        Pass::Init,
        |a| build(a, a.name, true),
        "pitch-class to Hz with any repeating interval, step count or ratio table, and base",
    ),
];
