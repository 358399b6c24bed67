//! Compiled orchestras: instrument templates (what the compiler produces) and
//! live instances built from them (what the engine performs).

use std::collections::HashMap;
use std::sync::Arc;

use super::channels::Channels;
use super::context::{Ctx, Failed, NoteState, Rates, Stage};
use super::opcode::{Arg, Args, BuildScope, Opcode, OpcodeSpec, Pass, Rate};
use super::signal::{Input, Memory, Output};
use crate::diag::Pos;

/// Where a value lives: in the instance's memory or in the globals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Loc {
    Local(usize),
    Global(usize),
}

/// One argument of a compiled opcode call.
#[derive(Clone, Debug)]
pub struct ArgTemplate {
    pub loc: Loc,
    pub rate: Rate,
    pub constant: Option<f64>,
    pub text: Option<Arc<str>>,
    /// The source text of the argument (variable name), for `print`.
    pub label: Option<Arc<str>>,
}

/// One step of an instrument's code.
#[derive(Clone, Debug)]
pub enum StepTemplate {
    Op {
        spec: &'static OpcodeSpec,
        ins: Vec<ArgTemplate>,
        outs: Vec<(Loc, Rate)>,
        pos: Pos,
    },
    /// Continue at `target` when `cond` (if any) is non-zero (or zero, with
    /// `when_zero`), during the passes named.
    Jump {
        target: usize,
        cond: Option<Loc>,
        when_zero: bool,
        init: bool,
        perf: bool,
    },
    /// `reinit`, `rigoto` and `rireturn` (see [`Reinit`]); `target` is the
    /// label's step (unused by `rireturn`).
    Reinit { kind: Reinit, target: usize },
}

/// The statements of Csound's reinitialization: a note may run part of its
/// init pass again while it plays (to restart an envelope, re-read an
/// i-time value), without being rebuilt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reinit {
    /// `reinit label`: at performance time, run the init pass from `label`
    /// up to `rireturn` (or the end of the instrument), then perform on
    /// from the statement after `reinit`.
    Start,
    /// `rigoto label`: a jump taken only during such a pass.
    Goto,
    /// `rireturn`: where such a pass ends; nothing at other times.
    Return,
}

impl StepTemplate {
    /// The step a jump or a reinitialization statement goes to: what the
    /// compiler fills in once the label is known, and what passes that
    /// remove steps renumber.
    pub fn target_mut(&mut self) -> Option<&mut usize> {
        match self {
            StepTemplate::Jump { target, .. } => Some(target),
            StepTemplate::Reinit {
                kind: Reinit::Start | Reinit::Goto,
                target,
            } => Some(target),
            _ => None,
        }
    }
}

impl std::fmt::Debug for OpcodeSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.name, self.outs, self.ins)
    }
}

/// An instrument ready to instantiate.
#[derive(Debug)]
pub struct InstrTemplate {
    /// Instrument number (named instruments get numbers after the numbered ones).
    pub number: i64,
    pub name: Option<String>,
    /// The memory image of a fresh instance: p-fields, constants, zeros.
    pub initial: Vec<f64>,
    /// How many p-field cells the memory starts with (p0..=pN).
    pub pfield_cells: usize,
    pub steps: Vec<StepTemplate>,
    pub ksmps: usize,
    pub pos: Option<Pos>,
    /// Whether `-j` may perform its notes on other threads
    /// ([`super::parallel::parallel_ok`]).
    pub parallel: bool,
}

/// Where an orchestra's global variables live: the cells of each `g`
/// variable, the arrays' capacities and the first memory image. An
/// orchestra compiled into a running session starts from the playing one's
/// layout, so that the variables they share keep their cells (and values).
#[derive(Clone, Debug, Default)]
pub struct GlobalLayout {
    /// Each global variable's first cell and rate.
    pub vars: HashMap<String, (usize, Rate)>,
    /// Global arrays' capacities (their cells are in `vars` too).
    pub arrays: HashMap<String, usize>,
    /// The memory image: the header's cells, then each variable's.
    pub initial: Vec<f64>,
    /// The text of string variables known when compiling (see the
    /// compiler's `Globals::texts`).
    pub texts: HashMap<String, Arc<str>>,
}

/// A whole compiled orchestra.
pub struct Orchestra {
    pub rates: Rates,
    /// Global variables (and the header's constants): shared by the
    /// orchestras compiled into one session, which lay out theirs after
    /// the ones before (see [`GlobalLayout`]).
    pub globals: Arc<Memory>,
    /// Which cells of `globals` this orchestra's variables use.
    pub global_layout: GlobalLayout,
    /// The number cells of the global variables and arrays in `globals`, as
    /// (start, length): what the engine checks for non-finite values after
    /// each instrument.
    pub signal_globals: Vec<(usize, usize)>,
    /// Code outside instruments, run once before the performance.
    pub instr0: Arc<InstrTemplate>,
    /// Instruments, sorted by number.
    pub instruments: Vec<Arc<InstrTemplate>>,
    /// Named instruments' numbers.
    pub names: HashMap<String, i64>,
    /// Control channels shared with the host.
    pub channels: Arc<Channels>,
    /// The directory of the orchestra's file: relative sound-file names
    /// resolve against it, as csound resolves them against the CSD's.
    pub source_dir: Option<std::path::PathBuf>,
}

impl Orchestra {
    pub fn instrument(&self, number: i64) -> Option<&Arc<InstrTemplate>> {
        self.instruments
            .binary_search_by_key(&number, |t| t.number)
            .ok()
            .map(|i| &self.instruments[i])
    }
}

/// One step of a live instance.
enum Step {
    Op {
        op: Box<dyn Opcode>,
        init: bool,
        perf: bool,
    },
    Jump {
        target: usize,
        cond: Option<Input>,
        when_zero: bool,
        init: bool,
        perf: bool,
    },
    Reinit {
        kind: Reinit,
        target: usize,
    },
}

/// Which pass [`run_steps`] runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The note's init pass, from the first step.
    Init,
    /// One block of the performance pass.
    Perf,
    /// The init pass `reinit` asks for, from its label to `rireturn`.
    Reinit,
}
pub struct Instance {
    pub template: Arc<InstrTemplate>,
    mem: Memory,
    steps: Vec<Step>,
    pub note: NoteState,
    /// How its last block went: the engine retires the notes that ended
    /// after performing all of an instrument's notes (perhaps on several
    /// threads).
    pub outcome: Outcome,
    /// No jump runs at performance time: `perform` can walk the steps
    /// straight through.
    straight: bool,
    /// What a block of the note reads first, for [`Instance::prefetch`].
    hot: HotLines,
    /// Keeps the globals alive while handles into them exist.
    _orchestra: Arc<Orchestra>,
}

impl Instance {
    /// Build an instance (allocates: control side, or offline render).
    pub fn build(template: &Arc<InstrTemplate>, orc: &Arc<Orchestra>) -> Result<Instance, String> {
        let mem = Memory::new(&template.initial);
        let ksmps = template.ksmps;
        let resolve_in = |a: &ArgTemplate| -> Arg {
            let audio = a.rate == Rate::Audio;
            let len = if audio { ksmps } else { 1 };
            let input = match a.loc {
                Loc::Local(i) => mem.input(i, audio, len),
                Loc::Global(i) => orc.globals.input(i, audio, len),
            };
            Arg {
                input,
                rate: a.rate,
                constant: a.constant,
                text: a.text.clone(),
                label: a.label.clone(),
            }
        };
        let resolve_out = |(loc, rate): &(Loc, Rate)| -> (Output, Rate) {
            let len = if *rate == Rate::Audio { ksmps } else { 1 };
            let out = match *loc {
                Loc::Local(i) => mem.output(i, len),
                Loc::Global(i) => orc.globals.output(i, len),
            };
            (out, *rate)
        };
        let scope = BuildScope::new(orc.rates.sr, orc.source_dir.clone());
        let mut steps = Vec::with_capacity(template.steps.len());
        for step in &template.steps {
            steps.push(match step {
                StepTemplate::Op {
                    spec,
                    ins,
                    outs,
                    pos,
                } => {
                    let ins: Vec<Arg> = ins.iter().map(resolve_in).collect();
                    let outs: Vec<(Output, Rate)> = outs.iter().map(resolve_out).collect();
                    let args = Args {
                        name: spec.name,
                        ins: &ins,
                        outs: &outs,
                        ksmps,
                        channels: &orc.channels,
                        instr_names: &orc.names,
                        scope: &scope,
                    };
                    let op =
                        (spec.build)(&args).map_err(|e| format!("{pos}: {}: {e}", spec.name))?;
                    Step::Op {
                        op,
                        init: spec.pass != Pass::Perf,
                        perf: spec.pass != Pass::Init,
                    }
                }
                StepTemplate::Jump {
                    target,
                    cond,
                    when_zero,
                    init,
                    perf,
                } => Step::Jump {
                    target: *target,
                    cond: cond.map(|loc| match loc {
                        Loc::Local(i) => mem.input(i, false, 1),
                        Loc::Global(i) => orc.globals.input(i, false, 1),
                    }),
                    when_zero: *when_zero,
                    init: *init,
                    perf: *perf,
                },
                StepTemplate::Reinit { kind, target } => Step::Reinit {
                    kind: *kind,
                    target: *target,
                },
            });
        }
        let straight = !steps.iter().any(|s| {
            matches!(
                s,
                Step::Jump { perf: true, .. }
                    | Step::Reinit {
                        kind: Reinit::Start,
                        ..
                    }
            )
        });
        let mut hot = HotLines::default();
        hot.add(steps.as_ptr().cast(), std::mem::size_of_val(&steps[..]));
        for step in &steps {
            if let Step::Op { op, perf: true, .. } = step {
                hot.add(
                    (&**op as *const dyn Opcode).cast(),
                    std::mem::size_of_val(&**op),
                );
            }
        }
        // The head of the memory: the layout pass put the scalars there.
        hot.add(mem.base_ptr().cast(), mem.len().min(16) * 8);
        Ok(Instance {
            straight,
            hot,
            template: template.clone(),
            mem,
            steps,
            note: NoteState::default(),
            outcome: Outcome::Playing,
            _orchestra: orc.clone(),
        })
    }

    /// Prepare for a new note: fresh memory image, then the p-fields.
    pub fn start(&mut self, pfields: &[f64], note: NoteState) {
        self.mem.reset(&self.template.initial);
        // p-fields live at cells 1..; cell 0 is unused (p0).
        let n = pfields
            .len()
            .min(self.template.pfield_cells.saturating_sub(1));
        self.mem.write(1, &pfields[..n]);
        self.note = note;
    }

    /// Take over a new event while held (a tie): new p-fields and
    /// duration, variables and opcode state kept.
    pub fn retie(&mut self, pfields: &[f64], note: NoteState) {
        let n = pfields
            .len()
            .min(self.template.pfield_cells.saturating_sub(1));
        self.mem.write(1, &pfields[..n]);
        self.note = note;
    }

    /// The init pass. An error stops the note (the message is already queued).
    pub fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.run(ctx, true)
    }

    /// One block of the performance pass.
    pub fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.split().1.perform(ctx)
    }

    /// One block of the note, writing into `spout`, with its bookkeeping:
    /// the blocks counted down, the release started when its time is up
    /// and it asked for extra time, and [`Instance::outcome`] set.
    #[inline]
    pub fn play_block(&mut self, stage: &mut Stage, spout: &mut [f64]) {
        if self.note.blocks_left == Some(0) {
            // Its time ran out while score time jumped (`a`).
            self.outcome = Outcome::Finished;
            return;
        }
        // The note's state is lent to the context in place (it used to be
        // copied out of the instance and back every block).
        let (note, code) = self.split();
        let ok = code.perform(&mut stage.ctx(note, spout)).is_ok();
        let note = &mut self.note;
        note.blocks_done += 1;
        if let Some(left) = note.blocks_left.as_mut() {
            *left = left.saturating_sub(1);
        }
        // Time up (p3 elapsed or `turnoff`) with extra time asked for
        // (`xtratim`, the r-envelopes): the note releases.
        let time_up = note.turnoff || note.blocks_left == Some(0);
        if ok && time_up && note.extra_blocks > 0 && !note.releasing {
            note.start_release();
        }
        self.outcome = if !ok || note.turnoff {
            Outcome::Stopped
        } else if note.blocks_left == Some(0) {
            Outcome::Finished
        } else {
            Outcome::Playing
        };
    }

    /// Start loading into the cache what performing this note will touch
    /// first: its performance-time opcodes and the head of its memory. The
    /// engine asks for the next note while it performs this one; without
    /// it, every note began with a wait on memory (the first opcode's fields
    /// and the p-fields), which the other notes' table reads had pushed out
    /// of the cache. The addresses were gathered when the instance was
    /// built, so this reads only the instance itself (asked for one note
    /// earlier still, by [`Instance::prefetch_self`]), not its step list.
    /// A hint only: it changes no value.
    #[inline]
    pub fn prefetch(&self) {
        for &line in &self.hot.lines[..usize::from(self.hot.len)] {
            prefetch_line(line);
        }
    }

    /// Start loading the instance itself (see [`Instance::prefetch`]).
    #[inline]
    pub fn prefetch_self(&self) {
        let start = (self as *const Instance).cast::<u8>();
        for offset in (0..std::mem::size_of::<Instance>()).step_by(64) {
            prefetch_line(start.wrapping_add(offset) as usize);
        }
    }

    /// The note's state and its code, borrowed apart: the engine lends the
    /// state to the context in place instead of copying it in and out of
    /// the instance every block.
    pub fn split(&mut self) -> (&mut NoteState, Code<'_>) {
        let code = Code {
            steps: &mut self.steps,
            straight: self.straight,
        };
        (&mut self.note, code)
    }

    fn run(&mut self, ctx: &mut Ctx, init_pass: bool) -> Result<(), Failed> {
        let mode = if init_pass { Mode::Init } else { Mode::Perf };
        run_steps(&mut self.steps, ctx, mode, 0)
    }

    /// Whether any cell of the note's memory (its variables and audio
    /// buffers) holds NaN or an infinity: how the engine finds which note
    /// of an instrument made the output non-finite.
    pub fn has_non_finite(&self) -> bool {
        self.mem.any_non_finite(0, self.mem.len())
    }

    /// The orchestra the note was built from (its globals are the ones the
    /// note reads and writes, even after a recompile swapped in others).
    pub fn orchestra(&self) -> &Orchestra {
        &self._orchestra
    }

    /// Write p-field `field` (p1 is 1) of a running note: what a note
    /// handle's `set` does. False if the instrument has no such p-field
    /// (it reads none that high).
    pub fn set_pfield(&mut self, field: usize, value: f64) -> bool {
        if field == 0 || field >= self.template.pfield_cells {
            return false;
        }
        self.mem.write(field, &[value]);
        true
    }

    /// The note's p-fields (p1 first) into `out`; how many.
    pub fn pfields_into(&self, out: &mut [f64]) -> usize {
        let n = self.template.pfield_cells.saturating_sub(1).min(out.len());
        for (i, p) in out[..n].iter_mut().enumerate() {
            *p = self.mem.get(i + 1);
        }
        n
    }

    /// Read a memory cell (tests, debugging).
    pub fn cell(&self, index: usize) -> f64 {
        self.mem.get(index)
    }
}

/// The cache lines (addresses) a block of a note reads first: up to twelve,
/// from its step list, its performance-time opcodes' fields and the head of
/// its memory. Twelve covers csd/voices1000.csd's voice (2 + 2 + 4 + 2).
#[derive(Clone, Copy, Default)]
struct HotLines {
    lines: [usize; 12],
    len: u8,
}

impl HotLines {
    /// Add the lines that `bytes` bytes from `start` lie on, while there is room.
    fn add(&mut self, start: *const u8, bytes: usize) {
        let first = start as usize & !63;
        let last = (start as usize + bytes.max(1) - 1) & !63;
        for line in (first..=last).step_by(64) {
            if usize::from(self.len) == self.lines.len() {
                return;
            }
            self.lines[usize::from(self.len)] = line;
            self.len += 1;
        }
    }
}

/// Ask for the cache line at `address`: a hint that never faults and
/// changes no value.
#[inline(always)]
fn prefetch_line(address: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing the program sees, whatever the address.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(address as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}

/// How a note's last block went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    #[default]
    Playing,
    /// Ended early: `turnoff`, or an error.
    Stopped,
    /// Reached its scheduled end (p3 as the instrument left it at init,
    /// or the end of its release).
    Finished,
}

/// Perform one block of `notes`, in order, into `spout`; how many ended.
pub fn play_notes(notes: &mut [Box<Instance>], stage: &mut Stage, spout: &mut [f64]) -> usize {
    let mut ended = 0;
    for i in 0..notes.len() {
        // Two notes ahead the instance, one note ahead what it points at.
        if let Some(after_next) = notes.get(i + 2) {
            after_next.prefetch_self();
        }
        if let Some(next) = notes.get(i + 1) {
            next.prefetch();
        }
        notes[i].play_block(stage, spout);
        ended += usize::from(notes[i].outcome != Outcome::Playing);
    }
    ended
}

/// An instance's steps, borrowed apart from its note state (see [`Instance::split`]).
pub struct Code<'a> {
    steps: &'a mut [Step],
    straight: bool,
}

impl Code<'_> {
    /// One block of the performance pass.
    #[inline]
    pub fn perform(self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.straight {
            // The common case (no `if`/`goto` at k-rate): no program
            // counter, just the performance-time opcodes in order.
            for step in self.steps.iter_mut() {
                if let Step::Op { op, perf: true, .. } = step {
                    op.perform(ctx)?;
                    // `turnoff` removes the note at once (see `run_steps`).
                    if ctx.note.turnoff {
                        return Ok(());
                    }
                }
            }
            return Ok(());
        }
        run_steps(self.steps, ctx, Mode::Perf, 0)
    }
}

/// Run `steps` with a program counter from step `start`, for the init pass,
/// the performance pass of an instrument with jumps, or a reinitialization.
/// A reinitialization runs the opcodes' `init` as the first init pass did:
/// they were built for it, so it allocates nothing on the audio thread.
fn run_steps(steps: &mut [Step], ctx: &mut Ctx, mode: Mode, start: usize) -> Result<(), Failed> {
    let mut pc = start;
    // A jump back to an earlier step is how `while` loops at init time
    // run; cap them so a runaway loop cannot hang the audio thread.
    let mut budget: u64 = 10_000_000;
    let init_pass = mode != Mode::Perf;
    while pc < steps.len() {
        let next = match &mut steps[pc] {
            Step::Op { op, init, perf } => {
                if init_pass && *init {
                    op.init(ctx)?;
                } else if !init_pass && *perf {
                    op.perform(ctx)?;
                    // `turnoff` removes the note at once: the rest of
                    // its block is not performed (as in Csound), unless
                    // the note has release time to play.
                    if ctx.note.turnoff && ctx.note.extra_blocks == 0 {
                        return Ok(());
                    }
                }
                pc + 1
            }
            Step::Jump {
                target,
                cond,
                when_zero,
                init,
                perf,
            } => {
                let active = if init_pass { *init } else { *perf };
                let taken = active
                    && match cond {
                        None => true,
                        Some(c) => (c.get() == 0.0) == *when_zero,
                    };
                if taken { *target } else { pc + 1 }
            }
            Step::Reinit { kind, target } => match (*kind, mode) {
                (Reinit::Start, Mode::Perf) => {
                    let target = *target;
                    run_steps(steps, ctx, Mode::Reinit, target)?;
                    pc + 1
                }
                (Reinit::Goto, Mode::Reinit) => *target,
                (Reinit::Return, Mode::Reinit) => return Ok(()),
                _ => pc + 1,
            },
        };
        if next <= pc {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return Err(ctx.fail(format_args!(
                    "loop ran more than 10 million times; note stopped"
                )));
            }
        }
        pc = next;
    }
    Ok(())
}
