//! Mixing tables into a table: `tablemix` (every block) and `tableimix`
//! (once, at init). Each index wraps round its table as the manual says
//! (csound masks with the length of its power-of-two tables); the guard
//! point is neither read nor written.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;

/// `tablemix kdft, kdoff, klen, ks1ft, ks1off, ks1g, ks2ft, ks2off, ks2g`:
/// `dest[doff + i] = s1[s1off + i] g1 + s2[s2off + i] g2` for `floor(klen)`
/// steps, backwards when `klen` is negative.
struct TableMix {
    args: [Input; 9],
    at_init: bool,
}

impl TableMix {
    fn mix(&self, ctx: &mut Ctx) -> Result<(), Failed> {
        let v = self.args.map(|a| a.get());
        let name = if self.at_init {
            "tableimix"
        } else {
            "tablemix"
        };
        let steps = v[2].floor();
        if steps == 0.0 {
            return Ok(());
        }
        let (count, dir) = if steps < 0.0 {
            (-steps as i64, -1)
        } else {
            (steps as i64, 1)
        };
        for n in [v[0], v[3], v[6]] {
            if ctx.tables.get(n).is_none_or(|t| t.is_empty()) {
                return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
            }
        }
        let tables = &*ctx.tables;
        let (dest, s1, s2) = (
            tables.get(v[0]).expect("checked"),
            tables.get(v[3]).expect("checked"),
            tables.get(v[6]).expect("checked"),
        );
        let at =
            |len: usize, off: f64, i: i64| (off as i64 + i * dir).rem_euclid(len as i64) as usize;
        let (g1, g2) = (v[5], v[8]);
        for i in 0..count {
            let x = s1.get(at(s1.len(), v[4], i)) * g1 + s2.get(at(s2.len(), v[7], i)) * g2;
            dest.set(at(dest.len(), v[1], i), x);
        }
        Ok(())
    }
}

impl Opcode for TableMix {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.at_init { self.mix(ctx) } else { Ok(()) }
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.mix(ctx)
    }
}

fn build_tablemix(a: &Args, at_init: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(TableMix {
        args: std::array::from_fn(|i| a.input(i)),
        at_init,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "tablemix",
        "",
        "kkkkkkkkk",
        Pass::Both,
        |a| build_tablemix(a, false),
        "every block, writes klen points of two tables times their gains into a third",
    ),
    spec(
        "tableimix",
        "",
        "iiiiiiiii",
        Pass::Init,
        |a| build_tablemix(a, true),
        "at init, writes ilen points of two tables times their gains into a third",
    ),
];
