//! Reverberators: `comb`, `alpass`, `reverb` (Schroeder's four combs and two
//! all-passes), `freeverb` and `reverbsc`.
//!
//! Buffers are allocated when the opcode is built, off the audio thread,
//! whenever their length is known then (constant loop times, or fixed by
//! the design); see `delays.rs` for the rule when a length comes from a
//! variable.

use super::delays::DelayLine;
use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// ln(0.001) as csound writes it (four digits): the reverberation time is
/// the time to fall by 60 dB.
const LOG001: f64 = -6.9078;

/// The feedback gain that makes a loop of `loop_time` seconds fall by 60 dB
/// in `rvt` seconds.
fn gain(loop_time: f64, rvt: f64) -> f64 {
    (LOG001 * loop_time / rvt).exp()
}

/// Samples in a loop of `seconds` at `sr`, rounded as csound rounds: to the
/// nearest, halves to even (0.005 s at 44.1 kHz is 220 samples).
fn loop_samples(seconds: f64, sr: f64) -> i64 {
    (seconds * sr).round_ties_even() as i64
}

/// Size `line` to `len` samples at init (clear unless `keep`), or fail the
/// note with a message naming `name`.
fn prepare(
    ctx: &mut Ctx,
    line: &mut DelayLine,
    name: &str,
    len: i64,
    keep: bool,
) -> Result<(), Failed> {
    if len <= 0 {
        return Err(ctx.fail(format_args!("{name}: illegal loop time")));
    }
    if !line.prepare(len as usize, keep, ctx.may_allocate) {
        return Err(ctx.fail(format_args!(
            "{name}: a loop of {len} samples needs a buffer allocated on the audio thread; \
             give the loop time as a constant for live performance"
        )));
    }
    Ok(())
}

/// `comb asig, krvt, ilpt [, iskip, insmps]` and `alpass asig, xrvt, ilpt
/// [, iskip, insmps]`: a feedback loop whose gain makes an echo fall 60 dB
/// in the reverberation time. The comb gives the loop's output; the
/// all-pass adds the feed-forward path that flattens its response.
struct Loop {
    out: Output,
    sig: Input,
    rvt: Input,
    lpt: Input,
    skip: Input,
    in_samples: Input,
    line: DelayLine,
    allpass: bool,
    /// Loop time in seconds (for the gain).
    seconds: f64,
    last_rvt: f64,
    coef: f64,
}

fn build_loop(a: &Args, allpass: bool) -> Result<Box<dyn Opcode>, String> {
    // Storage for a constant loop time; `insmps` may say it is in samples.
    let capacity = match (a.constant(2), a.constant(4)) {
        (Some(l), Some(s)) if s != 0.0 => l.round_ties_even().max(1.0) as usize,
        (Some(l), _) => loop_samples(l, a.scope.sr).max(1) as usize,
        _ => 0,
    };
    boxed(Loop {
        out: a.out(0),
        sig: a.input(0),
        rvt: a.input(1),
        lpt: a.input(2),
        skip: a.input(3),
        in_samples: a.input(4),
        line: DelayLine::with_capacity(capacity),
        allpass,
        seconds: 0.0,
        last_rvt: f64::NAN,
        coef: 0.0,
    })
}

impl Opcode for Loop {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        let lpt = self.lpt.get();
        let len = if self.in_samples.get() != 0.0 {
            lpt.round_ties_even() as i64
        } else {
            loop_samples(lpt, sr)
        };
        // csound 6 computes the gain from `ilpt` as given even when
        // `insmps` says it counts samples, so such a loop has (almost) no
        // feedback; kept for compatibility.
        self.seconds = lpt;
        let name = if self.allpass { "alpass" } else { "comb" };
        let keep = self.skip.get() != 0.0;
        prepare(ctx, &mut self.line, name, len, keep)?;
        self.last_rvt = f64::NAN;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        // An audio-rate time is read once per block, at its first sample,
        // as csound 6 does.
        let rvt = self.rvt.get();
        if rvt != self.last_rvt {
            self.last_rvt = rvt;
            self.coef = gain(self.seconds, rvt);
        }
        for i in 0..ctx.rates.ksmps {
            let y = self.line.oldest(0);
            let z = self.coef * y + self.sig.at(i);
            self.line.push(z);
            let out = if self.allpass { y - self.coef * z } else { y };
            self.out.set_at(i, out);
        }
        Ok(())
    }
}

/// Loop times of `reverb`'s four combs and two all-passes, in seconds.
const REVERB_TIMES: [f64; 6] = [0.0297, 0.0371, 0.0411, 0.0437, 0.005, 0.0017];

/// `reverb asig, krvt [, iskip]`: four combs in parallel into two all-passes
/// in series, each loop's gain set for a 60 dB fall in `krvt` seconds.
struct Reverb {
    out: Output,
    sig: Input,
    rvt: Input,
    skip: Input,
    lines: [DelayLine; 6],
    coefs: [f64; 6],
    last_rvt: f64,
}

fn reverb_lengths(sr: f64) -> [usize; 6] {
    REVERB_TIMES.map(|t| loop_samples(t, sr).max(1) as usize)
}

fn build_reverb(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let lens = reverb_lengths(a.scope.sr);
    boxed(Reverb {
        out: a.out(0),
        sig: a.input(0),
        rvt: a.input(1),
        skip: a.input(2),
        lines: lens.map(DelayLine::with_capacity),
        coefs: [0.0; 6],
        last_rvt: f64::NAN,
    })
}

impl Opcode for Reverb {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let keep = self.skip.get() != 0.0;
        let lens = reverb_lengths(ctx.rates.sr);
        for (line, len) in self.lines.iter_mut().zip(lens) {
            prepare(ctx, line, "reverb", len as i64, keep)?;
        }
        self.last_rvt = f64::NAN;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let mut rvt = self.rvt.get();
        if rvt != self.last_rvt {
            self.last_rvt = rvt;
            // The manual: a non-positive time is taken as 0.01 s.
            if rvt <= 0.0 {
                rvt = 0.01;
            }
            for (c, t) in self.coefs.iter_mut().zip(REVERB_TIMES) {
                *c = gain(t, rvt);
            }
        }
        let c = self.coefs;
        let [l1, l2, l3, l4, l5, l6] = &mut self.lines;
        for i in 0..ctx.rates.ksmps {
            let x = self.sig.at(i);
            let mut sum = 0.0;
            for (line, g) in [(&mut *l1, c[0]), (&mut *l2, c[1]), (&mut *l3, c[2]), (&mut *l4, c[3])] {
                let y = line.oldest(0);
                line.push(g * y + x);
                sum += y;
            }
            let mut s = sum;
            for (line, g) in [(&mut *l5, c[4]), (&mut *l6, c[5])] {
                let y = line.oldest(0);
                let z = g * y + s;
                line.push(z);
                s = y - g * z;
            }
            self.out.set_at(i, s);
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "comb",
        "a",
        "akioo",
        Pass::Both,
        |a| build_loop(a, false),
        "comb filter: a feedback loop of ilpt seconds whose echoes fall 60 dB in krvt seconds",
    ),
    spec(
        "alpass",
        "a",
        "axioo",
        Pass::Both,
        |a| build_loop(a, true),
        "all-pass filter: a flat-response loop of ilpt seconds whose echoes fall 60 dB in xrvt seconds (read once per block)",
    ),
    spec(
        "reverb",
        "a",
        "ako",
        Pass::Both,
        build_reverb,
        "Schroeder reverberator (four combs, two all-passes) with a reverberation time of krvt seconds",
    ),
];
