//! MIDI opcodes: what the note a MIDI message started knows (`notnum`,
//! `veloc`, `cpsmidi`...), the channel state messages left (`ctrl7`,
//! `midic7`, `pchbend`, `aftouch`, `polyaft`, `midictrl`), setting it up
//! (`initc7`, `massign`, `pgmassign`), reading raw messages (`midiin`) and
//! the interop opcodes that let one instrument serve both score and MIDI
//! (`mididefault`, `midinoteonkey`, `midinoteoncps`...).
//!
//! The channel state is the engine's [`MidiState`], shared by every
//! instrument of a session; each opcode takes its handle when it is built.
//! Scalings are csound 6.18's, checked against it (tests/conformance/midi_*).

use std::sync::Arc;

use crate::engine::context::{Ctx, Failed, Rates};
use crate::engine::midi::MidiState;
use crate::engine::signal::{Input, Output};

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};

/// The session's MIDI state (control side, when an opcode is built).
fn state(a: &Args) -> Arc<MidiState> {
    a.channels.shared::<MidiState>()
}

/// What a note-number opcode reports: the key as csound's pitch units.
#[derive(Clone, Copy)]
enum Pitch {
    Key,
    Cps,
    Oct,
    Pch,
}

/// A key (with a fractional bend in semitones) in `unit`. Hz go through
/// csound's octave table, as its `cpsmidi` does (measured).
fn key_in(unit: Pitch, key: f64, rates: &Rates) -> f64 {
    match unit {
        Pitch::Key => key,
        Pitch::Cps => super::math::cpsoct(key / 12.0 + 3.0, rates),
        Pitch::Oct => key / 12.0 + 3.0,
        Pitch::Pch => {
            let oct = key / 12.0 + 3.0;
            let whole = oct.floor();
            whole + (oct - whole) * 0.12
        }
    }
}

/// `notnum`, `cpsmidi`, `octmidi`, `pchmidi`: the note's key, once; with a
/// bend (`cpsmidib`, `octmidib`, `pchmidib`) every block too.
struct NoteNumber {
    out: Output,
    unit: Pitch,
    /// Pitch-bend range in semitones (None: no bend).
    range: Option<Input>,
    midi: Arc<MidiState>,
}

impl NoteNumber {
    fn value(&self, ctx: &Ctx) -> f64 {
        let key = f64::from(ctx.note.midi_key);
        let bend = match self.range {
            Some(r) if ctx.note.midi_channel > 0 => {
                self.midi.bend(usize::from(ctx.note.midi_channel - 1)) * r.get()
            }
            _ => 0.0,
        };
        key_in(self.unit, key + bend, &ctx.rates)
    }
}

impl Opcode for NoteNumber {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.out.set(self.value(ctx));
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.out.set(self.value(ctx));
        Ok(())
    }
}

fn build_pitch(a: &Args, unit: Pitch, bend: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(NoteNumber {
        out: a.out(0),
        unit,
        range: bend.then(|| a.input(0)),
        midi: state(a),
    })
}

/// `veloc [ilow, ihigh]`, `ampmidi iscal [, ifn]`, `midichn`: the note's
/// velocity (scaled) or channel.
struct Velocity {
    out: Output,
    kind: VelocityKind,
    a: Input,
    b: Input,
}

#[derive(Clone, Copy)]
enum VelocityKind {
    /// ilow + vel / 127 * (ihigh - ilow).
    Veloc,
    /// iscal * vel / 128, through table ifn when given.
    Amp,
    Channel,
}

impl Opcode for Velocity {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let vel = f64::from(ctx.note.midi_velocity);
        let v = match self.kind {
            VelocityKind::Veloc => {
                let (lo, hi) = (self.a.get(), self.b.get());
                lo + vel / 127.0 * (hi - lo)
            }
            VelocityKind::Amp => {
                let scale = self.a.get();
                let fn_number = self.b.get();
                if fn_number > 0.0 {
                    let Some(t) = ctx.tables.get(fn_number) else {
                        return Err(ctx.fail(format_args!("ampmidi: table {fn_number} not found")));
                    };
                    t.get((vel / 128.0 * t.len() as f64) as usize) * scale
                } else {
                    vel / 128.0 * scale
                }
            }
            VelocityKind::Channel => f64::from(ctx.note.midi_channel),
        };
        self.out.set(v);
        Ok(())
    }
}

/// Where a controller-style value comes from.
#[derive(Clone, Copy)]
enum Source {
    /// Controllers on a given channel (`ctrl7`...): MSB first, 1 to 3 of them.
    Controllers {
        channel: Input,
        numbers: [Input; 3],
        count: usize,
    },
    /// Controllers on the note's own channel (`midic7`...).
    NoteControllers {
        numbers: [Input; 3],
        count: usize,
    },
    /// `midictrl inum`: one controller of the note's channel, 0-127.
    PitchBend,
    Aftertouch,
    /// Aftertouch of key `inote` on the note's channel.
    Poly(Input),
}

/// A MIDI value scaled into [min, max], optionally through a normalized
/// table: `ctrl7/14/21`, `midic7/14/21`, `midictrl`, `pchbend`, `aftouch`,
/// `polyaft`. Computed at init and, at k-rate, every block.
struct Controller {
    out: Output,
    source: Source,
    min: Input,
    max: Input,
    table: Option<Input>,
    midi: Arc<MidiState>,
    every_block: bool,
}

impl Controller {
    /// The raw value, normalised to 0..1 (pitch bend: -1..1).
    fn normalised(&self, ctx: &Ctx) -> f64 {
        let note_channel = usize::from(ctx.note.midi_channel.max(1) - 1);
        let controllers = |channel: usize, numbers: &[Input; 3], count: usize| {
            let mut v = 0.0;
            for n in &numbers[..count] {
                let number = n.get().max(0.0) as usize;
                v = v * 128.0 + self.midi.controller(channel, number);
            }
            v / f64::from((1u32 << (7 * count)) - 1)
        };
        match self.source {
            Source::Controllers {
                channel,
                numbers,
                count,
            } => {
                let ch = (channel.get() as i64 - 1).clamp(0, 15) as usize;
                controllers(ch, &numbers, count)
            }
            Source::NoteControllers { numbers, count } => {
                controllers(note_channel, &numbers, count)
            }
            Source::PitchBend => self.midi.bend(note_channel),
            Source::Aftertouch => f64::from(self.midi.aftertouch(note_channel)) / 127.0,
            Source::Poly(key) => {
                let key = key.get().clamp(0.0, 127.0) as usize;
                f64::from(self.midi.poly_aftertouch(note_channel, key)) / 127.0
            }
        }
    }

    fn value(&self, ctx: &mut Ctx) -> Result<f64, Failed> {
        let mut v = self.normalised(ctx);
        if let Some(t) = self.table {
            let n = t.get();
            if n > 0.0 {
                let Some(table) = ctx.tables.get(n) else {
                    return Err(ctx.fail(format_args!("table {n} not found")));
                };
                v = table.get((v * (table.len() as f64 - 1.0)).max(0.0) as usize);
            }
        }
        let (lo, hi) = (self.min.get(), self.max.get());
        // pchbend too: imin + bend * (imax - imin), the bend from -1 to 1
        // (so -1, 1 gives -3 to 1, as csound 6.18 does; measured).
        Ok(lo + v * (hi - lo))
    }
}

impl Opcode for Controller {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let v = self.value(ctx)?;
        self.out.set(v);
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.every_block {
            let v = self.value(ctx)?;
            self.out.set(v);
        }
        Ok(())
    }
}

/// `ctrl7 ichan, ictlno, min, max [, ifn]` and its 14- and 21-bit kin
/// (`count` controllers); `midic7 ictlno, min, max [, ifn]` and kin with
/// `on_note_channel`.
fn build_controllers(
    a: &Args,
    count: usize,
    on_note_channel: bool,
) -> Result<Box<dyn Opcode>, String> {
    let first = usize::from(!on_note_channel);
    let numbers = [a.input(first), a.input(first + 1), a.input(first + 2)];
    let source = if on_note_channel {
        Source::NoteControllers { numbers, count }
    } else {
        Source::Controllers {
            channel: a.input(0),
            numbers,
            count,
        }
    };
    let m = first + count;
    boxed(Controller {
        out: a.out(0),
        source,
        min: a.input(m),
        max: a.input(m + 1),
        table: Some(a.input(m + 2)),
        midi: state(a),
        every_block: a.out_rate(0) != super::Rate::Init,
    })
}

/// `midictrl inum [, imin, imax]`, `aftouch`, `polyaft inote [...]`,
/// `pchbend [imin, imax]`.
fn build_note_value(a: &Args, source: Source, first: usize) -> Result<Box<dyn Opcode>, String> {
    boxed(Controller {
        out: a.out(0),
        source,
        min: a.input(first),
        max: a.input(first + 1),
        table: None,
        midi: state(a),
        every_block: a.out_rate(0) != super::Rate::Init,
    })
}

fn build_midictrl(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let numbers = [a.input(0), Input::zero(), Input::zero()];
    build_note_value(a, Source::NoteControllers { numbers, count: 1 }, 1)
}

/// `initc7 ichan, ictlno, ivalue` (and 14, 21 bits): set controllers from a
/// value between 0 and 1.
struct InitController {
    channel: Input,
    numbers: [Input; 3],
    count: usize,
    value: Input,
    midi: Arc<MidiState>,
}

impl Opcode for InitController {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let value = self.value.get();
        if !(0.0..=1.0).contains(&value) {
            return Err(ctx.fail(format_args!(
                "initc{}: the value must be between 0 and 1, not {value}",
                7 * self.count
            )));
        }
        let channel = (self.channel.get() as i64 - 1).clamp(0, 15) as usize;
        let number = |i: usize| self.numbers[i].get().max(0.0) as usize;
        if self.count == 1 {
            // csound 6.18 stores ivalue * 127 + 0.5, fraction and all
            // (initc7 0.25 then reads as 32.25 of 127; measured).
            self.midi
                .set_controller(channel, number(0), value * 127.0 + 0.5);
            return Ok(());
        }
        let full = (1u32 << (7 * self.count)) - 1;
        let mut v = (value * f64::from(full)).round() as u32;
        for i in (0..self.count).rev() {
            self.midi
                .set_controller(channel, number(i), f64::from(v & 0x7f));
            v >>= 7;
        }
        Ok(())
    }
}

fn build_initc(a: &Args, count: usize) -> Result<Box<dyn Opcode>, String> {
    boxed(InitController {
        channel: a.input(0),
        numbers: [a.input(1), a.input(2), a.input(3)],
        count,
        value: a.input(1 + count),
        midi: state(a),
    })
}

/// An instrument given by number or by name (`massign 1, "lead"`).
fn instrument_argument(a: &Args, i: usize) -> Result<Option<i64>, String> {
    if let Some(name) = a.text(i) {
        return match a.instr_names.get(name.as_ref()) {
            Some(n) => Ok(Some(*n)),
            None => Err(format!("{}: no instrument named \"{name}\"", a.name)),
        };
    }
    Ok(None)
}

/// `massign ichnl, insnum [, ireset]`: route a channel's notes (0: every
/// channel) to an instrument (0 or less: none).
struct Massign {
    channel: Input,
    instr: Input,
    named: Option<i64>,
    reset: Input,
    midi: Arc<MidiState>,
}

impl Opcode for Massign {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let instr = self.named.unwrap_or(self.instr.get() as i64);
        let ch = self.channel.get() as i64;
        let channel = (1..=16).contains(&ch).then(|| (ch - 1) as usize);
        self.midi.set_route(channel, instr);
        if self.reset.get() != 0.0 {
            self.midi.reset_channel_controllers(channel);
        }
        Ok(())
    }
}

/// `pgmassign ipgm, inst [, ichn]`: program ipgm (1-128, 0: all) selects
/// instrument inst on channel ichn (0: all).
struct Pgmassign {
    program: Input,
    instr: Input,
    named: Option<i64>,
    channel: Input,
    midi: Arc<MidiState>,
}

impl Opcode for Pgmassign {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let instr = self.named.unwrap_or(self.instr.get() as i64);
        let p = self.program.get() as i64;
        let ch = self.channel.get() as i64;
        let program = (1..=128).contains(&p).then(|| (p - 1) as usize);
        let channel = (1..=16).contains(&ch).then(|| (ch - 1) as usize);
        // 0 or less: program changes to it are ignored.
        self.midi.set_program(program, channel, instr.max(0));
        Ok(())
    }
}

/// `kstatus, kchan, kdata1, kdata2 midiin`: one message that arrived since
/// the last block (in order; status 0 when there is none).
struct MidiIn {
    outs: [Output; 4],
    next: u64,
    midi: Arc<MidiState>,
}

impl Opcode for MidiIn {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.next = self.midi.arrived();
        for o in self.outs {
            o.set(0.0);
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        // Messages older than the kept window are skipped.
        let arrived = self.midi.arrived();
        while self.next < arrived && self.midi.recent(self.next).is_none() {
            self.next += 1;
        }
        match self.midi.recent(self.next) {
            Some(m) => {
                self.next += 1;
                self.outs[0].set(f64::from(m.kind()));
                self.outs[1].set(m.channel() as f64 + 1.0);
                self.outs[2].set(f64::from(m.data1));
                self.outs[3].set(f64::from(m.data2));
            }
            // No message: the status is 0; channel and data keep the last
            // message's values, as in csound (measured).
            None => self.outs[0].set(0.0),
        }
        Ok(())
    }
}

/// The interop opcodes: in a note MIDI started, overwrite their arguments
/// (p-fields, usually) with MIDI's values; in a score note leave them.
struct Interop {
    first: Input,
    second: Option<Input>,
    kind: InteropKind,
}

#[derive(Clone, Copy)]
enum InteropKind {
    /// `mididefault xdefault, xvalue`.
    Default,
    /// `midinoteonkey` / `cps` / `oct` / `pch xpitch, xvelocity`.
    NoteOn(Pitch),
}

impl Opcode for Interop {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if ctx.note.midi_channel == 0 {
            return Ok(());
        }
        match self.kind {
            InteropKind::Default => {
                if let Some(value) = self.second {
                    value.as_output().set(self.first.get());
                }
            }
            InteropKind::NoteOn(unit) => {
                let key = f64::from(ctx.note.midi_key);
                self.first.as_output().set(key_in(unit, key, &ctx.rates));
                if let Some(vel) = self.second {
                    vel.as_output().set(f64::from(ctx.note.midi_velocity));
                }
            }
        }
        Ok(())
    }
}

fn build_interop(a: &Args, kind: InteropKind) -> Result<Box<dyn Opcode>, String> {
    boxed(Interop {
        first: a.input(0),
        second: (a.ins.len() > 1).then(|| a.input(1)),
        kind,
    })
}

fn build_massign(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Massign {
        channel: a.input(0),
        instr: a.input(1),
        named: instrument_argument(a, 1)?,
        reset: a.input(2),
        midi: state(a),
    })
}

fn build_pgmassign(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Pgmassign {
        program: a.input(0),
        instr: a.input(1),
        named: instrument_argument(a, 1)?,
        channel: a.input(2),
        midi: state(a),
    })
}

fn build_midiin(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(MidiIn {
        outs: [a.out(0), a.out(1), a.out(2), a.out(3)],
        next: 0,
        midi: state(a),
    })
}

fn build_velocity(a: &Args, kind: VelocityKind) -> Result<Box<dyn Opcode>, String> {
    boxed(Velocity {
        out: a.out(0),
        kind,
        a: a.input(0),
        b: a.input(1),
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "notnum",
        "i",
        "",
        Pass::Init,
        |a| build_pitch(a, Pitch::Key, false),
        "the key (0-127) of the MIDI note that started this note",
    ),
    spec(
        "cpsmidi",
        "i",
        "",
        Pass::Init,
        |a| build_pitch(a, Pitch::Cps, false),
        "the MIDI note's key in cycles per second",
    ),
    spec(
        "octmidi",
        "i",
        "",
        Pass::Init,
        |a| build_pitch(a, Pitch::Oct, false),
        "the MIDI note's key in octave-point-decimal",
    ),
    spec(
        "pchmidi",
        "i",
        "",
        Pass::Init,
        |a| build_pitch(a, Pitch::Pch, false),
        "the MIDI note's key in octave-point-pitch-class",
    ),
    spec(
        "cpsmidib",
        "i",
        "p",
        Pass::Init,
        |a| build_pitch(a, Pitch::Cps, true),
        "the MIDI note's key moved by the channel's pitch bend (irange semitones at full bend), in cycles per second",
    ),
    spec(
        "cpsmidib",
        "k",
        "p",
        Pass::Both,
        |a| build_pitch(a, Pitch::Cps, true),
        "the MIDI note's key moved by the channel's pitch bend (irange semitones at full bend), in cycles per second",
    ),
    spec(
        "octmidib",
        "i",
        "p",
        Pass::Init,
        |a| build_pitch(a, Pitch::Oct, true),
        "the MIDI note's key moved by the channel's pitch bend, in octave-point-decimal",
    ),
    spec(
        "octmidib",
        "k",
        "p",
        Pass::Both,
        |a| build_pitch(a, Pitch::Oct, true),
        "the MIDI note's key moved by the channel's pitch bend, in octave-point-decimal",
    ),
    spec(
        "pchmidib",
        "i",
        "p",
        Pass::Init,
        |a| build_pitch(a, Pitch::Pch, true),
        "the MIDI note's key moved by the channel's pitch bend, in octave-point-pitch-class",
    ),
    spec(
        "pchmidib",
        "k",
        "p",
        Pass::Both,
        |a| build_pitch(a, Pitch::Pch, true),
        "the MIDI note's key moved by the channel's pitch bend, in octave-point-pitch-class",
    ),
    spec(
        "veloc",
        "i",
        "oh",
        Pass::Init,
        |a| build_velocity(a, VelocityKind::Veloc),
        "the MIDI note's velocity mapped from 0-127 onto ilow..ihigh",
    ),
    spec(
        "ampmidi",
        "i",
        "io",
        Pass::Init,
        |a| build_velocity(a, VelocityKind::Amp),
        "the MIDI note's velocity as an amplitude from 0 to iscal (velocity / 128), optionally through table ifn",
    ),
    spec(
        "midichn",
        "i",
        "",
        Pass::Init,
        |a| build_velocity(a, VelocityKind::Channel),
        "the MIDI channel (1-16) of the note that started this note, 0 for a score note",
    ),
    spec(
        "ctrl7",
        "i",
        "iiiio",
        Pass::Init,
        |a| build_controllers(a, 1, false),
        "controller ictlno of MIDI channel ichan, scaled from 0-127 onto min..max (optionally through table ifn)",
    ),
    spec(
        "ctrl7",
        "k",
        "iikko",
        Pass::Both,
        |a| build_controllers(a, 1, false),
        "controller ictlno of MIDI channel ichan, scaled from 0-127 onto min..max (optionally through table ifn)",
    ),
    spec(
        "ctrl14",
        "i",
        "iiiiio",
        Pass::Init,
        |a| build_controllers(a, 2, false),
        "two controllers (MSB, LSB) of MIDI channel ichan as one 14-bit value scaled onto min..max",
    ),
    spec(
        "ctrl14",
        "k",
        "iiikko",
        Pass::Both,
        |a| build_controllers(a, 2, false),
        "two controllers (MSB, LSB) of MIDI channel ichan as one 14-bit value scaled onto min..max",
    ),
    spec(
        "ctrl21",
        "i",
        "iiiiiio",
        Pass::Init,
        |a| build_controllers(a, 3, false),
        "three controllers of MIDI channel ichan as one 21-bit value scaled onto min..max",
    ),
    spec(
        "ctrl21",
        "k",
        "iiiikko",
        Pass::Both,
        |a| build_controllers(a, 3, false),
        "three controllers of MIDI channel ichan as one 21-bit value scaled onto min..max",
    ),
    spec(
        "midic7",
        "i",
        "iiio",
        Pass::Init,
        |a| build_controllers(a, 1, true),
        "controller ictlno of the note's MIDI channel, scaled from 0-127 onto min..max",
    ),
    spec(
        "midic7",
        "k",
        "ikko",
        Pass::Both,
        |a| build_controllers(a, 1, true),
        "controller ictlno of the note's MIDI channel, scaled from 0-127 onto min..max",
    ),
    spec(
        "midic14",
        "i",
        "iiiio",
        Pass::Init,
        |a| build_controllers(a, 2, true),
        "two controllers (MSB, LSB) of the note's MIDI channel as a 14-bit value scaled onto min..max",
    ),
    spec(
        "midic14",
        "k",
        "iikko",
        Pass::Both,
        |a| build_controllers(a, 2, true),
        "two controllers (MSB, LSB) of the note's MIDI channel as a 14-bit value scaled onto min..max",
    ),
    spec(
        "midic21",
        "i",
        "iiiiio",
        Pass::Init,
        |a| build_controllers(a, 3, true),
        "three controllers of the note's MIDI channel as a 21-bit value scaled onto min..max",
    ),
    spec(
        "midic21",
        "k",
        "iiikko",
        Pass::Both,
        |a| build_controllers(a, 3, true),
        "three controllers of the note's MIDI channel as a 21-bit value scaled onto min..max",
    ),
    spec(
        "midictrl",
        "i",
        "ioh",
        Pass::Init,
        build_midictrl,
        "controller inum of the note's MIDI channel, mapped from 0-127 onto imin..imax",
    ),
    spec(
        "midictrl",
        "k",
        "ioh",
        Pass::Both,
        build_midictrl,
        "controller inum of the note's MIDI channel, mapped from 0-127 onto imin..imax",
    ),
    spec(
        "aftouch",
        "k",
        "oh",
        Pass::Both,
        |a| build_note_value(a, Source::Aftertouch, 0),
        "the note's MIDI channel aftertouch, mapped from 0-127 onto imin..imax",
    ),
    spec(
        "polyaft",
        "i",
        "ioh",
        Pass::Init,
        |a| build_note_value(a, Source::Poly(a.input(0)), 1),
        "the polyphonic aftertouch of key inote on the note's MIDI channel, mapped onto ilow..ihigh",
    ),
    spec(
        "polyaft",
        "k",
        "ioh",
        Pass::Both,
        |a| build_note_value(a, Source::Poly(a.input(0)), 1),
        "the polyphonic aftertouch of key inote on the note's MIDI channel, mapped onto ilow..ihigh",
    ),
    spec(
        "pchbend",
        "i",
        "jp",
        Pass::Init,
        |a| build_note_value(a, Source::PitchBend, 0),
        "the pitch bend of the note's MIDI channel (-1 to 1) as imin + bend * (imax - imin); imin -1, imax 1 by default",
    ),
    spec(
        "pchbend",
        "k",
        "jp",
        Pass::Both,
        |a| build_note_value(a, Source::PitchBend, 0),
        "the pitch bend of the note's MIDI channel (-1 to 1) as imin + bend * (imax - imin); imin -1, imax 1 by default",
    ),
    spec(
        "initc7",
        "",
        "iii",
        Pass::Init,
        |a| build_initc(a, 1),
        "set controller ictlno of MIDI channel ichan to ivalue (0 to 1) of its range",
    ),
    spec(
        "initc14",
        "",
        "iiii",
        Pass::Init,
        |a| build_initc(a, 2),
        "set a 14-bit controller pair of MIDI channel ichan to ivalue (0 to 1) of its range",
    ),
    spec(
        "initc21",
        "",
        "iiiii",
        Pass::Init,
        |a| build_initc(a, 3),
        "set a 21-bit controller triple of MIDI channel ichan to ivalue (0 to 1) of its range",
    ),
    spec(
        "massign",
        "",
        "iTp",
        Pass::Init,
        build_massign,
        "route MIDI channel ichnl's notes (0: every channel) to instrument insnum (0 or less: none)",
    ),
    spec(
        "pgmassign",
        "",
        "iTo",
        Pass::Init,
        build_pgmassign,
        "make MIDI program ipgm (1-128, 0: all) select instrument inst, on channel ichn (0: all)",
    ),
    spec(
        "midiin",
        "kkkk",
        "",
        Pass::Both,
        build_midiin,
        "the next MIDI message received: status kind (144 note on...), channel, data1, data2; status 0 when none",
    ),
    spec(
        "mididefault",
        "",
        "ii",
        Pass::Init,
        |a| build_interop(a, InteropKind::Default),
        "in a note MIDI started, set xvalue (a p-field) to xdefault; in a score note leave it",
    ),
    spec(
        "midinoteonkey",
        "",
        "ii",
        Pass::Init,
        |a| build_interop(a, InteropKind::NoteOn(Pitch::Key)),
        "in a note MIDI started, set xkey and xvelocity (p-fields) to the MIDI key and velocity",
    ),
    spec(
        "midinoteoncps",
        "",
        "ii",
        Pass::Init,
        |a| build_interop(a, InteropKind::NoteOn(Pitch::Cps)),
        "in a note MIDI started, set xcps and xvelocity (p-fields) to the MIDI key in Hz and the velocity",
    ),
    spec(
        "midinoteonoct",
        "",
        "ii",
        Pass::Init,
        |a| build_interop(a, InteropKind::NoteOn(Pitch::Oct)),
        "in a note MIDI started, set xoct and xvelocity (p-fields) to the MIDI key in octave-point-decimal and the velocity",
    ),
    spec(
        "midinoteonpch",
        "",
        "ii",
        Pass::Init,
        |a| build_interop(a, InteropKind::NoteOn(Pitch::Pch)),
        "in a note MIDI started, set xpch and xvelocity (p-fields) to the MIDI key in octave-point-pitch-class and the velocity",
    ),
];
