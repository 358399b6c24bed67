//! `loscil` and `loscil3`: sample players reading a (GEN01) table at a
//! speed set by `kcps / ibas`, corrected for the file's sample rate, with a
//! sustain loop while the note holds and a release loop after it ends.
//!
//! Loop modes: 0 none, 1 forward, 2 forward and backward. The default mode
//! (-1) plays the loops the sound file names in its sampler chunk (GEN01
//! keeps them), or none. GEN01 keeps no base note, so the default base
//! frequency is middle C (261.626 Hz). A loop given with both points 0
//! covers the whole table. Past the table's last frame the output is 0.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::engine::table::Table;
use crate::gens::FileLoop;

/// A loop: its mode (0 none, 1 forward, 2 back and forth) and frames.
#[derive(Clone, Copy, Default)]
struct Loop {
    mode: i32,
    begin: f64,
    end: f64,
}

/// `ar1 [, ar2] loscil[3] xamp, kcps, ifn [, ibas] [, imod1] [, ibeg1]
/// [, iend1] [, imod2] [, ibeg2] [, iend2]`.
struct Loscil {
    name: &'static str,
    cubic: bool,
    outs: [Option<Output>; 2],
    amp: Input,
    cps: Input,
    table: Input,
    base: Input,
    loop_args: [Input; 6],
    samples: usize,
    /// Table frames per output sample at kcps = 1.
    speed: f64,
    sustain: Loop,
    release: Loop,
    /// Read position in frames, and whether it moves forward.
    phase: f64,
    forward: bool,
    /// Still in the sustain segment (the note has not been released).
    sustaining: bool,
}

fn build(a: &Args, name: &'static str, cubic: bool) -> Result<Box<dyn Opcode>, String> {
    if a.outs.len() > 2 {
        return Err(format!("{name}: gives one (mono) or two (stereo) outputs"));
    }
    boxed(Loscil {
        name,
        cubic,
        outs: [Some(a.out(0)), (a.outs.len() > 1).then(|| a.out(1))],
        amp: a.input(0),
        cps: a.input(1),
        table: a.input(2),
        base: a.input(3),
        loop_args: [
            a.input(4),
            a.input(5),
            a.input(6),
            a.input(7),
            a.input(8),
            a.input(9),
        ],
        samples: a.ksmps,
        speed: 1.0,
        sustain: Loop::default(),
        release: Loop::default(),
        phase: 0.0,
        forward: true,
        sustaining: true,
    })
}

/// Frames in `table` for `channels` interleaved channels.
fn frames(table: &Table, channels: usize) -> usize {
    table.len() / channels
}

impl Loscil {
    /// Read the loop `which` (0 sustain, 1 release) from its arguments.
    fn read_loop(
        &self,
        ctx: &mut Ctx,
        which: usize,
        frames: usize,
        from_file: Option<FileLoop>,
    ) -> Result<Loop, Failed> {
        let name = self.name;
        let [mode, begin, end] = [0, 1, 2].map(|k| self.loop_args[which * 3 + k].get());
        if mode < 0.0 {
            // The default: the loop the sound file names, if any.
            return Ok(match from_file {
                Some(l) => Loop {
                    mode: l.mode,
                    begin: l.begin.min(frames as f64),
                    end: l.end.min(frames as f64),
                },
                None => Loop::default(),
            });
        }
        let mode = mode as i32;
        if mode > 2 {
            return Err(ctx.fail(format_args!("{name}: illegal loop mode {mode}")));
        }
        let (begin, end) = (begin.trunc(), end.trunc());
        if mode == 0 {
            return Ok(Loop::default());
        }
        if begin == 0.0 && end == 0.0 {
            return Ok(Loop {
                mode,
                begin: 0.0,
                end: frames as f64,
            });
        }
        if begin < 0.0 || end <= begin || begin >= frames as f64 {
            return Err(ctx.fail(format_args!(
                "{name}: illegal loop points {begin} to {end} (table has {frames} frames)"
            )));
        }
        Ok(Loop {
            mode,
            begin,
            end: end.min(frames as f64),
        })
    }

    /// The table's value at `phase` (frames) on channel `ch` of `channels`.
    #[inline]
    fn read(&self, table: &Table, phase: f64, ch: usize, channels: usize) -> f64 {
        let i = phase.floor();
        let frac = phase - i;
        let i = i as i64;
        let at = |k: i64| {
            if k < 0 {
                0.0
            } else {
                table.get(k as usize * channels + ch)
            }
        };
        if self.cubic {
            // csound 6.18's loscil3 reads one frame ahead of loscil
            // (measured): the cubic runs through frames i .. i + 3 and is
            // taken between i + 1 and i + 2.
            let (ym1, y0, y1, y2) = (at(i), at(i + 1), at(i + 2), at(i + 3));
            let c1 = y1 - ym1 / 3.0 - y0 / 2.0 - y2 / 6.0;
            let c2 = (ym1 + y1) / 2.0 - y0;
            let c3 = (y2 - ym1) / 6.0 + (y0 - y1) / 2.0;
            ((c3 * frac + c2) * frac + c1) * frac + y0
        } else {
            let v = at(i);
            v + (at(i + 1) - v) * frac
        }
    }
}

/// Move `phase` by `step` inside `lp` (when it loops), turning round at
/// the ends of a back-and-forth loop.
#[inline]
fn advance(phase: &mut f64, forward: &mut bool, step: f64, lp: &Loop) {
    if *forward {
        *phase += step;
    } else {
        *phase -= step;
    }
    match lp.mode {
        1 if *phase >= lp.end => {
            let len = lp.end - lp.begin;
            while *phase >= lp.end {
                *phase -= len;
            }
        }
        2 => {
            if *forward && *phase >= lp.end {
                *phase = lp.end - (*phase - lp.end);
                *forward = false;
            } else if !*forward && *phase <= lp.begin {
                *phase = lp.begin + (lp.begin - *phase);
                *forward = true;
            }
        }
        _ => {}
    }
}

impl Opcode for Loscil {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let name = self.name;
        let n = self.table.get();
        let (channels, table_sr, frames, file_loops) = match ctx.tables.get(n) {
            None => return Err(ctx.fail(format_args!("{name}: table {n} does not exist"))),
            Some(t) => {
                let ch = t.channels.max(1) as usize;
                (ch, t.sample_rate, frames(t, ch), t.loops)
            }
        };
        let outs = self.outs.iter().flatten().count();
        if channels != outs {
            return Err(ctx.fail(format_args!(
                "{name}: table {n} has {channels} channel(s) but {outs} output(s) were given"
            )));
        }
        let base = match self.base.get() {
            b if b != 0.0 => b,
            _ => 261.626,
        };
        self.speed = table_sr.unwrap_or(ctx.rates.sr) / ctx.rates.sr / base;
        self.sustain = self.read_loop(ctx, 0, frames, file_loops[0])?;
        self.release = self.read_loop(ctx, 1, frames, file_loops[1])?;
        self.phase = 0.0;
        self.forward = true;
        self.sustaining = true;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let name = self.name;
        let n = self.table.get();
        if ctx.note.releasing && self.sustaining {
            self.sustaining = false;
            self.forward = true;
        }
        let Some(table) = ctx.tables.get(n) else {
            return Err(ctx.fail(format_args!("{name}: table {n} does not exist")));
        };
        let channels = table.channels.max(1) as usize;
        let end = frames(table, channels) as f64;
        let step = (self.cps.get() * self.speed).abs();
        let lp = if self.sustaining {
            self.sustain
        } else {
            self.release
        };
        let (mut phase, mut forward) = (self.phase, self.forward);
        for i in 0..self.samples {
            let amp = self.amp.at(i);
            for (ch, out) in self.outs.iter().enumerate() {
                if let Some(out) = out {
                    let v = if phase < end {
                        self.read(table, phase, ch, channels) * amp
                    } else {
                        0.0
                    };
                    out.set_at(i, v);
                }
            }
            advance(&mut phase, &mut forward, step, &lp);
        }
        self.phase = phase;
        self.forward = forward;
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "loscil",
        "m",
        "xkiojoojoo",
        Pass::Both,
        |a| build(a, a.name, false),
        "sample player: reads a GEN01 table at kcps/ibas with sustain and release loops",
    ),
    spec(
        "loscil3",
        "m",
        "xkiojoojoo",
        Pass::Both,
        |a| build(a, a.name, true),
        "sample player like loscil, reading with cubic interpolation",
    ),
];

/// `ares lposcil kamp, kfreqratio, kloop, kend, ifn [, iphs]`: a table
/// read at kfreqratio times its own rate (corrected for a sound file's
/// sample rate), looping between the k-rate points kloop and kend (in
/// samples), linearly interpolated. iphs is the start, in samples.
struct Lposcil {
    out: Output,
    amp: Input,
    ratio: Input,
    loop_start: Input,
    loop_end: Input,
    table: Input,
    iphase: Input,
    samples: usize,
    /// Table samples per output sample at kfreqratio 1.
    speed: f64,
    phase: f64,
}

fn build_lposcil(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Lposcil {
        out: a.out(0),
        amp: a.input(0),
        ratio: a.input(1),
        loop_start: a.input(2),
        loop_end: a.input(3),
        table: a.input(4),
        iphase: a.input(5),
        samples: a.ksmps,
        speed: 1.0,
        phase: 0.0,
    })
}

impl Opcode for Lposcil {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(t) = ctx.tables.get(n) else {
            return Err(ctx.fail(format_args!("lposcil: table {n} does not exist")));
        };
        self.speed = t.sample_rate.unwrap_or(ctx.rates.sr) / ctx.rates.sr;
        self.phase = self.iphase.get().max(0.0);
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(table) = ctx.tables.get(n) else {
            return Err(ctx.fail(format_args!("lposcil: table {n} does not exist")));
        };
        let len = table.len() as f64;
        let end = self.loop_end.get().min(len);
        let start = self.loop_start.get().max(0.0);
        if end <= start {
            return Err(ctx.fail(format_args!(
                "lposcil: loop end {end} is not after loop start {start}"
            )));
        }
        let step = self.ratio.get() * self.speed;
        let amp = self.amp.get();
        let mut phase = self.phase;
        for i in 0..self.samples {
            let whole = phase.floor();
            let frac = phase - whole;
            let k = whole as usize;
            let v = table.get(k);
            self.out
                .set_at(i, (v + (table.get(k + 1) - v) * frac) * amp);
            phase += step;
            // Past the end the read jumps back into the loop (a start
            // before the loop plays into it first); played backwards, it
            // jumps from the loop's start to its end.
            if phase >= end {
                phase = start + (phase - end) % (end - start);
            } else if step < 0.0 && phase < start {
                phase = end - (start - phase) % (end - start);
            }
        }
        self.phase = phase;
        Ok(())
    }
}

pub const LPOSCIL_SPECS: &[OpcodeSpec] = &[spec(
    "lposcil",
    "a",
    "kkkkio",
    Pass::Both,
    build_lposcil,
    "table oscillator at kfreqratio times the sample's rate, looping between k-rate points",
)];
