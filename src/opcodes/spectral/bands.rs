//! Band filters on f-signals (`pvsbandp`, `pvsbandr`): each bin's
//! amplitude is scaled by a trapezium over its measured frequency.
//!
//! Measured against csound 6.18 (frames read back with `pvs2tab`): the
//! position in a transition band is `r`, from 0 at the band's outer edge
//! to 1 where it is fully passed (`pvsbandp`) or fully rejected
//! (`pvsbandr`), and the gain there is `r` for `ktype` 0, else
//! `(1 - exp(r ktype)) / (1 - exp(ktype))`, so that the reject filter's
//! gain is the curve at `1 - r`. A bin given no amplitude at all is
//! emptied as the frequency-moving opcodes empty theirs (amplitude 0,
//! frequency -1).

use super::transform::{Link, opcode_impl};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;
use crate::opcodes::{Args, Opcode, boxed};

/// `fsig pvsbandp|pvsbandr fsigin, klowcut, klowfull, khighfull, khighcut [, ktype]`.
struct Band {
    link: Link,
    edges: [Input; 4],
    shape: Input,
    reject: bool,
}

fn build(a: &Args, reject: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Band {
        link: Link::new(a, 0),
        edges: [a.input(1), a.input(2), a.input(3), a.input(4)],
        shape: a.input(5),
        reject,
    })
}

pub(super) fn build_pass(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(a, false)
}

pub(super) fn build_reject(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(a, true)
}

impl Band {
    fn start(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        Ok(())
    }
}

/// The transition curve at `r` (0..1) for `ktype`.
fn curve(r: f64, shape: f64) -> f64 {
    if shape == 0.0 {
        r
    } else {
        (1.0 - (r * shape).exp()) / (1.0 - shape.exp())
    }
}

/// How far into the pass band frequency `f` is: 0 outside, 1 inside, the
/// fraction of the way across a transition band between.
fn inside(f: f64, [lowcut, lowfull, highfull, highcut]: [f64; 4]) -> f64 {
    if f < lowcut || f > highcut {
        0.0
    } else if f < lowfull {
        (f - lowcut) / (lowfull - lowcut)
    } else if f > highfull {
        (highcut - f) / (highcut - highfull)
    } else {
        1.0
    }
}

opcode_impl!(Band, "pvsbandp", |s, _ctx| {
    let edges = s.edges.map(|e| e.get());
    let shape = s.shape.get();
    let l = &mut s.link;
    for i in (0..l.len).step_by(2) {
        let (amp, freq) = (l.frame[i], l.frame[i + 1]);
        let r = inside(freq, edges);
        let gain = if s.reject {
            if r >= 1.0 {
                0.0
            } else if r <= 0.0 {
                1.0
            } else {
                curve(1.0 - r, shape)
            }
        } else if r >= 1.0 {
            1.0
        } else if r <= 0.0 {
            0.0
        } else {
            curve(r, shape)
        };
        if gain == 0.0 {
            l.result[i] = 0.0;
            l.result[i + 1] = -1.0;
        } else {
            l.result[i] = amp * gain;
            l.result[i + 1] = freq;
        }
    }
});
