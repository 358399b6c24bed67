//! Waveshaping and phase distortion: `pdclip`, `pdhalf`, `pdhalfy` (linear
//! transfer functions for phase-distortion synthesis), `powershape` (a
//! sign-preserving power), `polynomial` and `chebyshevpoly` (a transfer
//! function given by coefficients at k-rate).
//!
//! The transfer functions were measured against csound 6.18 with ramps
//! through each opcode: the shape amounts are clamped to [-1, 1] (`pdclip`'s
//! width to [0, 1] and its offset to [-width, width]), a segment of zero
//! width gets a slope of zero rather than infinity, and the unipolar forms
//! are the bipolar ones seen through `u = (x + 1) / 2`.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Which linear transfer function a [`PhaseDistort`] applies.
#[derive(Clone, Copy)]
enum Pd {
    Clip,
    Half,
    HalfY,
}

/// `aout pdclip|pdhalf ain, kamount [, ...] [, ibipolar [, ifullscale]]`.
struct PhaseDistort {
    kind: Pd,
    out: Output,
    sig: Input,
    /// `kWidth` for `pdclip`, `kShapeAmount` for the others.
    amount: Input,
    /// `pdclip`'s `kCenter` (unused otherwise).
    center: Input,
    bipolar: Input,
    full_scale: Input,
    samples: usize,
}

/// Slope of a segment rising `rise` over `run`: zero when the segment has no
/// width (csound's output then stays on the pivot's level).
fn slope(rise: f64, run: f64) -> f64 {
    if run == 0.0 { 0.0 } else { rise / run }
}

impl PhaseDistort {
    /// The bipolar transfer function of `x` in [-1, 1].
    #[inline(always)]
    fn shape(kind: Pd, x: f64, amount: f64, center: f64) -> f64 {
        match kind {
            Pd::Clip => {
                let width = amount.clamp(0.0, 1.0);
                let shift = center.clamp(-1.0, 1.0).clamp(-width, width);
                let half = 1.0 - width;
                let (low, high) = (shift - half, shift + half);
                if x <= low {
                    -1.0
                } else if x >= high {
                    1.0
                } else {
                    (x - shift) / half
                }
            }
            Pd::Half => {
                // The pivot lies on y = 0 at x = amount.
                let p = amount.clamp(-1.0, 1.0);
                if x < p {
                    (x - p) * slope(1.0, p + 1.0)
                } else {
                    (x - p) * slope(1.0, 1.0 - p)
                }
            }
            Pd::HalfY => {
                // The pivot lies on x = 0 at y = amount.
                let p = amount.clamp(-1.0, 1.0);
                if x < 0.0 {
                    p + x * (p + 1.0)
                } else {
                    p + x * (1.0 - p)
                }
            }
        }
    }
}

impl Opcode for PhaseDistort {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let (amount, center) = (self.amount.get(), self.center.get());
        let fs = self.full_scale.get();
        let kind = self.kind;
        if self.bipolar.get() != 0.0 {
            for i in 0..self.samples {
                let x = self.sig.at(i) / fs;
                self.out
                    .set_at(i, fs * Self::shape(kind, x, amount, center));
            }
        } else {
            for i in 0..self.samples {
                let x = 2.0 * self.sig.at(i) / fs - 1.0;
                let y = Self::shape(kind, x, amount, center);
                self.out.set_at(i, fs * 0.5 * (y + 1.0));
            }
        }
        Ok(())
    }
}

fn build_pd(a: &Args, kind: Pd) -> Result<Box<dyn Opcode>, String> {
    // pdclip has one more control (kCenter) before the optional arguments.
    let (center, rest) = match kind {
        Pd::Clip => (a.input(2), 3),
        _ => (Input::zero(), 2),
    };
    boxed(PhaseDistort {
        kind,
        out: a.out(0),
        sig: a.input(0),
        amount: a.input(1),
        center,
        bipolar: a.input(rest),
        full_scale: a.input(rest + 1),
        samples: a.ksmps,
    })
}

/// `aout powershape ain, kShapeAmount [, ifullscale]`: `|x|^k` with the sign
/// of `x`, the input scaled to [-1, 1] by `ifullscale` and back. An exponent
/// of exactly 0 gives full scale everywhere (csound's answer for `0^0`,
/// measured, whatever the input's sign).
struct PowerShape {
    out: Output,
    sig: Input,
    amount: Input,
    full_scale: Input,
    samples: usize,
}

impl Opcode for PowerShape {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let (k, fs) = (self.amount.get(), self.full_scale.get());
        if k == 0.0 {
            for i in 0..self.samples {
                self.out.set_at(i, fs);
            }
            return Ok(());
        }
        for i in 0..self.samples {
            let x = self.sig.at(i) / fs;
            let y = x.abs().powf(k);
            self.out.set_at(i, fs * if x < 0.0 { -y } else { y });
        }
        Ok(())
    }
}

fn build_powershape(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(PowerShape {
        out: a.out(0),
        sig: a.input(0),
        amount: a.input(1),
        full_scale: a.input(2),
        samples: a.ksmps,
    })
}

/// `aout polynomial ain, k0 [, k1 ...]` (`sum kn x^n`) and `aout
/// chebyshevpoly ain, k0 [, k1 ...]` (`sum kn Tn(x)`, with `T0 = 1`, `T1 =
/// x`, `Tn = 2x T(n-1) - T(n-2)`).
struct Polynomial {
    out: Output,
    sig: Input,
    coefs: Vec<Input>,
    samples: usize,
    chebyshev: bool,
}

impl Opcode for Polynomial {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let x = self.sig.at(i);
            let mut sum = 0.0;
            if self.chebyshev {
                let (mut t_prev, mut t) = (1.0, x);
                for (n, c) in self.coefs.iter().enumerate() {
                    let tn = match n {
                        0 => 1.0,
                        1 => x,
                        _ => {
                            let next = 2.0 * x * t - t_prev;
                            t_prev = t;
                            t = next;
                            next
                        }
                    };
                    sum += c.get() * tn;
                }
            } else {
                let mut power = 1.0;
                for c in &self.coefs {
                    sum += c.get() * power;
                    power *= x;
                }
            }
            self.out.set_at(i, sum);
        }
        Ok(())
    }
}

fn build_polynomial(a: &Args, chebyshev: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Polynomial {
        out: a.out(0),
        sig: a.input(0),
        coefs: a.inputs_from(1),
        samples: a.ksmps,
        chebyshev,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "pdclip",
        "a",
        "akkop",
        Pass::Perf,
        |a| build_pd(a, Pd::Clip),
        "linear clipping of kWidth of the input range, the window shifted by kCenter",
    ),
    spec(
        "pdhalf",
        "a",
        "akop",
        Pass::Perf,
        |a| build_pd(a, Pd::Half),
        "phase distortion: reads the two halves of a phasor's range at different rates",
    ),
    spec(
        "pdhalfy",
        "a",
        "akop",
        Pass::Perf,
        |a| build_pd(a, Pd::HalfY),
        "phase distortion: maps the phasor's two halves onto unequal parts of the range",
    ),
    spec(
        "powershape",
        "a",
        "akp",
        Pass::Perf,
        build_powershape,
        "raises the input to the power kShapeAmount, keeping its sign",
    ),
    spec(
        "polynomial",
        "a",
        "az",
        Pass::Perf,
        |a| build_polynomial(a, false),
        "the polynomial k0 + k1 x + k2 x^2 + ... of the input",
    ),
    spec(
        "chebyshevpoly",
        "a",
        "az",
        Pass::Perf,
        |a| build_polynomial(a, true),
        "the sum of Chebyshev polynomials k0 T0(x) + k1 T1(x) + ... of the input",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_functions_match_measured_points() {
        // Points read off csound 6.18's output for ramps (see the module doc).
        let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
        assert!(close(
            PhaseDistort::shape(Pd::Clip, 0.0, 0.3, 0.4),
            -0.428571
        ));
        assert!(close(
            PhaseDistort::shape(Pd::Half, -0.5, -0.6, 0.0),
            0.0625
        ));
        assert!(close(
            PhaseDistort::shape(Pd::HalfY, 0.125, -0.6, 0.0),
            -0.4
        ));
        // A zero-width segment stays on the pivot's level.
        assert_eq!(PhaseDistort::shape(Pd::Half, 1.125, 1.0, 0.0), 0.0);
    }
}
