//! Opcodes: score events sent from inside the orchestra (`event`,
//! `event_i`, `schedule`, `schedkwhen`).
//!
//! Timing, as observed in Csound 6.18: an event's time is "now" plus its
//! delay, where now is the start of the current block at init time and the
//! end of it (the next block's start) at performance time, since that block
//! is already being computed. The engine starts it in the block whose start
//! is nearest that time, so an `event_i` with delay 0 starts (and performs)
//! in the same block, an `event` with delay 0 in the next one, whatever the
//! instrument numbers. The note's p2 is that unrounded time. `schedkwhen`
//! is the exception: it counts from the start of the current block.

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::channels::Channels;
use crate::engine::context::{Ctx, Failed};
use crate::engine::events::{LiveEvent, LiveKind, MAX_LIVE_PFIELDS};
use crate::engine::signal::Input;
use crate::engine::strings::StrRef;
use std::sync::Arc;

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

/// One p-field of an event from the orchestra: a value read when the
/// event is sent, or a string's p-field value (the session's pool number of
/// a string known when the opcode is built).
#[derive(Clone, Copy)]
enum PField {
    Value(Input),
    Fixed(f64),
    /// A string computed at run time: taken into the pool when the event is
    /// sent, where init code may allocate (offline rendering, instrument 0).
    Text(StrRef),
}

/// The p-fields from argument `from` on.
fn rest(a: &Args, from: usize) -> Result<Vec<PField>, String> {
    a.ins
        .iter()
        .skip(from)
        .map(|arg| {
            if arg.rate != Rate::Str {
                return Ok(PField::Value(arg.input));
            }
            let Some(text) = arg.text.as_deref() else {
                return Ok(PField::Text(StrRef::from_input(arg.input)));
            };
            a.channels
                .strings
                .pfield(text)
                .map(PField::Fixed)
                .ok_or_else(|| "too many distinct strings in one session".to_string())
        })
        .collect()
}

/// The parts every event opcode shares: what to send, and scratch space
/// for its p-fields (built once, reused every time).
struct Sender {
    kind: LiveKind,
    instr: Target,
    delay: Input,
    /// p3 and on.
    rest: Vec<PField>,
    pfields: [f64; MAX_LIVE_PFIELDS],
    channels: Arc<Channels>,
}

impl Sender {
    fn new(
        kind: LiveKind,
        instr: Target,
        delay: Input,
        rest: Vec<PField>,
        channels: &Arc<Channels>,
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
            channels: channels.clone(),
        })
    }

    /// Send the event, counting its delay from `now` (score seconds).
    fn send(&mut self, ctx: &mut Ctx, now: f64) -> Result<(), Failed> {
        let delay = self.delay.get().max(0.0);
        let time = now + delay;
        let count = self.rest.len() + 2;
        self.pfields[0] = self.instr.get();
        self.pfields[1] = time;
        for (slot, p) in self.pfields[2..count].iter_mut().zip(&self.rest) {
            *slot = match p {
                PField::Value(input) => input.get(),
                PField::Fixed(v) => *v,
                PField::Text(text) if ctx.may_allocate => {
                    match self.channels.strings.pfield(text.as_str()) {
                        Some(v) => v,
                        None => {
                            return Err(
                                ctx.fail(format_args!("too many distinct strings in one session"))
                            );
                        }
                    }
                }
                PField::Text(_) => {
                    return Err(ctx.fail(format_args!(
                        "an event's string p-field computed at run time needs offline rendering \
                         (in real time it must be known when the orchestra is compiled)"
                    )));
                }
            };
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
    let sender = Sender::new(kind(a)?, target(a, 1)?, a.input(2), rest(a, 3)?, a.channels)?;
    if at_init {
        boxed(EventI { sender })
    } else {
        boxed(EventK { sender })
    }
}

fn build_schedule(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let sender = Sender::new(
        LiveKind::Note,
        target(a, 0)?,
        a.input(1),
        rest(a, 2)?,
        a.channels,
    )?;
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
        // Unlike `event`, Csound counts schedkwhen's delay from the start of
        // this block (the note can still only start in the next one).
        self.sender.send(ctx, now)
    }
}

fn build_schedkwhen(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let sender = Sender::new(
        LiveKind::Note,
        target(a, 3)?,
        a.input(4),
        rest(a, 5)?,
        a.channels,
    )?;
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
        "iN",
        Pass::Init,
        build_schedule,
        "start a note of an instrument iwhen seconds from now",
    ),
    spec(
        "schedule",
        "",
        "SN",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::channels::Channels;
    use crate::engine::context::{Messages, NoteState, Rates};
    use crate::engine::events::EventQueue;
    use crate::engine::signal::Memory;
    use crate::engine::table::TableStore;
    use crate::opcodes::Arg;
    use std::collections::HashMap;
    use std::sync::Arc;

    fn num(mem: &Memory, i: usize) -> Arg {
        Arg {
            input: mem.input(i, false, 1),
            rate: Rate::Init,
            constant: Some(mem.get(i)),
            text: None,
            label: None,
        }
    }

    fn text(s: &str) -> Arg {
        Arg {
            input: Input::zero(),
            rate: Rate::Str,
            constant: None,
            text: Some(s.into()),
            label: None,
        }
    }

    /// Run `op`'s init (or one performance block) at block `kcount` and
    /// return the events it queued.
    fn run(op: &mut dyn Opcode, kcount: u64, perf: bool) -> Vec<LiveEvent> {
        let rates = Rates {
            sr: 44100.0,
            kr: 441.0,
            ksmps: 100,
            ..Rates::default()
        };
        let mut tables = TableStore::default();
        let mut spout = vec![0.0; 100];
        let mut messages = Messages::with_capacity(8);
        let mut events = EventQueue::with_capacity(8);
        let mut note = NoteState::default();
        let mut ctx = Ctx {
            rates,
            tables: &mut tables,
            spout: &mut spout,
            spin: &[],
            messages: &mut messages,
            events: &mut events,
            note: &mut note,
            time: kcount as f64 / rates.kr,
            kcount,
            may_allocate: true,
        };
        let r = if perf {
            op.perform(&mut ctx)
        } else {
            op.init(&mut ctx)
        };
        assert!(r.is_ok());
        let mut out = Vec::new();
        while let Some(e) = events.pop_due(f64::INFINITY) {
            out.push(e);
        }
        out
    }

    #[test]
    fn init_events_count_from_the_block_start_perf_events_from_its_end() {
        // p-fields: instr 6, delay 0.0034, dur 0.01, p4 0.5
        let mem = Memory::new(&[6.0, 0.0034, 0.01, 0.5]);
        let ins = [
            text("i"),
            num(&mem, 0),
            num(&mem, 1),
            num(&mem, 2),
            num(&mem, 3),
        ];
        let channels = Arc::new(Channels::default());
        let names = HashMap::new();
        let args = Args {
            name: "event",
            ins: &ins,
            outs: &[],
            ksmps: 100,
            channels: &channels,
            instr_names: &names,
            scope: &Default::default(),
        };
        let mut at_init = build_event(&args, true).unwrap();
        let sent = run(at_init.as_mut(), 44, false);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].pfields(), &[6.0, 44.0 / 441.0 + 0.0034, 0.01, 0.5]);
        let mut at_perf = build_event(&args, false).unwrap();
        let sent = run(at_perf.as_mut(), 46, true);
        assert_eq!(sent[0].time, (46.0 + 1.0) / 441.0 + 0.0034);
    }

    #[test]
    fn named_instruments_resolve_when_built() {
        let mem = Memory::new(&[0.0, 0.01]);
        let ins = [text("i"), text("level"), num(&mem, 0), num(&mem, 1)];
        let channels = Arc::new(Channels::default());
        let names = HashMap::from([("level".to_string(), 7)]);
        let args = Args {
            name: "event",
            ins: &ins,
            outs: &[],
            ksmps: 100,
            channels: &channels,
            instr_names: &names,
            scope: &Default::default(),
        };
        let mut op = build_event(&args, true).unwrap();
        assert_eq!(run(op.as_mut(), 0, false)[0].pfields()[0], 7.0);
        let unknown = [text("i"), text("nope"), num(&mem, 0), num(&mem, 1)];
        let args = Args {
            ins: &unknown,
            ..args
        };
        assert!(build_event(&args, true).is_err());
    }
}
