//! Opcodes: control of the note itself (`turnoff`, `ihold`), the clocks
//! (`timek`, `times`, `timeinstk`, `timeinsts`) and the conditions of the
//! branches the compiler builds on them (`tigoto`, `timout`).

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// `turnoff`: the note ends now. The engine stops performing the rest of
/// the instrument for this block (Csound removes the note immediately, so
/// opcodes after `turnoff` do not run) and frees the note after it. A note
/// with release time (`xtratim`, `linsegr`...) releases instead.
struct Turnoff;

impl Opcode for Turnoff {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        // A note already releasing ignores it (as csound does).
        ctx.note.turnoff = !ctx.note.releasing;
        Ok(())
    }
}

fn build_turnoff(_: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Turnoff)
}

/// `ihold`: the note plays on past its p3, as a held note (negative p3)
/// does, until `turnoff` or a later note of the same number ends it.
struct Ihold;

impl Opcode for Ihold {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        ctx.note.blocks_left = None;
        Ok(())
    }
}

fn build_ihold(_: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Ihold)
}

const TURNOFF: &[OpcodeSpec] = &[
    spec(
        "turnoff",
        "",
        "",
        Pass::Perf,
        build_turnoff,
        "end this note now; the rest of its instrument does not run this block",
    ),
    spec(
        "ihold",
        "",
        "",
        Pass::Init,
        build_ihold,
        "hold this note past its p3 (as a negative p3 does) until turnoff",
    ),
];

/// What a time query reports.
#[derive(Clone, Copy)]
enum Clock {
    /// Blocks since the performance started (`timek`).
    Blocks,
    /// Seconds since the performance started (`times`).
    Seconds,
    /// Blocks since the note started (`timeinstk`).
    NoteBlocks,
    /// Seconds since the note started (`timeinsts`).
    NoteSeconds,
}

/// `timek`, `times`, `timeinstk`, `timeinsts`. As in Csound, at init time
/// the clock reads the start of the block and during performance its end
/// (the first performance block of a note reads 1 block).
struct Time {
    clock: Clock,
    out: Output,
}

impl Time {
    fn read(&self, ctx: &Ctx, perf: bool) -> f64 {
        let end = perf as u64;
        // Csound multiplies by 1/kr; dividing by kr differs in the last digit.
        let onedkr = 1.0 / ctx.rates.kr;
        match self.clock {
            Clock::Blocks => (ctx.kcount + end) as f64,
            Clock::Seconds => (ctx.kcount + end) as f64 * onedkr,
            Clock::NoteBlocks => (ctx.note.blocks_done + end) as f64,
            Clock::NoteSeconds => (ctx.note.blocks_done + end) as f64 * onedkr,
        }
    }
}

impl Opcode for Time {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.out.set(self.read(ctx, false));
        Ok(())
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.out.set(self.read(ctx, true));
        Ok(())
    }
}

fn build_time(a: &Args, clock: Clock) -> Result<Box<dyn Opcode>, String> {
    boxed(Time {
        clock,
        out: a.out(0),
    })
}

const TIME_SPECS: &[OpcodeSpec] = &[
    spec(
        "timek",
        "i",
        "",
        Pass::Init,
        |a| build_time(a, Clock::Blocks),
        "blocks since the performance started, at note start",
    ),
    spec(
        "timek",
        "k",
        "",
        Pass::Perf,
        |a| build_time(a, Clock::Blocks),
        "blocks since the performance started (counting this one)",
    ),
    spec(
        "times",
        "i",
        "",
        Pass::Init,
        |a| build_time(a, Clock::Seconds),
        "seconds since the performance started, at note start",
    ),
    spec(
        "times",
        "k",
        "",
        Pass::Perf,
        |a| build_time(a, Clock::Seconds),
        "seconds since the performance started (to this block's end)",
    ),
    spec(
        "timeinstk",
        "k",
        "",
        Pass::Perf,
        |a| build_time(a, Clock::NoteBlocks),
        "blocks since this note started (1 in its first block)",
    ),
    spec(
        "timeinsts",
        "k",
        "",
        Pass::Perf,
        |a| build_time(a, Clock::NoteSeconds),
        "seconds since this note started (to this block's end)",
    ),
];

/// `tival`: 1 when this note took over a held note (a tie), else 0.
struct Tival {
    out: Output,
}

impl Opcode for Tival {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.out.set(if ctx.note.tied { 1.0 } else { 0.0 });
        Ok(())
    }
}

/// The condition of `timout istrt, idur, label`: 1 during the `idur`
/// seconds that begin `istrt` seconds after its init pass (which
/// `reinit` may run again), else 0. Both times count whole blocks, rounded
/// to the nearest, as csound counts them; a negative start counts as 0.
struct Timout {
    start: Input,
    duration: Input,
    kr: f64,
    /// Blocks still to wait, then blocks still to jump.
    wait: u64,
    active: u64,
    out: Output,
}

impl Opcode for Timout {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let duration = self.duration.get();
        if duration < 0.0 {
            return Err(ctx.fail(format_args!("timout: negative time period {duration}")));
        }
        let blocks = |seconds: f64| (seconds * self.kr + 0.5).max(0.0) as u64;
        self.wait = blocks(self.start.get());
        self.active = blocks(duration);
        self.out.set(0.0);
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let jump = if self.wait > 0 {
            self.wait -= 1;
            false
        } else if self.active > 0 {
            self.active -= 1;
            true
        } else {
            false
        };
        self.out.set(f64::from(u8::from(jump)));
        Ok(())
    }
}

fn build_timout(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Timout {
        start: a.input(0),
        duration: a.input(1),
        kr: a.scope.sr / a.ksmps as f64,
        wait: 0,
        active: 0,
        out: a.out(0),
    })
}

const TIE: &[OpcodeSpec] = &[
    spec(
        "tival",
        "i",
        "",
        Pass::Init,
        |a| boxed(Tival { out: a.out(0) }),
        "1 if this note is tied to a held note, else 0 (`tigoto label` jumps on it)",
    ),
    spec(
        "timout",
        "k",
        "ii",
        Pass::Both,
        build_timout,
        "`timout istart, idur, label` jumps to label during idur seconds from istart (written as a statement: the compiler adds the jump)",
    ),
];

/// Every control form.
pub const SPECS: &[OpcodeSpec] = &concat_specs();

const fn concat_specs() -> [OpcodeSpec; TURNOFF.len() + TIME_SPECS.len() + TIE.len()] {
    let mut out = [TURNOFF[0]; TURNOFF.len() + TIME_SPECS.len() + TIE.len()];
    let mut t = 0;
    while t < TURNOFF.len() {
        out[t] = TURNOFF[t];
        t += 1;
    }
    let mut i = 0;
    while i < TIME_SPECS.len() {
        out[TURNOFF.len() + i] = TIME_SPECS[i];
        i += 1;
    }
    let mut j = 0;
    while j < TIE.len() {
        out[TURNOFF.len() + TIME_SPECS.len() + j] = TIE[j];
        j += 1;
    }
    out
}
