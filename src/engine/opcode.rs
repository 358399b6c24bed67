//! What the engine asks of an opcode and gives it: the [`Opcode`] trait
//! (`init` when a note starts, `perform` every block), the descriptor
//! ([`OpcodeSpec`]) a family lists each variant with, and the arguments
//! ([`Args`]) a variant is built from. The families themselves live in
//! the opcode library, a layer above the engine; the engine knows only this.

use std::any::Any;
use std::cell::RefCell;
use std::sync::Arc;

use super::channels::Channels;
use super::context::{Ctx, Failed};
use super::signal::{Input, Output};

/// The rate of a variable or argument, as Csound's prefix letters say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rate {
    /// A string (`S`), known at init time.
    Str,
    /// Init time (`i`): computed once when the note starts.
    Init,
    /// Control rate (`k`): once per block.
    Control,
    /// Audio rate (`a`): one value per sample.
    Audio,
    /// A spectral frame stream (`f`): a new frame every analysis hop
    /// (the spectral family's frame module says how one is laid out).
    Frame,
}

impl Rate {
    /// The rate a variable name implies (`gk` -> Control, `aSig` -> Audio).
    pub fn of_name(name: &str) -> Option<Rate> {
        let name = name.strip_prefix('g').unwrap_or(name);
        match name.chars().next()? {
            'i' => Some(Rate::Init),
            'k' => Some(Rate::Control),
            'a' => Some(Rate::Audio),
            'f' => Some(Rate::Frame),
            'S' => Some(Rate::Str),
            _ => None,
        }
    }

    pub fn letter(self) -> char {
        match self {
            Rate::Str => 'S',
            Rate::Init => 'i',
            Rate::Control => 'k',
            Rate::Audio => 'a',
            Rate::Frame => 'f',
        }
    }

    pub fn from_letter(c: char) -> Option<Rate> {
        match c {
            'i' => Some(Rate::Init),
            'k' => Some(Rate::Control),
            'a' => Some(Rate::Audio),
            'f' => Some(Rate::Frame),
            'S' => Some(Rate::Str),
            _ => None,
        }
    }
}

/// Which passes an opcode takes part in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// Only when the note starts (i-rate outputs, `print`, `ftgen`).
    Init,
    /// Only every block (Csound's `=` at k-rate, `printk` after set-up).
    Perf,
    /// Set up at init, run every block.
    Both,
}

/// A unit generator. `init` runs once when the note starts, `perform` once
/// per block. Neither may allocate, lock or block: everything an opcode
/// needs was built with it, off the audio thread.
pub trait Opcode: Send {
    fn init(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        Ok(())
    }
}

/// One argument as the builder sees it: where to read it, its rate, and its
/// value when it is a compile-time constant or a string.
#[derive(Clone, Debug)]
pub struct Arg {
    pub input: Input,
    pub rate: Rate,
    pub constant: Option<f64>,
    pub text: Option<Arc<str>>,
    /// The argument as written (a variable name), for `print`-style messages.
    pub label: Option<Arc<str>>,
}

/// The arguments an opcode is built with.
pub struct Args<'a> {
    /// The opcode's name, from its descriptor (for messages, and for the
    /// builders several variants share).
    pub name: &'static str,
    pub ins: &'a [Arg],
    pub outs: &'a [(Output, Rate)],
    pub ksmps: usize,
    /// The session's control channels (`chnset`/`chnget` resolve names
    /// here) and the state opcode families share across instruments.
    pub channels: &'a Arc<Channels>,
    /// Named instruments' numbers (`event "i", "name", ...` resolves here).
    pub instr_names: &'a std::collections::HashMap<String, i64>,
    /// What the opcodes of one instance share while it is built.
    pub scope: &'a BuildScope,
}

/// What the build functions of one instance share: the sample rate (delay
/// buffers are sized from it), the directory of the instrument's source file
/// (sound files resolve against it, as csound does for a CSD's directory),
/// and the latest link an opcode opened for the ones after it to join (the
/// delay line of `delayr`, which `deltap*` and `delayw` write and read):
/// its type is the family's business.
#[derive(Default)]
pub struct BuildScope {
    pub sr: f64,
    pub source_dir: Option<std::path::PathBuf>,
    pub link: RefCell<Option<Box<dyn Any>>>,
}

impl BuildScope {
    /// A scope for building one instance at sample rate `sr` of an
    /// orchestra read from `source_dir`.
    pub fn new(sr: f64, source_dir: Option<std::path::PathBuf>) -> BuildScope {
        BuildScope {
            sr,
            source_dir,
            link: Default::default(),
        }
    }
}

impl Args<'_> {
    /// Input `i`, or a zero input when absent (optional arguments are filled
    /// by the compiler, so this only matters for variable-length lists).
    pub fn input(&self, i: usize) -> Input {
        self.ins.get(i).map(|a| a.input).unwrap_or_else(Input::zero)
    }

    /// The constant value of input `i`, if known when compiling.
    pub fn constant(&self, i: usize) -> Option<f64> {
        self.ins.get(i).and_then(|a| a.constant)
    }

    /// The string of input `i` (an `S` argument).
    pub fn text(&self, i: usize) -> Option<Arc<str>> {
        self.ins.get(i).and_then(|a| a.text.clone())
    }

    /// Output `i`.
    pub fn out(&self, i: usize) -> Output {
        self.outs[i].0
    }

    pub fn out_rate(&self, i: usize) -> Rate {
        self.outs.get(i).map(|o| o.1).unwrap_or(Rate::Init)
    }

    /// Inputs from `from` on (variable-length lists such as `outs`, `print`).
    pub fn inputs_from(&self, from: usize) -> Vec<Input> {
        self.ins.iter().skip(from).map(|a| a.input).collect()
    }
}

/// Builds the opcode from its resolved arguments (off the audio thread).
pub type BuildFn = fn(&Args) -> Result<Box<dyn Opcode>, String>;

/// Describes one opcode variant: name, types, passes, constructor, one line
/// of documentation. Several variants may share a name (`oscili` at `a` and
/// at `k`); the compiler picks by output and input rates.
///
/// Type strings use Csound's letters. Outputs: `a k i S`, `m` (one or more
/// audio outputs), `z` (one or more control outputs), `*` (any number of
/// any rate), `f` an f-signal. Inputs: `a` audio, `k` control or init, `i`
/// init, `f` f-signal, `x` any of a/k/i, `S` string, `T` string or init number; optional with default:
/// `o` i=0, `p` i=1, `j` i=-1, `q` i=10, `v` i=0.5, `h` i=127, `O` k=0,
/// `P` k=1, `J` k=-1, `V` k=0.5; repeated to the end: `m` init, `z` control,
/// `y` audio, `M` any, `N` any or string.
#[derive(Clone, Copy)]
pub struct OpcodeSpec {
    pub name: &'static str,
    pub outs: &'static str,
    pub ins: &'static str,
    pub pass: Pass,
    pub build: BuildFn,
    pub doc: &'static str,
    /// Whether notes using it may be performed on several threads (`-j`).
    pub parallel: Parallel,
}

/// What an opcode allows `-j`: notes of an instrument run in groups on
/// several threads only if every performance-time opcode of it allows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parallel {
    /// It reads or writes state other notes share (globals, channels, zak,
    /// events...): the notes play in order on one thread.
    No,
    /// It reads and writes only the note's own memory and the tables.
    Safe,
    /// It adds to the output bus (`out`, `outs`, fused `pan2`+`outs`): safe
    /// when it is the only one in the instrument, which then gets a bus per
    /// group of notes.
    WritesBus,
}

impl OpcodeSpec {
    /// The variant as the manual writes it, `outs name ins` (`-` for no
    /// outputs or no inputs): what error messages and `--list-opcodes` show.
    pub fn signature(&self) -> String {
        format!("{} {} {}", shown(self.outs), self.name, shown(self.ins))
    }

    /// The same descriptor, marked [`Parallel::Safe`].
    pub const fn parallel_safe(self) -> OpcodeSpec {
        OpcodeSpec {
            parallel: Parallel::Safe,
            ..self
        }
    }

    /// The same descriptor, marked [`Parallel::WritesBus`].
    pub const fn writes_bus(self) -> OpcodeSpec {
        OpcodeSpec {
            parallel: Parallel::WritesBus,
            ..self
        }
    }
}

/// Short constructor for the family tables.
pub const fn spec(
    name: &'static str,
    outs: &'static str,
    ins: &'static str,
    pass: Pass,
    build: BuildFn,
    doc: &'static str,
) -> OpcodeSpec {
    OpcodeSpec {
        name,
        outs,
        ins,
        pass,
        build,
        doc,
        parallel: Parallel::No,
    }
}

/// Box an opcode (used by the family tables' build functions).
pub fn boxed<T: Opcode + 'static>(op: T) -> Result<Box<dyn Opcode>, String> {
    Ok(Box::new(op))
}

/// A type string as printed: `-` when there are no types.
pub fn shown(types: &str) -> &str {
    if types.is_empty() { "-" } else { types }
}
