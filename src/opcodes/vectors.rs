//! Vector opcodes on function tables: a scalar into a stretch of a table
//! (`vadd`, `vmult`, `vpow`, `vexp`), one table into another element by
//! element (`vaddv`, `vsubv`, `vmultv`, `vdivv`, `vpowv`, `vexpv`, `vcopy`,
//! `vmap`), and `vlimit`; each at control rate and, with the `_i` suffix,
//! once at init.
//!
//! A stretch is `kelements` points from `kdstoffset` (and `ksrcoffset` in
//! the source). Destination points outside the table (the guard point
//! counts as inside) are skipped, and so are points whose source lies
//! outside its table: nothing wraps around.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;
use std::sync::atomic::Ordering;

/// What a scalar opcode does to each point `x` with the value `v`.
#[derive(Clone, Copy)]
enum ScalarOp {
    Add,
    Mult,
    /// `x ^ v`
    Pow,
    /// `v ^ x`
    Exp,
}

impl ScalarOp {
    #[inline]
    fn apply(self, x: f64, v: f64) -> f64 {
        match self {
            ScalarOp::Add => x + v,
            ScalarOp::Mult => x * v,
            ScalarOp::Pow => x.powf(v),
            ScalarOp::Exp => v.powf(x),
        }
    }
}

/// What a two-table opcode makes of the destination point `d` and the
/// source point `s`.
#[derive(Clone, Copy)]
enum VectorOp {
    Add,
    Sub,
    Mult,
    Div,
    /// `d ^ s`
    Pow,
    /// `s ^ d`
    Exp,
    Copy,
    /// The source point at index `d` (`vmap`).
    Map,
}

/// The points `offset .. offset + count` that lie inside a table of
/// `stored` points, as a range (empty when none do).
fn span(offset: f64, count: f64, stored: usize) -> (usize, usize) {
    let offset = offset as i64;
    let count = if count > 0.0 {
        count.min(1e9) as i64
    } else {
        0
    };
    let lo = offset.max(0);
    let hi = (offset + count).min(stored as i64);
    if hi > lo {
        (lo as usize, hi as usize)
    } else {
        (0, 0)
    }
}

/// `vadd ifn, kval, kelements [, kdstoffset, kverbose]` and its kin.
struct Scalar {
    table: Input,
    value: Input,
    elements: Input,
    offset: Input,
    op: ScalarOp,
    name: &'static str,
}

impl Scalar {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(t) = ctx.tables.get(n) else {
            return Err(ctx.fail(format_args!("{}: table {n} not found", self.name)));
        };
        let v = self.value.get();
        let (lo, hi) = span(self.offset.get(), self.elements.get(), t.stored());
        // One range check, then straight through the points.
        for p in &t.points()[lo..hi] {
            let x = f64::from_bits(p.load(Ordering::Relaxed));
            let y = ctx.note.shared_value(self.op.apply(x, v), "a table");
            p.store(y.to_bits(), Ordering::Relaxed);
        }
        Ok(())
    }
}

impl Opcode for Scalar {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

fn build_scalar(a: &Args, op: ScalarOp, name: &'static str) -> Result<Box<dyn Opcode>, String> {
    boxed(Scalar {
        table: a.input(0),
        value: a.input(1),
        elements: a.input(2),
        offset: a.input(3),
        op,
        name,
    })
}

/// `vaddv ifn1, ifn2, kelements [, kdstoffset, ksrcoffset, kverbose]` and
/// its kin: table `ifn1` combined point by point with table `ifn2`.
struct Vector {
    dest: Input,
    source: Input,
    elements: Input,
    dest_offset: Input,
    source_offset: Input,
    op: VectorOp,
    name: &'static str,
}

impl Vector {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (dn, sn) = (self.dest.get(), self.source.get());
        let (Some(d), Some(s)) = (ctx.tables.get(dn), ctx.tables.get(sn)) else {
            let missing = if ctx.tables.get(dn).is_none() { dn } else { sn };
            return Err(ctx.fail(format_args!("{}: table {missing} not found", self.name)));
        };
        let src_offset = self.source_offset.get() as i64;
        let elements = self.elements.get();
        // When both stretches are in one table and the destination lies
        // after the source, walk backwards so that each point is read
        // before it is overwritten (a copy within a table moves the
        // original values, as csound's does).
        let same = std::ptr::eq(d, s);
        let dst_offset = self.dest_offset.get();
        let backwards = same && (dst_offset as i64) > src_offset;
        let count = if elements > 0.0 {
            elements.min(1e9) as i64
        } else {
            0
        };
        // The steps j at which both the destination and the source point
        // lie inside their tables.
        let dst_offset = dst_offset as i64;
        let first = 0.max(-dst_offset).max(-src_offset);
        let end = count
            .min(d.stored() as i64 - dst_offset)
            .min(s.stored() as i64 - src_offset);
        for k in 0..(end - first).max(0) {
            let j = if backwards { end - 1 - k } else { first + k };
            let (di, si) = ((dst_offset + j) as usize, (src_offset + j) as usize);
            let (x, y) = (d.get(di), s.get(si));
            let v = match self.op {
                VectorOp::Add => x + y,
                VectorOp::Sub => x - y,
                VectorOp::Mult => x * y,
                VectorOp::Div => x / y,
                VectorOp::Pow => x.powf(y),
                VectorOp::Exp => y.powf(x),
                VectorOp::Copy => y,
                VectorOp::Map => {
                    let m = x as i64;
                    if m < 0 || m as usize >= s.stored() {
                        continue;
                    }
                    s.get(m as usize)
                }
            };
            d.set(di, ctx.note.shared_value(v, "a table"));
        }
        Ok(())
    }
}

impl Opcode for Vector {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

fn build_vector(a: &Args, op: VectorOp, name: &'static str) -> Result<Box<dyn Opcode>, String> {
    boxed(Vector {
        dest: a.input(0),
        source: a.input(1),
        elements: a.input(2),
        dest_offset: a.input(3),
        source_offset: a.input(4),
        op,
        name,
    })
}

/// `vlimit ifn, kmin, kmax, ielements`: each of the first `ielements`
/// points held between kmin and kmax.
struct Vlimit {
    table: Input,
    min: Input,
    max: Input,
    elements: Input,
}

impl Opcode for Vlimit {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(t) = ctx.tables.get(n) else {
            return Err(ctx.fail(format_args!("vlimit: table {n} not found")));
        };
        let (lo, hi) = (self.min.get(), self.max.get());
        let (first, end) = span(0.0, self.elements.get(), t.stored());
        for p in &t.points()[first..end] {
            let x = f64::from_bits(p.load(Ordering::Relaxed));
            let y = if x > hi {
                hi
            } else if x < lo {
                lo
            } else {
                x
            };
            p.store(y.to_bits(), Ordering::Relaxed);
        }
        Ok(())
    }
}

fn build_vlimit(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Vlimit {
        table: a.input(0),
        min: a.input(1),
        max: a.input(2),
        elements: a.input(3),
    })
}

/// The control-rate and init-time forms of one scalar opcode.
macro_rules! scalar_specs {
    ($k:literal, $i:literal, $op:expr, $doc:literal) => {
        [
            spec(
                $k,
                "",
                "ikkOO",
                Pass::Perf,
                |a| build_scalar(a, $op, $k),
                $doc,
            ),
            spec(
                $i,
                "",
                "iiio",
                Pass::Init,
                |a| build_scalar(a, $op, $i),
                $doc,
            ),
        ]
    };
}

/// The control-rate and init-time forms of one two-table opcode.
macro_rules! vector_specs {
    ($k:literal, $i:literal, $op:expr, $doc:literal) => {
        [
            spec(
                $k,
                "",
                "iikOOO",
                Pass::Perf,
                |a| build_vector(a, $op, $k),
                $doc,
            ),
            spec(
                $i,
                "",
                "iiioo",
                Pass::Init,
                |a| build_vector(a, $op, $i),
                $doc,
            ),
        ]
    };
}

const SCALAR: [[OpcodeSpec; 2]; 4] = [
    scalar_specs!(
        "vadd",
        "vadd_i",
        ScalarOp::Add,
        "add a value to a stretch of a table"
    ),
    scalar_specs!(
        "vmult",
        "vmult_i",
        ScalarOp::Mult,
        "multiply a stretch of a table by a value"
    ),
    scalar_specs!(
        "vpow",
        "vpow_i",
        ScalarOp::Pow,
        "raise a stretch of a table to a power"
    ),
    scalar_specs!(
        "vexp",
        "vexp_i",
        ScalarOp::Exp,
        "raise a value to the power of each point of a stretch"
    ),
];

const VECTOR: [[OpcodeSpec; 2]; 7] = [
    vector_specs!(
        "vaddv",
        "vaddv_i",
        VectorOp::Add,
        "add one table's stretch into another's"
    ),
    vector_specs!(
        "vsubv",
        "vsubv_i",
        VectorOp::Sub,
        "subtract one table's stretch from another's"
    ),
    vector_specs!(
        "vmultv",
        "vmultv_i",
        VectorOp::Mult,
        "multiply one table's stretch by another's"
    ),
    vector_specs!(
        "vdivv",
        "vdivv_i",
        VectorOp::Div,
        "divide one table's stretch by another's"
    ),
    vector_specs!(
        "vpowv",
        "vpowv_i",
        VectorOp::Pow,
        "raise one table's points to the powers in another"
    ),
    vector_specs!(
        "vexpv",
        "vexpv_i",
        VectorOp::Exp,
        "raise another table's points to the powers in this one"
    ),
    vector_specs!(
        "vcopy",
        "vcopy_i",
        VectorOp::Copy,
        "copy a stretch of one table into another"
    ),
];

const OTHERS: [OpcodeSpec; 2] = [
    spec(
        "vmap",
        "",
        "iiioo",
        Pass::Init,
        |a| build_vector(a, VectorOp::Map, "vmap"),
        "replace each point of a table by the point of another table it indexes",
    ),
    spec(
        "vlimit",
        "",
        "ikki",
        Pass::Perf,
        build_vlimit,
        "hold the first ielements points of a table between kmin and kmax",
    ),
];

/// Registered in this order (the vector-and-scalar forms, then the vector-and-vector forms, then the rest): form selection
/// takes the first variant that fits, so the order matters.
pub const SPECS: [&[OpcodeSpec]; 3] = [SCALAR.as_flattened(), VECTOR.as_flattened(), &OTHERS];
