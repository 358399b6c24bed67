//! Orchestra syntax tree -> compiled [`Orchestra`]: header rates, global and
//! local memory layout, opcode variant selection by rate, expressions as
//! arithmetic steps, control flow as jumps, user-defined opcodes inlined.

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::{self, AssignOp, BinOp, Expr, InstrId, LValue, Stmt, UnOp};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::engine::channels::Channels;
use crate::engine::context::Rates;
use crate::engine::program::{
    ArgTemplate, GlobalLayout, InstrTemplate, Loc, Orchestra, Reinit, StepTemplate,
};
use crate::engine::signal::Memory;
use crate::engine::strings;
use crate::opcodes::{self, OpcodeSpec, Rate};

mod arrays;
mod fsigs;
mod types;

/// A value's type as the opcode forms see it: its rate, and whether it is an array.
use types::{
    goto_passes, ins_fit, out_letter_rate, outs_fit, show_ty, single_variant_input_hints,
    type_codes,
};

type Ty = (Rate, bool);

/// Header values given on the command line; they win over the orchestra's.
#[derive(Clone, Copy, Debug, Default)]
pub struct RateOverrides {
    pub sr: Option<f64>,
    pub kr: Option<f64>,
    pub ksmps: Option<usize>,
    pub nchnls: Option<usize>,
    /// `--nchnls_i=N`: channels of audio input.
    pub nchnls_i: Option<usize>,
}

/// Names the header may set, in the order of their global cells.
const RESERVED: [&str; 7] = ["sr", "kr", "ksmps", "nchnls", "0dbfs", "A4", "nchnls_i"];

/// Largest ksmps accepted (samples per control block).
pub const MAX_KSMPS: usize = 16_384;
/// Largest sample rate accepted.
pub const MAX_SR: f64 = 1_536_000.0;

/// Deepest nesting of user-defined opcode calls (they are inlined).
const MAX_UDO_DEPTH: usize = 32;

/// Compile a parsed orchestra.
pub fn compile(
    orc: &ast::Orchestra,
    overrides: RateOverrides,
) -> Result<Arc<Orchestra>, Diagnostics> {
    compile_with_channels(orc, overrides, Arc::new(Channels::default()))
}

/// Compile with a session's channels, so that a recompiled orchestra keeps them.
pub fn compile_with_channels(
    orc: &ast::Orchestra,
    overrides: RateOverrides,
    channels: Arc<Channels>,
) -> Result<Arc<Orchestra>, Diagnostics> {
    compile_into(orc, overrides, channels, None)
}

/// Global cells an orchestra leaves free for the variables of orchestras
/// compiled into the same session later (8 bytes each).
pub const GLOBAL_ROOM: usize = 65_536;

/// Compile `orc`; with `playing`, as a successor of that orchestra in a
/// running session: its global variables keep their cells and share its
/// memory (so they keep their values and both orchestras' notes see the
/// same ones), and new ones take cells after them.
pub fn compile_into(
    orc: &ast::Orchestra,
    overrides: RateOverrides,
    channels: Arc<Channels>,
    playing: Option<&Orchestra>,
) -> Result<Arc<Orchestra>, Diagnostics> {
    let mut diags = Vec::new();
    let rates = header_rates(orc, overrides, &mut diags)?;
    let mut globals = match playing {
        Some(p) => Globals::from_layout(&p.global_layout, &rates),
        None => Globals::new(&rates),
    };
    let udos: HashMap<String, &ast::UdoDef> =
        orc.udos.iter().map(|u| (u.name.clone(), u)).collect();

    // Instrument numbers: named instruments follow the highest number.
    let mut next_named = orc
        .instruments
        .iter()
        .flat_map(|i| &i.ids)
        .filter_map(|id| match id {
            InstrId::Number(n) => Some(*n),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        + 1;
    let mut names = HashMap::new();
    let mut templates: Vec<Arc<InstrTemplate>> = Vec::new();

    let instr0 = {
        let mut c = InstrCompiler::new(0, None, &rates, &mut globals, &udos, &orc.global, true);
        c.compile_block(&orc.global);
        c.finish(&mut diags)
    };

    for def in &orc.instruments {
        for id in &def.ids {
            let (number, name) = match id {
                InstrId::Number(n) => (*n, None),
                InstrId::Name { name, .. } => {
                    let n = *names.entry(name.clone()).or_insert_with(|| {
                        next_named += 1;
                        next_named - 1
                    });
                    (n, Some(name.clone()))
                }
            };
            if number < 1 {
                diags.push(Diagnostic::error_at(
                    &def.pos,
                    format!("instrument number {number} must be 1 or more"),
                ));
                continue;
            }
            if templates.iter().any(|t| t.number == number) {
                diags.push(Diagnostic::error_at(
                    &def.pos,
                    format!("instr {number} is defined twice"),
                ));
                continue;
            }
            let mut c =
                InstrCompiler::new(number, name, &rates, &mut globals, &udos, &def.body, false);
            c.pos = Some(def.pos.clone());
            c.compile_block(&def.body);
            templates.push(Arc::new(c.finish(&mut diags)));
        }
    }
    if diags
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
    {
        return Err(Diagnostics(diags));
    }
    templates.sort_by_key(|t| t.number);
    let memory = match playing {
        Some(p) if globals.initial.len() <= p.globals.len() => {
            let old = p.global_layout.initial.len();
            p.globals.init_unused(old, &globals.initial[old..]);
            p.globals.clone()
        }
        Some(p) => {
            return Err(Diagnostics(vec![Diagnostic::error(
                None,
                format!(
                    "the orchestra's global variables need {} cells; the session has room for {} \
                     (restart the performance to compile it afresh)",
                    globals.initial.len(),
                    p.globals.len()
                ),
            )]));
        }
        None => Arc::new(Memory::with_room(
            &globals.initial,
            globals.initial.len() + GLOBAL_ROOM,
        )),
    };
    Ok(Arc::new(Orchestra {
        rates,
        signal_globals: globals.signal_cells(),
        globals: memory,
        global_layout: GlobalLayout {
            vars: globals.vars.clone(),
            arrays: globals.arrays.clone(),
            initial: globals.initial.clone(),
            texts: globals.texts.clone(),
        },
        instr0: Arc::new(instr0),
        instruments: templates,
        names,
        channels,
        source_dir: crate::gens::source_dir(&orc.source_name),
    }))
}

/// Evaluate the header assignments (`sr = 48000` ...) and apply Csound's rules.
fn header_rates(
    orc: &ast::Orchestra,
    o: RateOverrides,
    diags: &mut Vec<Diagnostic>,
) -> Result<Rates, Diagnostics> {
    let mut values: HashMap<&str, (f64, Pos)> = HashMap::new();
    for stmt in &orc.global {
        if let Stmt::Assign {
            target,
            op: AssignOp::Set,
            value,
            pos,
        } = stmt
            && RESERVED.contains(&target.name.as_str())
        {
            match const_value(value) {
                Some(v) => {
                    values.insert(
                        RESERVED
                            .iter()
                            .find(|r| **r == target.name)
                            .expect("checked"),
                        (v, pos.clone()),
                    );
                }
                None => diags.push(Diagnostic::error_at(
                    pos,
                    format!("{} must be set to a constant", target.name),
                )),
            }
        }
    }
    let get = |k: &str| values.get(k).map(|v| v.0);
    let sr = o.sr.or(get("sr")).unwrap_or(44100.0);
    let ksmps_given =
        o.ksmps
            .map(|k| k as f64)
            .or(if o.kr.is_some() { None } else { get("ksmps") });
    let kr_given = o.kr.or(if o.ksmps.is_some() { None } else { get("kr") });
    let (kr, ksmps) = match (kr_given, ksmps_given) {
        (_, Some(k)) => (sr / k, k),
        (Some(kr), None) => (kr, sr / kr),
        (None, None) => (sr / 10.0, 10.0),
    };
    let pos = values
        .get("ksmps")
        .or(values.get("kr"))
        .or(values.get("sr"))
        .map(|v| v.1.clone());
    // Written so that NaN (a division by zero in the header) is invalid too.
    let valid =
        sr > 0.0 && ksmps >= 1.0 && ksmps.fract() == 0.0 && (sr / ksmps - kr).abs() <= 1e-9 * kr;
    if !valid {
        let d = Diagnostic::error(
            pos,
            format!("illegal sr/kr/ksmps combination: sr {sr}, kr {kr}, ksmps {ksmps}"),
        );
        diags.push(d);
        return Err(Diagnostics(std::mem::take(diags)));
    }
    // Every a-rate variable holds ksmps samples and delay lines hold
    // seconds times sr: refused here, before anything is allocated.
    if ksmps > MAX_KSMPS as f64 || sr > MAX_SR {
        diags.push(Diagnostic::error(
            pos,
            format!(
                "sr {sr:e} / ksmps {ksmps:e} beyond the limits (sr at most {MAX_SR}, ksmps at most {MAX_KSMPS})"
            ),
        ));
        return Err(Diagnostics(std::mem::take(diags)));
    }
    let zero_dbfs = get("0dbfs").unwrap_or(32768.0);
    if !(zero_dbfs > 0.0 && zero_dbfs.is_finite()) {
        diags.push(Diagnostic::error(
            values.get("0dbfs").map(|v| v.1.clone()),
            format!("0dbfs must be a positive number (got {zero_dbfs})"),
        ));
        return Err(Diagnostics(std::mem::take(diags)));
    }
    let nchnls = o.nchnls.or(get("nchnls").map(|n| n as usize)).unwrap_or(1);
    if nchnls == 0 || nchnls > 256 {
        diags.push(Diagnostic::error(
            values.get("nchnls").map(|v| v.1.clone()),
            format!("nchnls {nchnls} is out of range (1..256)"),
        ));
        return Err(Diagnostics(std::mem::take(diags)));
    }
    // Input channels default to the output's (csound's rule).
    let nchnls_i = o
        .nchnls_i
        .or(get("nchnls_i").map(|n| n as usize))
        .unwrap_or(nchnls);
    if nchnls_i == 0 || nchnls_i > 256 {
        diags.push(Diagnostic::error(
            values.get("nchnls_i").map(|v| v.1.clone()),
            format!("nchnls_i {nchnls_i} is out of range (1..256)"),
        ));
        return Err(Diagnostics(std::mem::take(diags)));
    }
    Ok(Rates {
        sr,
        kr,
        ksmps: ksmps as usize,
        nchnls,
        nchnls_i,
        zero_dbfs,
        a4: get("A4").unwrap_or(440.0),
    })
}

fn const_value(e: &Expr) -> Option<f64> {
    match e {
        Expr::Number(v, _) => Some(*v),
        Expr::Unary {
            op: UnOp::Neg, arg, ..
        } => const_value(arg).map(|v| -v),
        Expr::Binary {
            op, left, right, ..
        } => {
            let (a, b) = (const_value(left)?, const_value(right)?);
            Some(crate::opcodes::arith::apply(*op, a, b))
        }
        _ => None,
    }
}

/// The globals' memory layout: reserved header cells, then `g` variables.
struct Globals {
    initial: Vec<f64>,
    vars: HashMap<String, (usize, Rate)>,
    /// Global arrays' capacities (their cells are in `vars` too).
    arrays: HashMap<String, usize>,
    /// Global string variables whose value is known when compiling (set
    /// once, to a constant, in instrument 0).
    texts: HashMap<String, Arc<str>>,
    ksmps: usize,
}

impl Globals {
    fn new(r: &Rates) -> Globals {
        Globals {
            initial: vec![
                r.sr,
                r.kr,
                r.ksmps as f64,
                r.nchnls as f64,
                r.zero_dbfs,
                r.a4,
                r.nchnls_i as f64,
            ],
            vars: HashMap::new(),
            arrays: HashMap::new(),
            texts: HashMap::new(),
            ksmps: r.ksmps,
        }
    }

    /// The layout of a playing orchestra, to lay out a successor's after it.
    fn from_layout(layout: &GlobalLayout, r: &Rates) -> Globals {
        Globals {
            initial: layout.initial.clone(),
            vars: layout.vars.clone(),
            arrays: layout.arrays.clone(),
            texts: layout.texts.clone(),
            ksmps: r.ksmps,
        }
    }

    /// The number cells of the `gi`, `gk` and `ga` variables and of the
    /// global arrays' elements, as (start, length), in memory order: what
    /// every instrument may read, which the engine keeps free of non-finite
    /// values.
    fn signal_cells(&self) -> Vec<(usize, usize)> {
        let mut cells: Vec<(usize, usize)> = self
            .vars
            .iter()
            .filter_map(|(name, &(i, rate))| match (self.arrays.get(name), rate) {
                // Capacity and length cells, then the elements.
                (Some(&cap), _) => Some((i + 2, cap)),
                (None, Rate::Audio) => Some((i, self.ksmps)),
                (None, Rate::Control | Rate::Init) => Some((i, 1)),
                _ => None,
            })
            .collect();
        cells.sort_unstable();
        // Neighbours merge into one range: fewer, longer scans.
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(cells.len());
        for (start, len) in cells {
            match merged.last_mut() {
                Some(last) if last.0 + last.1 == start => last.1 += len,
                _ => merged.push((start, len)),
            }
        }
        merged
    }

    /// Cells for a global variable (`fsig_size`: an f-signal's FFT size).
    fn declare(&mut self, name: &str, rate: Rate, fsig_size: usize) -> usize {
        if let Some((i, _)) = self.vars.get(name) {
            return *i;
        }
        let i = self.initial.len();
        match rate {
            Rate::Audio => self.initial.extend(std::iter::repeat_n(0.0, self.ksmps)),
            Rate::Frame => fsigs::push_fsig(&mut self.initial, fsig_size),
            Rate::Str => self
                .initial
                .extend(strings::image("", strings::VARIABLE_CAPACITY)),
            _ => self.initial.push(0.0),
        }
        self.vars.insert(name.to_string(), (i, rate));
        i
    }
}

/// A compiled value: where it is, its rate, and what is known at compile time.
#[derive(Clone, Debug)]
struct Value {
    loc: Loc,
    rate: Rate,
    constant: Option<f64>,
    text: Option<Arc<str>>,
    label: Option<Arc<str>>,
    /// An array's capacity (None for a scalar).
    array: Option<usize>,
}

impl Value {
    fn ty(&self) -> Ty {
        (self.rate, self.array.is_some())
    }

    fn arg(&self) -> ArgTemplate {
        ArgTemplate {
            loc: self.loc,
            rate: self.rate,
            constant: self.constant,
            text: self.text.clone(),
            label: self.label.clone(),
        }
    }
}

/// Compiles one instrument (or instrument 0).
struct InstrCompiler<'a> {
    number: i64,
    name: Option<String>,
    rates: &'a Rates,
    globals: &'a mut Globals,
    udos: &'a HashMap<String, &'a ast::UdoDef>,
    initial: Vec<f64>,
    pfield_cells: usize,
    /// The first cell of every audio buffer in `initial` (for [`super::layout`]).
    audio_buffers: Vec<usize>,
    /// Variable scopes: the instrument's, then one per inlined UDO call.
    scopes: Vec<HashMap<String, (Loc, Rate)>>,
    /// Array variables' capacities, one map per scope like `scopes`.
    arrays: Vec<HashMap<String, usize>>,
    /// String variables whose value is known at compile time (assigned
    /// once, a constant): opcodes that need a string when they are built
    /// (file names, formats) read it here; the variable holds it at run
    /// time too.
    strings: Vec<HashMap<String, Arc<str>>>,
    /// String variables assigned more than once: their value is only known
    /// at run time.
    varying_strings: std::collections::HashSet<String>,
    /// The cells of each constant string (one copy per text).
    text_cells: HashMap<Arc<str>, usize>,
    constants: HashMap<u64, usize>,
    steps: Vec<StepTemplate>,
    /// Labels per scope level (UDO bodies get their own).
    labels: Vec<HashMap<String, usize>>,
    fixups: Vec<(usize, String, usize, Pos)>,
    diags: Vec<Diagnostic>,
    /// Arguments and outputs of the UDO calls being inlined (innermost last).
    udo_frames: Vec<UdoFrame>,
    scope_serial: usize,
    pos: Option<Pos>,
    is_instr0: bool,
    /// The FFT size the next new f-variable gets room for (`fsigs.rs`).
    fsig_next: usize,
}

struct UdoFrame {
    args: Vec<Value>,
    outs: Vec<(Loc, Rate)>,
    in_types: String,
    out_types: String,
}

impl<'a> InstrCompiler<'a> {
    fn new(
        number: i64,
        name: Option<String>,
        rates: &'a Rates,
        globals: &'a mut Globals,
        udos: &'a HashMap<String, &'a ast::UdoDef>,
        body: &[Stmt],
        is_instr0: bool,
    ) -> Self {
        let max_p = max_pfield(body).max(3) as usize;
        InstrCompiler {
            number,
            name,
            rates,
            globals,
            udos,
            initial: vec![0.0; max_p + 1],
            pfield_cells: max_p + 1,
            audio_buffers: Vec::new(),
            scopes: vec![HashMap::new()],
            arrays: vec![HashMap::new()],
            strings: vec![HashMap::new()],
            varying_strings: Default::default(),
            text_cells: HashMap::new(),
            constants: HashMap::new(),
            steps: Vec::new(),
            labels: vec![HashMap::new()],
            fixups: Vec::new(),
            diags: Vec::new(),
            udo_frames: Vec::new(),
            scope_serial: 0,
            pos: None,
            is_instr0,
            fsig_next: opcodes::spectral::frame::DEFAULT_SIZE,
        }
    }

    fn finish(mut self, diags: &mut Vec<Diagnostic>) -> InstrTemplate {
        for (step, label, level, pos) in std::mem::take(&mut self.fixups) {
            match self.labels.get(level).and_then(|l| l.get(&label)) {
                Some(&target) => {
                    if let Some(t) = self.steps[step].target_mut() {
                        *t = target;
                    }
                }
                None => self.error(&pos, format!("label '{label}' is not defined")),
            }
        }
        diags.append(&mut self.diags);
        super::fusion::fuse(&mut self.steps);
        let ksmps = self.rates.ksmps;
        super::layout::pack(
            &mut self.steps,
            &mut self.initial,
            &self.audio_buffers,
            ksmps,
        );
        let mut template = InstrTemplate {
            number: self.number,
            name: self.name,
            initial: self.initial,
            pfield_cells: self.pfield_cells,
            steps: self.steps,
            ksmps: self.rates.ksmps,
            pos: self.pos,
            parallel: false,
        };
        // Decided once here: it was most of the cost of starting a note.
        template.parallel = crate::engine::parallel::parallel_ok(&template, self.rates);
        template
    }

    fn error(&mut self, pos: &Pos, msg: String) {
        self.diags.push(Diagnostic::error_at(pos, msg));
    }

    fn cells(&mut self, rate: Rate) -> Loc {
        if rate == Rate::Frame {
            return self.fsig_cells();
        }
        let i = self.initial.len();
        if rate == Rate::Str {
            self.initial
                .extend(strings::image("", strings::VARIABLE_CAPACITY));
            return Loc::Local(i);
        }
        let n = if rate == Rate::Audio {
            self.audio_buffers.push(i);
            self.rates.ksmps
        } else {
            1
        };
        self.initial.extend(std::iter::repeat_n(0.0, n));
        Loc::Local(i)
    }

    fn constant(&mut self, v: f64) -> Value {
        let i = *self.constants.entry(v.to_bits()).or_insert_with(|| {
            self.initial.push(v);
            self.initial.len() - 1
        });
        Value {
            loc: Loc::Local(i),
            rate: Rate::Init,
            constant: Some(v),
            text: None,
            label: None,
            array: None,
        }
    }

    /// A constant string: its text for the opcodes that read it when they
    /// are built, and cells holding it for those that read it at run time.
    fn text(&mut self, s: Arc<str>) -> Value {
        let i = match self.text_cells.get(&s) {
            Some(&i) => i,
            None => {
                let i = self.initial.len();
                self.initial.extend(strings::image(&s, s.len()));
                self.text_cells.insert(s.clone(), i);
                i
            }
        };
        Value {
            loc: Loc::Local(i),
            rate: Rate::Str,
            constant: None,
            text: Some(s),
            label: None,
            array: None,
        }
    }

    fn temp(&mut self, rate: Rate) -> Value {
        Value {
            loc: self.cells(rate),
            rate,
            constant: None,
            text: None,
            label: None,
            array: None,
        }
    }

    // ---------------------------------------------------------------- variables

    fn lookup(&self, name: &str) -> Option<(Loc, Rate)> {
        if let Some(v) = self.scopes.last().and_then(|s| s.get(name)) {
            return Some(*v);
        }
        if let Some(i) = RESERVED.iter().position(|r| *r == name) {
            return Some((Loc::Global(i), Rate::Init));
        }
        self.globals
            .vars
            .get(name)
            .map(|(i, r)| (Loc::Global(*i), *r))
    }

    /// The variable written by `lv`, declared on first write.
    fn declare(&mut self, lv: &LValue) -> Option<(Loc, Rate)> {
        if !lv.index.is_empty() || lv.array_dims > 0 {
            if lv.index.is_empty()
                && self.array_cap(&lv.name).is_some()
                && let Some(found) = self.lookup(&lv.name)
            {
                return Some(found);
            }
            self.error(
                &lv.pos,
                format!(
                    "'{}' cannot be {} here: in rhapsody arrays are declared with init, \
                     fillarray or an array assignment, and elements are written with `=`",
                    lv.name,
                    if lv.index.is_empty() {
                        "declared as an array"
                    } else {
                        "indexed"
                    }
                ),
            );
            return None;
        }
        if let Some(found) = self.lookup(&lv.name) {
            return Some(found);
        }
        // Writing a p-field (`p3 = 2` lengthens the note, as in Csound).
        if let Some(n) = lv
            .name
            .strip_prefix('p')
            .and_then(|d| d.parse::<usize>().ok())
        {
            if n >= 1 && n < self.pfield_cells {
                return Some((Loc::Local(n), Rate::Init));
            }
            self.error(
                &lv.pos,
                format!("p{n} is beyond the p-fields this instrument can use"),
            );
            return None;
        }
        let rate = match lv
            .type_hint
            .as_deref()
            .and_then(|h| h.chars().next())
            .and_then(Rate::from_letter)
        {
            Some(r) => r,
            None => match Rate::of_name(&lv.name) {
                Some(r) => r,
                None => {
                    self.error(&lv.pos, format!("cannot tell the type of '{}': names start with i, k, a, f or S (g for globals)", lv.name));
                    return None;
                }
            },
        };
        let loc = if lv.name.starts_with('g') {
            Loc::Global(self.globals.declare(&lv.name, rate, self.fsig_next))
        } else {
            self.cells(rate)
        };
        self.scopes
            .last_mut()
            .expect("one scope")
            .insert(lv.name.clone(), (loc, rate));
        Some((loc, rate))
    }

    // ---------------------------------------------------------------- statements

    fn compile_block(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.compile_stmt(stmt);
        }
    }

    fn compile_stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Assign {
                target,
                op,
                value,
                pos,
            } => {
                if self.is_instr0 && RESERVED.contains(&target.name.as_str()) {
                    return; // header, already evaluated
                }
                self.compile_assign(target, *op, value, pos);
            }
            Stmt::Opcode {
                outputs,
                name,
                rate_hint,
                args,
                pos,
            } => {
                self.compile_opcode_stmt(outputs, name, rate_hint.as_deref(), args, pos);
            }
            Stmt::If {
                branches,
                otherwise,
                init_only,
                pos,
            } => self.compile_if(branches, otherwise.as_deref(), *init_only, pos),
            Stmt::CondGoto {
                cond,
                kind,
                label,
                pos,
            } => {
                let Some(c) = self.expr(cond, None) else {
                    return;
                };
                let (init, perf) = goto_passes(*kind, c.rate);
                self.jump_to_label(label, Some(c.loc), false, init, perf, pos);
            }
            Stmt::Goto { kind, label, pos } => {
                let (init, perf) = goto_passes(*kind, Rate::Init);
                self.jump_to_label(label, None, false, init, perf, pos);
            }
            Stmt::Label { name, pos } => {
                let level = self.labels.len() - 1;
                if self.labels[level]
                    .insert(name.clone(), self.steps.len())
                    .is_some()
                {
                    self.error(pos, format!("label '{name}' is defined twice"));
                }
            }
            Stmt::While {
                cond,
                body,
                until,
                pos,
            } => self.compile_while(cond, body, *until, pos),
        }
    }

    fn compile_assign(&mut self, target: &LValue, op: AssignOp, value: &Expr, pos: &Pos) {
        if !target.index.is_empty() {
            self.assign_element(target, op, value, pos);
            return;
        }
        if target.array_dims > 0 || self.array_cap(&target.name).is_some() {
            self.assign_array(target, op, value, pos);
            return;
        }
        if target.name.starts_with('S') || target.name.starts_with("gS") {
            self.assign_string(target, op, value, pos);
            return;
        }
        match value {
            Expr::Call { name, args, .. } => self.plan_fsig_size(name, args),
            Expr::Var(..) => self.plan_fsig_size("=", std::slice::from_ref(value)),
            _ => {}
        }
        let Some((loc, rate)) = self.declare(target) else {
            return;
        };
        let bin = match op {
            AssignOp::Set => None,
            AssignOp::Add => Some(BinOp::Add),
            AssignOp::Sub => Some(BinOp::Sub),
            AssignOp::Mul => Some(BinOp::Mul),
            AssignOp::Div => Some(BinOp::Div),
        };
        let value = match bin {
            None => self.expr(value, Some(rate)),
            Some(b) => {
                let current = Value {
                    loc,
                    rate,
                    constant: None,
                    text: None,
                    label: None,
                    array: None,
                };
                self.expr(value, Some(rate))
                    .and_then(|v| self.binary(b, current, v, pos))
            }
        };
        let Some(v) = value else { return };
        if v.array.is_some() {
            self.error(
                pos,
                format!(
                    "cannot assign an array to '{}', which is not an array (write '{}[]')",
                    target.name, target.name
                ),
            );
            return;
        }
        if v.rate == Rate::Audio && rate == Rate::Control {
            // Csound 6 accepts `kx = asig`: the block's first sample.
            self.emit_named("downsamp", &[v], &[(loc, rate)], pos);
            return;
        }
        if v.rate > rate {
            self.error(
                pos,
                format!(
                    "cannot assign a {}-rate value to '{}' ({}-rate)",
                    v.rate.letter(),
                    target.name,
                    rate.letter()
                ),
            );
            return;
        }
        // Write straight into the target when the last step made this value.
        if v.constant.is_none() && v.rate == rate && self.retarget_last(v.loc, loc) {
            return;
        }
        self.emit_named("=", &[v], &[(loc, rate)], pos);
    }

    /// If the last step wrote `from` (a fresh temporary), make it write `to`.
    /// A named variable is never retargeted: `aL oscili ...` then
    /// `aR = aL` must leave `aL` holding the signal too.
    fn retarget_last(&mut self, from: Loc, to: Loc) -> bool {
        let named = self
            .scopes
            .iter()
            .any(|scope| scope.values().any(|(loc, _)| *loc == from));
        if let Some(StepTemplate::Op { outs, .. }) = self.steps.last_mut()
            && outs.len() == 1
            && outs[0].0 == from
            && !named
            && matches!(from, Loc::Local(i) if i >= self.pfield_cells && !self.constants.values().any(|c| Loc::Local(*c) == from))
        {
            outs[0].0 = to;
            return true;
        }
        false
    }

    /// `Svar = value`: a string, or a p-field carrying one (`S1 = p4`),
    /// copied at init time as csound does. A variable assigned once from a
    /// constant keeps its text for the opcodes built from it.
    fn assign_string(&mut self, target: &LValue, op: AssignOp, value: &Expr, pos: &Pos) {
        if op != AssignOp::Set {
            self.error(pos, "strings cannot take part in arithmetic".into());
            return;
        }
        let v = match self.string_expr(value, pos) {
            Some(v) => v,
            None => return,
        };
        let Some((loc, rate)) = self.declare(target) else {
            return;
        };
        if rate != Rate::Str {
            self.error(pos, format!("'{}' is not a string variable", target.name));
            return;
        }
        self.note_string_write(&target.name, v.text.clone());
        if v.text.is_none() && self.retarget_last(v.loc, loc) {
            return;
        }
        self.emit_named("=", &[v], &[(loc, rate)], pos);
    }

    /// A value read as a string: a p-field is read as the string it carries
    /// (as csound's `strget`); anything else must be a string already.
    fn string_expr(&mut self, value: &Expr, pos: &Pos) -> Option<Value> {
        let v = self.expr(value, Some(Rate::Str))?;
        if v.rate == Rate::Str {
            return Some(v);
        }
        if v.rate == Rate::Init && v.array.is_none() {
            return self.call_values("strget", Some(Rate::Str), vec![v], pos);
        }
        self.error(
            pos,
            format!(
                "a {}-rate number cannot be read as a string",
                v.rate.letter()
            ),
        );
        None
    }

    /// Record a write of `text` (None: not known when compiling) to the
    /// string variable `name`: its text stays known only while it has been
    /// written once, with a constant.
    fn note_string_write(&mut self, name: &str, text: Option<Arc<str>>) {
        let first = !self.varying_strings.contains(name)
            && !self.strings.last().is_some_and(|m| m.contains_key(name))
            && !self.globals.texts.contains_key(name);
        let scope = self.strings.last_mut().expect("scope");
        match text {
            Some(t) if first => {
                if name.starts_with('g') {
                    if self.is_instr0 {
                        self.globals.texts.insert(name.to_string(), t);
                    }
                } else {
                    scope.insert(name.to_string(), t);
                }
            }
            _ => {
                scope.remove(name);
                self.globals.texts.remove(name);
                self.varying_strings.insert(name.to_string());
            }
        }
    }

    /// The compile-time text of string variable `name`, if known.
    fn known_text(&self, name: &str) -> Option<Arc<str>> {
        self.strings
            .last()
            .and_then(|m| m.get(name))
            .or_else(|| self.globals.texts.get(name))
            .cloned()
    }

    fn compile_opcode_stmt(
        &mut self,
        outputs: &[LValue],
        name: &str,
        hint: Option<&str>,
        args: &[Expr],
        pos: &Pos,
    ) {
        if name == "xin" || name == "xout" {
            self.compile_xin_xout(name, outputs, args, pos);
            return;
        }
        if name == "tigoto" {
            // `tigoto label`: at init, jump when the note is a tie.
            let Some(Expr::Var(label, _)) = args.first() else {
                self.error(pos, "tigoto needs a label".into());
                return;
            };
            if let Some(tied) = self.call_values("tival", None, Vec::new(), pos) {
                self.jump_to_label(label, Some(tied.loc), false, true, false, pos);
            }
            return;
        }
        if matches!(name, "timout" | "reinit" | "rigoto" | "rireturn") {
            self.compile_reinit_stmt(name, outputs, args, pos);
            return;
        }
        if let Some(udo) = self.udos.get(name).copied() {
            let outs: Vec<(Loc, Rate)> = outputs.iter().filter_map(|o| self.declare(o)).collect();
            let args: Vec<Value> = args.iter().filter_map(|a| self.expr(a, None)).collect();
            self.inline_udo(udo, args, outs, pos);
            return;
        }
        self.plan_fsig_size(name, args);
        // Declare the outputs first, so that one unknown opcode gives one
        // error and not one more for every later use of its outputs. A new
        // array output waits for the inputs, which give its capacity.
        let mut outs: Vec<Option<(Loc, Rate)>> = Vec::with_capacity(outputs.len());
        let mut out_arrays = Vec::with_capacity(outputs.len());
        let mut declared_all = true;
        for o in outputs {
            let array = self.is_array_output(o, name);
            out_arrays.push(array);
            if array && self.array_cap(&o.name).is_none() {
                outs.push(None);
                continue;
            }
            let found = self.declare(o);
            declared_all &= found.is_some();
            outs.push(found);
        }
        if !opcodes::exists(name) {
            self.error(pos, unknown_opcode(name));
            return;
        }
        if !declared_all {
            return;
        }
        let hint_rate = hint
            .and_then(|h| h.chars().next())
            .and_then(Rate::from_letter);
        let in_hints = single_variant_input_hints(name);
        let mut values = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let h = in_hints.as_ref().and_then(|h| h.get(i).copied().flatten());
            match self.expr(a, h) {
                Some(v) => values.push(v),
                None => return,
            }
        }
        let mut resolved = Vec::with_capacity(outs.len());
        for (o, out) in outputs.iter().zip(outs) {
            let out = match out {
                Some(out) => Some(out),
                None => self.declare_array(o, arrays::result_capacity(name, &values)),
            };
            match out {
                Some(out) => resolved.push(out),
                None => return,
            }
        }
        let outs = resolved;
        let out_rates: Vec<Ty> = match hint_rate {
            Some(r) if outs.is_empty() => vec![(r, false)],
            _ => outs
                .iter()
                .zip(&out_arrays)
                .map(|(o, a)| (o.1, *a))
                .collect(),
        };
        let Some(spec) = self.select(
            name,
            &out_rates,
            &values,
            pos,
            outs.is_empty() && hint_rate.is_some(),
        ) else {
            return;
        };
        let full = self.fill_defaults(spec, values);
        self.steps.push(StepTemplate::Op {
            spec,
            ins: full.iter().map(Value::arg).collect(),
            outs,
            pos: pos.clone(),
        });
    }

    /// Emit an opcode by name with values already compiled.
    fn emit_named(&mut self, name: &str, ins: &[Value], outs: &[(Loc, Rate)], pos: &Pos) {
        self.emit_typed(name, ins, outs, false, pos);
    }

    /// `emit_named` whose outputs are arrays when `arrays` is true.
    fn emit_typed(
        &mut self,
        name: &str,
        ins: &[Value],
        outs: &[(Loc, Rate)],
        arrays: bool,
        pos: &Pos,
    ) {
        let out_rates: Vec<Ty> = outs.iter().map(|o| (o.1, arrays)).collect();
        if let Some(spec) = self.select(name, &out_rates, ins, pos, false) {
            let full = self.fill_defaults(spec, ins.to_vec());
            self.steps.push(StepTemplate::Op {
                spec,
                ins: full.iter().map(Value::arg).collect(),
                outs: outs.to_vec(),
                pos: pos.clone(),
            });
        }
    }

    /// Pick the variant of `name` whose types fit the outputs and inputs.
    fn select(
        &mut self,
        name: &str,
        outs: &[Ty],
        ins: &[Value],
        pos: &Pos,
        ignore_outs: bool,
    ) -> Option<&'static OpcodeSpec> {
        let in_rates: Vec<Ty> = ins.iter().map(Value::ty).collect();
        let found = opcodes::variants(name)
            .find(|s| (ignore_outs || outs_fit(s.outs, outs)) && ins_fit(s.ins, &in_rates));
        if found.is_none() {
            let given_in: String = in_rates.iter().map(|t| show_ty(*t)).collect();
            let given_out: String = outs.iter().map(|t| show_ty(*t)).collect();
            let known: Vec<String> = opcodes::variants(name).map(OpcodeSpec::signature).collect();
            self.error(
                pos,
                format!(
                    "no form of '{name}' takes ({}) and gives ({}); it has: {}",
                    given_in,
                    given_out,
                    known.join(", ")
                ),
            );
        }
        found
    }

    /// Append constants for optional inputs that were left out.
    fn fill_defaults(&mut self, spec: &OpcodeSpec, mut values: Vec<Value>) -> Vec<Value> {
        let codes = type_codes(spec.ins);
        for (code, array) in codes.iter().skip(values.len()) {
            if *array {
                break;
            }
            let d = match code {
                'o' | 'O' => 0.0,
                'p' | 'P' => 1.0,
                'j' | 'J' => -1.0,
                'q' => 10.0,
                'v' | 'V' => 0.5,
                'h' => 127.0,
                _ => break,
            };
            values.push(self.constant(d));
        }
        values
    }

    fn compile_if(
        &mut self,
        branches: &[(Expr, Vec<Stmt>)],
        otherwise: Option<&[Stmt]>,
        init_only: bool,
        _pos: &Pos,
    ) {
        let mut end_jumps = Vec::new();
        for (cond, body) in branches {
            let Some(c) = self.expr(cond, None) else {
                return;
            };
            if c.rate == Rate::Audio {
                self.error(cond.pos(), "a condition cannot be audio-rate".into());
                return;
            }
            let (init, perf) = if init_only {
                (true, false)
            } else {
                (c.rate != Rate::Control, true)
            };
            let skip = self.steps.len();
            self.steps.push(StepTemplate::Jump {
                target: 0,
                cond: Some(c.loc),
                when_zero: true,
                init,
                perf,
            });
            self.compile_block(body);
            end_jumps.push(self.steps.len());
            self.steps.push(StepTemplate::Jump {
                target: 0,
                cond: None,
                when_zero: false,
                init,
                perf,
            });
            let here = self.steps.len();
            if let StepTemplate::Jump { target, .. } = &mut self.steps[skip] {
                *target = here;
            }
        }
        if let Some(body) = otherwise {
            self.compile_block(body);
        }
        let end = self.steps.len();
        for j in end_jumps {
            if let StepTemplate::Jump { target, .. } = &mut self.steps[j] {
                *target = end;
            }
        }
    }

    fn compile_while(&mut self, cond: &Expr, body: &[Stmt], until: bool, _pos: &Pos) {
        let top = self.steps.len();
        let Some(c) = self.expr(cond, None) else {
            return;
        };
        if c.rate == Rate::Audio {
            self.error(cond.pos(), "a loop condition cannot be audio-rate".into());
            return;
        }
        let (init, perf) = (c.rate != Rate::Control, c.rate == Rate::Control);
        let exit = self.steps.len();
        self.steps.push(StepTemplate::Jump {
            target: 0,
            cond: Some(c.loc),
            when_zero: !until,
            init,
            perf,
        });
        self.compile_block(body);
        self.steps.push(StepTemplate::Jump {
            target: top,
            cond: None,
            when_zero: false,
            init,
            perf,
        });
        let end = self.steps.len();
        if let StepTemplate::Jump { target, .. } = &mut self.steps[exit] {
            *target = end;
        }
    }

    /// `timout istrt, idur, label`, `reinit label`, `rigoto label` and
    /// `rireturn`: jumps the program runs itself (see
    /// [`crate::engine::program::Reinit`]). `timout` is a counter opcode
    /// giving the condition of a performance-time jump.
    fn compile_reinit_stmt(&mut self, name: &str, outputs: &[LValue], args: &[Expr], pos: &Pos) {
        if !outputs.is_empty() {
            self.error(pos, format!("'{name}' has no outputs"));
            return;
        }
        let wanted = match name {
            "timout" => 3,
            "rireturn" => 0,
            _ => 1,
        };
        if args.len() != wanted {
            let what = match name {
                "timout" => "a start time, a duration and a label",
                "rireturn" => "no arguments",
                _ => "a label",
            };
            self.error(pos, format!("'{name}' takes {what}"));
            return;
        }
        let label = match args.last() {
            Some(Expr::Var(label, _)) => Some(label.as_str()),
            _ if name == "rireturn" => None,
            _ => {
                self.error(pos, format!("'{name}' needs a label as its last argument"));
                return;
            }
        };
        match (name, label) {
            ("timout", Some(label)) => {
                let values: Vec<Value> = args[..2]
                    .iter()
                    .filter_map(|a| self.expr(a, Some(Rate::Init)))
                    .collect();
                if values.len() != 2 {
                    return;
                }
                if let Some(active) = self.call_values("timout", None, values, pos) {
                    self.jump_to_label(label, Some(active.loc), false, false, true, pos);
                }
            }
            (_, label) => {
                let kind = match name {
                    "reinit" => Reinit::Start,
                    "rigoto" => Reinit::Goto,
                    _ => Reinit::Return,
                };
                let step = self.steps.len();
                self.steps.push(StepTemplate::Reinit { kind, target: 0 });
                if let Some(label) = label {
                    self.fixups
                        .push((step, label.to_string(), self.labels.len() - 1, pos.clone()));
                }
            }
        }
    }

    fn jump_to_label(
        &mut self,
        label: &str,
        cond: Option<Loc>,
        when_zero: bool,
        init: bool,
        perf: bool,
        pos: &Pos,
    ) {
        let step = self.steps.len();
        self.steps.push(StepTemplate::Jump {
            target: 0,
            cond,
            when_zero,
            init,
            perf,
        });
        self.fixups
            .push((step, label.to_string(), self.labels.len() - 1, pos.clone()));
    }

    // ---------------------------------------------------------------- UDOs

    fn inline_udo(
        &mut self,
        udo: &ast::UdoDef,
        args: Vec<Value>,
        outs: Vec<(Loc, Rate)>,
        pos: &Pos,
    ) {
        if self.udo_frames.len() >= MAX_UDO_DEPTH {
            self.error(pos, format!("'{}' calls itself too deeply (user-defined opcodes are inlined; recursion is not supported)", udo.name));
            return;
        }
        self.scope_serial += 1;
        self.scopes.push(HashMap::new());
        self.arrays.push(HashMap::new());
        self.strings.push(HashMap::new());
        self.labels.push(HashMap::new());
        self.udo_frames.push(UdoFrame {
            args,
            outs,
            in_types: udo.in_types.clone(),
            out_types: udo.out_types.clone(),
        });
        let fixups_before = self.fixups.len();
        self.compile_block(&udo.body);
        // Resolve this body's labels now, while its label scope exists.
        let level = self.labels.len() - 1;
        let pending: Vec<_> = self.fixups.drain(fixups_before..).collect();
        for (step, label, lvl, p) in pending {
            if lvl != level {
                self.fixups.push((step, label, lvl, p));
                continue;
            }
            match self.labels[level].get(&label) {
                Some(&t) => {
                    if let Some(target) = self.steps[step].target_mut() {
                        *target = t;
                    }
                }
                None => self.error(&p, format!("label '{label}' is not defined")),
            }
        }
        self.udo_frames.pop();
        self.labels.pop();
        self.strings.pop();
        self.arrays.pop();
        self.scopes.pop();
    }

    fn compile_xin_xout(&mut self, name: &str, outputs: &[LValue], args: &[Expr], pos: &Pos) {
        let Some(frame) = self.udo_frames.last() else {
            self.error(
                pos,
                format!("'{name}' is only allowed inside a user-defined opcode"),
            );
            return;
        };
        if name == "xin" {
            let given = frame.args.clone();
            let types: Vec<char> = frame.in_types.chars().filter(|c| *c != '0').collect();
            if let Some(why) = xin_mismatch(&frame.in_types, outputs) {
                self.error(pos, why);
                return;
            }
            for (i, lv) in outputs.iter().enumerate() {
                let value = match given.get(i) {
                    Some(v) => v.clone(),
                    None => match types.get(i) {
                        Some('o') | Some('O') => self.constant(0.0),
                        Some('p') | Some('P') => self.constant(1.0),
                        Some('j') | Some('J') => self.constant(-1.0),
                        _ => {
                            self.error(
                                pos,
                                format!("xin: argument {} was not given to the opcode", i + 1),
                            );
                            return;
                        }
                    },
                };
                if lv.array_dims > 0 || value.array.is_some() {
                    // An array argument: the UDO works on its own copy, as
                    // in csound (writing it does not change the caller's).
                    let Some(cap) = value.array else {
                        self.error(
                            pos,
                            format!(
                                "xin: argument {} is not an array but '{}[]' is",
                                i + 1,
                                lv.name
                            ),
                        );
                        return;
                    };
                    let Some(copy) = self.declare_array(lv, cap) else {
                        return;
                    };
                    self.emit_typed("=", &[value], &[copy], true, pos);
                    continue;
                }
                if lv.name.starts_with('S') {
                    if value.rate != Rate::Str {
                        self.error(
                            pos,
                            format!(
                                "xin: argument {} is not a string but '{}' is",
                                i + 1,
                                lv.name
                            ),
                        );
                        return;
                    }
                    let Some(local) = self.declare(lv) else {
                        return;
                    };
                    self.note_string_write(&lv.name, value.text.clone());
                    self.emit_named("=", &[value], &[local], pos);
                    continue;
                }
                // Bind the UDO's input name to the caller's value directly.
                let rate = Rate::of_name(&lv.name).unwrap_or(value.rate);
                if value.rate > rate {
                    self.error(
                        pos,
                        format!(
                            "xin: argument {} is {}-rate but '{}' is {}-rate",
                            i + 1,
                            value.rate.letter(),
                            lv.name,
                            rate.letter()
                        ),
                    );
                    return;
                }
                let Some((loc, r)) = self.declare(lv) else {
                    return;
                };
                self.emit_named("=", &[value], &[(loc, r)], pos);
            }
        } else {
            let outs = frame.outs.clone();
            if args.len() < outs.len() {
                // csound refuses an `xout` that leaves outputs unset.
                let declared = frame.out_types.clone();
                self.error(
                    pos,
                    format!(
                        "invalid xout statement: the opcode declares {} output(s) ('{declared}'), \
                         xout gives {}",
                        outs.len(),
                        args.len()
                    ),
                );
                return;
            }
            for (i, a) in args.iter().enumerate() {
                let Some(target) = outs.get(i).copied() else {
                    self.error(
                        pos,
                        format!("xout: more values than the opcode's {} outputs", outs.len()),
                    );
                    return;
                };
                let Some(v) = self.expr(a, Some(target.1)) else {
                    return;
                };
                self.emit_named("=", &[v], &[target], pos);
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    /// Compile an expression; `want` is the rate the context expects, used
    /// to pick a form of a function call (`oscili(...)` as `a` or `k`).
    fn expr(&mut self, e: &Expr, want: Option<Rate>) -> Option<Value> {
        match e {
            Expr::Number(v, _) => Some(self.constant(*v)),
            Expr::Str(s, _) => Some(self.text(s.as_str().into())),
            Expr::PField(n, pos) => {
                let n = *n as usize;
                if n >= self.pfield_cells {
                    self.error(
                        pos,
                        format!("p{n} is beyond the p-fields this instrument can use"),
                    );
                    return None;
                }
                Some(Value {
                    loc: Loc::Local(n),
                    rate: Rate::Init,
                    constant: None,
                    text: None,
                    label: Some(format!("p{n}").into()),
                    array: None,
                })
            }
            Expr::Var(name, pos) => {
                let known = self.known_text(name);
                match self.lookup(name) {
                    Some((loc, rate)) => Some(Value {
                        loc,
                        rate,
                        constant: None,
                        text: known,
                        label: Some(name.as_str().into()),
                        array: self.array_cap(name),
                    }),
                    None => {
                        self.error(
                            pos,
                            format!("variable '{name}' is used before it is given a value"),
                        );
                        None
                    }
                }
            }
            Expr::Index { name, index, pos } => self.index_expr(name, index, pos),
            // `[1, 2, 3]` is `fillarray(1, 2, 3)`.
            Expr::ArrayLit(items, pos) => self.call("fillarray", want, items, pos, false),
            Expr::Unary { op, arg, pos } => {
                let v = self.expr(arg, want)?;
                match op {
                    UnOp::Plus => Some(v),
                    UnOp::Neg => {
                        let zero = self.constant(0.0);
                        self.binary(BinOp::Sub, zero, v, pos)
                    }
                    UnOp::Not => {
                        let zero = self.constant(0.0);
                        self.binary(BinOp::Eq, v, zero, pos)
                    }
                    UnOp::BitNot => self.call_values("##bitnot", None, vec![v], pos),
                }
            }
            Expr::Binary {
                op,
                left,
                right,
                pos,
            } => {
                let l = self.expr(left, want)?;
                let r = self.expr(right, want)?;
                self.binary(*op, l, r, pos)
            }
            Expr::Ternary {
                cond,
                then,
                otherwise,
                pos,
            } => {
                let c = self.expr(cond, None)?;
                let a = self.expr(then, want)?;
                let b = self.expr(otherwise, want)?;
                if let Some(k) = c.constant {
                    return Some(if k != 0.0 { a } else { b });
                }
                self.call_values("##select", None, vec![c, a, b], pos)
            }
            Expr::Call {
                name,
                rate_hint,
                args,
                pos,
            } => {
                let hint = rate_hint
                    .as_deref()
                    .and_then(|h| h.chars().next())
                    .and_then(Rate::from_letter)
                    .or(want);
                self.call(name, hint, args, pos, rate_hint.is_some())
            }
        }
    }

    fn binary(&mut self, op: BinOp, l: Value, r: Value, pos: &Pos) -> Option<Value> {
        if l.array.is_some() || r.array.is_some() {
            return self.array_binary(op, l, r, pos);
        }
        if let (Some(a), Some(b)) = (l.constant, r.constant) {
            return Some(self.constant(opcodes::arith::apply(op, a, b)));
        }
        if l.rate == Rate::Str || r.rate == Rate::Str {
            self.error(pos, "strings cannot take part in arithmetic".into());
            return None;
        }
        let rate = l.rate.max(r.rate);
        let out = self.temp(rate);
        let name = opcodes::arith::op_name(op);
        self.emit_named(name, &[l, r], &[(out.loc, rate)], pos);
        Some(out)
    }

    fn call(
        &mut self,
        name: &str,
        hint: Option<Rate>,
        args: &[Expr],
        pos: &Pos,
        explicit: bool,
    ) -> Option<Value> {
        match name {
            // Rate converters.
            "i" | "k" | "a" if args.len() == 1 => {
                let v = self.expr(&args[0], None)?;
                let to = Rate::from_letter(name.chars().next()?)?;
                return match (to, v.rate) {
                    (Rate::Init, Rate::Control) => {
                        self.call_values("##i", Some(Rate::Init), vec![v], pos)
                    }
                    (Rate::Init, Rate::Audio) => {
                        self.error(pos, "i() of an audio signal is not allowed".into());
                        None
                    }
                    (Rate::Control, r) if r <= Rate::Control => Some(Value {
                        rate: Rate::Control,
                        ..v
                    }),
                    (Rate::Audio, r) if r < Rate::Audio => {
                        self.call_values("##upsamp", Some(Rate::Audio), vec![v], pos)
                    }
                    _ => Some(v),
                };
            }
            "p" if args.len() == 1 => {
                if let Some(n) = const_value(&args[0]) {
                    return self.expr(&Expr::PField(n as u32, pos.clone()), None);
                }
            }
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.expr(a, None)?);
        }
        if let Some(udo) = self.udos.get(name).copied() {
            let rate = udo
                .out_types
                .chars()
                .next()
                .and_then(Rate::from_letter)
                .unwrap_or(Rate::Init);
            let out = self.temp(rate);
            self.inline_udo(udo, values, vec![(out.loc, rate)], pos);
            return Some(out);
        }
        if !opcodes::exists(name) {
            self.error(pos, unknown_opcode(name));
            return None;
        }
        let _ = explicit;
        self.call_values(name, hint, values, pos)
    }

    /// A function call with one output, choosing its rate: the hint when a
    /// form gives it, else the fastest rate among the inputs, else the first form.
    fn call_values(
        &mut self,
        name: &str,
        hint: Option<Rate>,
        values: Vec<Value>,
        pos: &Pos,
    ) -> Option<Value> {
        let in_rates: Vec<Ty> = values.iter().map(Value::ty).collect();
        let fitting: Vec<&'static OpcodeSpec> = opcodes::variants(name)
            .filter(|s| type_codes(s.outs).len() == 1 && ins_fit(s.ins, &in_rates))
            .collect();
        let natural = in_rates
            .iter()
            .map(|t| t.0)
            .filter(|r| *r != Rate::Str)
            .max()
            .unwrap_or(Rate::Init);
        let by_rate = |r: Rate| {
            fitting
                .iter()
                .find(|s| out_letter_rate(s.outs) == Some(r))
                .copied()
        };
        let spec = hint
            .and_then(by_rate)
            .or_else(|| by_rate(natural))
            .or_else(|| {
                // A converter like cpspch(i) wanted at k: the i form will do.
                hint.and_then(|h| {
                    fitting
                        .iter()
                        .filter(|s| out_letter_rate(s.outs).is_some_and(|r| r <= h))
                        .max_by_key(|s| out_letter_rate(s.outs))
                        .copied()
                })
            })
            .or_else(|| fitting.first().copied());
        let Some(spec) = spec else {
            let given: String = in_rates.iter().map(|t| show_ty(*t)).collect();
            let known: Vec<String> = opcodes::variants(name).map(OpcodeSpec::signature).collect();
            self.error(
                pos,
                format!(
                    "no form of '{name}' takes ({given}); it has: {}",
                    known.join(", ")
                ),
            );
            return None;
        };
        let rate = out_letter_rate(spec.outs).unwrap_or(Rate::Init);
        if rate == Rate::Frame {
            self.plan_fsig_size_values(name, &values);
        }
        let out = if type_codes(spec.outs).first().is_some_and(|c| c.1) {
            let cap = arrays::result_capacity(name, &values);
            self.temp_array(rate, cap)
        } else {
            self.temp(rate)
        };
        let full = self.fill_defaults(spec, values);
        self.steps.push(StepTemplate::Op {
            spec,
            ins: full.iter().map(Value::arg).collect(),
            outs: vec![(out.loc, rate)],
            pos: pos.clone(),
        });
        Some(out)
    }
}

/// Why an `xin` does not fit the opcode's declared input types, as csound
/// refuses it: one variable per declared input, and each of a rate the input
/// can be read into (an i-time input into an `i` variable, a k-rate one
/// into `k` or `i`, audio into `a`, a string into `S`). None when it fits.
fn xin_mismatch(in_types: &str, outputs: &[LValue]) -> Option<String> {
    // Declared inputs: one letter each, `[]` after a letter marks an array.
    let declared: Vec<char> = in_types
        .chars()
        .filter(|c| !matches!(c, '0' | '[' | ']'))
        .collect();
    let found: String = outputs
        .iter()
        .map(|lv| Rate::of_name(&lv.name).map_or('?', Rate::letter))
        .collect();
    let shown = || {
        format!(
            "invalid xin statement: the opcode declares '{}', xin reads '{found}'",
            in_types.trim_start_matches('0')
        )
    };
    if declared.len() != outputs.len() {
        return Some(shown());
    }
    let fits = declared.iter().zip(outputs).all(|(d, lv)| {
        if lv.type_hint.is_some() {
            return true;
        }
        let f = Rate::of_name(&lv.name);
        match d {
            'i' | 'o' | 'p' | 'j' => f == Some(Rate::Init),
            'k' | 'O' | 'P' | 'J' | 'V' | 'K' => matches!(f, Some(Rate::Init | Rate::Control)),
            'a' => f == Some(Rate::Audio),
            'S' => f == Some(Rate::Str),
            _ => true,
        }
    });
    (!fits).then(shown)
}

fn unknown_opcode(name: &str) -> String {
    format!("unknown opcode '{name}' (not yet supported by rhapsody)")
}

/// The highest p-field number an instrument body refers to.
fn max_pfield(body: &[Stmt]) -> u32 {
    fn expr(e: &Expr) -> u32 {
        match e {
            Expr::PField(n, _) => *n,
            Expr::Number(..) | Expr::Str(..) | Expr::Var(..) => 0,
            Expr::Index { index, .. } => index.iter().map(expr).max().unwrap_or(0),
            Expr::Unary { arg, .. } => expr(arg),
            Expr::Binary { left, right, .. } => expr(left).max(expr(right)),
            Expr::Ternary {
                cond,
                then,
                otherwise,
                ..
            } => expr(cond).max(expr(then)).max(expr(otherwise)),
            Expr::Call { name, args, .. } => {
                let inner = args.iter().map(expr).max().unwrap_or(0);
                // p(N) with a constant N, and pcount-style access, need room.
                if name == "p" {
                    inner.max(
                        args.first()
                            .and_then(const_value)
                            .map(|v| v as u32)
                            .unwrap_or(64),
                    )
                } else {
                    inner
                }
            }
            Expr::ArrayLit(items, _) => items.iter().map(expr).max().unwrap_or(0),
        }
    }
    fn stmt(s: &Stmt) -> u32 {
        match s {
            Stmt::Opcode { args, .. } => args.iter().map(expr).max().unwrap_or(0),
            Stmt::Assign { value, .. } => expr(value),
            Stmt::If {
                branches,
                otherwise,
                ..
            } => branches
                .iter()
                .map(|(c, b)| expr(c).max(max_pfield(b)))
                .max()
                .unwrap_or(0)
                .max(otherwise.as_deref().map(max_pfield).unwrap_or(0)),
            Stmt::CondGoto { cond, .. } => expr(cond),
            Stmt::While { cond, body, .. } => expr(cond).max(max_pfield(body)),
            Stmt::Goto { .. } | Stmt::Label { .. } => 0,
        }
    }
    body.iter().map(stmt).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first error compiling `orc` (after a standard header), with its line and column.
    fn first_error(orc: &str) -> Option<(u32, u32, String)> {
        let text = format!("sr = 44100\nksmps = 10\nnchnls = 1\n0dbfs = 1\n{orc}");
        let source = Arc::new(crate::diag::SourceFile {
            name: "test.orc".into(),
            text,
        });
        let ast = crate::orc::parse(&source).expect("parses");
        let errors = compile(&ast, RateOverrides::default()).err()?;
        let d = errors.0.into_iter().next()?;
        let pos = d.pos.expect("a position");
        Some((pos.line, pos.col, d.message))
    }

    fn udo(in_types: &str, xin: &str, out_types: &str, xout: &str, call: &str) -> String {
        format!(
            "opcode Foo, {out_types}, {in_types}\n{xin}\nxout {xout}\nendop\ninstr 1\n{call}\nendin\n"
        )
    }

    #[test]
    fn xin_and_xout_must_fit_the_declared_types() {
        // Refused by csound 6.18: too few, too many, i read into k, k into a.
        for (ins, xin) in [
            ("kk", "k1 xin"),
            ("k", "k1, k2 xin"),
            ("i", "k1 xin"),
            ("k", "a1 xin"),
        ] {
            let args = vec!["1"; ins.len()].join(", ");
            let orc = udo(ins, xin, "k", "1", &format!("k1 Foo {args}"));
            let (line, col, why) = first_error(&orc).unwrap_or_else(|| panic!("{orc}"));
            assert_eq!((line, col), (6, 1), "{why}");
            assert!(why.contains("invalid xin"), "{why}");
        }
        let orc = udo("k", "k1 xin", "aa", "a(k1)", "a1, a2 Foo 1");
        let (_, _, why) = first_error(&orc).expect("xout with too few values");
        assert!(why.contains("invalid xout"), "{why}");
        // Accepted by csound: a k-rate input read into an i variable.
        assert_eq!(
            first_error(&udo("k", "i1 xin", "k", "i1", "k1 Foo 1")),
            None
        );
    }

    #[test]
    fn reinit_statements_need_their_labels_and_arguments() {
        let cases = [
            (
                "instr 1\nreinit nowhere\nendin\n",
                "label 'nowhere' is not defined",
            ),
            (
                "instr 1\ntimout 0, 1\nendin\n",
                "'timout' takes a start time",
            ),
            ("instr 1\nrigoto 1\nendin\n", "'rigoto' needs a label"),
            (
                "instr 1\nrireturn 3\nendin\n",
                "'rireturn' takes no arguments",
            ),
            (
                "instr 1\nk1 reinit here\nhere:\nendin\n",
                "'reinit' has no outputs",
            ),
        ];
        for (orc, wanted) in cases {
            let (line, col, why) = first_error(orc).unwrap_or_else(|| panic!("{orc}"));
            assert_eq!((line, col), (6, 1), "{orc}: {why}");
            assert!(why.contains(wanted), "{orc}: {why}");
        }
        let fine = "instr 1\nagain:\ntimout 0, 1, skip\nreinit again\nskip:\nrireturn\nendin\n";
        assert_eq!(first_error(fine), None);
    }
}
