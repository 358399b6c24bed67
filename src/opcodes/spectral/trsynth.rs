//! Additive resynthesis of partial tracks: `tradsyn` (amplitude and
//! frequency interpolated linearly over each hop), `sinsyn` (cubic phase
//! interpolation that meets each track's analysed phase, McAulay and
//! Quatieri's method) and `resyn` (the same cubic phase, its increments
//! scaled by a pitch factor).
//!
//! An oscillator follows a track by its id: a new track fades in from
//! silence over one hop, a track that ends fades out over one hop at its
//! last frequency. Oscillators read a table holding one cycle of a
//! sinusoid (`ifn`) with linear interpolation. Only the first
//! `kmaxtracks` tracks of each list sound (they are listed by start time).

use std::f64::consts::TAU;

use super::frame::{Fsig, format};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::opcodes::{Args, Opcode, boxed};

#[derive(Clone, Copy, Default)]
struct Osc {
    id: f64,
    amp0: f64,
    amp1: f64,
    /// Linear: frequency in cycles per sample at the hop's start and end.
    freq0: f64,
    freq1: f64,
    /// Cubic: phase (radians) at the hop's start, its derivative, and the
    /// cubic's coefficients.
    theta0: f64,
    omega0: f64,
    alpha: f64,
    beta: f64,
    /// The phase read from the table, in cycles.
    phase: f64,
    seen: bool,
    dying: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Linear,
    Cubic,
}

struct Bank {
    out: Output,
    input: Fsig,
    scale: Input,
    pitch: Option<Input>,
    maxtracks: Input,
    table: Input,
    mode: Mode,
    name: &'static str,
    tracks: Vec<[f64; 4]>,
    oscs: Vec<Osc>,
    hop: usize,
    pos: usize,
    last: u64,
}

fn build(
    a: &Args,
    mode: Mode,
    with_pitch: bool,
    name: &'static str,
) -> Result<Box<dyn Opcode>, String> {
    let input = Fsig::from_input(a.input(0));
    let cap = input.track_capacity();
    let (pitch, rest) = if with_pitch {
        (Some(a.input(2)), 3)
    } else {
        (None, 2)
    };
    boxed(Bank {
        out: a.out(0),
        input,
        scale: a.input(1),
        pitch,
        maxtracks: a.input(rest),
        table: a.input(rest + 1),
        mode,
        name,
        tracks: vec![[0.0; 4]; cap],
        oscs: Vec::with_capacity(2 * cap),
        hop: 0,
        pos: 0,
        last: 0,
    })
}

pub(super) fn build_tradsyn(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(a, Mode::Linear, true, "tradsyn")
}

pub(super) fn build_sinsyn(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(a, Mode::Cubic, false, "sinsyn")
}

pub(super) fn build_resyn(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(a, Mode::Cubic, true, "resyn")
}

/// Fit the cubic phase from (theta0, omega0) to (theta1, omega1) over `t`
/// samples, choosing the unwrapping that is smoothest.
fn fit_cubic(o: &mut Osc, theta1: f64, omega1: f64, t: f64) {
    let dw = omega1 - o.omega0;
    let m = ((o.theta0 + o.omega0 * t - theta1 + dw * t / 2.0) / TAU).round();
    let e = theta1 + TAU * m - o.theta0 - o.omega0 * t;
    o.alpha = 3.0 * e / (t * t) - dw / t;
    o.beta = -2.0 * e / (t * t * t) + dw / (t * t);
}

impl Bank {
    /// Take a new list of tracks: every oscillator's end values.
    fn update(&mut self, sr: f64) {
        let n = self.input.read_tracks(&mut self.tracks);
        let n = n.min(self.maxtracks.get().max(0.0) as usize);
        let scale = self.scale.get();
        let pitch = self.pitch.map_or(1.0, |p| p.get());
        let t = self.hop as f64;
        let cubic = self.mode == Mode::Cubic;
        // Where the last hop's oscillators ended.
        for o in self.oscs.iter_mut() {
            o.seen = false;
            o.amp0 = o.amp1;
            o.freq0 = o.freq1;
            if cubic {
                let th = o.theta0 + o.omega0 * t + o.alpha * t * t + o.beta * t * t * t;
                let om = o.omega0 + 2.0 * o.alpha * t + 3.0 * o.beta * t * t;
                o.theta0 = th % TAU;
                o.omega0 = om;
            }
        }
        for tr in &self.tracks[..n] {
            let [amp, freq, phase, id] = *tr;
            let amp = amp * scale;
            let omega = TAU * freq / sr;
            let found = self.oscs.iter().position(|o| o.id == id && !o.dying);
            let o = match found {
                Some(i) => &mut self.oscs[i],
                None => {
                    if self.oscs.len() == self.oscs.capacity() {
                        continue;
                    }
                    let start = phase - omega * t;
                    self.oscs.push(Osc {
                        id,
                        freq0: freq * pitch / sr,
                        theta0: start,
                        omega0: omega,
                        phase: if cubic { start / TAU } else { 0.0 },
                        ..Osc::default()
                    });
                    self.oscs.last_mut().expect("just pushed")
                }
            };
            o.seen = true;
            o.amp1 = amp;
            o.freq1 = freq * pitch / sr;
            if cubic {
                fit_cubic(o, phase, omega, t);
            }
        }
        // Tracks that ended fade out once, then go.
        self.oscs.retain(|o| o.seen || !o.dying);
        for o in self.oscs.iter_mut().filter(|o| !o.seen) {
            o.dying = true;
            o.amp1 = 0.0;
            if cubic {
                let theta1 = o.theta0 + o.omega0 * t;
                fit_cubic(o, theta1, o.omega0, t);
            }
        }
        self.pos = 0;
    }
}

impl Opcode for Bank {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let info = self.input.info();
        if info.format != format::TRACKS {
            return Err(ctx.fail(format_args!(
                "{}: the input must be partial tracks (from partials)",
                self.name
            )));
        }
        let fno = self.table.get();
        if ctx.tables.get(fno).is_none_or(|t| t.is_empty()) {
            return Err(ctx.fail(format_args!("{}: table {fno} does not exist", self.name)));
        }
        self.hop = info.overlap.max(1);
        self.pos = self.hop;
        self.oscs.clear();
        self.last = 0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.input.take_new(&mut self.last) {
            self.update(ctx.rates.sr);
        }
        let Some(table) = ctx.tables.get(self.table.get()) else {
            return Ok(());
        };
        let size = table.len();
        let lookup = |cycles: f64| {
            let x = cycles.rem_euclid(1.0) * size as f64;
            let i = x as usize % size;
            let frac = x - x.floor();
            let a = table.get(i);
            a + (table.get((i + 1) % size) - a) * frac
        };
        let hop = self.hop as f64;
        let pitch = self.pitch.map_or(1.0, |p| p.get());
        for s in 0..ctx.rates.ksmps {
            let t = self.pos.min(self.hop) as f64;
            let frac = t / hop;
            let mut sum = 0.0;
            for o in self.oscs.iter_mut() {
                let amp = o.amp0 + (o.amp1 - o.amp0) * frac;
                match self.mode {
                    Mode::Linear => {
                        sum += amp * lookup(o.phase);
                        o.phase += o.freq0 + (o.freq1 - o.freq0) * frac;
                    }
                    Mode::Cubic => {
                        sum += amp * lookup(o.phase);
                        // The phase's increment over this sample, scaled.
                        let d = o.omega0
                            + o.alpha * (2.0 * t + 1.0)
                            + o.beta * (3.0 * t * t + 3.0 * t + 1.0);
                        o.phase += pitch * d / TAU;
                    }
                }
                o.phase = o.phase.rem_euclid(1.0);
            }
            self.out.set_at(s, sum);
            if self.pos < self.hop {
                self.pos += 1;
            }
        }
        Ok(())
    }
}
