//! The live table object: `table(n)` in a script. It holds the engine's own
//! `Arc<Table>`, so reads and writes go straight to the points the audio
//! thread reads (no copy, no message). It shows the guard point: a table of
//! length 4096 has 4097 points, indexes 0 ..= 4096.
//!
//! A view stays bound to the table it was made from: after an `f`
//! statement re-creates table n, call `table(n)` again.

use std::sync::Arc;

use rhai::plugin::*;
use rhai::{Array, Dynamic, EvalAltResult};

use super::api::number;
use super::state::script_error;
use crate::engine::table::Table;

/// A live view of one function table.
#[derive(Clone)]
pub struct LiveTable {
    pub number: i64,
    pub table: Arc<Table>,
}

impl LiveTable {
    /// Index `i` checked against the stored points (guard point included).
    fn index(&self, i: i64) -> Result<usize, Box<EvalAltResult>> {
        let n = self.table.stored() as i64;
        if i < 0 || i >= n {
            return Err(script_error(format!(
                "index {i} is outside table {} (0 to {})",
                self.number,
                n - 1
            )));
        }
        Ok(i as usize)
    }

    /// A range `a..b` checked against the stored points.
    fn range(&self, a: i64, b: i64) -> Result<std::ops::Range<usize>, Box<EvalAltResult>> {
        let n = self.table.stored() as i64;
        if a < 0 || b > n || a > b {
            return Err(script_error(format!(
                "range {a}..{b} is outside table {} (0..{n})",
                self.number
            )));
        }
        Ok(a as usize..b as usize)
    }

    fn values(&self) -> Vec<f64> {
        self.table.to_vec()
    }
}

/// `for x in t`: the points, guard point included.
pub struct TableIter {
    table: Arc<Table>,
    next: usize,
}

impl Iterator for TableIter {
    type Item = f64;
    fn next(&mut self) -> Option<f64> {
        if self.next >= self.table.stored() {
            return None;
        }
        self.next += 1;
        Some(self.table.get(self.next - 1))
    }
}

impl IntoIterator for LiveTable {
    type Item = f64;
    type IntoIter = TableIter;
    fn into_iter(self) -> TableIter {
        TableIter {
            table: self.table,
            next: 0,
        }
    }
}

/// The other operand of whole-table arithmetic, as one value per point.
fn operand(t: &LiveTable, other: &Dynamic) -> Result<Vec<f64>, Box<EvalAltResult>> {
    let n = t.table.stored();
    if let Some(o) = other.clone().try_cast::<LiveTable>() {
        if o.table.stored() != n {
            return Err(script_error(format!(
                "tables {} and {} have different sizes ({} and {} points)",
                t.number,
                o.number,
                n,
                o.table.stored()
            )));
        }
        return Ok(o.values());
    }
    if other.is_array() {
        let a = other.clone().into_array().unwrap_or_default();
        if a.len() != n {
            return Err(script_error(format!(
                "table {} has {n} points, the array {}",
                t.number,
                a.len()
            )));
        }
        return super::api::numbers(&a, "array");
    }
    let x = number(other, "operand")?;
    Ok(vec![x; n])
}

fn combine(
    t: &LiveTable,
    other: &Dynamic,
    f: impl Fn(f64, f64) -> f64,
    table_first: bool,
) -> Result<Array, Box<EvalAltResult>> {
    let o = operand(t, other)?;
    Ok(t.values()
        .into_iter()
        .zip(o)
        .map(|(a, b)| Dynamic::from_float(if table_first { f(a, b) } else { f(b, a) }))
        .collect())
}

#[export_module]
pub mod table_api {
    use std::ops::{Range, RangeInclusive};

    use rhai::{Array, Dynamic, EvalAltResult, FLOAT, FnPtr, INT, NativeCallContext};

    use super::{LiveTable, combine};
    use crate::host::api::{integer, number, numbers};
    use crate::host::state::{script_error, state};

    /// A live view of table n: `t[i]`, `t[i] = v`, `t[a..b]`, `t.len()`
    /// (length + guard point), `for x in t`, arithmetic, `t.map(f)`.
    #[rhai_fn(return_raw)]
    pub fn table(ctx: NativeCallContext, n: Dynamic) -> Result<LiveTable, Box<EvalAltResult>> {
        let n = integer(&n, "table number")?;
        let st = state(&ctx)?;
        let t = st.session().table(n);
        t.map(|table| LiveTable { number: n, table })
            .ok_or_else(|| script_error(format!("table {n} does not exist")))
    }

    /// Point i (0 ..= length; the last is the guard point).
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn get(t: &mut LiveTable, i: INT) -> Result<FLOAT, Box<EvalAltResult>> {
        Ok(t.table.get(t.index(i)?))
    }

    /// Point i, the index written as a float.
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn get_f(t: &mut LiveTable, i: FLOAT) -> Result<FLOAT, Box<EvalAltResult>> {
        let i = integer(&Dynamic::from_float(i), "index")?;
        Ok(t.table.get(t.index(i)?))
    }

    /// Write point i; the engine hears it at once.
    #[rhai_fn(index_set, return_raw)]
    pub fn set(t: &mut LiveTable, i: INT, v: Dynamic) -> Result<(), Box<EvalAltResult>> {
        let v = number(&v, "value")?;
        if !v.is_finite() {
            return Err(script_error("table values must be finite numbers"));
        }
        t.table.edit(t.index(i)?, v);
        Ok(())
    }

    /// Write point i, the index written as a float.
    #[rhai_fn(index_set, return_raw)]
    pub fn set_f(t: &mut LiveTable, i: FLOAT, v: Dynamic) -> Result<(), Box<EvalAltResult>> {
        let i = integer(&Dynamic::from_float(i), "index")?;
        set(t, i, v)
    }

    /// Points a..b as an array (a copy).
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn get_range(t: &mut LiveTable, r: Range<INT>) -> Result<Array, Box<EvalAltResult>> {
        let r = t.range(r.start, r.end)?;
        Ok(r.map(|i| Dynamic::from_float(t.table.get(i))).collect())
    }

    /// Points a..=b as an array (a copy).
    #[rhai_fn(index_get, return_raw, pure)]
    pub fn get_range_incl(
        t: &mut LiveTable,
        r: RangeInclusive<INT>,
    ) -> Result<Array, Box<EvalAltResult>> {
        get_range(t, *r.start()..r.end().saturating_add(1))
    }

    /// Write points a..b from an array of the same length (or one number to all).
    #[rhai_fn(index_set, return_raw)]
    pub fn set_range(
        t: &mut LiveTable,
        r: Range<INT>,
        values: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        let r = t.range(r.start, r.end)?;
        let v: Vec<f64> = if values.is_array() {
            numbers(&values.into_array().unwrap_or_default(), "value")?
        } else {
            vec![number(&values, "value")?; r.len()]
        };
        if v.len() != r.len() {
            return Err(script_error(format!(
                "{} points in the range, {} values given",
                r.len(),
                v.len()
            )));
        }
        if v.iter().any(|x| !x.is_finite()) {
            return Err(script_error("table values must be finite numbers"));
        }
        for (i, x) in r.zip(v) {
            t.table.edit(i, x);
        }
        Ok(())
    }

    /// Write points a..=b.
    #[rhai_fn(index_set, return_raw)]
    pub fn set_range_incl(
        t: &mut LiveTable,
        r: RangeInclusive<INT>,
        values: Dynamic,
    ) -> Result<(), Box<EvalAltResult>> {
        set_range(t, *r.start()..r.end().saturating_add(1), values)
    }

    /// Number of points, guard point included (length + 1).
    #[rhai_fn(pure, name = "len")]
    pub fn len(t: &mut LiveTable) -> INT {
        t.table.stored() as INT
    }

    /// The table's length without the guard point (as `table_length`).
    #[rhai_fn(pure, name = "length")]
    pub fn length(t: &mut LiveTable) -> INT {
        t.table.len() as INT
    }

    /// The table's number.
    #[rhai_fn(pure, get = "number")]
    pub fn number_of(t: &mut LiveTable) -> INT {
        t.number
    }

    /// All points (guard point included) as an array: a copy.
    #[rhai_fn(pure)]
    pub fn points(t: &mut LiveTable) -> Array {
        t.values().into_iter().map(Dynamic::from_float).collect()
    }

    /// `f` applied to every point, as an array: `t.map(|x| x * x)`.
    #[rhai_fn(return_raw)]
    pub fn map(
        ctx: NativeCallContext,
        t: &mut LiveTable,
        f: FnPtr,
    ) -> Result<Array, Box<EvalAltResult>> {
        let mut out = Array::with_capacity(t.table.stored());
        for x in t.values() {
            out.push(f.call_within_context::<Dynamic>(&ctx, (x,))?);
        }
        Ok(out)
    }

    /// Scale the table in place to peak 1 (a silent table is left alone).
    pub fn normalize(t: &mut LiveTable) {
        let peak = t.values().iter().fold(0.0f64, |m, x| m.max(x.abs()));
        if peak > 0.0 {
            for i in 0..t.table.stored() {
                t.table.edit(i, t.table.get(i) / peak);
            }
        }
    }

    /// Largest absolute value of the points.
    #[rhai_fn(pure)]
    pub fn peak(t: &mut LiveTable) -> FLOAT {
        t.values().iter().fold(0.0f64, |m, x| m.max(x.abs()))
    }

    /// Table + number, table or array: an array.
    #[rhai_fn(name = "+", return_raw)]
    pub fn add(t: &mut LiveTable, o: Dynamic) -> Result<Array, Box<EvalAltResult>> {
        combine(t, &o, |a, b| a + b, true)
    }
    /// Table - number, table or array: an array.
    #[rhai_fn(name = "-", return_raw)]
    pub fn sub(t: &mut LiveTable, o: Dynamic) -> Result<Array, Box<EvalAltResult>> {
        combine(t, &o, |a, b| a - b, true)
    }
    /// Table * number, table or array: an array.
    #[rhai_fn(name = "*", return_raw)]
    pub fn mul(t: &mut LiveTable, o: Dynamic) -> Result<Array, Box<EvalAltResult>> {
        combine(t, &o, |a, b| a * b, true)
    }
    /// Table / number, table or array: an array.
    #[rhai_fn(name = "/", return_raw)]
    pub fn div(t: &mut LiveTable, o: Dynamic) -> Result<Array, Box<EvalAltResult>> {
        combine(t, &o, |a, b| a / b, true)
    }
    /// Number + table: an array.
    #[rhai_fn(name = "+", return_raw)]
    pub fn radd_f(o: FLOAT, t: LiveTable) -> Result<Array, Box<EvalAltResult>> {
        combine(&t, &Dynamic::from_float(o), |a, b| a + b, false)
    }
    /// Number * table: an array.
    #[rhai_fn(name = "*", return_raw)]
    pub fn rmul_f(o: FLOAT, t: LiveTable) -> Result<Array, Box<EvalAltResult>> {
        combine(&t, &Dynamic::from_float(o), |a, b| a * b, false)
    }
    /// Number - table: an array.
    #[rhai_fn(name = "-", return_raw)]
    pub fn rsub_f(o: FLOAT, t: LiveTable) -> Result<Array, Box<EvalAltResult>> {
        combine(&t, &Dynamic::from_float(o), |a, b| a - b, false)
    }
    /// Integer + table: an array.
    #[rhai_fn(name = "+", return_raw)]
    pub fn radd_i(o: INT, t: LiveTable) -> Result<Array, Box<EvalAltResult>> {
        radd_f(o as FLOAT, t)
    }
    /// Integer * table: an array.
    #[rhai_fn(name = "*", return_raw)]
    pub fn rmul_i(o: INT, t: LiveTable) -> Result<Array, Box<EvalAltResult>> {
        rmul_f(o as FLOAT, t)
    }
    /// Integer - table: an array.
    #[rhai_fn(name = "-", return_raw)]
    pub fn rsub_i(o: INT, t: LiveTable) -> Result<Array, Box<EvalAltResult>> {
        rsub_f(o as FLOAT, t)
    }

    /// "table 1 (4096 points + guard)".
    #[rhai_fn(global, name = "to_string", name = "to_debug", pure)]
    pub fn describe(t: &mut LiveTable) -> String {
        format!("table {} ({} points + guard)", t.number, t.table.len())
    }
}
