//! Arithmetic the compiler emits for expressions: binary operators,
//! assignment, `init`, the `?:` select and the `i()`/`a()` rate converters.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::orc::ast::BinOp;

/// The value of `a op b`, as Csound computes it (comparisons give 1 or 0).
#[inline(always)]
pub fn apply(op: BinOp, a: f64, b: f64) -> f64 {
    let truth = |t: bool| if t { 1.0 } else { 0.0 };
    match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Mod => a % b,
        BinOp::Pow => a.powf(b),
        BinOp::Lt => truth(a < b),
        BinOp::Le => truth(a <= b),
        BinOp::Gt => truth(a > b),
        BinOp::Ge => truth(a >= b),
        BinOp::Eq => truth(a == b),
        BinOp::Ne => truth(a != b),
        BinOp::And => truth(a != 0.0 && b != 0.0),
        BinOp::Or => truth(a != 0.0 || b != 0.0),
        BinOp::BitAnd => ((a as i64) & (b as i64)) as f64,
        BinOp::BitOr => ((a as i64) | (b as i64)) as f64,
        BinOp::BitXor => ((a as i64) ^ (b as i64)) as f64,
        BinOp::Shl => ((a as i64) << ((b as i64).clamp(0, 63))) as f64,
        BinOp::Shr => ((a as i64) >> ((b as i64).clamp(0, 63))) as f64,
    }
}

/// The internal opcode name of an operator.
pub fn op_name(op: BinOp) -> &'static str {
    BINARY
        .iter()
        .find(|(o, _)| *o == op)
        .map(|(_, n)| *n)
        .unwrap_or("##add")
}

const BINARY: &[(BinOp, &str)] = &[
    (BinOp::Add, "##add"),
    (BinOp::Sub, "##sub"),
    (BinOp::Mul, "##mul"),
    (BinOp::Div, "##div"),
    (BinOp::Mod, "##mod"),
    (BinOp::Pow, "##pow"),
    (BinOp::Lt, "##lt"),
    (BinOp::Le, "##le"),
    (BinOp::Gt, "##gt"),
    (BinOp::Ge, "##ge"),
    (BinOp::Eq, "##eq"),
    (BinOp::Ne, "##ne"),
    (BinOp::And, "##and"),
    (BinOp::Or, "##or"),
    (BinOp::BitAnd, "##bitand"),
    (BinOp::BitOr, "##bitor"),
    (BinOp::BitXor, "##bitxor"),
    (BinOp::Shl, "##shl"),
    (BinOp::Shr, "##shr"),
];

/// `out = a op b`, at the rate of its output.
struct Binary {
    op: BinOp,
    out: Output,
    a: Input,
    b: Input,
    samples: usize,
}

impl Binary {
    fn compute(&mut self) {
        let (out, a, b) = (self.out, self.a, self.b);
        // The common operators get their own loop so they vectorise.
        macro_rules! each {
            ($e:expr) => {
                for i in 0..self.samples {
                    let (x, y) = (a.at(i), b.at(i));
                    out.set_at(i, $e(x, y));
                }
            };
        }
        match self.op {
            BinOp::Add => each!(|x: f64, y: f64| x + y),
            BinOp::Sub => each!(|x: f64, y: f64| x - y),
            BinOp::Mul => each!(|x: f64, y: f64| x * y),
            BinOp::Div => each!(|x: f64, y: f64| x / y),
            op => each!(|x, y| apply(op, x, y)),
        }
    }
}

impl Opcode for Binary {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.compute();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.compute();
        Ok(())
    }
}

fn samples(a: &Args) -> usize {
    if a.out_rate(0) == super::Rate::Audio {
        a.ksmps
    } else {
        1
    }
}

fn build_binary(a: &Args, op: BinOp) -> Result<Box<dyn Opcode>, String> {
    boxed(Binary {
        op,
        out: a.out(0),
        a: a.input(0),
        b: a.input(1),
        samples: samples(a),
    })
}

/// `out = in` (also `init`, and the body of `i()` and `a()`), filling an
/// audio output from a scalar input when the rates differ.
struct Assign {
    out: Output,
    input: Input,
    samples: usize,
}

impl Assign {
    fn compute(&mut self) {
        for i in 0..self.samples {
            self.out.set_at(i, self.input.at(i));
        }
    }
}

impl Opcode for Assign {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.compute();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.compute();
        Ok(())
    }
}

fn build_copy(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Assign {
        out: a.out(0),
        input: a.input(0),
        samples: samples(a),
    })
}

/// `a(k)`: a control value brought to audio rate as csound 6.18 does, by a
/// straight line over each block from the previous block's value (0 before
/// the first) to the current one, which the last sample reaches (measured:
/// `a(2)` with ksmps 8 starts 0.25, 0.5, ... 2).
struct Upsamp {
    out: Output,
    input: Input,
    samples: usize,
    prev: f64,
}

impl Opcode for Upsamp {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev = 0.0;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let (from, to) = (self.prev, self.input.get());
        let step = (to - from) / self.samples as f64;
        for i in 0..self.samples {
            self.out.set_at(i, from + step * (i + 1) as f64);
        }
        self.prev = to;
        Ok(())
    }
}

fn build_upsamp(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Upsamp {
        out: a.out(0),
        input: a.input(0),
        samples: a.ksmps,
        prev: 0.0,
    })
}

/// `c ? x : y`: both branches are computed, as in Csound.
struct Select {
    out: Output,
    cond: Input,
    x: Input,
    y: Input,
    samples: usize,
}

impl Select {
    fn compute(&mut self) {
        let pick = if self.cond.get() != 0.0 {
            self.x
        } else {
            self.y
        };
        for i in 0..self.samples {
            self.out.set_at(i, pick.at(i));
        }
    }
}

impl Opcode for Select {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.compute();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.compute();
        Ok(())
    }
}

fn build_select(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Select {
        out: a.out(0),
        cond: a.input(0),
        x: a.input(1),
        y: a.input(2),
        samples: samples(a),
    })
}

/// `~x`: bitwise not of the integer part.
struct BitNot {
    out: Output,
    input: Input,
}

impl Opcode for BitNot {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.out.set(!(self.input.get() as i64) as f64);
        Ok(())
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.init(ctx)
    }
}

/// Three forms for each binary operator: i (init), k and a (every block).
macro_rules! binary_specs {
    ($($op:ident $name:literal),*) => {
        &[$(
            spec($name, "i", "ii", Pass::Init, |a| build_binary(a, BinOp::$op), "operator at init time"),
            spec($name, "k", "kk", Pass::Perf, |a| build_binary(a, BinOp::$op), "operator at control rate"),
            spec($name, "a", "xx", Pass::Perf, |a| build_binary(a, BinOp::$op), "operator at audio rate"),
        )*]
    };
}

const OPERATORS: &[OpcodeSpec] = binary_specs!(
    Add "##add", Sub "##sub", Mul "##mul", Div "##div", Mod "##mod", Pow "##pow",
    Lt "##lt", Le "##le", Gt "##gt", Ge "##ge", Eq "##eq", Ne "##ne", And "##and", Or "##or",
    BitAnd "##bitand", BitOr "##bitor", BitXor "##bitxor", Shl "##shl", Shr "##shr"
);

const OTHERS: &[OpcodeSpec] = &[
    spec("=", "i", "i", Pass::Init, build_copy, "assign at init time"),
    spec(
        "=",
        "k",
        "k",
        Pass::Perf,
        build_copy,
        "assign at control rate",
    ),
    spec(
        "=",
        "a",
        "x",
        Pass::Perf,
        build_copy,
        "assign at audio rate",
    ),
    spec(
        "init",
        "i",
        "i",
        Pass::Init,
        build_copy,
        "set a variable's value at init time",
    ),
    spec(
        "init",
        "k",
        "i",
        Pass::Init,
        build_copy,
        "set a control variable's initial value",
    ),
    spec(
        "init",
        "a",
        "i",
        Pass::Init,
        build_copy,
        "set every sample of an audio variable at init time",
    ),
    spec(
        "##select",
        "i",
        "iii",
        Pass::Init,
        build_select,
        "c ? x : y at init time",
    ),
    spec(
        "##select",
        "k",
        "kkk",
        Pass::Perf,
        build_select,
        "c ? x : y at control rate",
    ),
    spec(
        "##select",
        "a",
        "kxx",
        Pass::Perf,
        build_select,
        "c ? x : y at audio rate",
    ),
    spec(
        "##i",
        "i",
        "k",
        Pass::Init,
        build_copy,
        "i(k): a control value read at init time",
    ),
    spec(
        "##upsamp",
        "a",
        "k",
        Pass::Both,
        build_upsamp,
        "a(k): a control value ramped linearly across each block",
    ),
    spec(
        "##bitnot",
        "i",
        "i",
        Pass::Init,
        |a| {
            boxed(BitNot {
                out: a.out(0),
                input: a.input(0),
            })
        },
        "bitwise not",
    ),
    spec(
        "##bitnot",
        "k",
        "k",
        Pass::Both,
        |a| {
            boxed(BitNot {
                out: a.out(0),
                input: a.input(0),
            })
        },
        "bitwise not",
    ),
];

/// Every arithmetic form: operators first, then assignment and friends.
pub const SPECS: &[OpcodeSpec] = &concat_specs();

const fn concat_specs() -> [OpcodeSpec; OPERATORS.len() + OTHERS.len()] {
    let mut out = [OTHERS[0]; OPERATORS.len() + OTHERS.len()];
    let mut i = 0;
    while i < OPERATORS.len() {
        out[i] = OPERATORS[i];
        i += 1;
    }
    let mut j = 0;
    while j < OTHERS.len() {
        out[i + j] = OTHERS[j];
        j += 1;
    }
    out
}
