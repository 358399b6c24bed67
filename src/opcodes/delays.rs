//! Delay lines: `delay`, `delay1` (one sample), `delayr`/`delayw` with
//! their taps `deltap`, `deltapi`, `deltap3`, `deltapn`, `vdelay`, and the
//! control-rate `delayk`, and `multitap` (a line with fixed taps).
//!
//! `delayr` opens a delay line that the `deltap*` calls after it read and the
//! next `delayw` writes. The link is made while an instance is built: the
//! `delayr` build function puts its line in the instance's [`BuildScope`]
//! and the taps and `delayw` built after it take a handle to that same line.
//! Buffers are allocated there too, off the audio thread, when the delay
//! time is a constant; a delay time from a variable is only known at init,
//! where the buffer can grow only if the engine allows allocation (offline
//! rendering), otherwise the note fails with a message saying why.
//!
//! Timing as in csound: `delayr` gives what was written `idlt*sr` (rounded)
//! samples ago; taps count back from the write position at the start of
//! the block, so a tap shorter than one block reads last round's samples.

use std::cell::UnsafeCell;
use std::sync::Arc;

use super::{Args, BuildScope, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Longest delay line, in samples (2^25: about 11 minutes at 48 kHz, 256 MB).
/// A longer delay or loop time is refused with a message before anything is
/// allocated: `comb asig, 1, 65536` asked for 25 GB.
pub const MAX_DELAY_SAMPLES: usize = 1 << 25;

/// A circular buffer of `len` samples (its storage may be longer) and the
/// write position.
#[derive(Default)]
pub struct DelayLine {
    buf: Vec<f64>,
    len: usize,
    pos: usize,
}

impl DelayLine {
    /// A line with storage for `capacity` samples (allocates: build time).
    /// A capacity beyond [`MAX_DELAY_SAMPLES`] sets nothing aside (the
    /// init pass then refuses the length).
    pub fn with_capacity(capacity: usize) -> DelayLine {
        let capacity = if capacity > MAX_DELAY_SAMPLES {
            0
        } else {
            capacity
        };
        DelayLine {
            buf: vec![0.0; capacity],
            len: 0,
            pos: 0,
        }
    }

    /// Make the line `len` samples long, cleared unless `keep` (csound's
    /// iskip) and the length is unchanged. Grows the storage only when
    /// `may_allocate`; returns false when it would have to grow but may not.
    pub fn prepare(&mut self, len: usize, keep: bool, may_allocate: bool) -> bool {
        if len > self.buf.len() {
            if !may_allocate || len > MAX_DELAY_SAMPLES {
                return false;
            }
            self.buf.resize(len, 0.0);
        }
        if !(keep && len == self.len) {
            self.buf[..len].fill(0.0);
            self.pos = 0;
        }
        self.len = len;
        true
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The sample written `back` samples before position `pos + offset`
    /// (any integer: wraps around the line).
    #[inline(always)]
    pub fn back(&self, offset: usize, back: i64) -> f64 {
        let len = self.len as i64;
        let i = (self.pos as i64 + offset as i64 - back).rem_euclid(len) as usize;
        self.buf[i]
    }

    /// The oldest sample, `offset` samples on from the write position.
    #[inline(always)]
    pub fn oldest(&self, offset: usize) -> f64 {
        self.buf[(self.pos + offset) % self.len]
    }

    /// Write one sample and move on.
    #[inline(always)]
    pub fn push(&mut self, v: f64) {
        self.buf[self.pos] = v;
        self.pos += 1;
        if self.pos == self.len {
            self.pos = 0;
        }
    }

    /// Read the sample `len` ago (the oldest), then write `v` in its place.
    #[inline(always)]
    pub fn swap(&mut self, v: f64) -> f64 {
        let old = self.buf[self.pos];
        self.push(v);
        old
    }
}

/// A delay line shared by the `delayr`, `deltap*` and `delayw` of one
/// instance.
pub struct LineCell(UnsafeCell<DelayLine>);

/// The handle each of those opcodes holds.
pub type SharedLine = Arc<LineCell>;

// SAFETY: the opcodes sharing a line belong to one instance, which one
// thread at a time performs, one opcode after another; no two of them run at
// once, so the `&mut` that `with` hands out is never aliased. The line is
// dropped with the instance, off the audio thread.
unsafe impl Send for LineCell {}
unsafe impl Sync for LineCell {}

impl LineCell {
    pub fn new(line: DelayLine) -> SharedLine {
        Arc::new(LineCell(UnsafeCell::new(line)))
    }

    /// Work on the line (see the safety note on the type).
    #[inline(always)]
    pub fn with<R>(&self, f: impl FnOnce(&mut DelayLine) -> R) -> R {
        // SAFETY: see the `Send`/`Sync` note: calls never overlap.
        f(unsafe { &mut *self.0.get() })
    }
}

/// Samples for `seconds` of delay, rounded as csound rounds: to the
/// nearest, halves to even (0.005 s at 44.1 kHz is 220 samples).
fn samples_for(seconds: f64, sr: f64) -> i64 {
    (seconds * sr).round_ties_even() as i64
}

/// Storage to set aside at build time for a delay time that is a constant
/// (`samples` says the constant is already in samples).
fn planned(scope: &BuildScope, constant: Option<f64>, scale: f64) -> usize {
    match constant {
        Some(v) if v > 0.0 => samples_for(v * scale, scope.sr).max(1) as usize,
        _ => 0,
    }
}

/// Size the line at init to `len` samples (cleared unless `keep`), failing
/// the note with a clear message when the time is not positive or the buffer
/// would have to grow on the audio thread. `what` names the time in the
/// message: "delay" here, "loop" for the reverbs' feedback loops.
pub(crate) fn prepare_line(
    ctx: &mut Ctx,
    line: &mut DelayLine,
    name: &str,
    what: &str,
    len: i64,
    keep: bool,
) -> Result<(), Failed> {
    if len <= 0 {
        return Err(ctx.fail(format_args!("{name}: illegal {what} time")));
    }
    if len as u64 > MAX_DELAY_SAMPLES as u64 {
        let seconds = MAX_DELAY_SAMPLES as f64 / ctx.rates.sr;
        return Err(ctx.fail(format_args!(
            "{name}: a {what} of {len} samples is longer than the limit of {MAX_DELAY_SAMPLES} samples ({seconds:.0} s)"
        )));
    }
    if !line.prepare(len as usize, keep, ctx.may_allocate) {
        return Err(ctx.fail(format_args!(
            "{name}: a {what} of {len} samples needs a buffer allocated on the audio thread; \
             give the {what} time as a constant for live performance"
        )));
    }
    Ok(())
}

/// `ares delay asig, idlt [, iskip]`: a fixed delay with its own buffer.
struct Delay {
    /// Samples per block.
    ksmps: usize,
    out: Output,
    sig: Input,
    time: Input,
    skip: Input,
    line: DelayLine,
    /// Zero length: the signal passes through.
    through: bool,
}

fn build_delay(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Delay {
        ksmps: a.ksmps,
        out: a.out(0),
        sig: a.input(0),
        time: a.input(1),
        skip: a.input(2),
        line: DelayLine::with_capacity(planned(a.scope, a.constant(1), 1.0)),
        through: false,
    })
}

impl Opcode for Delay {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let len = samples_for(self.time.get(), ctx.rates.sr);
        self.through = len <= 0;
        if self.through {
            return Ok(());
        }
        prepare_line(
            ctx,
            &mut self.line,
            "delay",
            "delay",
            len,
            self.skip.get() != 0.0,
        )
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.ksmps {
            let v = self.sig.at(i);
            let o = if self.through { v } else { self.line.swap(v) };
            self.out.set_at(i, o);
        }
        Ok(())
    }
}

/// `ares delayr idlt [, iskip]`: open a delay line and read its oldest samples.
struct Delayr {
    /// Samples per block.
    ksmps: usize,
    out: Output,
    time: Input,
    skip: Input,
    line: SharedLine,
}

fn build_delayr(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let line = LineCell::new(DelayLine::with_capacity(planned(
        a.scope,
        a.constant(0),
        1.0,
    )));
    // The `deltap*` and `delayw` built after it join this line.
    *a.scope.link.borrow_mut() = Some(Box::new(line.clone()));
    boxed(Delayr {
        ksmps: a.ksmps,
        out: a.out(0),
        time: a.input(0),
        skip: a.input(1),
        line,
    })
}

impl Opcode for Delayr {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let len = samples_for(self.time.get(), ctx.rates.sr);
        let keep = self.skip.get() != 0.0;
        self.line
            .with(|line| prepare_line(ctx, line, "delayr", "delay", len, keep))
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        let out = self.out;
        self.line.with(|line| {
            for i in 0..self.ksmps {
                out.set_at(i, line.oldest(i));
            }
        });
        Ok(())
    }
}

/// The line of the latest `delayr` built before `name`.
fn linked(a: &Args, name: &str) -> Result<SharedLine, String> {
    a.scope
        .link
        .borrow()
        .as_ref()
        .and_then(|link| link.downcast_ref::<SharedLine>())
        .cloned()
        .ok_or_else(|| format!("there is no delayr before this {name} in the instrument"))
}

/// `delayw asig`: write the block into the line and move on.
struct Delayw {
    /// Samples per block.
    ksmps: usize,
    sig: Input,
    line: SharedLine,
}

fn build_delayw(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Delayw {
        ksmps: a.ksmps,
        sig: a.input(0),
        line: linked(a, "delayw")?,
    })
}

impl Opcode for Delayw {
    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        let sig = self.sig;
        self.line.with(|line| {
            if line.is_empty() {
                return;
            }
            for i in 0..self.ksmps {
                line.push(sig.at(i));
            }
        });
        Ok(())
    }
}

/// How a tap reads between samples.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TapKind {
    /// `deltap`: the nearest sample, delay time in seconds at k-rate.
    Nearest,
    /// `deltapi`: linear interpolation, seconds.
    Linear,
    /// `deltap3`: cubic (4-point Lagrange) interpolation, seconds.
    Cubic,
    /// `deltapn`: delay in samples, whole samples only (csound drops the
    /// fraction).
    LinearSamples,
}

/// `ares deltap kdlt`, `deltapi xdlt`, `deltap3 xdlt`, `deltapn xnumsamps`.
struct Tap {
    /// Samples per block.
    ksmps: usize,
    out: Output,
    time: Input,
    line: SharedLine,
    kind: TapKind,
}

fn build_tap(a: &Args, kind: TapKind) -> Result<Box<dyn Opcode>, String> {
    let name = match kind {
        TapKind::Nearest => "deltap",
        TapKind::Linear => "deltapi",
        TapKind::Cubic => "deltap3",
        TapKind::LinearSamples => "deltapn",
    };
    boxed(Tap {
        ksmps: a.ksmps,
        out: a.out(0),
        time: a.input(0),
        line: linked(a, name)?,
        kind,
    })
}

/// 4-point Lagrange interpolation through `ym1, y0, y1, y2` at -1, 0, 1, 2,
/// evaluated at `f` in [0, 1) (csound's "cubic" in deltap3 and table3).
#[inline(always)]
pub fn lagrange4(ym1: f64, y0: f64, y1: f64, y2: f64, f: f64) -> f64 {
    let fm1 = f - 1.0;
    let fm2 = f - 2.0;
    let fp1 = f + 1.0;
    -f * fm1 * fm2 / 6.0 * ym1 + fp1 * fm1 * fm2 / 2.0 * y0 - fp1 * f * fm2 / 2.0 * y1
        + fp1 * f * fm1 / 6.0 * y2
}

impl Opcode for Tap {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (out, time, kind, sr) = (self.out, self.time, self.kind, ctx.rates.sr);
        self.line.with(|line| {
            if line.is_empty() {
                return;
            }
            let max = line.len() as f64;
            for i in 0..self.ksmps {
                let v = match kind {
                    TapKind::Nearest => line.back(i, samples_for(time.get(), sr)),
                    _ => {
                        let d = if kind == TapKind::LinearSamples {
                            time.at(i)
                        } else {
                            time.at(i) * sr
                        };
                        // Keep a runaway time inside the line.
                        let d = d.clamp(0.0, max);
                        let whole = d.floor();
                        // csound 6.18's deltapn reads whole samples: its
                        // fraction is dropped (measured: a delay of 1000.7
                        // samples sounds as 1000, exactly).
                        let f = if kind == TapKind::LinearSamples {
                            0.0
                        } else {
                            d - whole
                        };
                        let n = whole as i64;
                        if kind == TapKind::Cubic {
                            lagrange4(
                                line.back(i, n - 1),
                                line.back(i, n),
                                line.back(i, n + 1),
                                line.back(i, n + 2),
                                f,
                            )
                        } else {
                            let a = line.back(i, n);
                            a + (line.back(i, n + 1) - a) * f
                        }
                    }
                };
                out.set_at(i, v);
            }
        });
        Ok(())
    }
}

/// `ares vdelay asig, adel, imaxdel [, iskip]`: a variable delay in
/// milliseconds with linear interpolation; the input is written before the
/// output is read, so a delay of 0 passes the signal through.
struct Vdelay {
    /// Samples per block.
    ksmps: usize,
    out: Output,
    sig: Input,
    delay: Input,
    max: Input,
    skip: Input,
    line: DelayLine,
}

fn build_vdelay(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Vdelay {
        ksmps: a.ksmps,
        out: a.out(0),
        sig: a.input(0),
        delay: a.input(1),
        max: a.input(2),
        skip: a.input(3),
        line: DelayLine::with_capacity(planned(a.scope, a.constant(2), 0.001)),
    })
}

impl Opcode for Vdelay {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let len = samples_for(self.max.get() * 0.001, ctx.rates.sr);
        prepare_line(
            ctx,
            &mut self.line,
            "vdelay",
            "delay",
            len,
            self.skip.get() != 0.0,
        )
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr_ms = ctx.rates.sr * 0.001;
        let len = self.line.len() as f64;
        for i in 0..self.ksmps {
            self.line.push(self.sig.at(i));
            // Samples back from the one just written; a delay beyond the
            // line folds around it, as csound's manual says.
            let d = (self.delay.at(i) * sr_ms).rem_euclid(len);
            let whole = d.floor();
            let f = d - whole;
            let n = whole as i64 + 1;
            let a = self.line.back(0, n);
            let b = self.line.back(0, n + 1);
            self.out.set_at(i, a + (b - a) * f);
        }
        Ok(())
    }
}

/// `ares delay1 asig [, iskip]`: the input one sample late (the first
/// sample of a note is 0 unless `iskip` keeps the last note's).
struct Delay1 {
    ksmps: usize,
    out: Output,
    sig: Input,
    skip: Input,
    last: f64,
}

fn build_delay1(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Delay1 {
        ksmps: a.ksmps,
        out: a.out(0),
        sig: a.input(0),
        skip: a.input(1),
        last: 0.0,
    })
}

impl Opcode for Delay1 {
    fn init(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if self.skip.get() == 0.0 {
            self.last = 0.0;
        }
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.ksmps {
            let v = self.sig.at(i);
            self.out.set_at(i, self.last);
            self.last = v;
        }
        Ok(())
    }
}

/// The most taps `multitap` takes.
const MAX_TAPS: usize = 64;

/// `ares multitap asig [, itime1, igain1, itime2, igain2 ...]`: the sum of
/// the taps, each the input `itime * sr - 1` samples ago (truncated, at
/// least 0: what csound 6.18 outputs) times its gain.
struct Multitap {
    out: Output,
    sig: Input,
    taps: [(Input, Input); MAX_TAPS],
    count: usize,
    delays: [(i64, f64); MAX_TAPS],
    line: DelayLine,
    ksmps: usize,
}

/// A tap's delay in samples.
fn tap_samples(seconds: f64, sr: f64) -> i64 {
    ((seconds * sr) as i64 - 1).max(0)
}

fn build_multitap(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let pairs = a.ins.len().saturating_sub(1);
    if !pairs.is_multiple_of(2) {
        return Err("multitap takes pairs of tap time and gain after the signal".into());
    }
    let count = pairs / 2;
    if count > MAX_TAPS {
        return Err(format!("multitap takes at most {MAX_TAPS} taps"));
    }
    let mut taps = [(Input::zero(), Input::zero()); MAX_TAPS];
    let mut longest = 0;
    for (k, t) in taps.iter_mut().enumerate().take(count) {
        *t = (a.input(1 + 2 * k), a.input(2 + 2 * k));
        if let Some(time) = a.constant(1 + 2 * k) {
            longest = longest.max(tap_samples(time, a.scope.sr).min(1 << 26));
        }
    }
    boxed(Multitap {
        out: a.out(0),
        sig: a.input(0),
        taps,
        count,
        delays: [(0, 0.0); MAX_TAPS],
        line: DelayLine::with_capacity(longest as usize + 1),
        ksmps: a.ksmps,
    })
}

impl Opcode for Multitap {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let mut longest = 0;
        for (delay, (time, gain)) in self.delays.iter_mut().zip(&self.taps).take(self.count) {
            let d = tap_samples(time.get(), ctx.rates.sr);
            *delay = (d, gain.get());
            longest = longest.max(d);
        }
        prepare_line(ctx, &mut self.line, "multitap", "delay", longest + 1, false)
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for i in 0..self.ksmps {
            self.line.push(self.sig.at(i));
            let mut acc = 0.0;
            for &(d, g) in &self.delays[..self.count] {
                acc += g * self.line.back(0, d + 1);
            }
            self.out.set_at(i, acc);
        }
        Ok(())
    }
}

/// `kr delayk ksig, idel [, imode]`: the control signal `idel * kr` blocks
/// (rounded, halves up) ago. During the first `idel` the output is 0, or
/// with `imode` 2 the input itself (what csound 6.18 outputs, though its
/// manual speaks of holding the first value); `imode` 1 keeps the last
/// note's line.
struct Delayk {
    out: Output,
    sig: Input,
    time: Input,
    mode: Input,
    line: DelayLine,
    len: usize,
    filled: usize,
    through: bool,
}

/// Blocks for `seconds` at control rate, rounded halves up.
fn blocks_for(seconds: f64, kr: f64) -> i64 {
    (seconds * kr + 0.5).floor() as i64
}

fn build_delayk(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let kr = a.scope.sr / a.ksmps.max(1) as f64;
    let capacity = match a.constant(1) {
        Some(t) if t > 0.0 => blocks_for(t, kr).clamp(0, 1 << 26) as usize,
        _ => 0,
    };
    boxed(Delayk {
        out: a.out(0),
        sig: a.input(0),
        time: a.input(1),
        mode: a.input(2),
        line: DelayLine::with_capacity(capacity),
        len: 0,
        filled: 0,
        through: false,
    })
}

impl Opcode for Delayk {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = blocks_for(self.time.get(), ctx.rates.kr);
        self.through = n <= 0;
        if self.through {
            return Ok(());
        }
        let mode = self.mode.get() as i64;
        let keep = mode & 1 != 0;
        prepare_line(ctx, &mut self.line, "delayk", "delay", n, keep)?;
        if !keep || self.len != n as usize {
            self.filled = 0;
        }
        self.len = n as usize;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let v = self.sig.get();
        if self.through {
            self.out.set(v);
            return Ok(());
        }
        let old = self.line.swap(v);
        if self.filled < self.len {
            self.filled += 1;
            let hold = (self.mode.get() as i64) & 2 != 0;
            self.out.set(if hold { v } else { 0.0 });
        } else {
            self.out.set(old);
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "multitap",
        "a",
        "am",
        Pass::Both,
        build_multitap,
        "delay line with fixed taps: the sum of gain * input itime seconds ago",
    ),
    spec(
        "delayk",
        "k",
        "kio",
        Pass::Both,
        build_delayk,
        "delay a control signal by idel seconds (whole blocks)",
    ),
    spec(
        "delay1",
        "a",
        "ao",
        Pass::Both,
        build_delay1,
        "delays a signal by one sample",
    ),
    spec(
        "delay",
        "a",
        "aio",
        Pass::Both,
        build_delay,
        "delay a signal by a fixed time in seconds (no minimum delay)",
    ),
    spec(
        "delayr",
        "a",
        "io",
        Pass::Both,
        build_delayr,
        "open a delay line of idlt seconds and read the signal written that long ago",
    ),
    spec(
        "delayw",
        "",
        "a",
        Pass::Perf,
        build_delayw,
        "write a signal into the delay line of the latest delayr",
    ),
    spec(
        "deltap",
        "a",
        "k",
        Pass::Perf,
        |a| build_tap(a, TapKind::Nearest),
        "tap the latest delayr's line at a delay in seconds, without interpolation",
    ),
    spec(
        "deltapi",
        "a",
        "x",
        Pass::Perf,
        |a| build_tap(a, TapKind::Linear),
        "tap the latest delayr's line at a delay in seconds with linear interpolation",
    ),
    spec(
        "deltap3",
        "a",
        "x",
        Pass::Perf,
        |a| build_tap(a, TapKind::Cubic),
        "tap the latest delayr's line at a delay in seconds with cubic interpolation",
    ),
    spec(
        "deltapn",
        "a",
        "x",
        Pass::Perf,
        |a| build_tap(a, TapKind::LinearSamples),
        "tap the latest delayr's line at a delay in samples with linear interpolation",
    ),
    spec(
        "vdelay",
        "a",
        "axio",
        Pass::Both,
        build_vdelay,
        "delay a signal by a variable time in milliseconds, up to imaxdel, with linear interpolation",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::envelopes::harness::{In, find, rig};
    use super::*;

    #[test]
    fn a_line_gives_back_what_was_written_its_length_ago() {
        let mut line = DelayLine::with_capacity(4);
        assert!(line.prepare(3, false, false));
        let out: Vec<f64> = (1..=7).map(|v| line.swap(v as f64)).collect();
        assert_eq!(out, [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0]);
        // The last written sample is one back from the write position.
        assert_eq!(line.back(0, 1), 7.0);
        assert_eq!(line.back(0, 3), 5.0);
    }

    #[test]
    fn a_line_grows_only_where_allocation_is_allowed() {
        let mut line = DelayLine::with_capacity(2);
        assert!(!line.prepare(5, false, false));
        assert!(line.prepare(5, false, true));
        assert_eq!(line.len(), 5);
    }

    #[test]
    fn lagrange_passes_through_its_points() {
        let (a, b, c, d) = (1.0, 3.0, 7.0, 2.0);
        assert_eq!(lagrange4(a, b, c, d, 0.0), b);
        assert!((lagrange4(a, b, c, d, 1.0) - c).abs() < 1e-12);
        // csound's table3 at 1.25 of [1 3 7 2 ...]
        assert!((lagrange4(a, b, c, d, 0.25) - 4.242188).abs() < 1e-6);
    }

    #[test]
    fn a_delay_time_from_a_variable_fails_live_instead_of_allocating() {
        // The rig passes arguments as variables, so nothing is sized at build.
        let spec = find("delay", "a", "aio");
        let ins = [In::A(vec![1.0; 10]), In::K(0.5), In::K(0.0)];
        let mut r = rig(spec, &ins, "a", 100.0, 10);
        r.may_allocate = false;
        assert!(!r.init());
        let msg = r.messages.drain().next().unwrap();
        assert!(
            msg.text.as_str().contains("delay: a delay of 50 samples"),
            "{msg:?}"
        );
        r.may_allocate = true;
        assert!(r.init());
    }

    #[test]
    fn vdelay_of_zero_passes_the_signal_through() {
        let spec = find("vdelay", "a", "axio");
        let sig: Vec<f64> = (0..10).map(|i| i as f64).collect();
        let ins = [In::A(sig.clone()), In::K(0.0), In::K(100.0), In::K(0.0)];
        let mut r = rig(spec, &ins, "a", 100.0, 10);
        assert_eq!(r.run(1, 0), sig);
    }
}
