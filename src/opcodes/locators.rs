//! Dodge and Jerse's sound locators: `locsig` (a direction in degrees and a
//! distance) and `space` (a point on the x-y plane) place a signal among two
//! or four speakers and work out reverb sends, which the `locsend` or
//! `spsend` after them in the instrument give out.
//!
//! The laws were measured against csound 6.18 with a constant input. For a
//! distance `d` and reverb share `r`: the direct gains are the speaker gains
//! over `d`; the sends total `r / sqrt(d)`, of which `1 / d` goes to every
//! channel and the rest (`1 - 1 / d`) is spread by the speaker gains.
//! `locsig` pans with cosine and sine between the two speakers around the
//! direction (0, 90, 180 and 270 degrees; a pair uses the first two).
//! `space` pans with a sine law on each axis, `sqrt 2 L(x) F(y)`, the point
//! scaled back into the square when it lies outside it; it attenuates by
//! `1 / d` only beyond the unit circle, and for its sends takes `d` to be at
//! least 1.

use std::f64::consts::{FRAC_PI_4, SQRT_2};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// The reverb sends of one block, written by `locsig`/`space` and read by
/// the `locsend`/`spsend` after it (channel-major, `ksmps` per channel).
/// Atomics keep the sharing safe; the opcodes of one instance never run at
/// the same time, so relaxed order is enough.
type Sends = Arc<[AtomicU64]>;

/// What the locator leaves in the instance's build scope for its sender.
struct Link {
    sends: Sends,
    channels: usize,
    /// `locsig` or `space`: a sender must follow the right kind.
    space: bool,
}

/// The sends' split: `(global, local)` for distance `d` and reverb share `r`.
fn send_split(r: f64, d: f64) -> (f64, f64) {
    let total = r / d.sqrt();
    (total / d, total * (1.0 - 1.0 / d))
}

/// Speaker gains of `locsig` for a direction in degrees.
fn locsig_gains(degrees: f64) -> [f64; 4] {
    let d = degrees.rem_euclid(360.0);
    let quadrant = ((d / 90.0) as usize).min(3);
    let (s, c) = ((d - 90.0 * quadrant as f64).to_radians()).sin_cos();
    let mut g = [0.0; 4];
    g[quadrant] = c;
    g[(quadrant + 1) % 4] = s;
    g
}

/// Speaker gains of `space` at (x, y), and the distance.
fn space_gains(x: f64, y: f64) -> ([f64; 4], f64) {
    let d = (x * x + y * y).sqrt();
    let m = x.abs().max(y.abs());
    let (x, y) = if m > 1.0 { (x / m, y / m) } else { (x, y) };
    let (r, l) = ((x + 1.0) * FRAC_PI_4).sin_cos();
    let (f, b) = ((y + 1.0) * FRAC_PI_4).sin_cos();
    (
        [
            SQRT_2 * l * f,
            SQRT_2 * r * f,
            SQRT_2 * l * b,
            SQRT_2 * r * b,
        ],
        d,
    )
}

/// `a1, a2 [, a3, a4] locsig asig, kdegree, kdistance, kreverbsend` and
/// `a1, a2, a3, a4 space asig, ifn, ktime, kreverbsend, kx, ky`.
struct Locator {
    outs: Vec<Output>,
    channels: usize,
    sig: Input,
    /// `kdegree`/`kdistance`, or `kx`/`ky`.
    pos: (Input, Input),
    reverb: Input,
    /// `space`'s table (only 0, coordinates from kx and ky, is supported).
    table: Input,
    space: bool,
    ksmps: usize,
    sends: Sends,
    last: (f64, f64, f64),
    direct: [f64; 4],
    send: [f64; 4],
}

fn build_locator(a: &Args, space: bool) -> Result<Box<dyn Opcode>, String> {
    let channels = a.outs.len();
    let sends: Sends = (0..4 * a.ksmps).map(|_| AtomicU64::new(0)).collect();
    *a.scope.link.borrow_mut() = Some(Box::new(Link {
        sends: sends.clone(),
        channels,
        space,
    }));
    let outs = (0..channels).map(|i| a.out(i)).collect();
    let (pos, reverb, table) = if space {
        ((a.input(4), a.input(5)), a.input(3), a.input(1))
    } else {
        ((a.input(1), a.input(2)), a.input(3), Input::zero())
    };
    boxed(Locator {
        outs,
        channels,
        sig: a.input(0),
        pos,
        reverb,
        table,
        space,
        ksmps: a.ksmps,
        sends,
        last: (f64::NAN, f64::NAN, f64::NAN),
        direct: [0.0; 4],
        send: [0.0; 4],
    })
}

impl Opcode for Locator {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.space && self.table.get() != 0.0 {
            return Err(ctx.fail(format_args!(
                "space: trajectories from a table (ifn {}) are not supported; \
                 give ifn 0 and the position in kx, ky",
                self.table.get()
            )));
        }
        self.last = (f64::NAN, f64::NAN, f64::NAN);
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let now = (self.pos.0.get(), self.pos.1.get(), self.reverb.get());
        if now != self.last {
            self.last = now;
            let (p, q, r) = now;
            let (gains, direct_d, send_d) = if self.space {
                let (g, d) = space_gains(p, q);
                (g, d.max(1.0), d.max(1.0))
            } else {
                (locsig_gains(p), q, q)
            };
            let (global, local) = send_split(r, send_d);
            for ((direct, send), g) in self.direct.iter_mut().zip(&mut self.send).zip(gains) {
                *direct = g / direct_d;
                *send = global + local * g;
            }
        }
        for i in 0..self.ksmps {
            let x = self.sig.at(i);
            for c in 0..self.channels {
                self.outs[c].set_at(i, x * self.direct[c]);
                self.sends[c * self.ksmps + i]
                    .store((x * self.send[c]).to_bits(), Ordering::Relaxed);
            }
        }
        Ok(())
    }
}

/// `a1, a2 [, a3, a4] locsend` and `a1, a2, a3, a4 spsend`: the reverb sends
/// of the locator before it in the instrument.
struct Sender {
    outs: Vec<Output>,
    channels: usize,
    ksmps: usize,
    sends: Sends,
}

fn build_sender(a: &Args, space: bool) -> Result<Box<dyn Opcode>, String> {
    let (name, locator) = if space {
        ("spsend", "space")
    } else {
        ("locsend", "locsig")
    };
    let link = a.scope.link.borrow();
    let Some(link) = link
        .as_ref()
        .and_then(|l| l.downcast_ref::<Link>())
        .filter(|l| l.space == space)
    else {
        return Err(format!(
            "there is no {locator} before this {name} in the instrument"
        ));
    };
    let channels = a.outs.len();
    if channels != link.channels {
        return Err(format!(
            "{name} has {channels} outputs but the {locator} before it has {}",
            link.channels
        ));
    }
    let outs = (0..channels).map(|i| a.out(i)).collect();
    boxed(Sender {
        outs,
        channels,
        ksmps: a.ksmps,
        sends: link.sends.clone(),
    })
}

impl Opcode for Sender {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for c in 0..self.channels {
            for i in 0..self.ksmps {
                let v = f64::from_bits(self.sends[c * self.ksmps + i].load(Ordering::Relaxed));
                self.outs[c].set_at(i, v);
            }
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "locsig",
        "aa",
        "akkk",
        Pass::Both,
        |a| build_locator(a, false),
        "places a signal between two speakers by direction (degrees) and distance, with reverb sends",
    ),
    spec(
        "locsig",
        "aaaa",
        "akkk",
        Pass::Both,
        |a| build_locator(a, false),
        "places a signal among four speakers by direction (degrees) and distance, with reverb sends",
    ),
    spec(
        "locsend",
        "aa",
        "",
        Pass::Perf,
        |a| build_sender(a, false),
        "the reverb sends of the locsig before it",
    ),
    spec(
        "locsend",
        "aaaa",
        "",
        Pass::Perf,
        |a| build_sender(a, false),
        "the reverb sends of the locsig before it",
    ),
    spec(
        "space",
        "aaaa",
        "aikkkk",
        Pass::Both,
        |a| build_locator(a, true),
        "places a signal among four speakers at a point (kx, ky) of the plane, with reverb sends",
    ),
    spec(
        "spsend",
        "aaaa",
        "",
        Pass::Perf,
        |a| build_sender(a, true),
        "the reverb sends of the space before it",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn gains_match_measured_points() {
        // Read off csound 6.18 (see the module doc).
        let g = locsig_gains(120.0);
        assert!(close(g[1] / 2.0, 0.433013) && close(g[2] / 2.0, 0.25));
        let g = locsig_gains(-30.0);
        assert!(close(g[3], 0.5) && close(g[0], 0.866025));
        let (g, d) = space_gains(-2.0, 0.5);
        assert!(close(g[0] / d, 0.570383) && close(g[2] / d, 0.381118));
        let (global, local) = send_split(0.1, 4.0);
        assert!(close(global + local * 0.5, 0.03125));
    }
}
