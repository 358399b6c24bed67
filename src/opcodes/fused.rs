//! Opcodes that the compiler's fusion pass (`orc::fusion`) makes from
//! adjacent calls: `pan2` + `outs`, and an oscillator + `pan2` + `outs`.
//!
//! Each writes its panned samples straight into the output bus instead of
//! through audio variables that only carried them from one call to the
//! next. A sample reaches the bus through the same floating-point
//! operations in the same order as with the separate opcodes (`x = amp * v`,
//! then `bus += x * gain`), so the output is the same bit for bit. They are
//! not in the registry: a user cannot call them by name.

use super::oscillators::{Poscil, Sink};
use super::spatial::{GainCache, gains};
use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;

/// Something that produces a block of samples into a [`Sink`].
trait Feed {
    fn feed<S: Sink>(&mut self, ctx: &mut Ctx, sink: S) -> Result<(), Failed>;
}

/// An audio signal already computed (the input of `pan2`).
struct Signal {
    sig: Input,
    ksmps: usize,
}

impl Feed for Signal {
    #[inline(always)]
    fn feed<S: Sink>(&mut self, _: &mut Ctx, sink: S) -> Result<(), Failed> {
        let (sig, n) = (self.sig, self.ksmps);
        let mut i = 0;
        #[cfg(target_arch = "x86_64")]
        while i + 1 < n {
            sink.put2(i, sig.at2_audio(i));
            i += 2;
        }
        while i < n {
            sink.put(i, sig.at_audio(i));
            i += 1;
        }
        Ok(())
    }
}

impl Feed for Poscil {
    #[inline(always)]
    fn feed<S: Sink>(&mut self, ctx: &mut Ctx, sink: S) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        self.run(ctx, sr, sink)
    }
}

/// The panning and mixing half of a fused opcode: `pan2`'s position and
/// mode and `outs`' bus.
struct PanToBus {
    pan: Input,
    mode: Input,
    gains: GainCache,
}

impl PanToBus {
    fn new(pan: Input, mode: Input) -> PanToBus {
        PanToBus {
            pan,
            mode,
            gains: GainCache::default(),
        }
    }

    /// Run `feed` for one block into the bus, through the sink that fits:
    /// a stereo bus with a control-rate position (the common case, two
    /// frames per SSE2 step), any other channel count, or an audio-rate
    /// position (gains per sample).
    #[inline(always)]
    fn run<F: Feed>(&mut self, feed: &mut F, ctx: &mut Ctx) -> Result<(), Failed> {
        let mode = self.mode.get() as i64;
        let nchnls = ctx.rates.nchnls;
        let bus = ctx.spout.as_mut_ptr();
        if self.pan.is_audio() {
            let pan = self.pan;
            return feed.feed(
                ctx,
                PannedBus {
                    bus,
                    nchnls,
                    pan,
                    mode,
                },
            );
        }
        let (l, r) = self.gains.gains(mode, self.pan.get());
        if nchnls == 2 {
            feed.feed(ctx, StereoBus { bus, l, r })
        } else {
            feed.feed(ctx, FrameBus { bus, nchnls, l, r })
        }
    }
}

// The sinks below hold the bus of the block being performed (`ctx.spout`,
// `ksmps` frames of `nchnls` samples) as a raw pointer, so that the feeding
// opcode can still borrow the context (for its tables). SAFETY, for every
// write below: a sink lives only inside one `perform`, while `spout` is
// neither moved nor otherwise accessed, and the feeds call `put` with
// `i < ksmps` and `put2` with `i + 1 < ksmps`.

/// A stereo bus and constant gains.
#[derive(Clone, Copy)]
struct StereoBus {
    bus: *mut f64,
    l: f64,
    r: f64,
}

impl Sink for StereoBus {
    #[inline(always)]
    fn put(self, i: usize, x: f64) {
        // SAFETY: see above; frame i is samples 2i and 2i + 1.
        unsafe {
            *self.bus.add(2 * i) += x * self.l;
            *self.bus.add(2 * i + 1) += x * self.r;
        }
    }

    /// Frames `i` and `i + 1`, each `[L, R]` one register: the sample
    /// broadcast to both lanes times `[l, r]`, added to the frame.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn put2(self, i: usize, x: std::arch::x86_64::__m128d) {
        use std::arch::x86_64::*;
        // SAFETY: see above (frames i and i + 1 are samples 2i .. 2i + 3);
        // SSE2 is part of x86-64.
        unsafe {
            let g = _mm_set_pd(self.r, self.l);
            let p = self.bus.add(2 * i);
            let a = _mm_add_pd(_mm_loadu_pd(p), _mm_mul_pd(_mm_unpacklo_pd(x, x), g));
            let b = _mm_add_pd(_mm_loadu_pd(p.add(2)), _mm_mul_pd(_mm_unpackhi_pd(x, x), g));
            _mm_storeu_pd(p, a);
            _mm_storeu_pd(p.add(2), b);
        }
    }
}

/// Add `x` panned by `(l, r)` to frame `i` of a bus of `nchnls` channels:
/// channel 1 and, when there is one, channel 2 (as `outs` does with fewer
/// channels).
#[inline(always)]
fn add_to_frame(bus: *mut f64, nchnls: usize, i: usize, x: f64, (l, r): (f64, f64)) {
    // SAFETY: see above; frame i starts at sample i * nchnls.
    unsafe {
        let frame = bus.add(i * nchnls);
        *frame += x * l;
        if nchnls > 1 {
            *frame.add(1) += x * r;
        }
    }
}

/// A bus of any channel count and constant gains.
#[derive(Clone, Copy)]
struct FrameBus {
    bus: *mut f64,
    nchnls: usize,
    l: f64,
    r: f64,
}

impl Sink for FrameBus {
    #[inline(always)]
    fn put(self, i: usize, x: f64) {
        add_to_frame(self.bus, self.nchnls, i, x, (self.l, self.r));
    }
}

/// A bus of any channel count and an audio-rate pan position.
#[derive(Clone, Copy)]
struct PannedBus {
    bus: *mut f64,
    nchnls: usize,
    pan: Input,
    mode: i64,
}

impl Sink for PannedBus {
    #[inline(always)]
    fn put(self, i: usize, x: f64) {
        let g = gains(self.mode, self.pan.at_audio(i));
        add_to_frame(self.bus, self.nchnls, i, x, g);
    }
}

/// `aL, aR pan2 asig, xpan [, imode]` then `outs aL, aR` (or `out`).
struct Pan2Outs {
    signal: Signal,
    pan: PanToBus,
}

impl Opcode for Pan2Outs {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.pan.run(&mut self.signal, ctx)
    }
}

fn build_pan2_outs(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Pan2Outs {
        signal: Signal {
            sig: a.input(0),
            ksmps: a.ksmps,
        },
        pan: PanToBus::new(a.input(1), a.input(2)),
    })
}

/// `asig oscili kamp, kcps [, ifn, iphs]` (or `poscil`), then `pan2 asig, ...`
/// fused with its `outs`: the oscillator's samples go to the bus as it
/// makes them.
struct OscPan2Outs {
    osc: Poscil,
    pan: PanToBus,
}

impl Opcode for OscPan2Outs {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.osc.init(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.pan.run(&mut self.osc, ctx)
    }
}

/// The oscillator `name`'s four arguments, then `pan2`'s position and mode.
fn build_osc_pan2_outs(a: &Args, name: &'static str) -> Result<Box<dyn Opcode>, String> {
    boxed(OscPan2Outs {
        osc: Poscil::new(a, name, true, a.ksmps),
        pan: PanToBus::new(a.input(4), a.input(5)),
    })
}

pub static PAN2_OUTS: OpcodeSpec = spec(
    "pan2+outs",
    "",
    "axo",
    Pass::Perf,
    build_pan2_outs,
    "pan2 whose two outputs go only to the following outs",
)
.writes_bus();

pub static OSCILI_PAN2_OUTS: OpcodeSpec = spec(
    "oscili+pan2+outs",
    "",
    "xxjoxo",
    Pass::Both,
    |a| build_osc_pan2_outs(a, "oscili"),
    "oscili whose output goes only to the following pan2+outs",
)
.writes_bus();

pub static POSCIL_PAN2_OUTS: OpcodeSpec = spec(
    "poscil+pan2+outs",
    "",
    "xxjoxo",
    Pass::Both,
    |a| build_osc_pan2_outs(a, "poscil"),
    "poscil whose output goes only to the following pan2+outs",
)
.writes_bus();
