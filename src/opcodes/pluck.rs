//! `pluck`: Karplus-Strong plucked strings and drums, as csound's: a buffer
//! of one cycle (filled from a table or with csound's 16-bit noise) is read
//! at `kcps` with a fixed-point phase (8 fractional bits) and smoothed by
//! one of six decay methods each time the phase wraps.
//!
//! csound draws the noise and the methods' random decisions from two
//! generators that every `pluck` of the performance shares; they are shared
//! here too ([`PluckNoise`], one per orchestra's shared space), reset to
//! csound's seed (1000) when an engine is made, so a render reproduces
//! csound's sequence while notes still differ from one another, and two
//! performances in one process do not disturb each other.

use std::sync::atomic::{AtomicU16, Ordering};

use std::sync::Arc;

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::channels::SharedState;
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Smallest buffer, in points (csound's PLUKMIN).
const MIN_POINTS: usize = 64;

/// Buffer points reserved when `icps` is not known at build time: enough
/// for 20 Hz at the orchestra's rate. A lower `icps` grows the buffer at
/// init when the engine allows allocation (offline), else is an error.
const LOWEST_PREBUILT_HZ: f64 = 20.0;

const RNDMUL: u32 = 15625;

/// csound's seed for both generators.
const SEED: u16 = 1000;

/// The two generators every `pluck` of a performance shares: csound's
/// `rand16` (the noise fill) and `rand15` (the methods' decisions). Atomics
/// so that the shared space can be read from any thread without a lock;
/// one performance's notes run on one thread, so plain loads and stores
/// keep csound's sequence.
pub struct PluckNoise {
    rand16: AtomicU16,
    rand15: AtomicU16,
}

impl Default for PluckNoise {
    fn default() -> Self {
        PluckNoise {
            rand16: AtomicU16::new(SEED),
            rand15: AtomicU16::new(SEED),
        }
    }
}

impl SharedState for PluckNoise {
    /// Each performance starts the noise where csound's starts.
    fn restart(&self) {
        self.reset();
    }
}

impl PluckNoise {
    /// Start both generators from csound's seed (a new performance).
    pub fn reset(&self) {
        self.rand16.store(SEED, Ordering::Relaxed);
        self.rand15.store(SEED, Ordering::Relaxed);
    }

    /// Next value of csound's 16-bit generator, as a signed sample.
    fn rand16(&self) -> i16 {
        let next = (self.rand16.load(Ordering::Relaxed) as u32 * RNDMUL + 1) as u16;
        self.rand16.store(next, Ordering::Relaxed);
        next as i16
    }
}

/// csound's 15-bit generator (0..=32767), stepped from a local copy.
#[inline(always)]
fn rand15(state: &mut u16) -> i16 {
    *state = ((*state as u32 * RNDMUL + 1) & 0x7FFF) as u16;
    *state as i16
}

/// A float threshold cast to a 16-bit integer as csound's C does (through
/// 32 bits, keeping the low 16: 32768 becomes -32768).
fn threshold(x: f64) -> i16 {
    (x as i32) as i16
}

struct Pluck {
    out: Output,
    amp: Input,
    cps: Input,
    icps: Input,
    ifn: Input,
    meth: Input,
    parm1: Input,
    parm2: Input,
    samples: usize,
    /// The generators every `pluck` of the session shares.
    noise: Arc<PluckNoise>,
    /// One cycle plus a copy of the first point; allocated when built.
    buf: Vec<f64>,
    npts: usize,
    sicps: f64,
    phs256: i64,
    method: u8,
    thresh1: i16,
    thresh2: i16,
    p1: f64,
    p2: f64,
}

fn build_pluck(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let capacity = match a.constant(2) {
        Some(icps) if icps > 0.0 => (a.scope.sr / icps) as usize,
        _ => (a.scope.sr / LOWEST_PREBUILT_HZ) as usize,
    }
    // Beyond the limit the init pass refuses the note; nothing more set aside.
    .clamp(MIN_POINTS, super::delays::MAX_DELAY_SAMPLES);
    boxed(Pluck {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        icps: a.input(2),
        ifn: a.input(3),
        meth: a.input(4),
        parm1: a.input(5),
        parm2: a.input(6),
        samples: a.ksmps,
        noise: a.channels.shared::<PluckNoise>(),
        buf: Vec::with_capacity(capacity + 1),
        npts: MIN_POINTS,
        sicps: 0.0,
        phs256: 0,
        method: 1,
        thresh1: 0,
        thresh2: 0,
        p1: 0.0,
        p2: 0.0,
    })
}

impl Opcode for Pluck {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        let icps = self.icps.get();
        if icps <= 0.0 {
            return Err(ctx.fail(format_args!("pluck: icps must be positive, not {icps}")));
        }
        let npts = ((sr / icps) as usize).max(MIN_POINTS);
        if npts > super::delays::MAX_DELAY_SAMPLES {
            return Err(ctx.fail(format_args!(
                "pluck: icps {icps} needs a buffer of {npts} samples, beyond the limit of {}",
                super::delays::MAX_DELAY_SAMPLES
            )));
        }
        if npts + 1 > self.buf.capacity() && !ctx.may_allocate {
            return Err(ctx.fail(format_args!(
                "pluck: icps {icps} needs a longer buffer than this voice was built with \
                 (live, icps below {LOWEST_PREBUILT_HZ} Hz must be a constant)"
            )));
        }
        // Check the method and its parameters before touching the buffer.
        let method = self.meth.get();
        let (p1, p2) = (self.parm1.get(), self.parm2.get());
        let (mut t1, mut t2) = (0, 0);
        match method as i64 {
            1 | 6 => {}
            2 => {
                if p1 < 1.0 {
                    return Err(ctx.fail(format_args!(
                        "pluck: illegal stretch factor (iparm1) {p1}, must be >= 1"
                    )));
                }
                t1 = threshold(32768.0 / p1);
            }
            3 | 4 => {
                if !(0.0..=1.0).contains(&p1) {
                    return Err(ctx.fail(format_args!(
                        "pluck: illegal roughness factor (iparm1) {p1}, must be 0 to 1"
                    )));
                }
                t1 = threshold(32768.0 * p1);
                if method as i64 == 4 {
                    if p2 < 1.0 {
                        return Err(ctx.fail(format_args!(
                            "pluck: illegal stretch factor (iparm2) {p2}, must be >= 1"
                        )));
                    }
                    t2 = threshold(32768.0 / p2);
                }
            }
            5 => {
                if p1 + p2 > 1.0 {
                    return Err(ctx.fail(format_args!(
                        "pluck: coefficients too large (iparm1 + iparm2 = {})",
                        p1 + p2
                    )));
                }
            }
            _ => {
                return Err(ctx.fail(format_args!("pluck: unknown method {method} (use 1 to 6)")));
            }
        }
        let ifn = self.ifn.get();
        self.buf.clear();
        if ifn == 0.0 {
            let noise = &self.noise;
            self.buf
                .extend((0..npts).map(|_| noise.rand16() as f64 / 32768.0));
        } else {
            let Some(table) = ctx.tables.get(ifn) else {
                return Err(ctx.fail(format_args!("pluck: table {ifn} does not exist")));
            };
            // csound steps through the table by the whole number of points
            // per buffer point (an integer division).
            let step = table.len() / npts;
            self.buf.extend((0..npts).map(|n| table.get(n * step)));
        }
        self.buf.push(self.buf[0]);
        self.npts = npts;
        self.sicps = (npts as f64 * 256.0 + 128.0) / sr;
        self.phs256 = 0;
        self.method = method as u8;
        self.thresh1 = t1;
        self.thresh2 = t2;
        self.p1 = p1;
        self.p2 = p2;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let inc = (self.cps.get() * self.sicps) as i64;
        let wrap = (self.npts as i64) << 8;
        if inc > wrap {
            return Err(ctx.fail(format_args!("pluck: kcps more than the sample rate")));
        }
        let amp = self.amp.get();
        let mut phs = self.phs256;
        for i in 0..self.samples {
            let at = (phs >> 8) as usize;
            let (a, b) = (self.buf[at], self.buf[at + 1]);
            let frac = (phs & 255) as f64 / 256.0;
            self.out.set_at(i, (a + (b - a) * frac) * amp);
            phs += inc;
            if phs >= wrap {
                phs -= wrap;
                self.smooth();
            }
        }
        self.phs256 = phs;
        Ok(())
    }
}

impl Pluck {
    /// One pass of the decay method over the buffer, at a phase wrap.
    fn smooth(&mut self) {
        let npts = self.npts;
        let buf = &mut self.buf[..=npts];
        let mut pre = buf[0];
        buf[0] = buf[npts];
        let mut r15 = self.noise.rand15.load(Ordering::Relaxed);
        let (t1, t2) = (self.thresh1, self.thresh2);
        match self.method {
            1 => {
                for v in &mut buf[1..] {
                    let new = (*v + pre) * 0.5;
                    pre = *v;
                    *v = new;
                }
            }
            2 => {
                for v in &mut buf[1..] {
                    if rand15(&mut r15) < t1 {
                        let new = (*v + pre) * 0.5;
                        pre = *v;
                        *v = new;
                    } else {
                        pre = *v;
                    }
                }
            }
            3 => {
                for v in &mut buf[1..] {
                    let new = if rand15(&mut r15) < t1 {
                        -(*v + pre) * 0.5
                    } else {
                        (*v + pre) * 0.5
                    };
                    pre = *v;
                    *v = new;
                }
            }
            4 => {
                for v in &mut buf[1..] {
                    if rand15(&mut r15) < t2 {
                        let new = if rand15(&mut r15) < t1 {
                            -(*v + pre) * 0.5
                        } else {
                            (*v + pre) * 0.5
                        };
                        pre = *v;
                        *v = new;
                    } else {
                        pre = *v;
                    }
                }
            }
            5 => {
                let (p1, p2) = (self.p1, self.p2);
                for v in &mut buf[1..] {
                    let new = p1 * *v + p2 * pre;
                    pre = *v;
                    *v = new;
                }
            }
            _ => {
                for v in &mut buf[1..] {
                    pre = (*v + pre) * 0.5;
                    *v = pre;
                }
            }
        }
        self.noise.rand15.store(r15, Ordering::Relaxed);
    }
}

pub const SPECS: &[OpcodeSpec] = &[spec(
    "pluck",
    "a",
    "kkiiioo",
    Pass::Both,
    build_pluck,
    "Karplus-Strong plucked string or drum: a one-cycle buffer from table ifn (0 = noise) read at kcps and smoothed by decay method imeth 1-6",
)];
