//! `pvsblur`: each bin's amplitude and frequency averaged over the frames
//! of the last `kblurtime` seconds.
//!
//! Measured against csound 6.18: with `n = int(kblurtime sr / overlap)`
//! frames, the output frame is the mean of the `n` input frames before the
//! current one (so the stream is delayed), and the frames before the note
//! count as silent with bin k at frequency `2 k sr / N` (what csound's
//! delay line starts with). With `n` 0 the input passes unchanged.

use super::transform::{Link, opcode_impl};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;
use crate::opcodes::{Args, Opcode, boxed};

/// The most cells rhapsody reserves for one blur's delay line (64 MB).
const MAX_CELLS: usize = 1 << 23;

/// `fsig pvsblur fsigin, kblurtime, imaxdel`.
struct Blur {
    link: Link,
    time: Input,
    maxdel: Input,
    /// `frames` past input frames of `len` values, the oldest at `head`.
    ring: Vec<f64>,
    frames: usize,
    head: usize,
    sr: f64,
}

pub(super) fn build(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let link = Link::new(a, 0);
    let cap = link.frame.len();
    // The overlap is known only at init: reserve for the smallest csound's
    // analysis allows (ksmps, and more than 10 samples), within a bound.
    let min_overlap = a.ksmps.max(11) as f64;
    let frames = match a.constant(2) {
        Some(d) if d > 0.0 => (d * a.scope.sr / min_overlap).ceil() as usize + 1,
        _ => (a.scope.sr / min_overlap).ceil() as usize + 1,
    };
    let frames = frames.min(MAX_CELLS / cap.max(1)).max(1);
    boxed(Blur {
        link,
        time: a.input(1),
        maxdel: a.input(2),
        ring: vec![0.0; frames * cap],
        frames: 0,
        head: 0,
        sr: a.scope.sr,
    })
}

impl Blur {
    fn start(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.sr = ctx.rates.sr;
        let overlap = self.link.overlap().max(1) as f64;
        let frames = (self.maxdel.get() * self.sr / overlap).max(1.0) as usize;
        let len = self.link.len;
        if frames * len > self.ring.len() {
            return Err(ctx.fail(format_args!(
                "pvsblur: a delay of {} s holds {frames} frames, more than rhapsody \
                 reserved ({}); write imaxdel as a constant",
                self.maxdel.get(),
                self.ring.len() / len
            )));
        }
        self.frames = frames;
        self.head = 0;
        let bin_hz = self.sr / (len - 2) as f64;
        for f in 0..frames {
            for k in 0..len / 2 {
                self.ring[f * len + 2 * k] = 0.0;
                self.ring[f * len + 2 * k + 1] = 2.0 * k as f64 * bin_hz;
            }
        }
        Ok(())
    }
}

opcode_impl!(Blur, "pvsblur", |s, _ctx| {
    let len = s.link.len;
    let overlap = s.link.overlap().max(1) as f64;
    let n = ((s.time.get() * s.sr / overlap).max(0.0) as usize).min(s.frames);
    let l = &mut s.link;
    if n == 0 {
        l.result[..len].copy_from_slice(&l.frame[..len]);
    } else {
        l.result[..len].fill(0.0);
        // The newest stored frame is just before `head`.
        for j in 1..=n {
            let f = (s.head + s.frames - j) % s.frames;
            let past = &s.ring[f * len..(f + 1) * len];
            for (r, p) in l.result[..len].iter_mut().zip(past) {
                *r += p;
            }
        }
        let scale = 1.0 / n as f64;
        for r in &mut l.result[..len] {
            *r *= scale;
        }
    }
    s.ring[s.head * len..(s.head + 1) * len].copy_from_slice(&l.frame[..len]);
    s.head = (s.head + 1) % s.frames;
});
