//! Functions of whole arrays: element-wise `cbrt` and `limit1` (one array),
//! `hypot`, `fmax`, `fmin` and `fmod` (two arrays, or an array and a
//! scalar), the reductions `maxarray`/`minarray` (value and index) and
//! `dot` (the dot product of two arrays), and
//! `genarray`/`genarray_i` (an arithmetic sequence).
//!
//! As everywhere with arrays, the result's capacity was fixed by the
//! compiler (the largest input array's, or for `genarray` the length its
//! constant arguments give); a result longer than that stops the note
//! with a message.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{ArrayRef, Input};

/// An element-wise function of one array.
struct Map1 {
    f: fn(f64) -> f64,
    input: ArrayRef,
    out: ArrayRef,
}

impl Map1 {
    fn run(&mut self) {
        let n = self.input.len().min(self.out.capacity());
        self.out.set_len(n);
        for i in 0..n {
            self.out.set(i, (self.f)(self.input.get(i)));
        }
    }
}

impl Opcode for Map1 {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
}

fn build_map1(a: &Args, f: fn(f64) -> f64) -> Result<Box<dyn Opcode>, String> {
    boxed(Map1 {
        f,
        input: ArrayRef::from_input(a.input(0)),
        out: ArrayRef::from_output(a.out(0)),
    })
}

fn limit1(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

/// The second operand of a two-argument function: another array, element
/// by element, or one scalar for every element.
enum Second {
    Array(ArrayRef),
    Scalar(Input),
}

/// An element-wise function of two operands; with two arrays the result
/// is as long as the shorter.
struct Map2 {
    f: fn(f64, f64) -> f64,
    first: ArrayRef,
    second: Second,
    out: ArrayRef,
}

impl Map2 {
    fn run(&mut self) {
        let mut n = self.first.len();
        if let Second::Array(b) = self.second {
            n = n.min(b.len());
        }
        let n = n.min(self.out.capacity());
        self.out.set_len(n);
        for i in 0..n {
            let y = match self.second {
                Second::Array(b) => b.get(i),
                Second::Scalar(s) => s.get(),
            };
            self.out.set(i, (self.f)(self.first.get(i), y));
        }
    }
}

impl Opcode for Map2 {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
}

fn build_map2(a: &Args, f: fn(f64, f64) -> f64, arrays: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Map2 {
        f,
        first: ArrayRef::from_input(a.input(0)),
        second: if arrays {
            Second::Array(ArrayRef::from_input(a.input(1)))
        } else {
            Second::Scalar(a.input(1))
        },
        out: ArrayRef::from_output(a.out(0)),
    })
}

fn hypot(x: f64, y: f64) -> f64 {
    x.hypot(y)
}

/// C's `fmax`/`fmin`: a NaN operand gives the other one.
fn fmax(x: f64, y: f64) -> f64 {
    x.max(y)
}

fn fmin(x: f64, y: f64) -> f64 {
    x.min(y)
}

/// C's `fmod`: the remainder with the sign of x.
fn fmod(x: f64, y: f64) -> f64 {
    x % y
}

/// `kmax [, kidx] maxarray karr` and `minarray`: the largest (smallest)
/// element and the index of its first occurrence.
struct Extreme {
    max: bool,
    input: ArrayRef,
    value: crate::engine::signal::Output,
    index: Option<crate::engine::signal::Output>,
}

impl Extreme {
    fn run(&mut self) {
        let n = self.input.len();
        let (mut best, mut at) = (self.input.get(0), 0);
        for i in 1..n {
            let x = self.input.get(i);
            if (self.max && x > best) || (!self.max && x < best) {
                best = x;
                at = i;
            }
        }
        self.value.set(best);
        if let Some(o) = self.index {
            o.set(at as f64);
        }
    }
}

impl Opcode for Extreme {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
}

fn build_extreme(a: &Args, max: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Extreme {
        max,
        input: ArrayRef::from_input(a.input(0)),
        value: a.out(0),
        index: (a.outs.len() > 1).then(|| a.out(1)),
    })
}

/// `dot karr1, karr2`: the sum of the products of the elements both have.
struct Dot {
    a: ArrayRef,
    b: ArrayRef,
    out: crate::engine::signal::Output,
}

impl Dot {
    fn run(&mut self) {
        let n = self.a.len().min(self.b.len());
        let v: f64 = (0..n).map(|i| self.a.get(i) * self.b.get(i)).sum();
        self.out.set(v);
    }
}

impl Opcode for Dot {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
}

fn build_dot(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Dot {
        a: ArrayRef::from_input(a.input(0)),
        b: ArrayRef::from_input(a.input(1)),
        out: a.out(0),
    })
}

/// `genarray istart, iend [, istep]` (and the control-rate form, and
/// `genarray_i` filling a k-array at init): `start, start + step, ...` up
/// to `end`, as many as `(end - start) / step + 1` (truncated) say.
struct Genarray {
    start: Input,
    end: Input,
    step: Input,
    out: ArrayRef,
}

/// How many elements `genarray start, end, step` makes (the compiler sizes
/// the array with it when the arguments are constants).
pub fn genarray_len(start: f64, end: f64, step: f64) -> Option<usize> {
    let n = (end - start) / step + 1.0;
    if (0.0..1e7).contains(&n) {
        Some(n as usize)
    } else {
        None
    }
}

impl Genarray {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (start, end, step) = (self.start.get(), self.end.get(), self.step.get());
        let Some(n) = genarray_len(start, end, step) else {
            return Err(ctx.fail(format_args!(
                "genarray: no sequence from {start} to {end} by {step}"
            )));
        };
        if n > self.out.capacity() {
            return Err(ctx.fail(format_args!(
                "genarray: {n} elements do not fit an array of {}",
                self.out.capacity()
            )));
        }
        self.out.set_len(n);
        let mut v = start;
        for i in 0..n {
            self.out.set(i, v);
            v += step;
        }
        Ok(())
    }
}

impl Opcode for Genarray {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

fn build_genarray(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Genarray {
        start: a.input(0),
        end: a.input(1),
        step: a.input(2),
        out: ArrayRef::from_output(a.out(0)),
    })
}

/// The init-time and control-rate forms of a one-array function.
macro_rules! map1 {
    ($name:literal, $f:path, $doc:literal) => {
        [
            spec($name, "i[]", "k[]", Pass::Init, |a| build_map1(a, $f), $doc),
            spec($name, "k[]", "k[]", Pass::Perf, |a| build_map1(a, $f), $doc),
        ]
    };
}

/// The forms of a two-operand function: two arrays or an array and a
/// scalar, at init time and at control rate.
macro_rules! map2 {
    ($name:literal, $f:path, $doc:literal) => {
        [
            spec(
                $name,
                "i[]",
                "k[]k[]",
                Pass::Init,
                |a| build_map2(a, $f, true),
                $doc,
            ),
            spec(
                $name,
                "k[]",
                "k[]k[]",
                Pass::Perf,
                |a| build_map2(a, $f, true),
                $doc,
            ),
            spec(
                $name,
                "i[]",
                "k[]i",
                Pass::Init,
                |a| build_map2(a, $f, false),
                $doc,
            ),
            spec(
                $name,
                "k[]",
                "k[]k",
                Pass::Perf,
                |a| build_map2(a, $f, false),
                $doc,
            ),
        ]
    };
}

const MAP1: [[OpcodeSpec; 2]; 2] = [
    map1!("cbrt", f64::cbrt, "cube root of each element"),
    map1!("limit1", limit1, "each element held between 0 and 1"),
];

const MAP2: [[OpcodeSpec; 4]; 4] = [
    map2!("hypot", hypot, "sqrt(x^2 + y^2) element by element"),
    map2!(
        "fmax",
        fmax,
        "the larger of two arrays' elements, or of each element and a value"
    ),
    map2!(
        "fmin",
        fmin,
        "the smaller of two arrays' elements, or of each element and a value"
    ),
    map2!(
        "fmod",
        fmod,
        "the remainder of x / y (with the sign of x), element by element"
    ),
];

const OTHERS: [OpcodeSpec; 13] = [
    spec(
        "dot",
        "i",
        "k[]k[]",
        Pass::Init,
        build_dot,
        "dot product of two arrays",
    ),
    spec(
        "dot",
        "k",
        "k[]k[]",
        Pass::Perf,
        build_dot,
        "dot product of two arrays",
    ),
    spec(
        "maxarray",
        "i",
        "k[]",
        Pass::Init,
        |a| build_extreme(a, true),
        "largest element of an array",
    ),
    spec(
        "maxarray",
        "ii",
        "k[]",
        Pass::Init,
        |a| build_extreme(a, true),
        "largest element of an array and its index",
    ),
    spec(
        "maxarray",
        "k",
        "k[]",
        Pass::Perf,
        |a| build_extreme(a, true),
        "largest element of an array",
    ),
    spec(
        "maxarray",
        "kk",
        "k[]",
        Pass::Perf,
        |a| build_extreme(a, true),
        "largest element of an array and its index",
    ),
    spec(
        "minarray",
        "i",
        "k[]",
        Pass::Init,
        |a| build_extreme(a, false),
        "smallest element of an array",
    ),
    spec(
        "minarray",
        "ii",
        "k[]",
        Pass::Init,
        |a| build_extreme(a, false),
        "smallest element of an array and its index",
    ),
    spec(
        "minarray",
        "k",
        "k[]",
        Pass::Perf,
        |a| build_extreme(a, false),
        "smallest element of an array",
    ),
    spec(
        "minarray",
        "kk",
        "k[]",
        Pass::Perf,
        |a| build_extreme(a, false),
        "smallest element of an array and its index",
    ),
    spec(
        "genarray",
        "i[]",
        "iip",
        Pass::Init,
        build_genarray,
        "an array of start, start + step, ... up to end",
    ),
    spec(
        "genarray",
        "k[]",
        "kkP",
        Pass::Perf,
        build_genarray,
        "an array of start, start + step, ... up to end",
    ),
    spec(
        "genarray_i",
        "k[]",
        "iip",
        Pass::Init,
        build_genarray,
        "a k-array of start, start + step, ... up to end, made at init",
    ),
];

/// Registered in this order (the one-array forms, then the two-operand forms, then the rest): form selection
/// takes the first variant that fits, so the order matters.
pub const SPECS: [&[OpcodeSpec]; 3] = [MAP1.as_flattened(), MAP2.as_flattened(), &OTHERS];
