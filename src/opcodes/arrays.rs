//! Opcodes: one-dimensional i- and k-rate arrays (`init`, `fillarray`,
//! `lenarray`, `printarray`, `sum`/`sumarray`/`product`, element read and
//! write, copy, and arithmetic with scalars or with another array).
//!
//! An array is a block of cells the compiler reserves when it compiles the
//! instrument (see [`ArrayRef`]): its capacity never changes, so nothing here
//! allocates on the audio path. An index outside the array's current length
//! stops the note with an error naming the array, as Csound does.

use std::sync::Arc;

use super::printing::Printf;
use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed, FixedText};
use crate::engine::signal::{ArrayRef, Input, Output};
use crate::orc::ast::BinOp;

/// The array's name as written, for messages.
fn array_name(a: &Args, i: usize) -> Arc<str> {
    a.ins
        .get(i)
        .and_then(|arg| arg.label.clone())
        .unwrap_or_else(|| "array".into())
}

/// The element index `x` names (truncated toward zero, as Csound does), or
/// an error naming the array when it is outside `0..len`.
fn checked_index(ctx: &mut Ctx, arr: ArrayRef, x: f64, name: &str) -> Result<usize, Failed> {
    let len = arr.len();
    let i = x.trunc();
    if i >= 0.0 && i < len as f64 {
        Ok(i as usize)
    } else {
        Err(ctx.fail(format_args!(
            "array index {} out of range (0,{len}) for {name}",
            i as i64
        )))
    }
}

/// `kArr[] init isize`: set the length and zero the elements.
struct InitArray {
    arr: ArrayRef,
    size: Input,
}

impl Opcode for InitArray {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.size.get();
        let cap = self.arr.capacity();
        // NaN and negative sizes are errors too.
        if n.is_nan() || n < 0.0 || n.trunc() as usize > cap {
            return Err(ctx.fail(format_args!(
                "init: array size {n} is more than the {cap} elements reserved for it \
                 (rhapsody reserves {DEFAULT_CAPACITY} when the size is not a constant)"
            )));
        }
        let n = n as usize;
        self.arr.set_len(n);
        for i in 0..n {
            self.arr.set(i, 0.0);
        }
        Ok(())
    }
}

/// How many elements rhapsody reserves for `xArr[] init isize` when `isize`
/// is not known when compiling.
pub const DEFAULT_CAPACITY: usize = 1024;

fn build_init(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(InitArray {
        arr: ArrayRef::from_output(a.out(0)),
        size: a.input(0),
    })
}

/// `kArr[] fillarray v1, v2, ...`: the length becomes the number of values.
struct Fill {
    arr: ArrayRef,
    values: Vec<Input>,
}

impl Opcode for Fill {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.arr.set_len(self.values.len());
        for (i, v) in self.values.iter().enumerate() {
            self.arr.set(i, v.get());
        }
        Ok(())
    }
}

fn build_fill(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let arr = ArrayRef::from_output(a.out(0));
    if a.ins.len() > arr.capacity() {
        return Err(format!(
            "{} values do not fit an array of {} elements",
            a.ins.len(),
            arr.capacity()
        ));
    }
    boxed(Fill {
        arr,
        values: a.inputs_from(0),
    })
}

/// `xArr[i]` in an expression.
struct Get {
    arr: ArrayRef,
    index: Input,
    out: Output,
    name: Arc<str>,
}

impl Get {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let i = checked_index(ctx, self.arr, self.index.get(), &self.name)?;
        self.out.set(self.arr.get(i));
        Ok(())
    }
}

impl Opcode for Get {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

fn build_get(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Get {
        arr: ArrayRef::from_input(a.input(0)),
        index: a.input(1),
        out: a.out(0),
        name: array_name(a, 0),
    })
}

/// `xArr[i] = value`.
struct Set {
    arr: ArrayRef,
    index: Input,
    value: Input,
    name: Arc<str>,
}

impl Set {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let i = checked_index(ctx, self.arr, self.index.get(), &self.name)?;
        self.arr.set(i, self.value.get());
        Ok(())
    }
}

impl Opcode for Set {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

fn build_set(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Set {
        arr: ArrayRef::from_input(a.input(0)),
        index: a.input(1),
        value: a.input(2),
        name: array_name(a, 0),
    })
}

/// `kB[] = kA`: copy the elements and the length.
struct ArrayCopy {
    from: ArrayRef,
    to: ArrayRef,
    name: Arc<str>,
}

impl ArrayCopy {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.from.len();
        if n > self.to.capacity() {
            return Err(ctx.fail(format_args!(
                "cannot copy {n} elements of {} into an array of {}",
                self.name,
                self.to.capacity()
            )));
        }
        self.to.set_len(n);
        for i in 0..n {
            self.to.set(i, self.from.get(i));
        }
        Ok(())
    }
}

impl Opcode for ArrayCopy {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

fn build_copy(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(ArrayCopy {
        from: ArrayRef::from_input(a.input(0)),
        to: ArrayRef::from_output(a.out(0)),
        name: array_name(a, 0),
    })
}

/// Which operands of an array operator are arrays.
#[derive(Clone, Copy)]
enum Form {
    ArrayScalar,
    ScalarArray,
    ArrayArray,
}

/// The operands, resolved once when the opcode is built.
enum Operands {
    ArrayScalar(ArrayRef, Input),
    ScalarArray(Input, ArrayRef),
    ArrayArray(ArrayRef, ArrayRef),
}

/// `kA op kx`, `kx op kA`, `kA op kB`: element-wise, into a new array. Two
/// arrays of different lengths give a result as long as the shorter.
struct ArrayOp {
    op: BinOp,
    operands: Operands,
    out: ArrayRef,
}

impl ArrayOp {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let len = match self.operands {
            Operands::ArrayScalar(a, _) => a.len(),
            Operands::ScalarArray(_, b) => b.len(),
            Operands::ArrayArray(a, b) => a.len().min(b.len()),
        };
        if len > self.out.capacity() {
            return Err(ctx.fail(format_args!(
                "array operation: {len} elements do not fit the result's {}",
                self.out.capacity()
            )));
        }
        self.out.set_len(len);
        for i in 0..len {
            let (x, y) = match self.operands {
                Operands::ArrayScalar(a, b) => (a.get(i), b.get()),
                Operands::ScalarArray(a, b) => (a.get(), b.get(i)),
                Operands::ArrayArray(a, b) => (a.get(i), b.get(i)),
            };
            self.out.set(i, super::arith::apply(self.op, x, y));
        }
        Ok(())
    }
}

impl Opcode for ArrayOp {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

fn build_op(a: &Args, op: BinOp, form: Form) -> Result<Box<dyn Opcode>, String> {
    let (x, y) = (a.input(0), a.input(1));
    let operands = match form {
        Form::ArrayScalar => Operands::ArrayScalar(ArrayRef::from_input(x), y),
        Form::ScalarArray => Operands::ScalarArray(x, ArrayRef::from_input(y)),
        Form::ArrayArray => Operands::ArrayArray(ArrayRef::from_input(x), ArrayRef::from_input(y)),
    };
    boxed(ArrayOp {
        op,
        operands,
        out: ArrayRef::from_output(a.out(0)),
    })
}

/// `sum`/`product` of an array's elements (`kres sum kArr`, `ires product
/// iArr`).
struct Reduce {
    product: bool,
    arr: ArrayRef,
    out: Output,
}

impl Reduce {
    fn run(&mut self) {
        let n = self.arr.len();
        let v = if self.product {
            (0..n).map(|i| self.arr.get(i)).product()
        } else {
            (0..n).map(|i| self.arr.get(i)).sum()
        };
        self.out.set(v);
    }
}

impl Opcode for Reduce {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
}

fn build_reduce(a: &Args, product: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Reduce {
        product,
        arr: ArrayRef::from_input(a.input(0)),
        out: a.out(0),
    })
}

/// `lenarray`: the length for dimension 1, 1 (the number of dimensions) for
/// `iwhich` <= 0, and -1 for a dimension the array does not have.
struct Len {
    arr: ArrayRef,
    which: Input,
    out: Output,
}

impl Len {
    fn run(&mut self) {
        let w = self.which.get();
        self.out.set(if w <= 0.0 {
            1.0
        } else if w as i64 == 1 {
            self.arr.len() as f64
        } else {
            -1.0
        });
    }
}

impl Opcode for Len {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.run();
        Ok(())
    }
}

fn build_len(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Len {
        arr: ArrayRef::from_input(a.input(0)),
        which: a.input(1),
        out: a.out(0),
    })
}

/// `printarray`: an optional label line, then the elements, each as a space
/// and the format (`%.4f` unless given), in lines cut after 80 characters,
/// the last line ending in a space (Csound 6.18's layout).
struct PrintArray {
    arr: ArrayRef,
    format: Arc<str>,
    label: Option<Arc<str>>,
    /// k-rate: the trigger (-1 prints every cycle) and its last value.
    trigger: Option<(Input, f64)>,
    line: FixedText,
}

/// Line width after which `printarray` starts a new line.
const PRINTARRAY_WIDTH: usize = 80;

impl PrintArray {
    fn print(&mut self, ctx: &mut Ctx) {
        use std::fmt::Write;
        if let Some(label) = &self.label {
            ctx.print(format_args!("{label}"));
        }
        self.line.clear();
        for i in 0..self.arr.len() {
            let v = [self.arr.get(i)];
            let _ = write!(
                self.line,
                " {}",
                Printf {
                    format: &self.format,
                    args: &v,
                }
            );
            if self.line.as_str().len() > PRINTARRAY_WIDTH {
                ctx.print(format_args!("{}", self.line.as_str()));
                self.line.clear();
            }
        }
        if !self.line.as_str().is_empty() {
            ctx.print(format_args!("{} ", self.line.as_str()));
        }
    }
}

impl Opcode for PrintArray {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        match &mut self.trigger {
            None => self.print(ctx),
            Some((_, last)) => *last = 0.0,
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if let Some((trig, last)) = &mut self.trigger {
            let t = trig.get();
            // Prints when the trigger goes from zero (or less) to positive.
            let due = t == -1.0 || (t > 0.0 && *last <= 0.0);
            *last = t;
            if due {
                self.print(ctx);
            }
        }
        Ok(())
    }
}

fn build_printarray(a: &Args, krate: bool) -> Result<Box<dyn Opcode>, String> {
    let first_text = if krate { 2 } else { 1 };
    let trigger = krate.then(|| {
        let t = if a.ins.len() > 1 {
            a.input(1)
        } else {
            // The default trigger, 1: print once, at the first cycle.
            static ONE: f64 = 1.0;
            Input::constant(&ONE)
        };
        (t, 0.0)
    });
    boxed(PrintArray {
        arr: ArrayRef::from_input(a.input(0)),
        format: a.text(first_text).unwrap_or_else(|| "%.4f".into()),
        label: a.text(first_text + 1),
        trigger,
        line: FixedText::new(),
    })
}

fn build_printarray_i(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_printarray(a, false)
}

fn build_printarray_k(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_printarray(a, true)
}

/// Six forms of each operator with an array: array-scalar, scalar-array
/// and array-array, at init time (i arrays) and every block (k arrays).
macro_rules! array_op_specs {
    ($($op:ident $name:literal),*) => {
        &[$(
            spec($name, "i[]", "i[]i", Pass::Init, |a| build_op(a, BinOp::$op, Form::ArrayScalar), "operator on an i-array and a value"),
            spec($name, "i[]", "ii[]", Pass::Init, |a| build_op(a, BinOp::$op, Form::ScalarArray), "operator on a value and an i-array"),
            spec($name, "i[]", "i[]i[]", Pass::Init, |a| build_op(a, BinOp::$op, Form::ArrayArray), "operator on two i-arrays"),
            spec($name, "k[]", "k[]k", Pass::Perf, |a| build_op(a, BinOp::$op, Form::ArrayScalar), "operator on a k-array and a value"),
            spec($name, "k[]", "kk[]", Pass::Perf, |a| build_op(a, BinOp::$op, Form::ScalarArray), "operator on a value and a k-array"),
            spec($name, "k[]", "k[]k[]", Pass::Perf, |a| build_op(a, BinOp::$op, Form::ArrayArray), "operator on two k-arrays"),
        )*]
    };
}

pub const OPERATOR_SPECS: &[OpcodeSpec] = array_op_specs!(
    Add "##add", Sub "##sub", Mul "##mul", Div "##div", Mod "##mod", Pow "##pow",
    Lt "##lt", Le "##le", Gt "##gt", Ge "##ge", Eq "##eq", Ne "##ne", And "##and", Or "##or",
    BitAnd "##bitand", BitOr "##bitor", BitXor "##bitxor", Shl "##shl", Shr "##shr"
);

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "sum",
        "i",
        "k[]",
        Pass::Init,
        |a| build_reduce(a, false),
        "the sum of an array's elements at init time",
    ),
    spec(
        "sum",
        "k",
        "k[]",
        Pass::Perf,
        |a| build_reduce(a, false),
        "the sum of an array's elements every block",
    ),
    spec(
        "sumarray",
        "i",
        "k[]",
        Pass::Init,
        |a| build_reduce(a, false),
        "the sum of an array's elements at init time",
    ),
    spec(
        "sumarray",
        "k",
        "k[]",
        Pass::Perf,
        |a| build_reduce(a, false),
        "the sum of an array's elements every block",
    ),
    spec(
        "product",
        "i",
        "k[]",
        Pass::Init,
        |a| build_reduce(a, true),
        "the product of an array's elements at init time",
    ),
    spec(
        "product",
        "k",
        "k[]",
        Pass::Perf,
        |a| build_reduce(a, true),
        "the product of an array's elements every block",
    ),
    spec(
        "init",
        "i[]",
        "i",
        Pass::Init,
        build_init,
        "declare an i-array of the given size, all zeros",
    ),
    spec(
        "init",
        "k[]",
        "i",
        Pass::Init,
        build_init,
        "declare a k-array of the given size, all zeros",
    ),
    spec(
        "fillarray",
        "i[]",
        "m",
        Pass::Init,
        build_fill,
        "make an array of the values given, in order",
    ),
    spec(
        "fillarray",
        "k[]",
        "m",
        Pass::Init,
        build_fill,
        "make an array of the values given, in order",
    ),
    spec(
        "lenarray",
        "i",
        "k[]p",
        Pass::Init,
        build_len,
        "the length of an array at init time (-1 for a dimension it does not have)",
    ),
    spec(
        "lenarray",
        "k",
        "k[]p",
        Pass::Perf,
        build_len,
        "the length of an array every block (-1 for a dimension it does not have)",
    ),
    spec(
        "printarray",
        "",
        "i[]",
        Pass::Init,
        build_printarray_i,
        "print an array's elements at init time, optionally with a format and a label",
    ),
    spec(
        "printarray",
        "",
        "i[]S",
        Pass::Init,
        build_printarray_i,
        "print an array's elements at init time, optionally with a format and a label",
    ),
    spec(
        "printarray",
        "",
        "i[]SS",
        Pass::Init,
        build_printarray_i,
        "print an array's elements at init time, optionally with a format and a label",
    ),
    spec(
        "printarray",
        "",
        "k[]",
        Pass::Both,
        build_printarray_k,
        "print an array's elements when a trigger turns positive (-1: every block)",
    ),
    spec(
        "printarray",
        "",
        "k[]k",
        Pass::Both,
        build_printarray_k,
        "print an array's elements when a trigger turns positive (-1: every block)",
    ),
    spec(
        "printarray",
        "",
        "k[]kS",
        Pass::Both,
        build_printarray_k,
        "print an array's elements when a trigger turns positive (-1: every block)",
    ),
    spec(
        "printarray",
        "",
        "k[]kSS",
        Pass::Both,
        build_printarray_k,
        "print an array's elements when a trigger turns positive (-1: every block)",
    ),
    spec(
        "##array_get",
        "i",
        "i[]i",
        Pass::Init,
        build_get,
        "read an i-array element at init time",
    ),
    spec(
        "##array_get",
        "k",
        "k[]k",
        Pass::Perf,
        build_get,
        "read an array element every block",
    ),
    spec(
        "##array_set",
        "",
        "i[]ii",
        Pass::Init,
        build_set,
        "write an i-array element at init time",
    ),
    spec(
        "##array_set",
        "",
        "k[]kk",
        Pass::Perf,
        build_set,
        "write a k-array element every block",
    ),
    spec(
        "=",
        "i[]",
        "i[]",
        Pass::Init,
        build_copy,
        "copy an array at init time",
    ),
    spec(
        "=",
        "k[]",
        "k[]",
        Pass::Perf,
        build_copy,
        "copy an array every block",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_has_six_array_forms() {
        assert_eq!(OPERATOR_SPECS.len(), 19 * 6);
    }
}
