//! Arrays in the compiler: declaring them with a capacity fixed at compile
//! time, reading and writing elements, whole-array assignment and
//! arithmetic. The opcodes these emit are in `opcodes/arrays.rs`.
//!
//! An array occupies `capacity + 2` cells (see `engine::signal::ArrayRef`):
//! its capacity, its current length, then the elements. The capacity comes
//! from what declares the array: `init`'s size when it is a constant (else
//! [`DEFAULT_CAPACITY`]), the number of `fillarray` values, or the capacity
//! of the array expression assigned to it. Only one dimension is supported.

use super::{AssignOp, BinOp, Expr, InstrCompiler, LValue, Loc, Pos, Rate, Value, type_codes};
use crate::opcodes::{self, arrays::DEFAULT_CAPACITY};

/// The capacity of a new array made by opcode `name` from `values`: the
/// constant size given to `init` (or the default when it is not constant),
/// `genarray`'s length from its constant arguments, else the largest array
/// among the inputs, else the number of inputs (`fillarray`).
pub(super) fn result_capacity(name: &str, values: &[Value]) -> usize {
    if name == "genarray" || name == "genarray_i" {
        // As many elements as constant arguments give, else the default.
        let constant = |i: usize| values.get(i).and_then(|v| v.constant);
        let step = if values.len() > 2 {
            constant(2)
        } else {
            Some(1.0)
        };
        return match (constant(0), constant(1), step) {
            (Some(start), Some(end), Some(step)) => {
                crate::opcodes::array_functions::genarray_len(start, end, step)
                    .unwrap_or(DEFAULT_CAPACITY)
            }
            _ => DEFAULT_CAPACITY,
        };
    }
    if name == "init" {
        return match values.first().and_then(|v| v.constant) {
            Some(n) if (0.0..1e7).contains(&n) => n as usize,
            _ => DEFAULT_CAPACITY,
        };
    }
    values
        .iter()
        .filter_map(|v| v.array)
        .max()
        .unwrap_or(values.len())
}

/// Whether every form of `name` that has outputs makes an array
/// (`fillarray`): then `iArr fillarray 1, 2` declares `iArr` as an array.
fn makes_array(name: &str) -> bool {
    let mut forms = opcodes::variants(name).filter(|s| !s.outs.is_empty());
    let mut any = false;
    let all = forms.all(|s| {
        any = true;
        type_codes(s.outs).iter().all(|c| c.1)
    });
    any && all
}

fn compound(op: AssignOp) -> Option<BinOp> {
    match op {
        AssignOp::Set => None,
        AssignOp::Add => Some(BinOp::Add),
        AssignOp::Sub => Some(BinOp::Sub),
        AssignOp::Mul => Some(BinOp::Mul),
        AssignOp::Div => Some(BinOp::Div),
    }
}

impl InstrCompiler<'_> {
    /// The capacity of the array variable `name`, if it is one.
    pub(super) fn array_cap(&self, name: &str) -> Option<usize> {
        if let Some(c) = self.arrays.last().and_then(|a| a.get(name)) {
            return Some(*c);
        }
        if self.scopes.last().is_some_and(|s| s.contains_key(name)) {
            return None;
        }
        self.globals.arrays.get(name).copied()
    }

    /// Whether output `lv` of opcode `name` is an array: written `xArr[]`,
    /// already an array, or new and `name` only makes arrays.
    pub(super) fn is_array_output(&self, lv: &LValue, name: &str) -> bool {
        lv.index.is_empty()
            && (lv.array_dims > 0
                || self.array_cap(&lv.name).is_some()
                || (self.lookup(&lv.name).is_none() && makes_array(name)))
    }

    /// Cells for an array of `cap` elements in the instance's memory.
    fn array_cells(&mut self, cap: usize) -> Loc {
        let i = self.initial.len();
        self.initial.push(cap as f64);
        self.initial.extend(std::iter::repeat_n(0.0, cap + 1));
        Loc::Local(i)
    }

    /// A fresh array for an intermediate result.
    pub(super) fn temp_array(&mut self, rate: Rate, cap: usize) -> Value {
        Value {
            loc: self.array_cells(cap),
            rate,
            constant: None,
            text: None,
            label: None,
            array: Some(cap),
        }
    }

    /// Declare `lv` as an array of `cap` elements, or find it when it exists
    /// (its capacity was fixed then).
    pub(super) fn declare_array(&mut self, lv: &LValue, cap: usize) -> Option<(Loc, Rate)> {
        if lv.array_dims > 1 {
            self.error(
                &lv.pos,
                format!(
                    "'{}': arrays of more than one dimension are not supported by rhapsody yet",
                    lv.name
                ),
            );
            return None;
        }
        if self.array_cap(&lv.name).is_some() {
            return self.lookup(&lv.name);
        }
        if self.lookup(&lv.name).is_some() {
            self.error(
                &lv.pos,
                format!("'{}' is already a scalar variable, not an array", lv.name),
            );
            return None;
        }
        let rate = lv
            .type_hint
            .as_deref()
            .and_then(|h| h.chars().next())
            .and_then(Rate::from_letter)
            .or_else(|| Rate::of_name(&lv.name));
        let rate = match rate {
            Some(r @ (Rate::Init | Rate::Control)) => r,
            Some(r) => {
                self.error(
                    &lv.pos,
                    format!(
                        "'{}': {} arrays are not supported by rhapsody yet (only i and k arrays)",
                        lv.name,
                        if r == Rate::Audio { "audio" } else { "string" }
                    ),
                );
                return None;
            }
            None => {
                self.error(
                    &lv.pos,
                    format!(
                        "cannot tell the type of array '{}': names start with i or k (g for globals)",
                        lv.name
                    ),
                );
                return None;
            }
        };
        let loc = if lv.name.starts_with('g') {
            Loc::Global(self.globals.declare_array(&lv.name, rate, cap))
        } else {
            self.array_cells(cap)
        };
        self.scopes
            .last_mut()
            .expect("one scope")
            .insert(lv.name.clone(), (loc, rate));
        if !lv.name.starts_with('g') {
            self.arrays
                .last_mut()
                .expect("one scope")
                .insert(lv.name.clone(), cap);
        }
        Some((loc, rate))
    }

    /// The array variable `name` as a value, or an error saying why not.
    fn array_value(&mut self, name: &str, pos: &Pos) -> Option<Value> {
        let Some((loc, rate)) = self.lookup(name) else {
            self.error(
                pos,
                format!("array '{name}' is used before it is declared (with init or fillarray)"),
            );
            return None;
        };
        let Some(cap) = self.array_cap(name) else {
            self.error(
                pos,
                format!("'{name}' is not an array, it cannot be indexed"),
            );
            return None;
        };
        Some(Value {
            loc,
            rate,
            constant: None,
            text: None,
            label: Some(name.into()),
            array: Some(cap),
        })
    }

    /// The index of `name[i]`: one dimension, not audio-rate.
    fn array_index(&mut self, name: &str, index: &[Expr], pos: &Pos) -> Option<Value> {
        if index.len() != 1 {
            self.error(
                pos,
                format!(
                    "'{name}': arrays of more than one dimension are not supported by rhapsody yet"
                ),
            );
            return None;
        }
        let i = self.expr(&index[0], None)?;
        if i.rate == Rate::Audio || i.rate == Rate::Str || i.array.is_some() {
            self.error(
                index[0].pos(),
                format!("the index of '{name}' must be an i- or k-rate number"),
            );
            return None;
        }
        Some(i)
    }

    /// `name[i]` in an expression: an i-value when both are i-rate, else k.
    pub(super) fn index_expr(&mut self, name: &str, index: &[Expr], pos: &Pos) -> Option<Value> {
        let arr = self.array_value(name, pos)?;
        let i = self.array_index(name, index, pos)?;
        let rate = arr.rate.max(i.rate);
        let out = self.temp(rate);
        self.emit_named("##array_get", &[arr, i], &[(out.loc, rate)], pos);
        Some(out)
    }

    /// `name[i] = value` (and `+=` ...).
    pub(super) fn assign_element(
        &mut self,
        target: &LValue,
        op: AssignOp,
        value: &Expr,
        pos: &Pos,
    ) {
        let Some(arr) = self.array_value(&target.name, &target.pos) else {
            return;
        };
        let Some(i) = self.array_index(&target.name, &target.index, &target.pos) else {
            return;
        };
        let Some(mut v) = self.expr(value, Some(arr.rate)) else {
            return;
        };
        if let Some(b) = compound(op) {
            let current = self.temp(arr.rate.max(i.rate));
            self.emit_named(
                "##array_get",
                &[arr.clone(), i.clone()],
                &[(current.loc, current.rate)],
                pos,
            );
            let Some(sum) = self.binary(b, current, v, pos) else {
                return;
            };
            v = sum;
        }
        if v.array.is_some() || v.rate == Rate::Str {
            self.error(
                pos,
                format!("an element of '{}' can only hold a number", target.name),
            );
            return;
        }
        let fastest = v.rate.max(i.rate);
        if fastest > arr.rate {
            self.error(
                pos,
                format!(
                    "cannot write a {}-rate value into '{}' ({}-rate array)",
                    fastest.letter(),
                    target.name,
                    arr.rate.letter()
                ),
            );
            return;
        }
        self.emit_named("##array_set", &[arr, i, v], &[], pos);
    }

    /// `kB[] = expr` (and `kB = expr`, `kB += expr` when `kB` is an array):
    /// declares `kB` with the expression's capacity if it is new.
    pub(super) fn assign_array(&mut self, target: &LValue, op: AssignOp, value: &Expr, pos: &Pos) {
        let want = Rate::of_name(&target.name);
        let Some(mut v) = self.expr(value, want) else {
            return;
        };
        if let Some(b) = compound(op) {
            let Some(current) = self.array_value(&target.name, &target.pos) else {
                return;
            };
            let Some(result) = self.binary(b, current, v, pos) else {
                return;
            };
            v = result;
        }
        let Some(cap) = v.array else {
            self.error(
                pos,
                format!(
                    "'{}' is an array: give it an array (fillarray, init, an array expression), \
                     or write one element with '{}[i] = ...'",
                    target.name, target.name
                ),
            );
            return;
        };
        let Some((loc, rate)) = self.declare_array(target, cap) else {
            return;
        };
        if v.rate > rate {
            self.error(
                pos,
                format!(
                    "cannot assign a {}-rate array to '{}' ({}-rate)",
                    v.rate.letter(),
                    target.name,
                    rate.letter()
                ),
            );
            return;
        }
        self.emit_typed("=", &[v], &[(loc, rate)], true, pos);
    }

    /// `a op b` where one or both are arrays: element-wise, into a new array.
    pub(super) fn array_binary(
        &mut self,
        op: BinOp,
        l: Value,
        r: Value,
        pos: &Pos,
    ) -> Option<Value> {
        let rate = l.rate.max(r.rate);
        if rate > Rate::Control {
            self.error(
                pos,
                "arrays can only be combined with i- and k-rate numbers or arrays".into(),
            );
            return None;
        }
        let cap = l.array.unwrap_or(0).max(r.array.unwrap_or(0));
        let out = self.temp_array(rate, cap);
        let name = opcodes::arith::op_name(op);
        self.emit_typed(name, &[l, r], &[(out.loc, rate)], true, pos);
        Some(out)
    }
}

impl super::Globals {
    /// Cells for a global array (`gkArr[] init 4`), or the existing ones.
    fn declare_array(&mut self, name: &str, rate: Rate, cap: usize) -> usize {
        if let Some((i, _)) = self.vars.get(name) {
            return *i;
        }
        let i = self.initial.len();
        self.initial.push(cap as f64);
        self.initial.extend(std::iter::repeat_n(0.0, cap + 1));
        self.vars.insert(name.to_string(), (i, rate));
        self.arrays.insert(name.to_string(), cap);
        i
    }
}
