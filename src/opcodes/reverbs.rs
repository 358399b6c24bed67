//! Reverberators: `comb`, `alpass`, `reverb` (Schroeder's four combs and two
//! all-passes), `freeverb` and `reverbsc`.
//!
//! Buffers are allocated when the opcode is built, off the audio thread,
//! whenever their length is known then (constant loop times, or fixed by
//! the design); see `delays.rs` for the rule when a length comes from a
//! variable.

use super::delays::{DelayLine, MAX_DELAY_SAMPLES, prepare_line};
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

/// `comb asig, krvt, ilpt [, iskip, insmps]` and `alpass asig, xrvt, ilpt
/// [, iskip, insmps]`: a feedback loop whose gain makes an echo fall 60 dB
/// in the reverberation time. The comb gives the loop's output; the
/// all-pass adds the feed-forward path that flattens its response.
struct Loop {
    /// Samples per block.
    ksmps: usize,
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
        ksmps: a.ksmps,
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
        prepare_line(ctx, &mut self.line, name, "loop", len, keep)?;
        self.last_rvt = f64::NAN;
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        // An audio-rate time is read once per block, at its first sample,
        // as csound 6 does.
        let rvt = self.rvt.get();
        if rvt != self.last_rvt {
            self.last_rvt = rvt;
            self.coef = gain(self.seconds, rvt);
        }
        for i in 0..self.ksmps {
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
    /// Samples per block.
    ksmps: usize,
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
        ksmps: a.ksmps,
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
            prepare_line(ctx, line, "reverb", "loop", len as i64, keep)?;
        }
        self.last_rvt = f64::NAN;
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
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
        for i in 0..self.ksmps {
            let x = self.sig.at(i);
            let mut sum = 0.0;
            for (line, g) in [
                (&mut *l1, c[0]),
                (&mut *l2, c[1]),
                (&mut *l3, c[2]),
                (&mut *l4, c[3]),
            ] {
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
        "freeverb",
        "aa",
        "aakkjo",
        Pass::Both,
        build_freeverb,
        "Jezar's Freeverb (8 damped combs, 4 all-passes per channel) with room size and high-frequency damping",
    ),
    spec(
        "reverbsc",
        "aa",
        "aakkjpo",
        Pass::Both,
        build_reverbsc,
        "stereo 8-line feedback delay network reverb (Sean Costello) with feedback level and loop low-pass cutoff",
    ),
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

/// `reverbsc`'s eight delay lines: base delay (seconds at 44.1 kHz), depth
/// of the random delay variation (seconds), rate of new random targets
/// (Hz) and the seed of each line's random generator. Sean Costello's
/// design, as csound 6 sets it up.
const SC_LINES: [(f64, f64, f64, i32); 8] = [
    (2473.0 / 44100.0, 0.0010, 3.100, 1966),
    (2767.0 / 44100.0, 0.0011, 3.500, 29491),
    (3217.0 / 44100.0, 0.0017, 1.110, 22937),
    (3557.0 / 44100.0, 0.0006, 3.973, 9830),
    (3907.0 / 44100.0, 0.0010, 2.341, 20643),
    (4127.0 / 44100.0, 0.0011, 1.897, 22937),
    (2143.0 / 44100.0, 0.0017, 0.891, 29491),
    (1933.0 / 44100.0, 0.0006, 3.221, 14417),
];

/// Fixed-point read positions: the fraction has 28 bits, as in csound, so
/// the drift of the modulated taps matches it exactly.
const SC_FRAC_BITS: u32 = 28;
const SC_FRAC_ONE: i64 = 1 << SC_FRAC_BITS;

/// One modulated delay line of `reverbsc`.
#[derive(Default)]
struct ScLine {
    buf: Vec<f64>,
    size: usize,
    write: usize,
    read: i64,
    /// Fraction of the read position, in units of 2^-28 samples.
    frac: i64,
    frac_step: i64,
    /// Samples left in the current random segment.
    count: i64,
    seed: i32,
    state: f64,
}

/// `aoutL, aoutR reverbsc ainL, ainR, kfblvl, kfco [, israte, ipitchm,
/// iskip]`: an 8-line feedback delay network whose lines are joined by a
/// scattering junction, each with a first-order low-pass in its loop and
/// a slowly, randomly varying delay time (deterministic: fixed seeds).
struct Reverbsc {
    /// Samples per block.
    ksmps: usize,
    out_l: Output,
    out_r: Output,
    in_l: Input,
    in_r: Input,
    feedback: Input,
    cutoff: Input,
    israte: Input,
    pitchmod: Input,
    skip: Input,
    lines: [ScLine; 8],
    rate: f64,
    depth: f64,
    last_cutoff: f64,
    damp: f64,
}

/// Storage a line needs at `rate` with modulation depth `depth`.
fn sc_size(line: usize, rate: f64, depth: f64) -> usize {
    let (base, var, _, _) = SC_LINES[line];
    (rate * (base + var * depth * 1.125) + 16.5).floor() as usize
}

fn build_reverbsc(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let rate = match a.constant(4) {
        Some(r) if r > 0.0 => r,
        _ => a.scope.sr,
    };
    let depth = a.constant(5).unwrap_or(1.0);
    if (0..SC_LINES.len()).any(|n| sc_size(n, rate, depth) > MAX_DELAY_SAMPLES) {
        return Err(format!(
            "israte {rate} and ipitchm {depth} give delay lines beyond the limit of {MAX_DELAY_SAMPLES} samples"
        ));
    }
    let lines = std::array::from_fn(|n| ScLine {
        buf: vec![0.0; sc_size(n, rate, depth)],
        ..Default::default()
    });
    boxed(Reverbsc {
        ksmps: a.ksmps,
        out_l: a.out(0),
        out_r: a.out(1),
        in_l: a.input(0),
        in_r: a.input(1),
        feedback: a.input(2),
        cutoff: a.input(3),
        israte: a.input(4),
        pitchmod: a.input(5),
        skip: a.input(6),
        lines,
        rate,
        depth,
        last_cutoff: f64::NAN,
        damp: 0.0,
    })
}

impl Reverbsc {
    /// Draw the line's next random delay target and set the read speed
    /// that reaches it at the end of the segment.
    fn next_segment(line: &mut ScLine, n: usize, rate: f64, depth: f64) {
        let (base, var, freq, _) = SC_LINES[n];
        let mut seed = line.seed;
        if seed < 0 {
            seed += 0x10000;
        }
        seed = (seed.wrapping_mul(15625).wrapping_add(1)) & 0xFFFF;
        if seed >= 0x8000 {
            seed -= 0x10000;
        }
        line.seed = seed;
        line.count = (rate / freq + 0.5) as i64;
        // The delay now, in seconds.
        let mut prev =
            line.write as f64 - (line.read as f64 + line.frac as f64 / SC_FRAC_ONE as f64);
        while prev < 0.0 {
            prev += line.size as f64;
        }
        prev /= rate;
        let next = base + seed as f64 * var / 32768.0 * depth;
        let step = (prev - next) / line.count as f64 * rate + 1.0;
        line.frac_step = (step * SC_FRAC_ONE as f64 + 0.5) as i64;
    }
}

impl Opcode for Reverbsc {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.skip.get() != 0.0 && self.lines[0].size != 0 {
            return Ok(());
        }
        let r = self.israte.get();
        let rate = if r > 0.0 { r } else { ctx.rates.sr };
        let depth = self.pitchmod.get();
        for (n, line) in self.lines.iter_mut().enumerate() {
            let size = sc_size(n, rate, depth);
            if size > MAX_DELAY_SAMPLES {
                return Err(ctx.fail(format_args!(
                    "reverbsc: israte {rate} and ipitchm {depth} give delay lines beyond the limit of {MAX_DELAY_SAMPLES} samples"
                )));
            }
            if size > line.buf.len() {
                if !ctx.may_allocate {
                    return Err(ctx.fail(format_args!(
                        "reverbsc: israte and ipitchm must be constants for live performance"
                    )));
                }
                line.buf.resize(size, 0.0);
            }
        }
        self.rate = rate;
        self.depth = depth;
        for (n, line) in self.lines.iter_mut().enumerate() {
            let (base, var, _, seed) = SC_LINES[n];
            line.size = sc_size(n, rate, depth);
            line.buf[..line.size].fill(0.0);
            line.write = 0;
            line.seed = seed;
            let delay = base + seed as f64 * var / 32768.0 * depth;
            let pos = line.size as f64 - delay * rate;
            line.read = pos as i64;
            line.frac = ((pos - line.read as f64) * SC_FRAC_ONE as f64 + 0.5) as i64;
            Self::next_segment(line, n, rate, depth);
            line.state = 0.0;
        }
        self.last_cutoff = f64::NAN;
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if self.lines[0].size == 0 {
            return Ok(());
        }
        let cutoff = self.cutoff.get();
        if cutoff != self.last_cutoff {
            self.last_cutoff = cutoff;
            let c = 2.0 - (cutoff * std::f64::consts::TAU / self.rate).cos();
            self.damp = c - (c * c - 1.0).sqrt();
        }
        let feedback = self.feedback.get();
        let (rate, depth, damp) = (self.rate, self.depth, self.damp);
        for i in 0..self.ksmps {
            // The junction: a quarter of the lines' sum goes back into each.
            let junction = self.lines.iter().map(|l| l.state).sum::<f64>() * 0.25;
            let inputs = [junction + self.in_l.at(i), junction + self.in_r.at(i)];
            let mut outs = [0.0; 2];
            for (n, line) in self.lines.iter_mut().enumerate() {
                let size = line.size;
                line.buf[line.write] = inputs[n & 1] - line.state;
                line.write += 1;
                if line.write >= size {
                    line.write -= size;
                }
                if line.frac >= SC_FRAC_ONE {
                    line.read += line.frac >> SC_FRAC_BITS;
                    line.frac &= SC_FRAC_ONE - 1;
                }
                if line.read >= size as i64 {
                    line.read -= size as i64;
                }
                let f = line.frac as f64 / SC_FRAC_ONE as f64;
                let at = |k: i64| line.buf[k.rem_euclid(size as i64) as usize];
                let r = line.read;
                let (vm1, v0, v1, v2) = (at(r - 1), at(r), at(r + 1), at(r + 2));
                // Cubic interpolation (csound's coefficient form).
                let a2 = (f * f - 1.0) / 6.0;
                let mut a1 = (f + 1.0) * 0.5;
                let mut am1 = a1 - 1.0;
                let mut a0 = 3.0 * a2;
                a1 -= a0;
                am1 -= a2;
                a0 -= f;
                let mut v = (am1 * vm1 + a0 * v0 + a1 * v1 + a2 * v2) * f + v0;
                line.frac += line.frac_step;
                v *= feedback;
                v = (line.state - v) * damp + v;
                line.state = v;
                outs[n & 1] += v;
                line.count -= 1;
                if line.count <= 0 {
                    Self::next_segment(line, n, rate, depth);
                }
            }
            self.out_l.set_at(i, outs[0] * 0.35);
            self.out_r.set_at(i, outs[1] * 0.35);
        }
        Ok(())
    }
}

/// Freeverb's comb and all-pass delays in samples at 44.1 kHz (Jezar's
/// public-domain design); the right channel's lines are 23 samples longer.
const FV_COMBS: [f64; 8] = [
    1116.0, 1188.0, 1277.0, 1356.0, 1422.0, 1491.0, 1557.0, 1617.0,
];
const FV_ALLPASSES: [f64; 4] = [556.0, 441.0, 341.0, 225.0];
const FV_SPREAD: f64 = 23.0;

/// One channel of `freeverb`: eight damped combs in parallel, then four
/// all-passes in series.
#[derive(Default)]
struct FvChannel {
    combs: [DelayLine; 8],
    damped: [f64; 8],
    allpasses: [DelayLine; 4],
}

impl FvChannel {
    fn lengths(isr: f64, spread: f64) -> ([usize; 8], [usize; 4]) {
        let scale = isr / 44100.0;
        let len = |n: f64| (((n + spread) * scale + 0.5).floor() as usize).max(1);
        (FV_COMBS.map(len), FV_ALLPASSES.map(len))
    }

    fn with_capacity(isr: f64, spread: f64) -> FvChannel {
        let (c, a) = Self::lengths(isr, spread);
        FvChannel {
            combs: c.map(DelayLine::with_capacity),
            damped: [0.0; 8],
            allpasses: a.map(DelayLine::with_capacity),
        }
    }

    fn prepare(&mut self, isr: f64, spread: f64, keep: bool, may_allocate: bool) -> bool {
        let (c, a) = Self::lengths(isr, spread);
        let mut ok = true;
        for (line, n) in self.combs.iter_mut().zip(c) {
            ok &= line.prepare(n, keep, may_allocate);
        }
        for (line, n) in self.allpasses.iter_mut().zip(a) {
            ok &= line.prepare(n, keep, may_allocate);
        }
        if !keep {
            self.damped = [0.0; 8];
        }
        ok
    }

    #[inline(always)]
    fn tick(&mut self, x: f64, feedback: f64, damp: f64) -> f64 {
        let mut sum = 0.0;
        for (line, state) in self.combs.iter_mut().zip(self.damped.iter_mut()) {
            let y = line.oldest(0);
            *state = y * (1.0 - damp) + *state * damp;
            line.push(x + *state * feedback);
            sum += y;
        }
        for line in self.allpasses.iter_mut() {
            let y = line.oldest(0);
            line.push(sum + y * 0.5);
            sum = y - sum;
        }
        sum
    }
}

/// `aoutL, aoutR freeverb ainL, ainR, kRoomSize, kHFDamp [, iSRate, iSkip]`:
/// Jezar's Freeverb, each channel reverberated on its own (input scaled by
/// 0.015, comb feedback `0.7 + 0.28 * kRoomSize`, damping `0.4 * kHFDamp`).
/// `iSRate` (default 44100) scales the line lengths and the damping.
struct Freeverb {
    /// Samples per block.
    ksmps: usize,
    out_l: Output,
    out_r: Output,
    in_l: Input,
    in_r: Input,
    room: Input,
    damp: Input,
    isr: Input,
    skip: Input,
    left: FvChannel,
    right: FvChannel,
    isr_now: f64,
}

fn freeverb_rate(v: Option<f64>) -> f64 {
    match v {
        Some(r) if r > 0.0 => r,
        _ => 44100.0,
    }
}

fn build_freeverb(a: &Args) -> Result<Box<dyn Opcode>, String> {
    // Optional arguments arrive as constants, so the rate is known here.
    let isr = freeverb_rate(a.constant(4));
    boxed(Freeverb {
        ksmps: a.ksmps,
        out_l: a.out(0),
        out_r: a.out(1),
        in_l: a.input(0),
        in_r: a.input(1),
        room: a.input(2),
        damp: a.input(3),
        isr: a.input(4),
        skip: a.input(5),
        left: FvChannel::with_capacity(isr, 0.0),
        right: FvChannel::with_capacity(isr, FV_SPREAD),
        isr_now: isr,
    })
}

impl Opcode for Freeverb {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let isr = freeverb_rate(Some(self.isr.get()));
        let keep = self.skip.get() != 0.0 && isr == self.isr_now;
        self.isr_now = isr;
        let ok = self.left.prepare(isr, 0.0, keep, ctx.may_allocate)
            && self.right.prepare(isr, FV_SPREAD, keep, ctx.may_allocate);
        if !ok {
            return Err(ctx.fail(format_args!(
                "freeverb: iSRate {isr} must be a constant for live performance, and its delay lines at most {MAX_DELAY_SAMPLES} samples"
            )));
        }
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        let feedback = self.room.get() * 0.28 + 0.7;
        let mut damp = self.damp.get() * 0.4;
        if self.isr_now != 44100.0 && damp > 0.0 {
            // Measured on csound 6.18 at iSRate 22050, 66150 and 88200: the
            // damping pole becomes damp^((44100/iSRate)^0.8).
            damp = damp.powf((44100.0 / self.isr_now).powf(0.8));
        }
        for i in 0..self.ksmps {
            let l = self.left.tick(self.in_l.at(i) * 0.015, feedback, damp);
            let r = self.right.tick(self.in_r.at(i) * 0.015, feedback, damp);
            self.out_l.set_at(i, l);
            self.out_r.set_at(i, r);
        }
        Ok(())
    }
}
