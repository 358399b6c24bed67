//! Table access: `table`, `tablei`, `table3`, `tablew`, `tableiw`, the fast
//! `tab`/`tab_i`/`tabw`/`tabw_i`, `ftgen` (and `ftgentmp`), `ftexists`,
//! `ftlen`, `ftsr`, `ftchnls`.
//!
//! Index rules follow csound 6.18 as observed: the index is scaled by the
//! table length in normalised mode (`ixmode` non-zero), the offset is added
//! in the same units, and then
//! - clamping (`iwrap` 0) limits the integer part to `0..len-1` but keeps
//!   the fraction, so `tablei` interpolates towards the guard point at the
//!   top and from point 0 to 1 below zero;
//! - wrapping takes the integer part modulo the length (any length, not only
//!   powers of two) and interpolation reads the next point, guard included.
//!
//! `table3` interpolates through four points (cubic Lagrange) where it has
//! a point before and two after (`1 <= i` and `i + 2 <= len`, the guard
//! point counting), and linearly elsewhere, as csound 6.18 does.

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::engine::table::Table;
use crate::gens::{GenRequest, generate};
use crate::score::PValue;
use std::sync::Arc;

fn samples(a: &Args) -> usize {
    if a.out_rate(0) == Rate::Audio {
        a.ksmps
    } else {
        1
    }
}

/// How a table read fills in between points.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Interp {
    None,
    Linear,
    Cubic,
}

/// Read `table` at index `x` (already scaled and offset).
#[inline(always)]
fn read(table: &Table, x: f64, wrap: bool, interp: Interp) -> f64 {
    let len = table.len() as i64;
    let whole = x.floor();
    let frac = x - whole;
    let mut i = whole as i64;
    if wrap {
        i = i.rem_euclid(len);
    } else {
        i = i.clamp(0, len - 1);
    }
    let v1 = table.get(i as usize);
    match interp {
        Interp::None => v1,
        Interp::Cubic if i >= 1 && i + 2 <= len => {
            let i = i as usize;
            super::delays::lagrange4(
                table.get(i - 1),
                v1,
                table.get(i + 1),
                table.get(i + 2),
                frac,
            )
        }
        _ => v1 + (table.get(i as usize + 1) - v1) * frac,
    }
}

/// `table`/`tablei`/`table3 xndx, ifn [, ixmode, ixoff, iwrap]`.
struct TableRead {
    out: Output,
    index: Input,
    table: Input,
    mode: Input,
    offset: Input,
    wrap: Input,
    samples: usize,
    interp: Interp,
    init_rate: bool,
    /// `tablekt`/`tableikt`: the table number is a control signal.
    k_table: bool,
}

fn build_read(a: &Args, interp: Interp) -> Result<Box<dyn Opcode>, String> {
    boxed(TableRead {
        out: a.out(0),
        index: a.input(0),
        table: a.input(1),
        mode: a.input(2),
        offset: a.input(3),
        wrap: a.input(4),
        samples: samples(a),
        interp,
        init_rate: a.out_rate(0) == Rate::Init,
        k_table: a.name.ends_with("kt"),
    })
}

impl TableRead {
    fn name(&self) -> &'static str {
        match self.interp {
            Interp::None => "table",
            Interp::Linear => "tablei",
            Interp::Cubic => "table3",
        }
    }

    fn compute(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(table) = ctx.tables.get(n).filter(|t| !t.is_empty()) else {
            let name = self.name();
            return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
        };
        let scale = if self.mode.get() != 0.0 {
            table.len() as f64
        } else {
            1.0
        };
        let offset = self.offset.get() * scale;
        let wrap = self.wrap.get() != 0.0;
        for i in 0..self.samples {
            let x = self.index.at(i) * scale + offset;
            self.out.set_at(i, read(table, x, wrap, self.interp));
        }
        Ok(())
    }
}

impl Opcode for TableRead {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.init_rate {
            return self.compute(ctx);
        }
        // Check the table now so a missing one stops the note at its start
        // (not for `tablekt`/`tableikt`, whose k-rate table may be set
        // only once the note performs).
        let n = self.table.get();
        if !self.k_table && ctx.tables.get(n).is_none() {
            let name = self.name();
            return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.compute(ctx)
    }
}

/// `tablew xsig, xndx, ifn [, ixmode, ixoff, iwgmode]`: write into a table.
/// Mode 0 limits the index to `0..len-1`, 1 wraps it modulo the length, 2
/// rounds it to the nearest point, wraps it, and writes point 0 to the guard
/// point too (what csound 6.18 does; its manual says mode 0 may reach the
/// guard point, but the program limits to `len-1`).
struct TableWrite {
    sig: Input,
    index: Input,
    table: Input,
    mode: Input,
    offset: Input,
    wgmode: Input,
    samples: usize,
    /// `tableiw`: write once, at init time.
    at_init: bool,
}

fn build_write(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let audio = a.ins.first().map(|x| x.rate) == Some(Rate::Audio)
        || a.ins.get(1).map(|x| x.rate) == Some(Rate::Audio);
    boxed(TableWrite {
        sig: a.input(0),
        index: a.input(1),
        table: a.input(2),
        mode: a.input(3),
        offset: a.input(4),
        wgmode: a.input(5),
        samples: if audio { a.ksmps } else { 1 },
        at_init: false,
    })
}

fn build_tableiw(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(TableWrite {
        sig: a.input(0),
        index: a.input(1),
        table: a.input(2),
        mode: a.input(3),
        offset: a.input(4),
        wgmode: a.input(5),
        samples: 1,
        at_init: true,
    })
}

impl TableWrite {
    fn name(&self) -> &'static str {
        if self.at_init { "tableiw" } else { "tablew" }
    }

    fn write(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(table) = ctx.tables.get(n).filter(|t| !t.is_empty()) else {
            let name = self.name();
            return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
        };
        let len = table.len() as i64;
        let scale = if self.mode.get() != 0.0 {
            len as f64
        } else {
            1.0
        };
        let offset = self.offset.get() * scale;
        let mode = self.wgmode.get() as i64;
        for i in 0..self.samples {
            let x = self.index.at(i) * scale + offset;
            let v = ctx.note.shared_value(self.sig.at(i), "a table");
            match mode {
                1 => {
                    table.set((x.floor() as i64).rem_euclid(len) as usize, v);
                }
                2 => {
                    let k = ((x + 0.5).floor() as i64).rem_euclid(len) as usize;
                    table.set(k, v);
                    if k == 0 {
                        table.set(len as usize, v);
                    }
                }
                _ => {
                    table.set((x.floor() as i64).clamp(0, len - 1) as usize, v);
                }
            }
        }
        Ok(())
    }
}

impl Opcode for TableWrite {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.at_init {
            return self.write(ctx);
        }
        let n = self.table.get();
        if ctx.tables.get(n).is_none() {
            return Err(ctx.fail(format_args!("tablew: table {n} does not exist")));
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.write(ctx)
    }
}

/// `tab`/`tab_i xndx, ifn [, ixmode]` and `tabw`/`tabw_i xsig, xndx, ifn
/// [, ixmode]`: fast table access without wrapping or limiting. The index
/// (times the length when `ixmode` is not zero) is rounded to the nearest
/// point, halves to even, as csound 6.18 does; an index outside the table
/// fails the note ("off end"), the guard point counting as inside for the
/// k- and a-rate forms but not for the init-time ones (measured).
struct Tab {
    out: Output,
    /// The value `tabw` writes (unused by `tab`).
    sig: Input,
    index: Input,
    table: Input,
    mode: Input,
    samples: usize,
    write: bool,
    at_init: bool,
}

fn build_tab(a: &Args, write: bool, at_init: bool) -> Result<Box<dyn Opcode>, String> {
    let first = write as usize;
    let samples = if write {
        let audio = a.ins.iter().take(2).any(|x| x.rate == Rate::Audio);
        if audio { a.ksmps } else { 1 }
    } else {
        samples(a)
    };
    boxed(Tab {
        out: a
            .outs
            .first()
            .map(|o| o.0)
            .unwrap_or_else(|| Input::zero().as_output()),
        sig: a.input(0),
        index: a.input(first),
        table: a.input(first + 1),
        mode: a.input(first + 2),
        samples,
        write,
        at_init,
    })
}

impl Tab {
    fn name(&self) -> &'static str {
        match (self.write, self.at_init) {
            (false, false) => "tab",
            (false, true) => "tab_i",
            (true, false) => "tabw",
            (true, true) => "tabw_i",
        }
    }

    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(table) = ctx.tables.get(n).filter(|t| !t.is_empty()) else {
            let name = self.name();
            return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
        };
        let len = table.len();
        let scale = if self.mode.get() != 0.0 {
            len as f64
        } else {
            1.0
        };
        // The last valid point: the guard point at k- and a-rate.
        let last = if self.at_init { len - 1 } else { len } as f64;
        for i in 0..self.samples {
            let x = (self.index.at(i) * scale).round_ties_even();
            if !(0.0..=last).contains(&x) {
                let name = self.name();
                return Err(ctx.fail(format_args!(
                    "{name}: index {x} is off the end of table {n}"
                )));
            }
            if self.write {
                table.set(x as usize, ctx.note.shared_value(self.sig.at(i), "a table"));
            } else {
                self.out.set_at(i, table.get(x as usize));
            }
        }
        Ok(())
    }
}

impl Opcode for Tab {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.at_init {
            return self.run(ctx);
        }
        let n = self.table.get();
        if ctx.tables.get(n).filter(|t| !t.is_empty()).is_none() {
            let name = self.name();
            return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

/// `gi ftgen ifn, itime, isize, igen, iarg...`: make a table at init time.
/// `ifn` 0 takes the next free number from 101 on, as csound does.
struct Ftgen {
    out: Output,
    number: Input,
    size: Input,
    routine: Input,
    /// The GEN arguments: a number to read at init, or a string.
    args: Vec<(Input, Option<Arc<str>>)>,
    /// Where GEN01 looks for relative file names.
    dir: Option<std::path::PathBuf>,
}

fn build_ftgen(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Ftgen {
        out: a.out(0),
        number: a.input(0),
        size: a.input(2),
        routine: a.input(3),
        args: (4..a.ins.len()).map(|i| (a.input(i), a.text(i))).collect(),
        dir: a.scope.source_dir.clone(),
    })
}

impl Opcode for Ftgen {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if !ctx.may_allocate {
            return Err(ctx.fail(format_args!(
                "ftgen: tables can only be made in instrument 0 or when rendering offline"
            )));
        }
        // Allocation is allowed here: `may_allocate` says this is not the
        // audio thread of a real-time performance.
        let pvalues: Vec<PValue> = self
            .args
            .iter()
            .map(|(input, text)| match text {
                Some(t) => PValue::Str(t.to_string()),
                None => PValue::Num(input.get()),
            })
            .collect();
        let requested = self.number.get() as i64;
        let number = if requested == 0 {
            ctx.tables.free_number(101)
        } else {
            requested.abs()
        };
        let data = {
            let tables = &*ctx.tables;
            let lookup = |n: i32| tables.get(n as f64).map(|t| t.to_vec());
            let req = GenRequest {
                table: number as i32,
                size: self.size.get() as i32,
                args: &pvalues,
                sr: ctx.rates.sr,
                lookup: &lookup,
                dir: self.dir.as_deref(),
                zero_dbfs: ctx.rates.zero_dbfs,
            };
            generate(self.routine.get() as i32, &req)
        };
        match data {
            Ok(data) => {
                ctx.tables.reserve_number(number);
                ctx.tables.put(number, Arc::new(Table::new(&data)));
                self.out.set(number as f64);
                Ok(())
            }
            Err(e) => Err(ctx.fail(format_args!("ftgen: table {number}: {e}"))),
        }
    }
}

/// `ftexists ifn`: 1 when table `ifn` exists, else 0 (at init and, in the
/// control-rate form, every block).
struct Ftexists {
    out: Output,
    table: Input,
}

impl Ftexists {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let found = ctx.tables.get(self.table.get()).is_some();
        self.out.set(if found { 1.0 } else { 0.0 });
        Ok(())
    }
}

impl Opcode for Ftexists {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx)
    }
}

fn build_ftexists(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Ftexists {
        out: a.out(0),
        table: a.input(0),
    })
}

/// `ftlen(ifn)`: the table's length without its guard point.
struct Ftlen {
    out: Output,
    table: Input,
    /// `tableng`: a missing table gives 0 and a warning, not an error.
    lenient: bool,
}

impl Ftlen {
    fn compute(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        match ctx.tables.get(n) {
            Some(t) => {
                self.out.set(t.len() as f64);
                Ok(())
            }
            None if self.lenient => {
                ctx.warn(format_args!("tableng: table {n} does not exist, length 0"));
                self.out.set(0.0);
                Ok(())
            }
            None => Err(ctx.fail(format_args!("ftlen: table {n} does not exist"))),
        }
    }
}

impl Opcode for Ftlen {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.compute(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.compute(ctx)
    }
}

fn build_ftlen(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Ftlen {
        out: a.out(0),
        table: a.input(0),
        lenient: false,
    })
}

fn build_tableng(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Ftlen {
        out: a.out(0),
        table: a.input(0),
        lenient: true,
    })
}

/// `ftsr(ifn)` and `ftchnls(ifn)`: a sound-file table's sample rate and
/// channel count. Other tables report the orchestra's rate and one channel
/// (what csound 6.18 prints; its manual says 0 and -1).
struct TableInfo {
    out: Output,
    table: Input,
    channels: bool,
}

fn build_info(a: &Args, channels: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(TableInfo {
        out: a.out(0),
        table: a.input(0),
        channels,
    })
}

impl Opcode for TableInfo {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let name = if self.channels { "ftchnls" } else { "ftsr" };
        let Some(t) = ctx.tables.get(n) else {
            return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
        };
        let v = if self.channels {
            t.channels.max(1) as f64
        } else {
            t.sample_rate.unwrap_or(ctx.rates.sr)
        };
        self.out.set(v);
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "tab",
        "a",
        "xio",
        Pass::Both,
        |a| build_tab(a, false, false),
        "fast table read: rounded index, no wrap or limit (ixmode 1: 0 to 1)",
    ),
    spec(
        "tab",
        "k",
        "kio",
        Pass::Both,
        |a| build_tab(a, false, false),
        "fast table read: rounded index, no wrap or limit (ixmode 1: 0 to 1)",
    ),
    spec(
        "tab_i",
        "i",
        "iio",
        Pass::Init,
        |a| build_tab(a, false, true),
        "fast table read at init time: rounded index, no wrap or limit",
    ),
    spec(
        "tabw",
        "",
        "aaio",
        Pass::Both,
        |a| build_tab(a, true, false),
        "fast table write: rounded index, no wrap or limit (ixmode 1: 0 to 1)",
    ),
    spec(
        "tabw",
        "",
        "kkio",
        Pass::Both,
        |a| build_tab(a, true, false),
        "fast table write: rounded index, no wrap or limit (ixmode 1: 0 to 1)",
    ),
    spec(
        "tabw_i",
        "",
        "iiio",
        Pass::Init,
        |a| build_tab(a, true, true),
        "fast table write at init time: rounded index, no wrap or limit",
    ),
    spec(
        "table",
        "a",
        "aiooo",
        Pass::Both,
        |a| build_read(a, Interp::None),
        "read a table at an audio-rate index, no interpolation",
    ),
    spec(
        "table",
        "k",
        "kiooo",
        Pass::Both,
        |a| build_read(a, Interp::None),
        "read a table at a control-rate index, no interpolation",
    ),
    spec(
        "table",
        "i",
        "iiooo",
        Pass::Init,
        |a| build_read(a, Interp::None),
        "read a table at init time, no interpolation",
    ),
    spec(
        "tablekt",
        "a",
        "xkooo",
        Pass::Both,
        |a| build_read(a, Interp::None),
        "read a table chosen at control rate, no interpolation",
    ),
    spec(
        "tableikt",
        "a",
        "xkooo",
        Pass::Both,
        |a| build_read(a, Interp::Linear),
        "read a table chosen at control rate, with linear interpolation",
    ),
    spec(
        "tablei",
        "a",
        "aiooo",
        Pass::Both,
        |a| build_read(a, Interp::Linear),
        "read a table at an audio-rate index with linear interpolation",
    ),
    spec(
        "tablei",
        "k",
        "kiooo",
        Pass::Both,
        |a| build_read(a, Interp::Linear),
        "read a table at a control-rate index with linear interpolation",
    ),
    spec(
        "tablei",
        "i",
        "iiooo",
        Pass::Init,
        |a| build_read(a, Interp::Linear),
        "read a table at init time with linear interpolation",
    ),
    spec(
        "table3",
        "a",
        "aiooo",
        Pass::Both,
        |a| build_read(a, Interp::Cubic),
        "read a table at an audio-rate index with cubic interpolation",
    ),
    spec(
        "table3",
        "k",
        "kiooo",
        Pass::Both,
        |a| build_read(a, Interp::Cubic),
        "read a table at a control-rate index with cubic interpolation",
    ),
    spec(
        "table3",
        "i",
        "iiooo",
        Pass::Init,
        |a| build_read(a, Interp::Cubic),
        "read a table at init time with cubic interpolation",
    ),
    spec(
        "tableiw",
        "",
        "iiiooo",
        Pass::Init,
        build_tableiw,
        "write a value into a table at init time",
    ),
    spec(
        "ftsr",
        "i",
        "i",
        Pass::Init,
        |a| build_info(a, false),
        "sample rate of a table read from a sound file (the orchestra's rate for other tables)",
    ),
    spec(
        "ftchnls",
        "i",
        "i",
        Pass::Init,
        |a| build_info(a, true),
        "number of channels of a table read from a sound file (1 for other tables)",
    ),
    spec(
        "tablew",
        "",
        "aaiooo",
        Pass::Both,
        build_write,
        "write audio into a table at an audio-rate index",
    ),
    spec(
        "tablew",
        "",
        "kkiooo",
        Pass::Both,
        build_write,
        "write a control value into a table (every block, also for i values)",
    ),
    spec(
        "ftgen",
        "i",
        "iiiiN",
        Pass::Init,
        build_ftgen,
        "make a function table at init time; ifn 0 picks a free number from 101",
    ),
    spec(
        "ftgentmp",
        "i",
        "iiiiN",
        Pass::Init,
        build_ftgen,
        "make a function table at init time, as ftgen (it stays until the performance ends)",
    ),
    spec(
        "ftexists",
        "i",
        "i",
        Pass::Init,
        build_ftexists,
        "1 if table ifn exists, else 0",
    ),
    spec(
        "ftexists",
        "k",
        "k",
        Pass::Both,
        build_ftexists,
        "1 if table kfn exists, else 0",
    ),
    spec(
        "ftlen",
        "i",
        "i",
        Pass::Init,
        build_ftlen,
        "length of a table without its guard point",
    ),
    spec(
        "ftlen",
        "k",
        "k",
        Pass::Both,
        build_ftlen,
        "length of a table without its guard point (rhapsody also accepts k)",
    ),
    spec(
        "tableng",
        "i",
        "i",
        Pass::Init,
        build_tableng,
        "length of a table without its guard point, 0 if the table does not exist",
    ),
    spec(
        "tableng",
        "k",
        "k",
        Pass::Both,
        build_tableng,
        "length of a table without its guard point, 0 if the table does not exist",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::envelopes::harness::{In, add_table, find, rig};

    #[test]
    fn clamp_keeps_the_fraction_and_wrap_takes_any_length() {
        let data: Vec<f64> = vec![20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 0.0];
        let cases = [
            // (index, iwrap, interpolate, csound 6.18's value)
            (-2.75, 0.0, true, 20.25),
            (6.25, 0.0, true, 18.75),
            (6.25, 1.0, true, 20.25),
            (-0.25, 1.0, true, 6.25),
            (-0.25, 1.0, false, 25.0),
            (8.25, 0.0, false, 25.0),
        ];
        for (x, wrap, interp, want) in cases {
            let name = if interp { "tablei" } else { "table" };
            let spec = find(name, "k", "kiooo");
            let ins = [In::K(x), In::K(2.0), In::K(0.0), In::K(0.0), In::K(wrap)];
            let mut r = rig(spec, &ins, "k", 100.0, 10);
            add_table(&mut r.tables, 2, data.clone());
            let v = r.run(1, 0);
            assert!((v[0] - want).abs() < 1e-9, "{name} {x} {wrap}: {}", v[0]);
        }
    }

    #[test]
    fn tablew_modes() {
        let spec = find("tablew", "", "kkiooo");
        // (value, index, iwgmode, where it lands)
        for (v, x, mode, at) in [
            (2.0, 9.7, 0.0, vec![7]),
            (1.0, -2.0, 1.0, vec![6]),
            (1.0, -0.2, 2.0, vec![0, 8]),
            (2.0, 9.7, 2.0, vec![2]),
        ] {
            let ins = [
                In::K(v),
                In::K(x),
                In::K(1.0),
                In::K(0.0),
                In::K(0.0),
                In::K(mode),
            ];
            let mut r = rig(spec, &ins, "", 100.0, 10);
            add_table(&mut r.tables, 1, vec![0.0; 9]);
            assert!(r.init() && r.perform());
            let t = r.tables.get(1.0).unwrap().to_vec();
            for (i, p) in t.iter().enumerate() {
                let want = if at.contains(&i) { v } else { 0.0 };
                assert_eq!(*p, want, "mode {mode} index {x}: {t:?}");
            }
        }
    }

    #[test]
    fn table3_is_cubic_inside_and_linear_at_the_edges() {
        let data: Vec<f64> = vec![1.0, 3.0, 7.0, 2.0, 5.0, 9.0, 4.0, 6.0, 1.0];
        // (index, iwrap, csound 6.18's value)
        let cases = [
            (-2.25, 0.0, 2.5),
            (-2.25, 1.0, 5.21875),
            (0.25, 0.0, 1.5),
            (1.25, 0.0, 4.242188),
            (5.25, 0.0, 7.96875),
            (6.25, 0.0, 4.390625),
            (7.25, 0.0, 4.75),
            (9.25, 0.0, 4.75),
            (9.25, 1.0, 4.242188),
        ];
        for (x, wrap, want) in cases {
            let spec = find("table3", "k", "kiooo");
            let ins = [In::K(x), In::K(1.0), In::K(0.0), In::K(0.0), In::K(wrap)];
            let mut r = rig(spec, &ins, "k", 100.0, 10);
            add_table(&mut r.tables, 1, data.clone());
            let v = r.run(1, 0);
            assert!((v[0] - want).abs() < 1e-6, "table3 {x} {wrap}: {}", v[0]);
        }
    }
}
