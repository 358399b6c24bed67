//! The `hilbert` transformer: two chains of first-order all-pass sections.

use super::*;

/// The poles (Hz, before scaling by 15) of `hilbert`'s two chains of
/// first-order all-pass sections, from Bernie Hutchins' "Musical Engineer's
/// Handbook": the first six make the imaginary (sine) output, the last six
/// the real (cosine) one.
const HILBERT_POLES: [f64; 12] = [
    0.3609, 2.7412, 11.1573, 44.7581, 179.6242, 798.4578, 1.2524, 5.5671, 22.3423, 89.6271,
    364.7914, 2770.1114,
];

/// `areal, aimag hilbert asig`: an IIR Hilbert transformer, two chains of
/// six first-order all-passes whose outputs are 90 degrees apart over
/// roughly 15 Hz to 15 kHz (for frequency shifting and single-sideband
/// modulation). Each section is `y[n] = c (x[n] - y[n-1]) + x[n-1]` with
/// `c = -(1 - a) / (1 + a)`, `a = 15 pi pole / sr`.
struct Hilbert {
    real: Output,
    imag: Output,
    sig: Input,
    samples: usize,
    coef: [f64; 12],
    x1: [f64; 12],
    y1: [f64; 12],
}

pub(super) fn build_hilbert(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Hilbert {
        real: a.out(0),
        imag: a.out(1),
        sig: a.input(0),
        samples: a.ksmps,
        coef: [0.0; 12],
        x1: [0.0; 12],
        y1: [0.0; 12],
    })
}

impl Hilbert {
    /// One sample through sections `range` in series.
    #[inline(always)]
    fn chain(&mut self, range: std::ops::Range<usize>, mut x: f64) -> f64 {
        for j in range {
            let y = self.coef[j] * (x - self.y1[j]) + self.x1[j];
            self.x1[j] = x;
            self.y1[j] = y;
            x = y;
        }
        x
    }
}

impl Opcode for Hilbert {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        for (c, pole) in self.coef.iter_mut().zip(HILBERT_POLES) {
            let a = PI * 15.0 * pole / ctx.rates.sr;
            *c = -(1.0 - a) / (1.0 + a);
        }
        self.x1 = [0.0; 12];
        self.y1 = [0.0; 12];
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.samples {
            let x = self.sig.at(i);
            let imag = self.chain(0..6, x);
            let real = self.chain(6..12, x);
            self.real.set_at(i, real);
            self.imag.set_at(i, imag);
        }
        Ok(())
    }
}
