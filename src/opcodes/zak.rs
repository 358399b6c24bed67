//! The zak patching space: numbered k-rate (zk) and audio-rate (za)
//! locations that any instrument can write and read. `zakinit` makes the
//! space once per session (normally from instrument 0); `zkw`/`ziw`/`zkwm`/
//! `ziwm`/`zaw`/`zawm` write, `zkr`/`zir`/`zar`/`zarg` read, `zkcl`/`zacl`
//! clear, `zkmod`/`zamod` modulate a signal by a location.
//!
//! Locations are `AtomicU64`s holding `f64` bits (as the control channels
//! are), so the audio thread never locks; an opcode takes its handle on
//! the space at init. `zakinit isizea, isizek` makes locations 0 to isizea
//! and 0 to isizek (csound's count). An index outside the space reads 0 and
//! writes nothing, with one warning per note, as csound reports and goes on.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use std::sync::OnceLock;

use crate::engine::channels::SharedState;
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// The zk and za locations of one session.
pub struct ZakSpace {
    k: Box<[AtomicU64]>,
    /// `ksmps` samples per za location, one after another.
    a: Box<[AtomicU64]>,
    ksmps: usize,
}

impl ZakSpace {
    fn k_get(&self, i: usize) -> f64 {
        f64::from_bits(self.k[i].load(Ordering::Relaxed))
    }

    fn k_set(&self, i: usize, v: f64) {
        self.k[i].store(v.to_bits(), Ordering::Relaxed);
    }

    fn a_slot(&self, i: usize) -> &[AtomicU64] {
        &self.a[i * self.ksmps..(i + 1) * self.ksmps]
    }
}

/// Where a session's zak space is kept once `zakinit` has made it.
#[derive(Default)]
struct ZakHome(OnceLock<Arc<ZakSpace>>);

/// The space outlives performances (a live session's instrument 0 runs again).
impl SharedState for ZakHome {}

/// Which space an index points into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Space {
    K,
    A,
}

/// A zak opcode's link to the space and its out-of-range reporting.
struct Zak {
    home: Arc<ZakHome>,
    space: Option<Arc<ZakSpace>>,
    name: &'static str,
    warned: bool,
}

impl Zak {
    fn new(a: &Args, name: &'static str) -> Zak {
        Zak {
            home: a.channels.shared::<ZakHome>(),
            space: None,
            name,
            warned: false,
        }
    }

    /// Take the handle on the space (an error if `zakinit` has not run).
    fn attach(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.warned = false;
        match self.home.0.get() {
            Some(space) => {
                self.space = Some(space.clone());
                Ok(())
            }
            None => Err(ctx.fail(format_args!(
                "{}: there is no zak space; call zakinit first (in the orchestra header)",
                self.name
            ))),
        }
    }

    /// Location `x` (truncated) of a space, or None with one warning per
    /// note when it is outside.
    fn index(&mut self, ctx: &mut Ctx, x: f64, which: Space) -> Option<usize> {
        let space = self.space.as_ref()?;
        let last = match which {
            Space::K => space.k.len() - 1,
            Space::A => space.a.len() / space.ksmps - 1,
        };
        let i = x as i64;
        if i >= 0 && i as usize <= last {
            return Some(i as usize);
        }
        if !self.warned {
            self.warned = true;
            let kind = if which == Space::K { "zk" } else { "za" };
            ctx.warn(format_args!(
                "{}: index {i} is outside the {kind} space (0 to {last}); reading 0, not writing",
                self.name
            ));
        }
        None
    }
}

/// `zakinit isizea, isizek`.
struct ZakInit {
    home: Arc<ZakHome>,
    size_a: Input,
    size_k: Input,
}

fn build_zakinit(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(ZakInit {
        home: a.channels.shared::<ZakHome>(),
        size_a: a.input(0),
        size_k: a.input(1),
    })
}

impl Opcode for ZakInit {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (na, nk) = (self.size_a.get(), self.size_k.get());
        if na < 0.0 || nk < 0.0 {
            return Err(ctx.fail(format_args!(
                "zakinit: sizes must not be negative ({na}, {nk})"
            )));
        }
        let (na, nk) = (na as usize + 1, nk as usize + 1);
        let ksmps = ctx.rates.ksmps;
        if let Some(space) = self.home.0.get() {
            // Made already (an earlier zakinit, or instrument 0 run again
            // in a live session): fine if it is big enough.
            if space.k.len() >= nk && space.a.len() >= na * ksmps {
                return Ok(());
            }
            return Err(ctx.fail(format_args!(
                "zakinit: the zak space exists already and is smaller; call zakinit only once"
            )));
        }
        if !ctx.may_allocate {
            return Err(ctx.fail(format_args!(
                "zakinit: must run where memory may be allocated (the orchestra header)"
            )));
        }
        let zeros = |n: usize| (0..n).map(|_| AtomicU64::new(0)).collect();
        let space = Arc::new(ZakSpace {
            k: zeros(nk),
            a: zeros(na * ksmps),
            ksmps,
        });
        // A racing zakinit elsewhere would have set it; either space serves.
        let _ = self.home.0.set(space);
        Ok(())
    }
}

/// `zkw`, `ziw`, `zkwm`, `ziwm`: write (or mix into) a zk location.
struct ZkWrite {
    zak: Zak,
    value: Input,
    index: Input,
    mix: Option<Input>,
    at_init: bool,
}

fn build_zk_write(
    a: &Args,
    name: &'static str,
    mixing: bool,
    at_init: bool,
) -> Result<Box<dyn Opcode>, String> {
    boxed(ZkWrite {
        zak: Zak::new(a, name),
        value: a.input(0),
        index: a.input(1),
        mix: mixing.then(|| a.input(2)),
        at_init,
    })
}

impl ZkWrite {
    fn run(&mut self, ctx: &mut Ctx) {
        let Some(i) = self.zak.index(ctx, self.index.get(), Space::K) else {
            return;
        };
        let space = self.zak.space.as_ref().expect("attached");
        let mut v = self.value.get();
        if self.mix.is_some_and(|m| m.get() != 0.0) {
            v += space.k_get(i);
        }
        space.k_set(i, ctx.shared_value(v, "zak space"));
    }
}

impl Opcode for ZkWrite {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.zak.attach(ctx)?;
        if self.at_init {
            self.run(ctx);
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.at_init {
            self.run(ctx);
        }
        Ok(())
    }
}

/// `zkr`, `zir`: read a zk location; `zkmod`: a signal plus (index > 0)
/// or times (index < 0) a zk location, unchanged for index 0.
struct ZkRead {
    zak: Zak,
    out: Output,
    index: Input,
    /// The signal `zkmod` modulates.
    sig: Option<Input>,
    at_init: bool,
}

fn build_zk_read(a: &Args, name: &'static str, at_init: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(ZkRead {
        zak: Zak::new(a, name),
        out: a.out(0),
        index: a.input(0),
        sig: None,
        at_init,
    })
}

fn build_zkmod(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(ZkRead {
        zak: Zak::new(a, "zkmod"),
        out: a.out(0),
        index: a.input(1),
        sig: Some(a.input(0)),
        at_init: false,
    })
}

impl ZkRead {
    fn run(&mut self, ctx: &mut Ctx) {
        let x = self.index.get();
        let v = match self.sig {
            None => self
                .zak
                .index(ctx, x, Space::K)
                .map_or(0.0, |i| self.zak.space.as_ref().expect("attached").k_get(i)),
            Some(sig) => {
                let s = sig.get();
                if x == 0.0 {
                    s
                } else {
                    let m = self
                        .zak
                        .index(ctx, x.abs(), Space::K)
                        .map_or(0.0, |i| self.zak.space.as_ref().expect("attached").k_get(i));
                    if x > 0.0 { s + m } else { s * m }
                }
            }
        };
        self.out.set(v);
    }
}

impl Opcode for ZkRead {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.zak.attach(ctx)?;
        if self.at_init {
            self.run(ctx);
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.at_init {
            self.run(ctx);
        }
        Ok(())
    }
}

/// `zaw asig, kndx`, `zawm asig, kndx [, imix]`: write (or mix into) a za
/// location.
struct ZaWrite {
    zak: Zak,
    sig: Input,
    index: Input,
    mix: Option<Input>,
    ksmps: usize,
}

fn build_za_write(a: &Args, name: &'static str, mixing: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(ZaWrite {
        zak: Zak::new(a, name),
        sig: a.input(0),
        index: a.input(1),
        mix: mixing.then(|| a.input(2)),
        ksmps: a.ksmps,
    })
}

impl Opcode for ZaWrite {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.zak.attach(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let Some(i) = self.zak.index(ctx, self.index.get(), Space::A) else {
            return Ok(());
        };
        let slot = self.zak.space.as_ref().expect("attached").a_slot(i);
        let mix = self.mix.is_some_and(|m| m.get() != 0.0);
        for (n, cell) in slot.iter().enumerate().take(self.ksmps) {
            let mut v = self.sig.at(n);
            if mix {
                v += f64::from_bits(cell.load(Ordering::Relaxed));
            }
            let v = ctx.shared_value(v, "zak space");
            cell.store(v.to_bits(), Ordering::Relaxed);
        }
        Ok(())
    }
}

/// `zar kndx`, `zarg kndx, kgain` (read a za location, scaled), and
/// `zamod asig, kzamod` (a signal plus, or times, a za location).
struct ZaRead {
    zak: Zak,
    out: Output,
    index: Input,
    gain: Option<Input>,
    sig: Option<Input>,
    ksmps: usize,
}

fn build_za_read(
    a: &Args,
    name: &'static str,
    gain: bool,
    modulate: bool,
) -> Result<Box<dyn Opcode>, String> {
    let (index, sig, gain) = if modulate {
        (a.input(1), Some(a.input(0)), None)
    } else {
        (a.input(0), None, gain.then(|| a.input(1)))
    };
    boxed(ZaRead {
        zak: Zak::new(a, name),
        out: a.out(0),
        index,
        gain,
        sig,
        ksmps: a.ksmps,
    })
}

impl Opcode for ZaRead {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.zak.attach(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let x = self.index.get();
        if let Some(sig) = self.sig
            && x == 0.0
        {
            for n in 0..self.ksmps {
                self.out.set_at(n, sig.at(n));
            }
            return Ok(());
        }
        let found = self.zak.index(ctx, x.abs(), Space::A);
        let space = self.zak.space.as_ref().expect("attached");
        let gain = self.gain.map_or(1.0, |g| g.get());
        for n in 0..self.ksmps {
            let z = found.map_or(0.0, |i| {
                f64::from_bits(space.a_slot(i)[n].load(Ordering::Relaxed))
            });
            let v = match self.sig {
                None => z * gain,
                Some(sig) if x > 0.0 => sig.at(n) + z,
                Some(sig) => sig.at(n) * z,
            };
            self.out.set_at(n, v);
        }
        Ok(())
    }
}

/// `zkcl kfirst, klast`, `zacl kfirst [, klast]`: clear a range of
/// locations.
struct ZakClear {
    zak: Zak,
    first: Input,
    last: Input,
    which: Space,
}

fn build_clear(a: &Args, name: &'static str, which: Space) -> Result<Box<dyn Opcode>, String> {
    boxed(ZakClear {
        zak: Zak::new(a, name),
        first: a.input(0),
        last: a.input(1),
        which,
    })
}

impl Opcode for ZakClear {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.zak.attach(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let first = self.first.get();
        // zacl's klast defaults to -1: only kfirst is cleared.
        let last = match self.last.get() {
            l if l < 0.0 => first,
            l => l,
        };
        if last < first {
            return Err(ctx.fail(format_args!(
                "{}: the first location ({first}) is after the last ({last})",
                self.zak.name
            )));
        }
        let (Some(a), Some(b)) = (
            self.zak.index(ctx, first, self.which),
            self.zak.index(ctx, last, self.which),
        ) else {
            return Ok(());
        };
        let space = self.zak.space.as_ref().expect("attached");
        let cells = match self.which {
            Space::K => &space.k[a..=b],
            Space::A => &space.a[a * space.ksmps..(b + 1) * space.ksmps],
        };
        for c in cells {
            c.store(0, Ordering::Relaxed);
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "zakinit",
        "",
        "ii",
        Pass::Init,
        build_zakinit,
        "makes the zak space: za locations 0 to isizea and zk locations 0 to isizek",
    ),
    spec(
        "zkw",
        "",
        "kk",
        Pass::Both,
        |a| build_zk_write(a, a.name, false, false),
        "writes a value to zk location kndx",
    ),
    spec(
        "ziw",
        "",
        "ii",
        Pass::Init,
        |a| build_zk_write(a, a.name, false, true),
        "writes a value to zk location indx at init",
    ),
    spec(
        "zkwm",
        "",
        "kkp",
        Pass::Both,
        |a| build_zk_write(a, a.name, true, false),
        "adds a value to zk location kndx (overwrites when imix is 0)",
    ),
    spec(
        "ziwm",
        "",
        "iip",
        Pass::Init,
        |a| build_zk_write(a, a.name, true, true),
        "adds a value to zk location indx at init (overwrites when imix is 0)",
    ),
    spec(
        "zkr",
        "k",
        "k",
        Pass::Both,
        |a| build_zk_read(a, a.name, false),
        "reads zk location kndx",
    ),
    spec(
        "zir",
        "i",
        "i",
        Pass::Init,
        |a| build_zk_read(a, a.name, true),
        "reads zk location indx at init",
    ),
    spec(
        "zkmod",
        "k",
        "kk",
        Pass::Both,
        build_zkmod,
        "a signal plus (kzkmod > 0) or times (kzkmod < 0) zk location |kzkmod|",
    ),
    spec(
        "zkcl",
        "",
        "kk",
        Pass::Both,
        |a| build_clear(a, a.name, Space::K),
        "sets zk locations kfirst to klast to 0",
    ),
    spec(
        "zaw",
        "",
        "ak",
        Pass::Both,
        |a| build_za_write(a, a.name, false),
        "writes an audio signal to za location kndx",
    ),
    spec(
        "zawm",
        "",
        "akp",
        Pass::Both,
        |a| build_za_write(a, a.name, true),
        "adds an audio signal to za location kndx (overwrites when imix is 0)",
    ),
    spec(
        "zar",
        "a",
        "k",
        Pass::Both,
        |a| build_za_read(a, a.name, false, false),
        "reads za location kndx",
    ),
    spec(
        "zarg",
        "a",
        "kk",
        Pass::Both,
        |a| build_za_read(a, a.name, true, false),
        "reads za location kndx times kgain",
    ),
    spec(
        "zamod",
        "a",
        "ak",
        Pass::Both,
        |a| build_za_read(a, a.name, false, true),
        "a signal plus (kzamod > 0) or times (kzamod < 0) za location |kzamod|",
    ),
    spec(
        "zacl",
        "",
        "kJ",
        Pass::Both,
        |a| build_clear(a, a.name, Space::A),
        "sets za locations kfirst to klast (or only kfirst) to 0",
    ),
];
