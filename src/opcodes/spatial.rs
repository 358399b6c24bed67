//! Placing sound between channels: `pan2`, and `pan2` fused with the `outs`
//! that takes its two outputs (see `orc::fusion`).

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// `aL, aR pan2 asig, xpan [, imode]`: pan 0 = left, 1 = right.
struct Pan2 {
    left: Output,
    right: Output,
    sig: Input,
    pan: Input,
    mode: Input,
    ksmps: usize,
    gains: GainCache,
}

/// The last control-rate (mode, position) and its gains: a position that
/// does not move costs no `sin_cos` per block.
#[derive(Default)]
struct GainCache {
    last: Option<(i64, u64, (f64, f64))>,
}

impl GainCache {
    fn gains(&mut self, mode: i64, p: f64) -> (f64, f64) {
        match self.last {
            Some((m, bits, g)) if m == mode && bits == p.to_bits() => g,
            _ => {
                let g = gains(mode, p);
                self.last = Some((mode, p.to_bits(), g));
                g
            }
        }
    }
}

/// Left and right gains for pan position `p`. Like csound 6.18, `p` is not
/// clamped: positions outside 0..1 extrapolate each law (the square-root
/// law gives NaN there, as csound's does).
fn gains(mode: i64, p: f64) -> (f64, f64) {
    match mode {
        // Square root: constant power, but with a different curve.
        1 => ((1.0 - p).sqrt(), p.sqrt()),
        // Linear.
        2 => (1.0 - p, p),
        // Equal power, "alternative" (the same curve as 0 scaled by sqrt 2).
        3 => {
            let c = std::f64::consts::FRAC_1_SQRT_2;
            let (s, co) = (p * std::f64::consts::FRAC_PI_2).sin_cos();
            (c * (co + s), c * (co - s))
        }
        // 0: equal power (sine/cosine law).
        _ => {
            let (s, c) = (p * std::f64::consts::FRAC_PI_2).sin_cos();
            (c, s)
        }
    }
}

impl Opcode for Pan2 {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let mode = self.mode.get() as i64;
        if !self.pan.is_audio() {
            // A control-rate position: the same gains for the whole block.
            let (l, r) = self.gains.gains(mode, self.pan.get());
            // Locals, so that the stores cannot make the compiler reload
            // the fields per sample.
            let (sig, left, right) = (self.sig, self.left, self.right);
            for i in 0..self.ksmps {
                let x = sig.at(i);
                left.set_at(i, x * l);
                right.set_at(i, x * r);
            }
            return Ok(());
        }
        for i in 0..self.ksmps {
            let (l, r) = gains(mode, self.pan.at(i));
            let x = self.sig.at(i);
            self.left.set_at(i, x * l);
            self.right.set_at(i, x * r);
        }
        Ok(())
    }
}

fn build_pan2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Pan2 {
        left: a.out(0),
        right: a.out(1),
        sig: a.input(0),
        pan: a.input(1),
        mode: a.input(2),
        ksmps: a.ksmps,
        gains: GainCache::default(),
    })
}

/// `aL, aR pan2 asig, xpan [, imode]` followed by `outs aL, aR` (or `out`),
/// when nothing else uses `aL` and `aR`: the panned samples are added to the
/// output bus directly. Each bus sample gets `x * gain` added, exactly as
/// the two opcodes would have done it, so the output is unchanged.
struct Pan2Outs {
    sig: Input,
    pan: Input,
    mode: Input,
    gains: GainCache,
}

impl Opcode for Pan2Outs {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let mode = self.mode.get() as i64;
        let nchnls = ctx.rates.nchnls;
        let sig = self.sig;
        if !self.pan.is_audio() {
            let (l, r) = self.gains.gains(mode, self.pan.get());
            if nchnls == 2 {
                add_panned_stereo(ctx.spout, sig, l, r);
                return Ok(());
            }
            for (frame, s) in ctx.spout.chunks_exact_mut(nchnls).enumerate() {
                add_frame(s, sig.at_audio(frame), (l, r));
            }
            return Ok(());
        }
        for (frame, s) in ctx.spout.chunks_exact_mut(nchnls).enumerate() {
            add_frame(
                s,
                sig.at_audio(frame),
                gains(mode, self.pan.at_audio(frame)),
            );
        }
        Ok(())
    }
}

/// Add sample `x` panned by `(l, r)` to one frame of the bus: channel 1 and,
/// when there is one, channel 2 (as `outs` does with fewer channels).
#[inline(always)]
fn add_frame(frame: &mut [f64], x: f64, (l, r): (f64, f64)) {
    frame[0] += x * l;
    if let Some(s) = frame.get_mut(1) {
        *s += x * r;
    }
}

/// Add `sig` panned by constant gains to a stereo bus, two frames per step
/// with SSE2 (always on x86-64): each frame `[L, R]` is one register, the
/// sample broadcast to both lanes times `[l, r]`.
#[inline(always)]
fn add_panned_stereo(bus: &mut [f64], sig: Input, l: f64, r: f64) {
    let mut pairs = bus.chunks_exact_mut(4);
    let mut frame = 0;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        // SAFETY (every intrinsic below): SSE2 is part of x86-64, and `s` is
        // 4 samples long: frames `frame` and `frame + 1`.
        unsafe {
            let g = _mm_set_pd(r, l);
            for s in &mut pairs {
                let x = sig.at2_audio(frame);
                let p = s.as_mut_ptr();
                let a = _mm_add_pd(_mm_loadu_pd(p), _mm_mul_pd(_mm_unpacklo_pd(x, x), g));
                let b = _mm_add_pd(_mm_loadu_pd(p.add(2)), _mm_mul_pd(_mm_unpackhi_pd(x, x), g));
                _mm_storeu_pd(p, a);
                _mm_storeu_pd(p.add(2), b);
                frame += 2;
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    for s in &mut pairs {
        add_frame(&mut s[..2], sig.at_audio(frame), (l, r));
        add_frame(&mut s[2..], sig.at_audio(frame + 1), (l, r));
        frame += 2;
    }
    // An odd ksmps leaves one frame.
    let rest = pairs.into_remainder();
    if !rest.is_empty() {
        add_frame(rest, sig.at_audio(frame), (l, r));
    }
}

fn build_pan2_outs(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Pan2Outs {
        sig: a.input(0),
        pan: a.input(1),
        mode: a.input(2),
        gains: GainCache::default(),
    })
}

/// The fused `pan2` + `outs` (not in the registry: the compiler's fusion
/// pass makes it, a user cannot call it).
pub static PAN2_OUTS: OpcodeSpec = spec(
    "pan2+outs",
    "",
    "axo",
    Pass::Perf,
    build_pan2_outs,
    "pan2 whose two outputs go only to the following outs",
);

pub const SPECS: &[OpcodeSpec] = &[spec(
    "pan2",
    "aa",
    "axo",
    Pass::Perf,
    build_pan2,
    "stereo panning: 0 left, 1 right; imode 0 equal power, 1 square root, 2 linear, 3 alternative equal power",
)];
