//! Opcodes: score events sent from inside the orchestra (`event`,
//! `event_i`, `schedule`, `schedkwhen`).
//!
//! Timing, as observed in Csound 6.18: an event's time is "now" plus its
//! delay, where now is the start of the current block at init time and the
//! end of it (the next block's start) at performance time, since that block
//! is already being computed. The engine starts it in the block whose start
//! is nearest that time, so an `event_i` with delay 0 starts (and performs)
//! in the same block, an `event` with delay 0 in the next one, whatever the
//! instrument numbers. The note's p2 is that unrounded time.

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::events::{LiveEvent, LiveKind, MAX_LIVE_PFIELDS};
use crate::engine::signal::Input;

/// Which instrument an event names: an input (a number), or a name
/// resolved to its number when the opcode was built.
#[derive(Clone, Copy)]
enum Target {
    Number(Input),
    Named(f64),
}

impl Target {
    fn get(self) -> f64 {
        match self {
            Target::Number(i) => i.get(),
            Target::Named(n) => n,
        }
    }
}

/// Resolve the instrument argument `i` of an event opcode.
fn target(a: &Args, i: usize) -> Result<Target, String> {
    match a.ins.get(i) {
        Some(arg) if arg.rate == Rate::Str => {
            let name = arg.text.as_deref().unwrap_or("");
            match a.instr_names.get(name) {
                Some(n) => Ok(Target::Named(*n as f64)),
                None => Err(format!("instrument '{name}' is not defined")),
            }
        }
        Some(arg) => Ok(Target::Number(arg.input)),
        None => Err("missing instrument number".into()),
    }
}

/// The kind of event a score letter asks for.
fn kind(a: &Args) -> Result<LiveKind, String> {
    let letter = a.text(0).unwrap_or_else(|| "".into());
    match letter.trim() {
        "i" => Ok(LiveKind::Note),
        "e" => Ok(LiveKind::End),
        other => Err(format!(
            "event type '{other}' is not supported by rhapsody (only \"i\" and \"e\")"
        )),
    }
}

/// The parts every event opcode shares: what to send, and scratch space
/// for its p-fields (built once, reused every time).
struct Sender {
    kind: LiveKind,
    instr: Target,
    delay: Input,
    /// p3 and on.
    rest: Vec<Input>,
    pfields: [f64; MAX_LIVE_PFIELDS],
}

impl Sender {
    fn new(
        kind: LiveKind,
        instr: Target,
        delay: Input,
        rest: Vec<Input>,
    ) -> Result<Sender, String> {
        if rest.len() + 2 > MAX_LIVE_PFIELDS {
            return Err(format!(
                "an event carries at most {MAX_LIVE_PFIELDS} p-fields, this one has {}",
                rest.len() + 2
            ));
        }
        Ok(Sender {
            kind,
            instr,
            delay,
            rest,
            pfields: [0.0; MAX_LIVE_PFIELDS],
        })
    }

    /// Send the event, counting its delay from `now` (score seconds).
    fn send(&mut self, ctx: &mut Ctx, now: f64) -> Result<(), Failed> {
        let delay = self.delay.get().max(0.0);
        let time = now + delay;
        let count = self.rest.len() + 2;
        self.pfields[0] = self.instr.get();
        self.pfields[1] = time;
        for (slot, input) in self.pfields[2..count].iter_mut().zip(&self.rest) {
            *slot = input.get();
        }
        if self.kind == LiveKind::Note && self.pfields[0] == 0.0 {
            return Err(ctx.fail(format_args!("event for instrument 0 is not allowed")));
        }
        ctx.schedule(LiveEvent::new(self.kind, time, &self.pfields[..count]))
    }
}

/// Now, for an event sent at init time: the start of this block.
fn init_now(ctx: &Ctx) -> f64 {
    ctx.time
}

/// Now, for an event sent during performance: the end of this block.
fn perf_now(ctx: &Ctx) -> f64 {
    ctx.time + 1.0 / ctx.rates.kr
}

/// `event_i "i", instr, idelay, idur, ...` and `schedule instr, iwhen, idur, ...`.
struct EventI {
    sender: Sender,
}

impl Opcode for EventI {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let now = init_now(ctx);
        self.sender.send(ctx, now)
    }
}

/// `event "i", kinstr, kdelay, kdur, ...`: sends every block it runs.
struct EventK {
    sender: Sender,
}

impl Opcode for EventK {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let now = perf_now(ctx);
        self.sender.send(ctx, now)
    }
}

/// Build `event`/`event_i` (first argument the score letter).
fn build_event(a: &Args, at_init: bool) -> Result<Box<dyn Opcode>, String> {
    if a.ins.len() < 3 {
        return Err("an event needs at least a type, an instrument and a delay".into());
    }
    let sender = Sender::new(kind(a)?, target(a, 1)?, a.input(2), a.inputs_from(3))?;
    if at_init {
        boxed(EventI { sender })
    } else {
        boxed(EventK { sender })
    }
}

fn build_schedule(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let sender = Sender::new(LiveKind::Note, target(a, 0)?, a.input(1), a.inputs_from(2))?;
    boxed(EventI { sender })
}

/// `schedkwhen ktrig, kmintim, kmaxnum, kinsnum, kwhen, kdur, ...`: when
/// ktrig is non-zero, at most once every kmintim seconds.
struct Schedkwhen {
    trigger: Input,
    mintime: Input,
    maxnum: Input,
    sender: Sender,
    /// Score time of the last event sent (None: none yet).
    last: Option<f64>,
    warned: bool,
}

impl Opcode for Schedkwhen {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.last = None;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.trigger.get() == 0.0 {
            return Ok(());
        }
        let now = ctx.time;
        if let Some(last) = self.last
            && now - last < self.mintime.get()
        {
            return Ok(());
        }
        if self.maxnum.get() > 0.0 && !self.warned {
            // The engine does not tell opcodes how many notes play.
            self.warned = true;
            ctx.warn(format_args!(
                "schedkwhen: kmaxnum is not supported by rhapsody yet and is ignored"
            ));
        }
        self.last = Some(now);
        let now = perf_now(ctx);
        self.sender.send(ctx, now)
    }
}

fn build_schedkwhen(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let sender = Sender::new(LiveKind::Note, target(a, 3)?, a.input(4), a.inputs_from(5))?;
    boxed(Schedkwhen {
        trigger: a.input(0),
        mintime: a.input(1),
        maxnum: a.input(2),
        sender,
        last: None,
        warned: false,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "event",
        "",
        "Skz",
        Pass::Perf,
        |a| build_event(a, false),
        "send a score event every block it runs (delay counted from the next block)",
    ),
    spec(
        "event",
        "",
        "SSz",
        Pass::Perf,
        |a| build_event(a, false),
        "send a score event to a named instrument every block it runs",
    ),
    spec(
        "event_i",
        "",
        "Sim",
        Pass::Init,
        |a| build_event(a, true),
        "send a score event at note start",
    ),
    spec(
        "event_i",
        "",
        "SSm",
        Pass::Init,
        |a| build_event(a, true),
        "send a score event to a named instrument at note start",
    ),
    spec(
        "schedule",
        "",
        "im",
        Pass::Init,
        build_schedule,
        "start a note of an instrument iwhen seconds from now",
    ),
    spec(
        "schedule",
        "",
        "Sm",
        Pass::Init,
        build_schedule,
        "start a note of a named instrument iwhen seconds from now",
    ),
    spec(
        "schedkwhen",
        "",
        "kkkkkz",
        Pass::Both,
        build_schedkwhen,
        "start a note when ktrigger is non-zero, at most once every kmintim seconds",
    ),
    spec(
        "schedkwhen",
        "",
        "kkkSkz",
        Pass::Both,
        build_schedkwhen,
        "start a note of a named instrument when ktrigger is non-zero",
    ),
];
