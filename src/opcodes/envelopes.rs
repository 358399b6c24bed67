//! Envelope generators: `line`, `expon`, `linseg`, `expseg`, `expsega`,
//! `linen`, `linsegb`/`expsegb` (segments given by breakpoint times) and
//! `cosseg`/`cossegb` (half-cosine segments).
//!
//! Timing follows Csound 6.18 as observed sample by sample: the audio-rate
//! forms count segments in samples and the control-rate forms in blocks.
//! A segment of `dur` seconds lasts `(int)(dur * rate + 0.5)` ticks, while
//! `expseg`'s ratio per tick uses the unrounded `dur * rate`, so its value
//! jumps to the target when the (rounded) count runs out.

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Ticks per call: `ksmps` for an audio output, 1 for a control output.
fn ticks(a: &Args) -> usize {
    if a.out_rate(0) == Rate::Audio {
        a.ksmps
    } else {
        1
    }
}

/// Ticks per second for this opcode: `sr` at audio rate, `kr` at control rate.
fn tick_rate(ctx: &Ctx, samples: usize) -> f64 {
    if samples == 1 {
        ctx.rates.kr
    } else {
        ctx.rates.sr
    }
}

/// `line ia, idur, ib` (straight line, continuing past `idur`) and
/// `expon ia, idur, ib` (exponential curve, continuing past `idur`).
struct Line {
    out: Output,
    start: Input,
    dur: Input,
    end: Input,
    samples: usize,
    exponential: bool,
    val: f64,
    /// Added (line) or multiplied (expon) each tick.
    step: f64,
}

fn build_line(a: &Args, exponential: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Line {
        out: a.out(0),
        start: a.input(0),
        dur: a.input(1),
        end: a.input(2),
        samples: ticks(a),
        exponential,
        val: 0.0,
        step: 0.0,
    })
}

impl Opcode for Line {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (a, dur, b) = (self.start.get(), self.dur.get(), self.end.get());
        let ticks = dur * tick_rate(ctx, self.samples);
        if dur <= 0.0 {
            // csound skips set-up for a non-positive duration: the output
            // stays 0 (observed for both line and expon).
            self.val = 0.0;
            self.step = if self.exponential { 1.0 } else { 0.0 };
            return Ok(());
        }
        self.val = a;
        if self.exponential {
            if a == 0.0 || b == 0.0 || (a < 0.0) != (b < 0.0) {
                return Err(ctx.fail(format_args!(
                    "expon: values must be non-zero and of the same sign ({a}, {b})"
                )));
            }
            self.step = (b / a).powf(1.0 / ticks);
        } else {
            // Per block, as csound: the audio form spreads each block's
            // step over its samples (see `perform`).
            self.step = (b - a) / dur / ctx.rates.kr;
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        if self.exponential {
            for i in 0..self.samples {
                self.out.set_at(i, self.val);
                self.val *= self.step;
            }
        } else {
            // csound's `line` keeps its value per block and interpolates
            // from there, so integer crossings land on the same samples.
            let mut v = self.val;
            let inc = self.step / self.samples as f64;
            for i in 0..self.samples {
                self.out.set_at(i, v);
                v += inc;
            }
            self.val += self.step;
        }
        Ok(())
    }
}

/// One segment of `linseg`/`expseg`: its length in ticks (rounded), its
/// length unrounded (for `expseg`'s ratio) and the value it ends on.
#[derive(Clone, Copy, Default)]
struct Segment {
    count: i64,
    length: f64,
    target: f64,
}

/// `linseg ia, idur1, ib [, idur2, ic ...]` and `expseg` (the same with
/// exponential segments).
struct Segments {
    out: Output,
    start: Input,
    /// (duration, value) input pairs.
    points: Vec<(Input, Input)>,
    segments: Vec<Segment>,
    samples: usize,
    exponential: bool,
    /// `linsegb`/`expsegb`: the "durations" are times from the note's start.
    absolute: bool,
    /// Csound skips set-up when the first duration is not positive, and the
    /// output stays 0.
    active: bool,
    val: f64,
    step: f64,
    /// Ticks left in the current segment.
    left: i64,
    index: usize,
    /// Past the last segment: `linseg` holds, `expseg` keeps its last ratio.
    done: bool,
}

/// The `(duration, value)` pairs after the start value of a segment
/// envelope's arguments (`ia, idur1, ib [, idur2, ic ...]`).
fn segment_points(a: &Args) -> Result<Vec<(Input, Input)>, String> {
    if a.ins.len() < 3 || a.ins.len().is_multiple_of(2) {
        return Err("needs an odd number of arguments: ia, idur1, ib [, idur2, ic ...]".into());
    }
    Ok((1..a.ins.len())
        .step_by(2)
        .map(|i| (a.input(i), a.input(i + 1)))
        .collect())
}

fn build_segments(a: &Args, exponential: bool) -> Result<Box<dyn Opcode>, String> {
    build_segments_of(a, exponential, false)
}

fn build_segments_of(
    a: &Args,
    exponential: bool,
    absolute: bool,
) -> Result<Box<dyn Opcode>, String> {
    let points = segment_points(a)?;
    let n = points.len();
    boxed(Segments {
        out: a.out(0),
        start: a.input(0),
        points,
        segments: vec![Segment::default(); n],
        samples: ticks(a),
        exponential,
        absolute,
        active: false,
        val: 0.0,
        step: 0.0,
        left: 0,
        index: 0,
        done: false,
    })
}

impl Segments {
    /// Start segment `self.index` from the current value. A zero-length
    /// segment jumps at once, except in k-rate `linseg`, where csound shows
    /// the jump one block later.
    fn enter(&mut self) {
        let audio = self.samples > 1;
        loop {
            let s = self.segments[self.index];
            if s.count > 0 {
                self.left = s.count;
                self.step = if self.exponential {
                    (s.target / self.val).powf(1.0 / s.length)
                } else {
                    (s.target - self.val) / s.count as f64
                };
                return;
            }
            if !audio && !self.exponential {
                self.left = 1;
                self.step = if self.exponential { 1.0 } else { 0.0 };
                return;
            }
            self.val = s.target;
            if self.index + 1 == self.segments.len() {
                self.finish();
                return;
            }
            self.index += 1;
        }
    }

    fn finish(&mut self) {
        self.done = true;
        if !self.exponential {
            self.val = self.segments[self.index].target;
            self.step = 0.0;
        }
    }

    #[inline]
    fn tick(&mut self) -> f64 {
        let out = self.val;
        if self.done {
            if self.exponential {
                self.val *= self.step;
            }
            return out;
        }
        self.left -= 1;
        if self.left > 0 {
            if self.exponential {
                self.val *= self.step;
            } else {
                self.val += self.step;
            }
        } else if self.index + 1 < self.segments.len() {
            self.val = self.segments[self.index].target;
            self.index += 1;
            self.enter();
        } else if self.exponential {
            // Csound's expseg does not stop at its last value: it goes on
            // with the last segment's ratio.
            self.done = true;
            self.val *= self.step;
        } else {
            self.finish();
        }
        out
    }
}

impl Opcode for Segments {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = tick_rate(ctx, self.samples);
        let first = self.start.get();
        let name = if self.exponential { "expseg" } else { "linseg" };
        // linsegb/expsegb: each breakpoint time is rounded to a tick, and a
        // segment lasts from the previous breakpoint's tick to its own.
        let (mut before, mut before_tick) = (0.0, 0);
        for (k, (dur, value)) in self.points.iter().enumerate() {
            let (dur, target) = (dur.get(), value.get());
            if self.exponential && (target == 0.0 || (target < 0.0) != (first < 0.0)) {
                return Err(ctx.fail(format_args!(
                    "{name}: values must be non-zero and of one sign ({first}, {target})"
                )));
            }
            let (length, count) = if self.absolute {
                let tick = (dur * rate + 0.5) as i64;
                let seg = ((dur - before) * rate, tick - before_tick);
                (before, before_tick) = (dur, tick);
                seg
            } else {
                let length = dur * rate;
                (length, (length + 0.5) as i64)
            };
            self.segments[k] = Segment {
                count: count.max(0),
                length,
                target,
            };
        }
        if self.exponential && first == 0.0 {
            return Err(ctx.fail(format_args!("{name}: values must be non-zero")));
        }
        self.active = self.points[0].0.get() > 0.0;
        self.val = if self.active { first } else { 0.0 };
        self.index = 0;
        self.done = false;
        if self.active {
            self.enter();
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        if !self.active {
            for i in 0..self.samples {
                self.out.set_at(i, 0.0);
            }
            return Ok(());
        }
        for i in 0..self.samples {
            let v = self.tick();
            self.out.set_at(i, v);
        }
        Ok(())
    }
}

/// One half-cosine segment of `cosseg`: from `start` to `end` in `count`
/// ticks.
#[derive(Clone, Copy, Default)]
struct CosSegment {
    start: f64,
    end: f64,
    count: i64,
}

/// `cosseg ia, idur1, ib [, idur2, ic ...]` and `cossegb` (breakpoint
/// times): `start + (end - start) (1 - cos(pi j / n)) / 2` at tick `j` of
/// a segment of `n` ticks, holding the last value after the end. As in
/// csound 6.18 (measured), the first segment gives up its last tick: the
/// second begins one tick early, and so every later breakpoint.
struct CosSeg {
    out: Output,
    start: Input,
    points: Vec<(Input, Input)>,
    segments: Vec<CosSegment>,
    samples: usize,
    absolute: bool,
    active: bool,
    index: usize,
    tick: i64,
    left: i64,
    last: f64,
}

fn build_cosseg(a: &Args, absolute: bool) -> Result<Box<dyn Opcode>, String> {
    let points = segment_points(a)?;
    let n = points.len();
    boxed(CosSeg {
        out: a.out(0),
        start: a.input(0),
        points,
        segments: vec![CosSegment::default(); n],
        samples: ticks(a),
        absolute,
        active: false,
        index: 0,
        tick: 0,
        left: 0,
        last: 0.0,
    })
}

impl CosSeg {
    #[inline]
    fn advance(&mut self) -> f64 {
        while self.left <= 0 {
            self.index += 1;
            if self.index >= self.segments.len() {
                return self.last;
            }
            self.tick = 0;
            self.left = self.segments[self.index].count;
        }
        let s = self.segments[self.index];
        let x = self.tick as f64 / s.count as f64;
        self.tick += 1;
        self.left -= 1;
        s.start + (s.end - s.start) * (1.0 - (std::f64::consts::PI * x).cos()) * 0.5
    }
}

impl Opcode for CosSeg {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = tick_rate(ctx, self.samples);
        let mut value = self.start.get();
        let mut before_tick = 0;
        for (k, (dur, target)) in self.points.iter().enumerate() {
            let (dur, target) = (dur.get(), target.get());
            let count = if self.absolute {
                let tick = (dur * rate + 0.5) as i64;
                let n = tick - before_tick;
                before_tick = tick;
                n
            } else {
                (dur * rate + 0.5) as i64
            };
            self.segments[k] = CosSegment {
                start: value,
                end: target,
                count: count.max(0),
            };
            value = target;
        }
        self.last = value;
        self.active = self.points[0].0.get() > 0.0;
        self.index = 0;
        self.tick = 0;
        self.left = self.segments[0].count - 1;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let v = if self.active { self.advance() } else { 0.0 };
            self.out.set_at(i, v);
        }
        Ok(())
    }
}

/// `ares expsega ia, idur1, ib [, idur2, ic ...]`: exponential segments
/// at audio rate, each recomputed from its own start value (so rounding
/// does not carry from one to the next), the last one going on with its
/// ratio. Each lasts `(int)(dur * sr + 0.5)` samples; its ratio per sample
/// uses the unrounded `dur * sr`.
struct ExpsegA {
    out: Output,
    start: Input,
    points: Vec<(Input, Input)>,
    /// (samples, start value, ratio per sample) per segment.
    segs: Vec<(i64, f64, f64)>,
    samples: usize,
    active: bool,
    index: usize,
    left: i64,
    val: f64,
}

fn build_expsega(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let points = segment_points(a)?;
    let n = points.len();
    boxed(ExpsegA {
        out: a.out(0),
        start: a.input(0),
        points,
        segs: vec![(0, 0.0, 1.0); n],
        samples: a.ksmps,
        active: false,
        index: 0,
        left: 0,
        val: 0.0,
    })
}

impl Opcode for ExpsegA {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        let mut from = self.start.get();
        for (k, (dur, value)) in self.points.iter().enumerate() {
            let (dur, target) = (dur.get(), value.get());
            if from * target <= 0.0 {
                let which = if from == 0.0 { k + 1 } else { k + 2 };
                return Err(ctx.fail(format_args!(
                    "expsega: values must be non-zero and of one sign (value {which} is {})",
                    if from == 0.0 { from } else { target }
                )));
            }
            let length = dur * sr;
            let count = if k + 1 == self.points.len() {
                i64::MAX
            } else {
                (length + 0.5) as i64
            };
            self.segs[k] = (count, from, (target / from).powf(1.0 / length));
            from = target;
        }
        self.active = self.points[0].0.get() > 0.0;
        self.index = 0;
        self.left = self.segs[0].0;
        self.val = self.segs[0].1;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        if !self.active {
            for i in 0..self.samples {
                self.out.set_at(i, 0.0);
            }
            return Ok(());
        }
        for i in 0..self.samples {
            // Empty segments are passed over; a segment restarts from its
            // own start value.
            while self.left <= 0 {
                self.index += 1;
                self.left = self.segs[self.index].0;
                self.val = self.segs[self.index].1;
            }
            self.left -= 1;
            self.out.set_at(i, self.val);
            self.val *= self.segs[self.index].2;
        }
        Ok(())
    }
}

/// `linen xamp, irise, idur, idec`: straight rise, hold, straight decay,
/// multiplied by the amplitude. As in Csound, rise and decay overlap by
/// multiplying when `idur - idec < irise`, and the decay goes on below zero
/// after `idur`.
struct Linen {
    out: Output,
    amp: Input,
    rise: Input,
    dur: Input,
    dec: Input,
    samples: usize,
    /// Rising part: value, increment, ticks left.
    rise_val: f64,
    rise_inc: f64,
    rise_left: i64,
    /// Decay part: value, decrement, ticks before it starts.
    dec_val: f64,
    dec_inc: f64,
    dec_wait: i64,
}

fn build_linen(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Linen {
        out: a.out(0),
        amp: a.input(0),
        rise: a.input(1),
        dur: a.input(2),
        dec: a.input(3),
        samples: ticks(a),
        rise_val: 1.0,
        rise_inc: 0.0,
        rise_left: 0,
        dec_val: 1.0,
        dec_inc: 0.0,
        dec_wait: 0,
    })
}

impl Opcode for Linen {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = tick_rate(ctx, self.samples);
        self.rise_left = (self.rise.get() * rate + 0.5) as i64;
        if self.rise_left > 0 {
            self.rise_val = 0.0;
            self.rise_inc = 1.0 / self.rise_left as f64;
        } else {
            self.rise_left = 0;
            self.rise_val = 1.0;
            self.rise_inc = 0.0;
        }
        // Csound divides by the decay length plus one half, unrounded.
        let whole = self.dur.get() * rate + 0.5;
        let dec = self.dec.get() * rate + 0.5;
        self.dec_val = 1.0;
        if dec as i64 > 0 {
            self.dec_wait = (whole - dec) as i64;
            self.dec_inc = 1.0 / dec;
        } else {
            self.dec_wait = i64::MAX;
            self.dec_inc = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            self.out
                .set_at(i, self.amp.at(i) * self.rise_val * self.dec_val);
            if self.rise_left > 0 {
                self.rise_left -= 1;
                self.rise_val = if self.rise_left == 0 {
                    1.0
                } else {
                    self.rise_val + self.rise_inc
                };
            }
            if self.dec_wait > 0 {
                self.dec_wait -= 1;
            } else {
                self.dec_val -= self.dec_inc;
            }
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "line",
        "a",
        "iii",
        Pass::Both,
        |a| build_line(a, false),
        "straight line from ia to ib over idur seconds, continuing beyond",
    ),
    spec(
        "line",
        "k",
        "iii",
        Pass::Both,
        |a| build_line(a, false),
        "straight line from ia to ib over idur seconds, continuing beyond",
    ),
    spec(
        "expon",
        "a",
        "iii",
        Pass::Both,
        |a| build_line(a, true),
        "exponential curve from ia to ib over idur seconds, continuing beyond",
    ),
    spec(
        "expon",
        "k",
        "iii",
        Pass::Both,
        |a| build_line(a, true),
        "exponential curve from ia to ib over idur seconds, continuing beyond",
    ),
    spec(
        "linseg",
        "a",
        "iiim",
        Pass::Both,
        |a| build_segments(a, false),
        "straight-line segments through ia, ib, ...; holds the last value",
    ),
    spec(
        "linseg",
        "k",
        "iiim",
        Pass::Both,
        |a| build_segments(a, false),
        "straight-line segments through ia, ib, ...; holds the last value",
    ),
    spec(
        "expsega",
        "a",
        "iiim",
        Pass::Both,
        build_expsega,
        "exponential segments through ia, ib, ... at audio rate, each segment exact from its start value",
    ),
    spec(
        "linsegb",
        "a",
        "iiim",
        Pass::Both,
        // csound 6.18's audio-rate linsegb reads its times as durations,
        // as linseg does (measured); its control-rate form and expsegb
        // take them as breakpoints.
        |a| build_segments_of(a, false, false),
        "straight-line segments through ia, ib, ... (csound 6.18 takes the times as durations here)",
    ),
    spec(
        "linsegb",
        "k",
        "iiim",
        Pass::Both,
        |a| build_segments_of(a, false, true),
        "straight-line segments through ia at 0, ib at itim1, ic at itim2, ...",
    ),
    spec(
        "expsegb",
        "a",
        "iiim",
        Pass::Both,
        |a| build_segments_of(a, true, true),
        "exponential segments through ia at 0, ib at itim1, ic at itim2, ...",
    ),
    spec(
        "expsegb",
        "k",
        "iiim",
        Pass::Both,
        |a| build_segments_of(a, true, true),
        "exponential segments through ia at 0, ib at itim1, ic at itim2, ...",
    ),
    spec(
        "cosseg",
        "a",
        "iiim",
        Pass::Both,
        |a| build_cosseg(a, false),
        "half-cosine segments through ia, ib, ...; holds the last value",
    ),
    spec(
        "cosseg",
        "k",
        "iiim",
        Pass::Both,
        |a| build_cosseg(a, false),
        "half-cosine segments through ia, ib, ...; holds the last value",
    ),
    spec(
        "cossegb",
        "a",
        "iiim",
        Pass::Both,
        |a| build_cosseg(a, true),
        "half-cosine segments through ia at 0, ib at itim1, ic at itim2, ...",
    ),
    spec(
        "cossegb",
        "k",
        "iiim",
        Pass::Both,
        |a| build_cosseg(a, true),
        "half-cosine segments through ia at 0, ib at itim1, ic at itim2, ...",
    ),
    spec(
        "expseg",
        "a",
        "iiim",
        Pass::Both,
        |a| build_segments(a, true),
        "exponential segments through ia, ib, ... (non-zero, one sign)",
    ),
    spec(
        "expseg",
        "k",
        "iiim",
        Pass::Both,
        |a| build_segments(a, true),
        "exponential segments through ia, ib, ... (non-zero, one sign)",
    ),
    spec(
        "linen",
        "a",
        "xiii",
        Pass::Both,
        build_linen,
        "linear rise, hold and decay applied to an amplitude",
    ),
    spec(
        "linen",
        "k",
        "kiii",
        Pass::Both,
        build_linen,
        "linear rise, hold and decay applied to an amplitude",
    ),
];

#[cfg(test)]
pub(crate) mod harness {
    //! Drive one opcode by hand: memory, arguments and a context.

    use std::sync::Arc;

    use crate::engine::context::{Ctx, Messages, NoteState, Rates};
    use crate::engine::events::EventQueue;
    use crate::engine::signal::Memory;
    use crate::engine::table::{Table, TableStore};
    use crate::gens::TableData;
    use crate::opcodes::{Arg, Args, Opcode, OpcodeSpec, Rate};

    pub struct Rig {
        pub mem: Memory,
        pub op: Box<dyn Opcode>,
        pub tables: TableStore,
        pub rates: Rates,
        pub messages: Messages,
        pub out_cells: Vec<(usize, usize)>,
        pub may_allocate: bool,
    }

    /// An input: a constant, an audio buffer of `ksmps` values, or a string.
    #[allow(dead_code)]
    pub enum In {
        K(f64),
        A(Vec<f64>),
        S(&'static str),
    }

    /// Build `spec` with the given inputs and outputs (`'a'`/`'k'`/`'i'`).
    pub fn rig(spec: &OpcodeSpec, ins: &[In], outs: &str, sr: f64, ksmps: usize) -> Rig {
        let mut cells = Vec::new();
        let mut slots = Vec::new();
        for i in ins {
            slots.push(cells.len());
            match i {
                In::K(v) => cells.push(*v),
                In::A(v) => {
                    assert_eq!(v.len(), ksmps);
                    cells.extend(v)
                }
                In::S(_) => cells.push(0.0),
            }
        }
        let mut out_cells = Vec::new();
        for c in outs.chars() {
            let len = if c == 'a' { ksmps } else { 1 };
            out_cells.push((cells.len(), len));
            cells.extend(std::iter::repeat_n(0.0, len));
        }
        let mem = Memory::new(&cells);
        let args: Vec<Arg> = ins
            .iter()
            .zip(&slots)
            .map(|(i, &s)| {
                let (audio, len, rate) = match i {
                    In::A(_) => (true, ksmps, Rate::Audio),
                    In::K(_) => (false, 1, Rate::Control),
                    In::S(_) => (false, 1, Rate::Str),
                };
                Arg {
                    input: mem.input(s, audio, len),
                    rate,
                    constant: None,
                    text: match i {
                        In::S(t) => Some(Arc::from(*t)),
                        _ => None,
                    },
                    label: None,
                }
            })
            .collect();
        let outs_v: Vec<_> = outs
            .chars()
            .zip(&out_cells)
            .map(|(c, &(s, len))| (mem.output(s, len), Rate::from_letter(c).unwrap()))
            .collect();
        let channels = Arc::new(crate::engine::channels::Channels::default());
        let instr_names = std::collections::HashMap::new();
        let op = (spec.build)(&Args {
            name: spec.name,
            ins: &args,
            outs: &outs_v,
            ksmps,
            channels: &channels,
            instr_names: &instr_names,
            scope: &crate::opcodes::BuildScope::new(sr, None),
        })
        .unwrap();
        Rig {
            mem,
            op,
            tables: TableStore::default(),
            rates: Rates {
                sr,
                kr: sr / ksmps as f64,
                ksmps,
                nchnls: 2,
                nchnls_i: 2,
                zero_dbfs: 1.0,
                a4: 440.0,
            },
            messages: Messages::with_capacity(16),
            out_cells,
            may_allocate: true,
        }
    }

    pub fn find(name: &str, outs: &str, ins: &str) -> &'static OpcodeSpec {
        crate::opcodes::registry()
            .iter()
            .find(|s| s.name == name && s.outs == outs && s.ins == ins)
            .unwrap()
    }

    pub fn add_table(tables: &mut TableStore, n: i64, data: Vec<f64>) {
        let len = data.len() - 1;
        tables.reserve_number(n);
        tables.put(
            n,
            Arc::new(Table::new(&TableData {
                data,
                len,
                sample_rate: None,
                channels: 1,
                loops: [None; 2],
            })),
        );
    }

    impl Rig {
        fn with_ctx<R>(&mut self, f: impl FnOnce(&mut dyn Opcode, &mut Ctx) -> R) -> R {
            let mut spout = vec![0.0; self.rates.ksmps * 2];
            let mut events = EventQueue::with_capacity(4);
            let mut note = NoteState::default();
            let mut ctx = Ctx {
                rates: self.rates,
                tables: &mut self.tables,
                spout: &mut spout,
                spin: &[],
                messages: &mut self.messages,
                events: &mut events,
                note: &mut note,
                time: 0.0,
                kcount: 0,
                may_allocate: self.may_allocate,
            };
            f(self.op.as_mut(), &mut ctx)
        }

        pub fn init(&mut self) -> bool {
            self.with_ctx(|op, ctx| op.init(ctx).is_ok())
        }

        pub fn perform(&mut self) -> bool {
            self.with_ctx(|op, ctx| op.perform(ctx).is_ok())
        }

        /// Output `k` as it stands.
        pub fn out(&self, k: usize) -> Vec<f64> {
            let (s, len) = self.out_cells[k];
            (s..s + len).map(|i| self.mem.get(i)).collect()
        }

        /// Init, then `blocks` blocks, collecting output `k`.
        pub fn run(&mut self, blocks: usize, k: usize) -> Vec<f64> {
            assert!(self.init());
            let mut v = Vec::new();
            for _ in 0..blocks {
                assert!(self.perform());
                v.extend(self.out(k));
            }
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::harness::{In, find, rig};

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-6, "{a:?}\nvs\n{b:?}");
        }
    }

    fn k(v: &[f64]) -> Vec<In> {
        v.iter().map(|&x| In::K(x)).collect()
    }

    // Expected values below are csound 6.18 output (sr 100, ksmps 10).

    #[test]
    fn linseg_audio_counts_samples_and_jumps_zero_segments() {
        let spec = find("linseg", "a", "iiim");
        let mut r = rig(
            spec,
            &k(&[0.0, 0.034, 1.0, 0.0, 0.5, 0.026, 0.0]),
            "a",
            100.0,
            10,
        );
        let v = r.run(1, 0);
        close(
            &v,
            &[
                0.0,
                1.0 / 3.0,
                2.0 / 3.0,
                0.5,
                1.0 / 3.0,
                1.0 / 6.0,
                0.0,
                0.0,
                0.0,
                0.0,
            ],
        );
    }

    #[test]
    fn linseg_control_takes_a_block_for_a_jump() {
        let spec = find("linseg", "k", "iiim");
        let mut r = rig(
            spec,
            &k(&[0.0, 0.34, 1.0, 0.0, 0.5, 0.26, 0.0]),
            "k",
            100.0,
            10,
        );
        let v = r.run(9, 0);
        let t = 1.0 / 3.0;
        close(&v, &[0.0, t, 2.0 * t, 1.0, 0.5, t, t / 2.0, 0.0, 0.0]);
    }

    #[test]
    fn expseg_snaps_between_segments_and_runs_on_after_the_last() {
        let spec = find("expseg", "k", "iiim");
        let mut r = rig(spec, &k(&[1.0, 0.34, 2.0, 0.26, 1.0]), "k", 100.0, 10);
        let v = r.run(8, 0);
        let m1 = 2f64.powf(1.0 / 3.4);
        let m2 = 0.5f64.powf(1.0 / 2.6);
        close(
            &v,
            &[
                1.0,
                m1,
                m1 * m1,
                2.0,
                2.0 * m2,
                2.0 * m2 * m2,
                2.0 * m2.powi(3),
                2.0 * m2.powi(4),
            ],
        );
    }

    #[test]
    fn linen_overlapping_rise_and_decay_goes_negative() {
        let spec = find("linen", "k", "kiii");
        let mut r = rig(spec, &k(&[1.0, 0.3, 0.4, 0.2]), "k", 100.0, 10);
        let v = r.run(7, 0);
        close(&v, &[0.0, 1.0 / 3.0, 2.0 / 3.0, 0.6, 0.2, -0.2, -0.6]);
        let spec = find("linen", "a", "xiii");
        let mut r = rig(spec, &k(&[1.0, 0.3, 0.4, 0.2]), "a", 100.0, 10);
        let v = r.run(5, 0);
        assert!((v[21] - 0.6658537).abs() < 1e-6);
        assert!((v[41] + 0.02439024).abs() < 1e-6);
    }

    #[test]
    fn expon_audio_is_exponential_per_sample() {
        let spec = find("expon", "a", "iii");
        let mut r = rig(spec, &k(&[1.0, 0.25, 2.0]), "a", 100.0, 10);
        let v = r.run(3, 0);
        assert!((v[1] - 1.028113842).abs() < 1e-6);
        assert!((v[25] - 2.0).abs() < 1e-9);
    }
}
