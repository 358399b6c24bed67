//! Envelope generators: `linen` (more in this family: `line`, `expon`,
//! `linseg`, `expseg`).

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// `linen amp, irise, idur, idec`: straight rise, hold, straight decay,
/// multiplied by `amp`.
struct Linen {
    out: Output,
    amp: Input,
    rise: Input,
    dur: Input,
    dec: Input,
    samples: usize,
    /// Envelope position in samples (audio) or blocks (control) since the start.
    t: f64,
    rise_len: f64,
    dec_start: f64,
    dec_len: f64,
}

fn build_linen(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Linen {
        out: a.out(0),
        amp: a.input(0),
        rise: a.input(1),
        dur: a.input(2),
        dec: a.input(3),
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
        t: 0.0,
        rise_len: 0.0,
        dec_start: 0.0,
        dec_len: 0.0,
    })
}

impl Opcode for Linen {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = if self.samples == 1 {
            ctx.rates.kr
        } else {
            ctx.rates.sr
        };
        self.t = 0.0;
        self.rise_len = (self.rise.get() * rate).round();
        self.dec_len = (self.dec.get() * rate).round();
        self.dec_start = ((self.dur.get() - self.dec.get()) * rate).round();
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let t = self.t;
            let mut v = 1.0;
            if t < self.rise_len {
                v = t / self.rise_len;
            }
            if t > self.dec_start && self.dec_len > 0.0 {
                v *= 1.0 - (t - self.dec_start) / self.dec_len;
            }
            self.out.set_at(i, self.amp.at(i) * v);
            self.t += 1.0;
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "linen",
        "a",
        "xiii",
        Pass::Both,
        build_linen,
        "linear rise, hold and decay",
    ),
    spec(
        "linen",
        "k",
        "kiii",
        Pass::Both,
        build_linen,
        "linear rise, hold and decay",
    ),
];
