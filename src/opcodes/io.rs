//! Output opcodes: `out`, `outs`, `outch` and the fixed-layout forms (`outq`,
//! `outh`, `outo`, `outx`, `outc`, `outall`, `outs1`/`outs2`, `outq1`-`outq4`)
//! add to the engine's output bus (as every instrument sounds at once);
//! `clear`, `vincr` and `denorm` write audio variables in place (global
//! mixing buses).

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Fixed-size list of signals, so performing never allocates.
const MAX_CHANNELS: usize = 64;

/// `out a1 [, a2 ...]`, `outs a1, a2`, `outq`, `outh`, `outo`, `outx` and
/// `outc`: channel `first + i` gets signal i (`first` is 0 except for the
/// one-channel forms `outs2`, `outq3`, ...); channels beyond nchnls are
/// dropped, as csound does.
struct Out {
    signals: [Input; MAX_CHANNELS],
    count: usize,
    first: usize,
}

fn build_out(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_out_from(a, 0)
}

/// The one-channel forms: `outs2 asig` is signal 1 on channel 2.
fn build_out_from(a: &Args, first: usize) -> Result<Box<dyn Opcode>, String> {
    if a.ins.len() > MAX_CHANNELS {
        return Err(format!("at most {MAX_CHANNELS} channels"));
    }
    let mut signals = [Input::zero(); MAX_CHANNELS];
    for (i, s) in signals.iter_mut().enumerate().take(a.ins.len()) {
        *s = a.input(i);
    }
    boxed(Out {
        signals,
        count: a.ins.len(),
        first,
    })
}

impl Opcode for Out {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let nchnls = ctx.rates.nchnls;
        if self.first > 0 {
            let n = self.count.min(nchnls.saturating_sub(self.first));
            for (c, sig) in self.signals[..n].iter().enumerate() {
                for (frame, s) in ctx.spout.chunks_exact_mut(nchnls).enumerate() {
                    s[self.first + c] += sig.at(frame);
                }
            }
            return Ok(());
        }
        let n = self.count.min(nchnls);
        if n == 2 && nchnls == 2 {
            // The common stereo case in one pass over the bus: each sample
            // still gets exactly one addition, so the sums are unchanged.
            let (l, r) = (self.signals[0], self.signals[1]);
            if l.is_audio() && r.is_audio() {
                #[cfg(target_arch = "x86_64")]
                add_stereo(ctx.spout, l, r);
                #[cfg(not(target_arch = "x86_64"))]
                for (frame, s) in ctx.spout.chunks_exact_mut(2).enumerate() {
                    s[0] += l.at_audio(frame);
                    s[1] += r.at_audio(frame);
                }
                return Ok(());
            }
            for (frame, s) in ctx.spout.chunks_exact_mut(2).enumerate() {
                s[0] += l.at(frame);
                s[1] += r.at(frame);
            }
            return Ok(());
        }
        for (c, sig) in self.signals[..n].iter().enumerate() {
            for (frame, s) in ctx.spout.chunks_exact_mut(nchnls).enumerate() {
                s[c] += sig.at(frame);
            }
        }
        Ok(())
    }
}

/// Add two audio signals to a stereo bus, two frames per step with SSE2
/// (always on x86-64): each frame `[L, R]` is one register, so a frame takes
/// one addition instruction. Each sample still gets exactly one addition, so
/// the bus is the same bit for bit as with the plain loop.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn add_stereo(bus: &mut [f64], l: Input, r: Input) {
    use std::arch::x86_64::*;
    let mut pairs = bus.chunks_exact_mut(4);
    let mut frame = 0;
    for s in &mut pairs {
        let (lv, rv) = (l.at2_audio(frame), r.at2_audio(frame));
        let p = s.as_mut_ptr();
        // SAFETY: `s` is 4 samples long: frames `frame` and `frame + 1`.
        unsafe {
            let a = _mm_add_pd(_mm_loadu_pd(p), _mm_unpacklo_pd(lv, rv));
            let b = _mm_add_pd(_mm_loadu_pd(p.add(2)), _mm_unpackhi_pd(lv, rv));
            _mm_storeu_pd(p, a);
            _mm_storeu_pd(p.add(2), b);
        }
        frame += 2;
    }
    // An odd ksmps leaves one frame.
    if let [s0, s1] = pairs.into_remainder() {
        *s0 += l.at_audio(frame);
        *s1 += r.at_audio(frame);
    }
}

/// `outall asig`: the same signal on every channel.
struct OutAll {
    signal: Input,
}

impl Opcode for OutAll {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let nchnls = ctx.rates.nchnls;
        for (frame, s) in ctx.spout.chunks_exact_mut(nchnls).enumerate() {
            let v = self.signal.at(frame);
            for x in s.iter_mut() {
                *x += v;
            }
        }
        Ok(())
    }
}

fn build_outall(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(OutAll { signal: a.input(0) })
}

/// `outch kchan1, a1 [, kchan2, a2 ...]`: signals to numbered channels (1-based).
struct OutCh {
    pairs: [(Input, Input); MAX_CHANNELS],
    count: usize,
}

fn build_outch(a: &Args) -> Result<Box<dyn Opcode>, String> {
    if !a.ins.len().is_multiple_of(2) {
        return Err("outch takes pairs of channel number and signal".into());
    }
    let count = a.ins.len() / 2;
    if count > MAX_CHANNELS {
        return Err(format!("at most {MAX_CHANNELS} channels"));
    }
    let mut pairs = [(Input::zero(), Input::zero()); MAX_CHANNELS];
    for (i, p) in pairs.iter_mut().enumerate().take(count) {
        *p = (a.input(2 * i), a.input(2 * i + 1));
    }
    boxed(OutCh { pairs, count })
}

impl Opcode for OutCh {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let nchnls = ctx.rates.nchnls;
        for &(chan, sig) in &self.pairs[..self.count] {
            // csound rounds the channel number, halves to even (measured:
            // 1.6 and 2.5 play on channel 2, 0.6 on channel 1).
            let c = chan.get().round_ties_even() as i64;
            if c < 1 || c as usize > nchnls {
                continue;
            }
            let c = c as usize - 1;
            for (frame, s) in ctx.spout.chunks_exact_mut(nchnls).enumerate() {
                s[c] += sig.at(frame);
            }
        }
        Ok(())
    }
}

/// `clear a1 [, a2 ...]`: zero audio variables (global mixing buses).
struct Clear {
    targets: [Output; MAX_CHANNELS],
    count: usize,
    ksmps: usize,
}

impl Opcode for Clear {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for t in &self.targets[..self.count] {
            for i in 0..self.ksmps {
                t.set_at(i, 0.0);
            }
        }
        Ok(())
    }
}

fn build_clear(a: &Args) -> Result<Box<dyn Opcode>, String> {
    // `clear` writes its inputs: the compiler passes them as inputs, and an
    // audio variable's input handle points at the same cells.
    let count = a.ins.len().min(MAX_CHANNELS);
    let mut targets = [a.outs.first().map(|o| o.0).unwrap_or_else(dummy_output); MAX_CHANNELS];
    for (i, t) in targets.iter_mut().enumerate().take(count) {
        *t = a.ins[i].input.as_output();
    }
    boxed(Clear {
        targets,
        count,
        ksmps: a.ksmps,
    })
}

/// `vincr accum, aincr`: add `aincr` into the audio variable `accum` (a
/// global bus that several notes send to, emptied later with `clear`).
struct Vincr {
    accum: Output,
    increment: Input,
    ksmps: usize,
}

impl Opcode for Vincr {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.ksmps {
            let sum = self.accum.get_at(i) + self.increment.at(i);
            self.accum.set_at(i, sum);
        }
        Ok(())
    }
}

fn build_vincr(a: &Args) -> Result<Box<dyn Opcode>, String> {
    // Like `clear`, `vincr` writes its first input in place.
    boxed(Vincr {
        accum: a.input(0).as_output(),
        increment: a.input(1),
        ksmps: a.ksmps,
    })
}

/// `maxaccum acc, ain` and its kin: keep in the audio variable `acc`, sample
/// by sample, the larger (`maxaccum`) or smaller (`minaccum`) of itself and
/// `ain`, or of itself and `|ain|` (`maxabsaccum`, `minabsaccum`)
/// (a global bus that several notes compare into, emptied with `clear`).
struct Accumulate {
    accum: Output,
    input: Input,
    ksmps: usize,
    max: bool,
    abs: bool,
}

impl Opcode for Accumulate {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.ksmps {
            let acc = self.accum.get_at(i);
            let x = if self.abs {
                self.input.at(i).abs()
            } else {
                self.input.at(i)
            };
            let take = if self.max { x > acc } else { x < acc };
            self.accum.set_at(i, if take { x } else { acc });
        }
        Ok(())
    }
}

fn build_accumulate(a: &Args, max: bool, abs: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Accumulate {
        accum: a.input(0).as_output(),
        input: a.input(1),
        ksmps: a.ksmps,
        max,
        abs,
    })
}

/// Level of `denorm`'s noise: csound's for double samples (about 1e-56),
/// far below anything audible yet far above the denormal range.
const DENORM_LEVEL: f64 = 1e-56;

/// `denorm a1 [, a2 ...]`: mix noise at [`DENORM_LEVEL`] into audio
/// variables in place, so that decaying filters and reverbs fed by them
/// never reach denormal numbers.
struct Denorm {
    targets: [Output; MAX_CHANNELS],
    count: usize,
    ksmps: usize,
    /// A 32-bit linear congruential generator: cheap, and quality does not
    /// matter at this level.
    seed: u32,
}

impl Opcode for Denorm {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for t in &self.targets[..self.count] {
            for i in 0..self.ksmps {
                self.seed = self
                    .seed
                    .wrapping_mul(1_664_525)
                    .wrapping_add(1_013_904_223);
                let noise = (self.seed as i32) as f64 / 2_147_483_648.0;
                t.set_at(i, t.get_at(i) + noise * DENORM_LEVEL);
            }
        }
        Ok(())
    }
}

fn build_denorm(a: &Args) -> Result<Box<dyn Opcode>, String> {
    if a.ins.len() > MAX_CHANNELS {
        return Err(format!("denorm takes at most {MAX_CHANNELS} signals"));
    }
    let mut targets = [dummy_output(); MAX_CHANNELS];
    for (t, arg) in targets.iter_mut().zip(a.ins) {
        *t = arg.input.as_output();
    }
    boxed(Denorm {
        targets,
        count: a.ins.len(),
        ksmps: a.ksmps,
        seed: 1,
    })
}

fn dummy_output() -> Output {
    Input::zero().as_output()
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "out",
        "",
        "y",
        Pass::Perf,
        build_out,
        "write audio to the output channels, one signal per channel",
    )
    .writes_bus(),
    spec(
        "outs",
        "",
        "aa",
        Pass::Perf,
        build_out,
        "write a stereo pair to channels 1 and 2",
    )
    .writes_bus(),
    spec(
        "outs1",
        "",
        "a",
        Pass::Perf,
        build_out,
        "write audio to channel 1",
    ),
    spec(
        "outs2",
        "",
        "a",
        Pass::Perf,
        |a| build_out_from(a, 1),
        "write audio to channel 2",
    ),
    spec(
        "outq",
        "",
        "aaaa",
        Pass::Perf,
        build_out,
        "write four signals to channels 1 to 4",
    ),
    spec(
        "outq1",
        "",
        "a",
        Pass::Perf,
        build_out,
        "write audio to channel 1",
    ),
    spec(
        "outq2",
        "",
        "a",
        Pass::Perf,
        |a| build_out_from(a, 1),
        "write audio to channel 2",
    ),
    spec(
        "outq3",
        "",
        "a",
        Pass::Perf,
        |a| build_out_from(a, 2),
        "write audio to channel 3",
    ),
    spec(
        "outq4",
        "",
        "a",
        Pass::Perf,
        |a| build_out_from(a, 3),
        "write audio to channel 4",
    ),
    spec(
        "outh",
        "",
        "aaaaaa",
        Pass::Perf,
        build_out,
        "write six signals to channels 1 to 6",
    ),
    spec(
        "outo",
        "",
        "aaaaaaaa",
        Pass::Perf,
        build_out,
        "write eight signals to channels 1 to 8",
    ),
    spec(
        "outx",
        "",
        "aaaaaaaaaaaaaaaa",
        Pass::Perf,
        build_out,
        "write sixteen signals to channels 1 to 16",
    ),
    spec(
        "outc",
        "",
        "y",
        Pass::Perf,
        build_out,
        "write any number of signals to channels 1, 2, ... (those beyond nchnls are dropped)",
    ),
    spec(
        "outall",
        "",
        "a",
        Pass::Perf,
        build_outall,
        "write one signal to every channel",
    ),
    spec(
        "outch",
        "",
        "Z",
        Pass::Perf,
        build_outch,
        "write audio to numbered channels: outch kchan, asig, ...",
    ),
    spec(
        "clear",
        "",
        "y",
        Pass::Perf,
        build_clear,
        "set audio variables to zero",
    ),
    spec(
        "vincr",
        "",
        "aa",
        Pass::Perf,
        build_vincr,
        "add an audio signal into an audio variable (accumulate on a global bus)",
    ),
    spec(
        "maxaccum",
        "",
        "aa",
        Pass::Perf,
        |a| build_accumulate(a, true, false),
        "keep the larger of an audio variable and a signal in the variable",
    ),
    spec(
        "minaccum",
        "",
        "aa",
        Pass::Perf,
        |a| build_accumulate(a, false, false),
        "keep the smaller of an audio variable and a signal in the variable",
    ),
    spec(
        "maxabsaccum",
        "",
        "aa",
        Pass::Perf,
        |a| build_accumulate(a, true, true),
        "keep the larger absolute value of an audio variable and a signal in the variable",
    ),
    spec(
        "minabsaccum",
        "",
        "aa",
        Pass::Perf,
        |a| build_accumulate(a, false, true),
        "keep the smaller absolute value of an audio variable and a signal in the variable",
    ),
    spec(
        "denorm",
        "",
        "y",
        Pass::Perf,
        build_denorm,
        "mix inaudible noise (about 1e-56) into audio variables against denormals",
    ),
];
