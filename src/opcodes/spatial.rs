//! Placing sound between channels: `pan2`, and the mid-side pair `ms2st`
//! (mid and side to left and right, with a width) and `st2ms`.

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
pub(crate) struct GainCache {
    last: Option<(i64, u64, (f64, f64))>,
}

impl GainCache {
    pub(crate) fn gains(&mut self, mode: i64, p: f64) -> (f64, f64) {
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
pub(crate) fn gains(mode: i64, p: f64) -> (f64, f64) {
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

/// `aL, aR ms2st am, as, kwidth`: `L = m (1 - w) + s w`, `R = m (1 - w) -
/// s w` (width 0 gives only the mid, 1 only the side); and `am, as st2ms
/// aL, aR`: `m = L + R`, `s = L - R`.
struct MidSide {
    first: Output,
    second: Output,
    a: Input,
    b: Input,
    width: Input,
    decode: bool,
    ksmps: usize,
}

impl Opcode for MidSide {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let w = self.width.get();
        for i in 0..self.ksmps {
            let (a, b) = (self.a.at(i), self.b.at(i));
            let (x, y) = if self.decode {
                let (m, s) = (a * (1.0 - w), b * w);
                (m + s, m - s)
            } else {
                (a + b, a - b)
            };
            self.first.set_at(i, x);
            self.second.set_at(i, y);
        }
        Ok(())
    }
}

fn build_midside(a: &Args, decode: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(MidSide {
        first: a.out(0),
        second: a.out(1),
        a: a.input(0),
        b: a.input(1),
        width: a.input(2),
        decode,
        ksmps: a.ksmps,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "pan2",
        "aa",
        "axo",
        Pass::Perf,
        build_pan2,
        "stereo panning: 0 left, 1 right; imode 0 equal power, 1 square root, 2 linear, 3 alternative equal power",
    ),
    spec(
        "ms2st",
        "aa",
        "aak",
        Pass::Perf,
        |a| build_midside(a, true),
        "mid and side to left and right with a stereo width (0 mid only, 1 side only)",
    ),
    spec(
        "st2ms",
        "aa",
        "aa",
        Pass::Perf,
        |a| build_midside(a, false),
        "left and right to mid (L + R) and side (L - R)",
    ),
];
