//! Transformations of (amplitude, frequency) f-signals: gain, frequency
//! scaling and shifting, mixing, cross-synthesis, filtering by another
//! stream or a table, freezing, smoothing, and plain copy.
//!
//! Each reads its input frame when the input's count moves, writes its
//! output frame and gives it the input's count ([`Link`]).

use super::frame::Fsig;
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;
use crate::opcodes::{Args, Opcode, boxed};

/// An input stream and the output stream made from it.
pub(super) struct Link {
    input: Fsig,
    out: Fsig,
    pub(super) last: u64,
    /// Values in a frame (N + 2) for this note.
    pub(super) len: usize,
    /// The input frame, read when a new one arrives.
    pub(super) frame: Vec<f64>,
    /// The output frame being made.
    pub(super) result: Vec<f64>,
}

impl Link {
    pub(super) fn new(a: &Args, input: usize) -> Link {
        let input = Fsig::from_input(a.input(input));
        let out = Fsig::from_output(a.out(0));
        let cap = input.max_size() + 2;
        Link {
            input,
            out,
            last: 0,
            len: 0,
            frame: vec![0.0; cap],
            result: vec![0.0; cap],
        }
    }

    /// Describe the output like the input (at note start).
    pub(super) fn init(&mut self, ctx: &mut Ctx, name: &str) -> Result<(), Failed> {
        let info = self.input.info();
        if info.size < 2 {
            return Err(ctx.fail(format_args!(
                "{name}: the input f-signal has no frames yet (its analysis has not started)"
            )));
        }
        if info.size > self.out.max_size() || info.size + 2 > self.frame.len() {
            return Err(ctx.fail(format_args!(
                "{name}: frames of size {} are more than rhapsody reserved for the output ({})",
                info.size,
                self.out.max_size()
            )));
        }
        self.out.reset(&info);
        self.last = 0;
        self.len = info.size + 2;
        Ok(())
    }

    /// Read the input frame when it is new.
    pub(super) fn fresh(&mut self) -> bool {
        if !self.input.take_new(&mut self.last) {
            return false;
        }
        self.input.read(&mut self.frame[..self.len]);
        true
    }

    /// Publish `result` as the output frame, with the input's count.
    pub(super) fn publish(&mut self) {
        self.out.write(&self.result[..self.len]);
        self.out.set_count(self.last);
    }

    /// The input's samples between frames.
    pub(super) fn overlap(&self) -> usize {
        self.input.info().overlap
    }

    pub(super) fn bin_hz(&self, sr: f64) -> f64 {
        sr / (self.len - 2).max(1) as f64
    }
}

/// A second input stream, read alongside a [`Link`]'s.
pub(super) struct Side {
    input: Fsig,
    pub(super) frame: Vec<f64>,
}

impl Side {
    pub(super) fn new(a: &Args, input: usize) -> Side {
        let input = Fsig::from_input(a.input(input));
        Side {
            input,
            frame: vec![0.0; input.max_size() + 2],
        }
    }

    pub(super) fn init(&mut self, ctx: &mut Ctx, name: &str, link: &Link) -> Result<(), Failed> {
        let info = self.input.info();
        if info.size + 2 != link.len {
            return Err(ctx.fail(format_args!(
                "{name}: the two f-signals differ in size ({} and {})",
                link.len - 2,
                info.size
            )));
        }
        Ok(())
    }

    pub(super) fn read(&mut self, len: usize) {
        self.input.read(&mut self.frame[..len]);
    }
}

macro_rules! opcode_impl {
    ($t:ty, $name:literal, |$s:ident, $ctx:ident| $body:block) => {
        impl Opcode for $t {
            fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
                self.link.init(ctx, $name)?;
                self.start(ctx)
            }

            fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
                if !self.link.fresh() {
                    return Ok(());
                }
                let $s = &mut *self;
                let $ctx = ctx;
                $body
                $s.link.publish();
                Ok(())
            }
        }
    };
}
pub(super) use opcode_impl;

/// `fsig pvsgain fsigin, kgain`.
struct Gain {
    link: Link,
    gain: Input,
}

pub(super) fn build_gain(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Gain {
        link: Link::new(a, 0),
        gain: a.input(1),
    })
}

impl Gain {
    fn start(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        Ok(())
    }
}

opcode_impl!(Gain, "pvsgain", |s, _ctx| {
    let g = s.gain.get();
    let l = &mut s.link;
    for i in (0..l.len).step_by(2) {
        l.result[i] = l.frame[i] * g;
        l.result[i + 1] = l.frame[i + 1];
    }
});

/// `fsig = fsigin`.
struct Copy {
    link: Link,
}

pub(super) fn build_copy(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Copy {
        link: Link::new(a, 0),
    })
}

impl Copy {
    fn start(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        Ok(())
    }
}

opcode_impl!(Copy, "=", |s, _ctx| {
    let l = &mut s.link;
    l.result[..l.len].copy_from_slice(&l.frame[..l.len]);
});

/// `fsig pvscale fsigin, kscal [, kkeepform, kgain, kcoefs]`: bin k's
/// content moves to bin round(k * kscal) with its frequency scaled.
struct Scale {
    link: Link,
    scale: Input,
    keepform: Input,
    gain: Input,
}

pub(super) fn build_scale(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Scale {
        link: Link::new(a, 0),
        scale: a.input(1),
        keepform: a.input(2),
        gain: a.input(3),
    })
}

impl Scale {
    fn start(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        keepform_unsupported(ctx, "pvscale", self.keepform)
    }
}

fn keepform_unsupported(ctx: &mut Ctx, name: &str, keepform: Input) -> Result<(), Failed> {
    if keepform.get() != 0.0 {
        return Err(ctx.fail(format_args!(
            "{name}: formant preservation (kkeepform {}) is not supported by rhapsody yet",
            keepform.get()
        )));
    }
    Ok(())
}

opcode_impl!(Scale, "pvscale", |s, _ctx| {
    let scale = s.scale.get();
    let gain = s.gain.get();
    let l = &mut s.link;
    let bins = l.len / 2;
    clear_bins(&mut l.result[..l.len]);
    // 0 Hz and Nyquist keep their amplitudes at frequency 0; the bins
    // between move among themselves.
    for k in [0, bins - 1] {
        l.result[2 * k] = l.frame[2 * k] * gain;
        l.result[2 * k + 1] = 0.0;
    }
    for k in 1..bins - 1 {
        let to = (k as f64 * scale).round();
        if to >= 1.0 && (to as usize) < bins - 1 {
            let to = to as usize;
            l.result[2 * to] = l.frame[2 * k] * gain;
            l.result[2 * to + 1] = l.frame[2 * k + 1] * scale;
        }
    }
});

/// `fsig pvshift fsigin, kshift, klowest [, kkeepform, igain, kcoefs]`:
/// bins at or above `klowest` Hz move up or down by `kshift` Hz.
struct Shift {
    link: Link,
    shift: Input,
    lowest: Input,
    keepform: Input,
    gain: Input,
    sr: f64,
}

pub(super) fn build_shift(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Shift {
        link: Link::new(a, 0),
        shift: a.input(1),
        lowest: a.input(2),
        keepform: a.input(3),
        gain: a.input(4),
        sr: a.scope.sr,
    })
}

impl Shift {
    fn start(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.sr = ctx.rates.sr;
        keepform_unsupported(ctx, "pvshift", self.keepform)
    }
}

opcode_impl!(Shift, "pvshift", |s, _ctx| {
    let shift = s.shift.get();
    let gain = s.gain.get();
    let bin_hz = s.link.bin_hz(s.sr);
    // Both truncate to whole bins, as csound's do.
    let lowest = (s.lowest.get() / bin_hz).trunc().max(0.0) as usize;
    let by = (shift / bin_hz).trunc() as i64;
    let l = &mut s.link;
    let bins = l.len / 2;
    let nyquist = bins - 1;
    clear_bins(&mut l.result[..l.len]);
    for k in 0..lowest.clamp(1, nyquist) {
        l.result[2 * k] = l.frame[2 * k] * gain;
        l.result[2 * k + 1] = l.frame[2 * k + 1];
    }
    // The bins from the lowest up (0 Hz never moves) move among themselves,
    // landing strictly above the lowest (as csound's measured); Nyquist
    // keeps its amplitude at frequency 0.
    let lowest = lowest.max(1);
    for k in lowest..nyquist {
        let to = k as i64 + by;
        if to > lowest as i64 && (to as usize) < nyquist {
            let to = to as usize;
            l.result[2 * to] = l.frame[2 * k] * gain;
            l.result[2 * to + 1] = l.frame[2 * k + 1] + shift;
        }
    }
    l.result[2 * nyquist] = l.frame[2 * nyquist] * gain;
    l.result[2 * nyquist + 1] = 0.0;
});

/// Empty every bin: amplitude 0 and frequency -1, which is what csound's
/// frequency-moving opcodes leave in bins nothing moved into (it matters:
/// `pvsynth` advances a bin's phase by its frequency even when silent).
pub(super) fn clear_bins(frame: &mut [f64]) {
    for pair in frame.chunks_exact_mut(2) {
        pair[0] = 0.0;
        pair[1] = -1.0;
    }
}

/// `fsig pvsmix fsigin1, fsigin2`: the louder of each pair of bins.
struct Mix {
    link: Link,
    other: Side,
}

pub(super) fn build_mix(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Mix {
        link: Link::new(a, 0),
        other: Side::new(a, 1),
    })
}

impl Mix {
    fn start(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.other.init(ctx, "pvsmix", &self.link)
    }
}

opcode_impl!(Mix, "pvsmix", |s, _ctx| {
    let l = &mut s.link;
    s.other.read(l.len);
    let b = &s.other.frame;
    for i in (0..l.len).step_by(2) {
        let pick = if b[i] > l.frame[i] { b } else { &l.frame };
        l.result[i] = pick[i];
        l.result[i + 1] = pick[i + 1];
    }
});

/// `fsig pvscross fsrc, fdest, kamp1, kamp2`.
struct Cross {
    link: Link,
    other: Side,
    amp1: Input,
    amp2: Input,
}

pub(super) fn build_cross(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Cross {
        link: Link::new(a, 0),
        other: Side::new(a, 1),
        amp1: a.input(2),
        amp2: a.input(3),
    })
}

impl Cross {
    fn start(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.other.init(ctx, "pvscross", &self.link)
    }
}

opcode_impl!(Cross, "pvscross", |s, _ctx| {
    let (a1, a2) = (s.amp1.get(), s.amp2.get());
    let l = &mut s.link;
    s.other.read(l.len);
    let b = &s.other.frame;
    for i in (0..l.len).step_by(2) {
        l.result[i] = l.frame[i] * a1 + b[i] * a2;
        l.result[i + 1] = l.frame[i + 1];
    }
});

/// `fsig pvsfilter fsigin, fsigfil, kdepth [, igain]`.
struct Filter {
    link: Link,
    other: Side,
    depth: Input,
    gain: Input,
}

pub(super) fn build_filter(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Filter {
        link: Link::new(a, 0),
        other: Side::new(a, 1),
        depth: a.input(2),
        gain: a.input(3),
    })
}

impl Filter {
    fn start(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.other.init(ctx, "pvsfilter", &self.link)
    }
}

opcode_impl!(Filter, "pvsfilter", |s, _ctx| {
    let depth = s.depth.get().clamp(0.0, 1.0);
    let gain = s.gain.get();
    let l = &mut s.link;
    s.other.read(l.len);
    let b = &s.other.frame;
    for i in (0..l.len).step_by(2) {
        l.result[i] = l.frame[i] * (1.0 - depth + depth * b[i]) * gain;
        l.result[i + 1] = l.frame[i + 1];
    }
});

/// `fsig pvsfreeze fsigin, kfreeza, kfreezf`.
struct Freeze {
    link: Link,
    freeze_amp: Input,
    freeze_freq: Input,
    held: Vec<f64>,
}

pub(super) fn build_freeze(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let link = Link::new(a, 0);
    let held = vec![0.0; link.frame.len()];
    boxed(Freeze {
        link,
        freeze_amp: a.input(1),
        freeze_freq: a.input(2),
        held,
    })
}

impl Freeze {
    fn start(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        self.held.fill(0.0);
        Ok(())
    }
}

opcode_impl!(Freeze, "pvsfreeze", |s, _ctx| {
    let fa = s.freeze_amp.get() >= 1.0;
    let ff = s.freeze_freq.get() >= 1.0;
    let l = &mut s.link;
    for i in (0..l.len).step_by(2) {
        if !fa {
            s.held[i] = l.frame[i];
        }
        if !ff {
            s.held[i + 1] = l.frame[i + 1];
        }
        l.result[i] = s.held[i];
        l.result[i + 1] = s.held[i + 1];
    }
});

/// `fsig pvsmooth fsigin, kacf, kfcf`: a `tone`-style one-pole lowpass on
/// each bin's amplitude and frequency, the cutoffs given as fractions of
/// half the frame rate.
struct Smooth {
    link: Link,
    amp_cutoff: Input,
    freq_cutoff: Input,
    first: bool,
}

pub(super) fn build_smooth(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Smooth {
        link: Link::new(a, 0),
        amp_cutoff: a.input(1),
        freq_cutoff: a.input(2),
        first: true,
    })
}

impl Smooth {
    fn start(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        self.first = true;
        self.link.result.fill(0.0);
        Ok(())
    }
}

/// The feedback coefficient of `tone` for a cutoff at `fraction` of Nyquist.
fn tone_coefficient(fraction: f64) -> f64 {
    let b = 2.0 - (std::f64::consts::PI * fraction.clamp(0.0, 1.0)).cos();
    b - (b * b - 1.0).sqrt()
}

opcode_impl!(Smooth, "pvsmooth", |s, _ctx| {
    let ca = tone_coefficient(s.amp_cutoff.get());
    let cf = tone_coefficient(s.freq_cutoff.get());
    let l = &mut s.link;
    for i in (0..l.len).step_by(2) {
        if s.first {
            l.result[i] = l.frame[i];
            l.result[i + 1] = l.frame[i + 1];
        } else {
            l.result[i] = (1.0 - ca) * l.frame[i] + ca * l.result[i];
            l.result[i + 1] = (1.0 - cf) * l.frame[i + 1] + cf * l.result[i + 1];
        }
    }
    s.first = false;
});

/// `fsig pvsmaska fsrc, ifn, kdepth`: amplitude of bin k scaled by
/// `1 - kdepth + kdepth * table[k]`.
struct Mask {
    link: Link,
    table: Input,
    depth: Input,
}

pub(super) fn build_mask(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Mask {
        link: Link::new(a, 0),
        table: a.input(1),
        depth: a.input(2),
    })
}

impl Mask {
    fn start(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let bins = self.link.len / 2;
        let fno = self.table.get();
        match ctx.tables.get(fno) {
            Some(t) if t.len() >= bins - 1 => Ok(()),
            Some(t) => Err(ctx.fail(format_args!(
                "pvsmaska: table {fno} has {} points, the frames have {bins} bins",
                t.len()
            ))),
            None => Err(ctx.fail(format_args!("pvsmaska: table {fno} does not exist"))),
        }
    }
}

opcode_impl!(Mask, "pvsmaska", |s, ctx| {
    let depth = s.depth.get();
    let l = &mut s.link;
    let Some(table) = ctx.tables.get(s.table.get()) else {
        return Ok(());
    };
    for k in 0..l.len / 2 {
        l.result[2 * k] = l.frame[2 * k] * (1.0 - depth + depth * table.get(k));
        l.result[2 * k + 1] = l.frame[2 * k + 1];
    }
});

/// `fsig pvsmorph fsig1, fsig2, kampint, kfrqint`: amplitudes and
/// frequencies interpolated linearly between the two streams (0: the first,
/// 1: the second).
struct Morph {
    link: Link,
    other: Side,
    amp: Input,
    freq: Input,
}

pub(super) fn build_morph(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Morph {
        link: Link::new(a, 0),
        other: Side::new(a, 1),
        amp: a.input(2),
        freq: a.input(3),
    })
}

impl Morph {
    fn start(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.other.init(ctx, "pvsmorph", &self.link)
    }
}

opcode_impl!(Morph, "pvsmorph", |s, _ctx| {
    let (ta, tf) = (s.amp.get(), s.freq.get());
    let l = &mut s.link;
    s.other.read(l.len);
    let b = &s.other.frame;
    for i in (0..l.len).step_by(2) {
        l.result[i] = l.frame[i] * (1.0 - ta) + b[i] * ta;
        l.result[i + 1] = l.frame[i + 1] * (1.0 - tf) + b[i + 1] * tf;
    }
});
