//! Opcodes: the [`Opcode`] trait every unit generator implements, the
//! descriptor ([`OpcodeSpec`]) that names it, and the registry that the
//! compiler, `rhapsody -z` and the book's reference all read.
//!
//! One file per family. Adding an opcode = one struct with `init`/`perform`
//! plus one `OpcodeSpec` line in its family's `SPECS`.

pub mod arith;
pub mod arrays;
pub mod buzz;
pub mod channels;
pub mod control;
pub mod delays;
pub mod differences;
pub mod distributions;
pub mod dynamics;
pub mod envelopes;
pub mod events;
pub mod filters;
pub mod fm;
pub mod fused;
pub mod io;
pub mod lfo;
pub mod loscil;
pub mod math;
pub mod noise;
pub mod oscillators;
pub mod pluck;
pub mod printing;
pub mod release;
pub mod reverbs;
pub mod sequencing;
pub mod soundfiles;
pub mod spatial;
pub mod spectral;
pub mod tables;
pub mod transeg;
pub mod tuning;
pub mod vco;
pub mod vco2;
pub mod zak;

use std::sync::{Arc, OnceLock};

use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

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
    /// (see `spectral::frame`).
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
            'S' => Some(Rate::Str),
            'f' => Some(Rate::Frame),
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
            'S' => Some(Rate::Str),
            'f' => Some(Rate::Frame),
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
    pub ins: &'a [Arg],
    pub outs: &'a [(Output, Rate)],
    pub ksmps: usize,
    /// The session's control channels (`chnset`/`chnget` resolve names here).
    pub channels: &'a std::sync::Arc<crate::engine::channels::Channels>,
    /// Named instruments' numbers (`event "i", "name", ...` resolves here).
    pub instr_names: &'a std::collections::HashMap<String, i64>,
    /// What the opcodes of one instance share while it is built.
    pub scope: &'a BuildScope,
}

/// What the build functions of one instance share: the sample rate (delay
/// buffers are sized from it), the directory of the instrument's source file
/// (sound files resolve against it, as csound does for a CSD's directory),
/// and the delay line the latest `delayr` opened, which the `deltap*` and
/// `delayw` calls after it link to.
#[derive(Default)]
pub struct BuildScope {
    pub sr: f64,
    pub source_dir: Option<std::path::PathBuf>,
    pub delay_line: std::cell::RefCell<Option<delays::SharedLine>>,
}

impl BuildScope {
    /// A scope for building one instance at sample rate `sr` of an
    /// orchestra read from `source_dir`.
    pub fn new(sr: f64, source_dir: Option<std::path::PathBuf>) -> BuildScope {
        BuildScope {
            sr,
            source_dir,
            delay_line: Default::default(),
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
    }
}

/// Box an opcode (used by the family tables' build functions).
pub fn boxed<T: Opcode + 'static>(op: T) -> Result<Box<dyn Opcode>, String> {
    Ok(Box::new(op))
}

/// Every opcode variant rhapsody knows, in family order.
pub fn registry() -> &'static [OpcodeSpec] {
    static ALL: OnceLock<Vec<OpcodeSpec>> = OnceLock::new();
    ALL.get_or_init(|| {
        let families: &[&[OpcodeSpec]] = &[
            arith::SPECS,
            arrays::SPECS,
            arrays::OPERATOR_SPECS,
            buzz::SPECS,
            channels::SPECS,
            control::SPECS,
            delays::SPECS,
            distributions::SPECS,
            distributions::DUST_SPECS,
            dynamics::SPECS,
            envelopes::SPECS,
            events::SPECS,
            filters::SPECS,
            fm::SPECS,
            io::SPECS,
            lfo::SPECS,
            loscil::SPECS,
            loscil::LPOSCIL_SPECS,
            math::SPECS,
            noise::SPECS,
            oscillators::SPECS,
            pluck::SPECS,
            printing::SPECS,
            release::SPECS,
            reverbs::SPECS,
            sequencing::SPECS,
            soundfiles::SPECS,
            spatial::SPECS,
            spectral::SPECS,
            tables::SPECS,
            transeg::SPECS,
            tuning::SPECS,
            vco::SPECS,
            vco2::SPECS,
            zak::SPECS,
        ];
        families.iter().flat_map(|f| f.iter().copied()).collect()
    })
}

/// The variants of one opcode name.
pub fn variants(name: &str) -> impl Iterator<Item = &'static OpcodeSpec> + '_ {
    registry().iter().filter(move |s| s.name == name)
}

/// Whether any opcode has this name.
pub fn exists(name: &str) -> bool {
    variants(name).next().is_some()
}
