//! Table-lookup oscillators: `oscil`, `oscili`, `oscil3`, `poscil`,
//! `poscil3`, `phasor`, `syncphasor`, and the one-pass readers `oscil1`,
//! `oscil1i`.
//!
//! `oscil` and `oscili` keep a fixed-point phase as Csound does, but csound
//! 6.18's output fits 28 bits per cycle, not the classic 24: the increment
//! is `cps * 2^28 / sr` rounded to the nearest integer (truncated at k-rate), the top bits index
//! the (power-of-two) table and the rest give the interpolation fraction.
//! Other table lengths are an init error, as in csound. `poscil` keeps a
//! floating-point phase counted in table points. `oscil3` and `poscil3`
//! interpolate with a cubic through the four points around the phase
//! (wrapping round the table), as csound's do.

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::engine::table::{Table, TableStore};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Csound's built-in sine (used when `ifn` is -1): 16384 points plus guard
/// (the length that reproduces csound 6.18's `oscil 1, f` sample for sample),
/// built once, off the audio thread, the first time an oscillator is built.
pub(crate) fn sine_table() -> &'static [f64] {
    static SINE: OnceLock<Vec<f64>> = OnceLock::new();
    SINE.get_or_init(|| {
        let n = 16384;
        (0..=n)
            .map(|i| (std::f64::consts::TAU * (i % n) as f64 / n as f64).sin())
            .collect()
    })
}

/// The table an oscillator reads: a numbered one, or the built-in sine.
enum Source<'a> {
    Table(&'a Table),
    Sine(&'static [f64]),
}

impl Source<'_> {
    #[inline(always)]
    fn get(&self, i: usize) -> f64 {
        match self {
            Source::Table(t) => t.get(i),
            Source::Sine(s) => s.get(i).copied().unwrap_or(0.0),
        }
    }

    fn len(&self) -> usize {
        match self {
            Source::Table(t) => t.len(),
            Source::Sine(s) => s.len() - 1,
        }
    }
}

/// Where an oscillator's samples go: an audio variable ([`Output`]), or,
/// when the compiler fused the oscillator with the `pan2` and `outs` after
/// it, straight into the output bus (the sinks of `fused.rs`). The oscillator's
/// loops are written once, generic over the sink, and compiled for each.
pub(crate) trait Sink: Copy {
    /// Sample `i` of the block is `v`.
    fn put(self, i: usize, v: f64);
    /// Samples `i` and `i + 1` are the low and high lanes of `v`.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn put2(self, i: usize, v: std::arch::x86_64::__m128d) {
        use std::arch::x86_64::{_mm_cvtsd_f64, _mm_unpackhi_pd};
        // SAFETY: SSE2 is part of x86-64.
        let (lo, hi) = unsafe { (_mm_cvtsd_f64(v), _mm_cvtsd_f64(_mm_unpackhi_pd(v, v))) };
        self.put(i, lo);
        self.put(i + 1, hi);
    }
}

impl Sink for Output {
    #[inline(always)]
    fn put(self, i: usize, v: f64) {
        self.set_at(i, v);
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn put2(self, i: usize, v: std::arch::x86_64::__m128d) {
        self.set2_at(i, v);
    }
}

/// Table `n`, or the built-in sine for -1; `None` if table `n` does not exist.
/// One look-up serves both the check and the read (it runs every block).
#[inline(always)]
fn source<'a>(tables: &'a TableStore, n: f64, sine: &'static [f64]) -> Option<Source<'a>> {
    if n == -1.0 {
        return Some(Source::Sine(sine));
    }
    tables.get(n).map(Source::Table)
}

/// The init error for a table that does not exist.
#[cold]
fn missing(ctx: &mut Ctx, name: &str, n: f64) -> Failed {
    ctx.fail(format_args!("{name}: table {n} does not exist"))
}

/// `oscil`, `oscili`, `poscil amp, cps [, ifn, iphs]`: a floating-point
/// phase counted in table points, so any table length works; `oscil` reads
/// the point below the phase, the others interpolate linearly.
pub(crate) struct Poscil {
    /// Where `perform` writes; `None` in a fused opcode, which passes its
    /// own sink to [`Poscil::run`].
    out: Option<Output>,
    amp: Input,
    cps: Input,
    table: Input,
    iphase: Input,
    /// Phase in table points, in 0..len.
    phase: f64,
    samples: usize,
    init_rate: bool,
    /// `oscili`/`poscil` interpolate; `oscil` reads the point below.
    interpolate: bool,
    /// `oscil3`/`poscil3`: cubic interpolation (overrides `interpolate`).
    cubic: bool,
    /// `oscil`/`oscili`/`oscil3`: 28-bit fixed-point phase (power-of-two tables).
    fixed: bool,
    /// The fixed-point phase, in 1/2^28 of a cycle.
    fixed_phase: i64,
    /// The last control-rate frequency (its bits) and its fixed-point increment.
    last_inc: Option<(u64, i64)>,
    name: &'static str,
    sine: &'static [f64],
}

fn build_poscil(
    a: &Args,
    name: &'static str,
    interpolate: bool,
) -> Result<Box<dyn Opcode>, String> {
    let rate = a.out_rate(0);
    let samples = if rate == Rate::Audio { a.ksmps } else { 1 };
    let mut osc = Poscil::new(a, name, interpolate, samples);
    osc.out = Some(a.out(0));
    osc.init_rate = rate == Rate::Init;
    boxed(osc)
}

impl Poscil {
    /// The oscillator `name` reading its arguments from `a.ins[0..4]`
    /// (amp, cps, ifn, iphs), making `samples` samples a block. Its output
    /// handle is left unset: `build_poscil` sets it, and a fused opcode
    /// gives `run` a sink instead.
    pub(crate) fn new(a: &Args, name: &'static str, interpolate: bool, samples: usize) -> Poscil {
        Poscil {
            interpolate,
            cubic: name.ends_with('3'),
            fixed: !name.starts_with("poscil"),
            fixed_phase: 0,
            last_inc: None,
            name,
            out: None,
            amp: a.input(0),
            cps: a.input(1),
            table: a.input(2),
            iphase: a.input(3),
            phase: 0.0,
            samples,
            init_rate: false,
            sine: sine_table(),
        }
    }

    /// One block (or one value, at k- and i-rate) into `out`.
    #[inline(always)]
    pub(crate) fn run<S: Sink>(&mut self, ctx: &mut Ctx, rate: f64, out: S) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(table) = source(ctx.tables, n, self.sine) else {
            return Err(missing(ctx, self.name, n));
        };
        if self.fixed {
            let len = table.len();
            let Some(lobits) = lobits(len) else {
                let name = self.name;
                return Err(ctx.fail(format_args!(
                    "{name}: illegal table length {len} (table {n}): not a power of two"
                )));
            };
            self.run_fixed(&table, lobits, rate, out);
            return Ok(());
        }
        let len = table.len() as f64;
        let per_cycle = len / rate;
        let mut phase = self.phase;
        for i in 0..self.samples {
            let index = phase as usize;
            let frac = phase - index as f64;
            let v1 = table.get(index);
            let v = if self.cubic {
                cubic_at(&table, index, frac)
            } else if self.interpolate {
                v1 + (table.get(index + 1) - v1) * frac
            } else {
                v1
            };
            out.put(i, self.amp.at(i) * v);
            phase += self.cps.at(i) * per_cycle;
            // Wrap into 0..len; a loop rather than a modulo keeps the rounding
            // of ordinary increments identical to a plain subtraction.
            while phase >= len {
                phase -= len;
            }
            while phase < 0.0 {
                phase += len;
            }
        }
        self.phase = phase;
        Ok(())
    }
}

/// The cubic (Lagrange) through the table points `index - 1 ..= index + 2`
/// (indices wrap round the table), at `frac` past `index`.
#[inline(always)]
fn cubic_at(table: &Source, index: usize, frac: f64) -> f64 {
    let len = table.len();
    let ym1 = table.get((index + len - 1) % len);
    let y0 = table.get(index);
    let y1 = table.get((index + 1) % len);
    let y2 = table.get((index + 2) % len);
    let c1 = y1 - ym1 / 3.0 - y0 / 2.0 - y2 / 6.0;
    let c2 = (ym1 + y1) / 2.0 - y0;
    let c3 = (y2 - ym1) / 6.0 + (y0 - y1) / 2.0;
    ((c3 * frac + c2) * frac + c1) * frac + y0
}

/// One cycle of `oscil`'s fixed-point phase. csound 6.18's `oscili` output
/// fits an increment of `round(cps * 2^28 / sr)` in 2^-28 cycles exactly
/// (the classic 2^24 drifts off within a few hundred samples).
const MAXLEN: i64 = 1 << 28;
const PHMASK: i64 = MAXLEN - 1;

/// Bits below the table index for a power-of-two table of `len` points.
fn lobits(len: usize) -> Option<u32> {
    if len.is_power_of_two() && len <= 1 << 28 {
        Some(28 - len.trailing_zeros())
    } else {
        None
    }
}

/// The fixed-point increment for `x` (cps in 2^-28 cycles per tick): csound
/// 6.18 rounds the audio-rate increment but truncates the control-rate one
/// (both observed on long ramps).
#[inline(always)]
fn increment(x: f64, audio: bool) -> i64 {
    if audio {
        x.round_ties_even() as i64
    } else {
        x as i64
    }
}

/// Table points an inner loop reads without a bounds check: the caller has
/// checked once per block that every index it will use is in range.
trait Points {
    /// Point `i`. Safety: `i` is below the length checked by the caller.
    unsafe fn at(&self, i: usize) -> f64;
    /// Points `i` and `j` in the low and high lanes of an SSE2 register, and
    /// the points after each in a second one (the two ends of a linear
    /// interpolation for two samples). Safety: `i + 1` and `j + 1` are below
    /// the length checked by the caller.
    #[cfg(target_arch = "x86_64")]
    unsafe fn pairs(
        &self,
        i: usize,
        j: usize,
    ) -> (std::arch::x86_64::__m128d, std::arch::x86_64::__m128d);
    /// How many points there are.
    fn stored(&self) -> usize;
}

impl Points for [AtomicU64] {
    #[inline(always)]
    unsafe fn at(&self, i: usize) -> f64 {
        // SAFETY: the caller checked the range (see the trait).
        f64::from_bits(unsafe { self.get_unchecked(i) }.load(Ordering::Relaxed))
    }
    /// Four relaxed atomic loads straight into the vector registers. Written
    /// as `load` + `from_bits` the compiler loads each point into a general
    /// register and moves it across (it does not turn an atomic integer load
    /// into a floating-point one), which costs three shuffle-port operations
    /// per pair of points; the shuffle port was what bounded `oscili`. An
    /// aligned 8-byte `movsd` or `movhpd` is a single-copy atomic read on
    /// x86-64, so this block is exactly four relaxed loads of the atomics.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn pairs(
        &self,
        i: usize,
        j: usize,
    ) -> (std::arch::x86_64::__m128d, std::arch::x86_64::__m128d) {
        use std::arch::x86_64::__m128d;
        let (a, b): (__m128d, __m128d);
        // SAFETY: the caller checked the range (see the trait); the atomics
        // are 8-byte aligned, only read, and the block touches nothing else.
        unsafe {
            std::arch::asm!(
                "movsd {a}, qword ptr [{p}]",
                "movhpd {a}, qword ptr [{q}]",
                "movsd {b}, qword ptr [{p} + 8]",
                "movhpd {b}, qword ptr [{q} + 8]",
                p = in(reg) self.as_ptr().add(i),
                q = in(reg) self.as_ptr().add(j),
                a = out(xmm_reg) a,
                b = out(xmm_reg) b,
                options(pure, readonly, nostack, preserves_flags),
            );
        }
        (a, b)
    }
    fn stored(&self) -> usize {
        self.len()
    }
}

impl Points for [f64] {
    #[inline(always)]
    unsafe fn at(&self, i: usize) -> f64 {
        // SAFETY: the caller checked the range (see the trait).
        unsafe { *self.get_unchecked(i) }
    }
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn pairs(
        &self,
        i: usize,
        j: usize,
    ) -> (std::arch::x86_64::__m128d, std::arch::x86_64::__m128d) {
        use std::arch::x86_64::*;
        // SAFETY: the caller checked the range (see the trait).
        unsafe {
            let (p, q) = (self.as_ptr().add(i), self.as_ptr().add(j));
            (
                _mm_loadh_pd(_mm_load_sd(p), q),
                _mm_loadh_pd(_mm_load_sd(p.add(1)), q.add(1)),
            )
        }
    }
    fn stored(&self) -> usize {
        self.len()
    }
}

impl Poscil {
    #[inline(always)]
    fn run_fixed<S: Sink>(&mut self, table: &Source, lobits: u32, rate: f64, out: S) {
        if self.cubic {
            self.run_fixed_cubic(table, lobits, rate, out);
            return;
        }
        // The table is matched once per block, not per sample: each kind of
        // source gets its own copy of the loop.
        match *table {
            Source::Table(t) => self.fixed_loop(t.points(), t.len(), lobits, rate, out),
            Source::Sine(s) => self.fixed_loop(s, s.len() - 1, lobits, rate, out),
        }
    }

    /// `oscil3`: the cubic reads a point before and two after the phase,
    /// wrapping around the table, so it keeps the checked reads per sample.
    fn run_fixed_cubic<S: Sink>(&mut self, table: &Source, lobits: u32, rate: f64, out: S) {
        let to_fixed = MAXLEN as f64 / rate;
        let lomask = (1i64 << lobits) - 1;
        let lodiv = 1.0 / (1i64 << lobits) as f64;
        let mut phase = self.fixed_phase;
        let audio = self.samples > 1;
        // A control-rate frequency gives the same increment all block.
        let fixed_inc = (!self.cps.is_audio()).then(|| increment(self.cps.get() * to_fixed, audio));
        for i in 0..self.samples {
            let index = (phase >> lobits) as usize;
            let v = cubic_at(table, index, (phase & lomask) as f64 * lodiv);
            out.put(i, self.amp.at(i) * v);
            let inc = match fixed_inc {
                Some(inc) => inc,
                None => increment(self.cps.at(i) * to_fixed, audio),
            };
            phase = (phase + inc) & PHMASK;
        }
        self.fixed_phase = phase;
    }

    #[inline(always)]
    fn fixed_loop<P: Points + ?Sized, S: Sink>(
        &mut self,
        points: &P,
        len: usize,
        lobits: u32,
        rate: f64,
        out: S,
    ) {
        // Every index is phase >> lobits < len (the phase stays below 2^28
        // and len = 2^(28 - lobits)), and the interpolation reads index + 1
        // <= len, the guard point: one check here covers the whole block.
        if points.stored() <= len || len << lobits != MAXLEN as usize {
            return;
        }
        let to_fixed = MAXLEN as f64 / rate;
        let audio = self.samples > 1;
        // Copies in locals: the stores through `out` could alias `self` as
        // far as the compiler knows, which would reload every field per
        // sample. Each combination of interpolation, amplitude rate and
        // frequency rate gets its own loop, so nothing is tested per sample.
        let (amp, cps, n) = (self.amp, self.cps, self.samples);
        let phase = self.fixed_phase;
        let kamp = amp.get();
        let ampf = move |i: usize| amp.at(i);
        let kampf = move |_: usize| kamp;
        let varinc = move |i: usize| increment(cps.at(i) * to_fixed, audio);
        // A control-rate frequency gives the same increment all block, and
        // mostly the same as the block before: rounding it is a libm call
        // (baseline x86-64 has no rounding instruction), so the last one is
        // kept, keyed by the frequency's bits (the rate never changes).
        let kinc = if cps.is_audio() {
            0
        } else {
            let kcps = cps.get();
            match self.last_inc {
                Some((bits, inc)) if bits == kcps.to_bits() => inc,
                _ => {
                    let inc = increment(kcps * to_fixed, audio);
                    self.last_inc = Some((kcps.to_bits(), inc));
                    inc
                }
            }
        };
        let fixinc = move |_: usize| kinc;
        let l = lobits;
        self.fixed_phase = match (self.interpolate, amp.is_audio(), cps.is_audio()) {
            (true, false, false) => {
                fixed_samples::<P, S, true, true>(points, out, n, phase, l, kampf, fixinc)
            }
            (true, true, false) => {
                fixed_samples::<P, S, true, true>(points, out, n, phase, l, ampf, fixinc)
            }
            (true, false, true) => {
                fixed_samples::<P, S, true, false>(points, out, n, phase, l, kampf, varinc)
            }
            (true, true, true) => {
                fixed_samples::<P, S, true, false>(points, out, n, phase, l, ampf, varinc)
            }
            (false, false, false) => {
                fixed_samples::<P, S, false, true>(points, out, n, phase, l, kampf, fixinc)
            }
            (false, true, false) => {
                fixed_samples::<P, S, false, true>(points, out, n, phase, l, ampf, fixinc)
            }
            (false, _, true) => {
                fixed_samples::<P, S, false, false>(points, out, n, phase, l, ampf, varinc)
            }
        };
    }
}

/// `n` samples of the fixed-point oscillator from `phase`; returns the
/// phase after them. The caller has checked that `phase >> lobits` and the
/// point after it are inside `points` for every phase below 2^28.
#[inline(always)]
fn fixed_samples<P: Points + ?Sized, S: Sink, const INTERPOLATE: bool, const KINC: bool>(
    points: &P,
    out: S,
    n: usize,
    mut phase: i64,
    lobits: u32,
    amp: impl Fn(usize) -> f64,
    inc: impl Fn(usize) -> i64,
) -> i64 {
    let lomask = (1i64 << lobits) - 1;
    let lodiv = 1.0 / (1i64 << lobits) as f64;
    let mut start = 0;
    #[cfg(target_arch = "x86_64")]
    if INTERPOLATE && KINC {
        // A constant increment: the two phases of a pair advance together in
        // the 64-bit lanes of one SSE2 register, which also gives the two
        // indices (a lane shift) and the two fractions. The fraction is
        // made exactly, without a 64-bit conversion (SSE2 has none): OR-ing
        // an integer below 2^52 into the mantissa of 2^52 and subtracting
        // 2^52 gives that integer as an f64. Each sample gets the scalar
        // loop's operations in its order, so the output is bit-identical;
        // `(p + 2 inc) & mask` is the scalar loop's two masked steps, as
        // the mask takes the phase modulo 2^28.
        use std::arch::x86_64::*;
        let inc = inc(0);
        let two52 = f64::from_bits(0x4330_0000_0000_0000);
        // SAFETY (every intrinsic below): SSE2 is part of x86-64.
        unsafe {
            let lodiv2 = _mm_set1_pd(lodiv);
            let magic = _mm_set1_epi64x(0x4330_0000_0000_0000);
            let magic_pd = _mm_set1_pd(two52);
            let mask = _mm_set1_epi64x(PHMASK);
            let lomask2 = _mm_set1_epi64x(lomask);
            let step = _mm_set1_epi64x(2 * inc);
            let mut ph = _mm_set_epi64x((phase + inc) & PHMASK, phase);
            // The same two phases in general registers give the table
            // indices with a shift each, where taking them out of the vector
            // would cost shuffles (the loop's bottleneck).
            let (mut p0, mut p1) = (phase, (phase + inc) & PHMASK);
            for pair in 0..n / 2 {
                let i = 2 * pair;
                let (x0, x1) = ((p0 >> lobits) as usize, (p1 >> lobits) as usize);
                p0 = (p0 + 2 * inc) & PHMASK;
                p1 = (p1 + 2 * inc) & PHMASK;
                // SAFETY: x0, x1 < len and x0 + 1, x1 + 1 <= len < stored
                // (checked by the caller).
                let (v1, v2) = points.pairs(x0, x1);
                let lo = _mm_or_si128(_mm_and_si128(ph, lomask2), magic);
                let frac = _mm_mul_pd(_mm_sub_pd(_mm_castsi128_pd(lo), magic_pd), lodiv2);
                let v = _mm_add_pd(v1, _mm_mul_pd(_mm_sub_pd(v2, v1), frac));
                out.put2(i, _mm_mul_pd(_mm_set_pd(amp(i + 1), amp(i)), v));
                ph = _mm_and_si128(_mm_add_epi64(ph, step), mask);
            }
            phase = _mm_cvtsi128_si64(ph);
        }
        start = n & !1;
    }
    #[cfg(target_arch = "x86_64")]
    if INTERPOLATE && !KINC {
        // Two samples per step: the phases and table reads stay scalar, the
        // interpolation and the gain run on both lanes of an SSE2 register
        // (always present on x86-64). Each lane does the scalar loop's
        // operations in its order, so the samples are the same bit for bit;
        // the fraction goes through i32, exact as it is below 2^28.
        use std::arch::x86_64::*;
        // SAFETY (every intrinsic below): SSE2 is part of x86-64.
        let lodiv2 = unsafe { _mm_set1_pd(lodiv) };
        for pair in 0..n / 2 {
            let i = 2 * pair;
            let p0 = phase;
            let p1 = (p0 + inc(i)) & PHMASK;
            phase = (p1 + inc(i + 1)) & PHMASK;
            let (x0, x1) = ((p0 >> lobits) as usize, (p1 >> lobits) as usize);
            // SAFETY: x0, x1 < len and x0 + 1, x1 + 1 <= len < stored
            // (checked by the caller).
            let (v1, v2) = unsafe { points.pairs(x0, x1) };
            let (a0, a1) = (amp(i), amp(i + 1));
            let y = unsafe {
                let f = _mm_set_epi32(0, 0, (p1 & lomask) as i32, (p0 & lomask) as i32);
                let frac = _mm_mul_pd(_mm_cvtepi32_pd(f), lodiv2);
                let v = _mm_add_pd(v1, _mm_mul_pd(_mm_sub_pd(v2, v1), frac));
                _mm_mul_pd(_mm_set_pd(a1, a0), v)
            };
            out.put2(i, y);
        }
        start = n & !1;
    }
    for i in start..n {
        let index = (phase >> lobits) as usize;
        // SAFETY: index < len and index + 1 <= len < stored (checked by the caller).
        let v1 = unsafe { points.at(index) };
        let v = if INTERPOLATE {
            let frac = (phase & lomask) as f64 * lodiv;
            // SAFETY: as above.
            v1 + (unsafe { points.at(index + 1) } - v1) * frac
        } else {
            v1
        };
        out.put(i, amp(i) * v);
        phase = (phase + inc(i)) & PHMASK;
    }
    phase
}

impl Opcode for Poscil {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(table) = source(ctx.tables, n, self.sine) else {
            return Err(missing(ctx, self.name, n));
        };
        let len = table.len();
        if self.fixed && lobits(len).is_none() {
            let name = self.name;
            return Err(ctx.fail(format_args!(
                "{name}: illegal table length {len} (table {n}): not a power of two"
            )));
        }
        let len = len as f64;
        let iphs = self.iphase.get();
        if iphs >= 0.0 {
            self.phase = iphs.fract() * len;
            self.fixed_phase = ((iphs * MAXLEN as f64) as i64) & PHMASK;
        }
        if self.init_rate
            && let Some(out) = self.out
        {
            let kr = ctx.rates.kr;
            return self.run(ctx, kr, out);
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = if self.samples == 1 {
            ctx.rates.kr
        } else {
            ctx.rates.sr
        };
        match self.out {
            Some(out) => self.run(ctx, rate, out),
            None => Ok(()),
        }
    }
}

/// `phasor cps [, iphs]`: a ramp from 0 to 1 repeating `cps` times a second.
struct Phasor {
    out: Output,
    cps: Input,
    iphase: Input,
    phase: f64,
    samples: usize,
}

fn build_phasor(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Phasor {
        out: a.out(0),
        cps: a.input(0),
        iphase: a.input(1),
        phase: 0.0,
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
    })
}

impl Opcode for Phasor {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let iphs = self.iphase.get();
        if iphs >= 0.0 {
            self.phase = iphs.fract();
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = if self.samples == 1 {
            ctx.rates.kr
        } else {
            ctx.rates.sr
        };
        let step = 1.0 / rate;
        let mut phase = self.phase;
        for i in 0..self.samples {
            self.out.set_at(i, phase);
            phase += self.cps.at(i) * step;
            if phase >= 1.0 {
                phase -= 1.0;
            } else if phase < 0.0 {
                phase += 1.0;
            }
        }
        self.phase = phase;
        Ok(())
    }
}

/// `aphase, asyncout syncphasor xcps, asyncin [, iphs]`: a `phasor` that
/// restarts from 0 at every sample where `asyncin` is not zero, and marks
/// with 1 in `asyncout` each sample where its own phase wrapped (or was
/// restarted), so that one syncphasor can hard-sync another.
struct SyncPhasor {
    out: Output,
    sync_out: Output,
    cps: Input,
    sync_in: Input,
    iphase: Input,
    phase: f64,
    samples: usize,
}

fn build_syncphasor(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(SyncPhasor {
        out: a.out(0),
        sync_out: a.out(1),
        cps: a.input(0),
        sync_in: a.input(1),
        iphase: a.input(2),
        phase: 0.0,
        samples: a.ksmps,
    })
}

impl Opcode for SyncPhasor {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let iphs = self.iphase.get();
        if iphs >= 0.0 {
            self.phase = iphs.fract();
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let step = 1.0 / ctx.rates.sr;
        let mut phase = self.phase;
        for i in 0..self.samples {
            if self.sync_in.at(i) != 0.0 {
                // A restart holds the phase at 0 for this sample (measured:
                // csound outputs 0 twice, then moves on).
                phase = 0.0;
                self.out.set_at(i, 0.0);
                self.sync_out.set_at(i, 1.0);
                continue;
            }
            let mut wrapped = 0.0;
            self.out.set_at(i, phase);
            phase += self.cps.at(i) * step;
            if phase >= 1.0 {
                phase -= 1.0;
                wrapped = 1.0;
            } else if phase < 0.0 {
                phase += 1.0;
                wrapped = 1.0;
            }
            self.sync_out.set_at(i, wrapped);
        }
        self.phase = phase;
        Ok(())
    }
}

/// Csound's bits below the index for a table of `len` points of any
/// length: the left shifts that bring `len` up to the phase's top bit (so a
/// table that is not a power of two is read over the part the shifted
/// length covers, as csound does).
fn any_lobits(len: usize) -> u32 {
    let mut bits = 0;
    let mut l = len as i64;
    while l > 0 && l & MAXLEN == 0 && bits < 28 {
        l <<= 1;
        bits += 1;
    }
    bits
}

/// `kres oscil1 idel, kamp, idur [, ifn]` and `oscil1i` (interpolating):
/// one pass through the table in `idur` seconds after `idel` seconds on
/// the first point, then held on the last (the guard point). The phase is
/// csound's 28-bit fixed point, moved after each read by
/// `2^28 / (kr * idur)` (truncated); a negative `idur` reads backwards
/// from the end.
struct Oscil1 {
    out: Output,
    delay: Input,
    amp: Input,
    dur: Input,
    table: Input,
    interpolate: bool,
    phase: i64,
    inc: i64,
    wait: i64,
    sine: &'static [f64],
}

impl Oscil1 {
    fn name(&self) -> &'static str {
        if self.interpolate {
            "oscil1i"
        } else {
            "oscil1"
        }
    }
}

impl Opcode for Oscil1 {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        if source(ctx.tables, n, self.sine).is_none() {
            return Err(missing(ctx, self.name(), n));
        }
        let kr = ctx.rates.kr;
        let dur = self.dur.get();
        self.inc = if dur == 0.0 {
            0
        } else {
            ((MAXLEN as f64 / kr) / dur).clamp(-(MAXLEN as f64), MAXLEN as f64) as i64
        };
        self.phase = if dur < 0.0 { PHMASK } else { 0 };
        let wait = self.delay.get() * kr;
        self.wait = if wait > 0.0 { wait.min(1e15) as i64 } else { 0 };
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(src) = source(ctx.tables, n, self.sine) else {
            return Err(missing(ctx, self.name(), n));
        };
        let lobits = any_lobits(src.len());
        let index = (self.phase >> lobits) as usize;
        let mut v = src.get(index);
        if self.interpolate {
            let frac = (self.phase & ((1i64 << lobits) - 1)) as f64 / (1i64 << lobits) as f64;
            v += (src.get(index + 1) - v) * frac;
        }
        self.out.set(v * self.amp.get());
        if self.wait > 0 {
            self.wait -= 1;
        } else {
            self.phase = (self.phase + self.inc).clamp(0, MAXLEN);
        }
        Ok(())
    }
}

fn build_oscil1(a: &Args, interpolate: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Oscil1 {
        out: a.out(0),
        delay: a.input(0),
        amp: a.input(1),
        dur: a.input(2),
        table: a.input(3),
        interpolate,
        phase: 0,
        inc: 0,
        wait: 0,
        sine: sine_table(),
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "oscil1",
        "k",
        "ikij",
        Pass::Both,
        |a| build_oscil1(a, false),
        "read a table once in idur seconds after a delay of idel, then hold its end",
    ),
    spec(
        "oscil1i",
        "k",
        "ikij",
        Pass::Both,
        |a| build_oscil1(a, true),
        "oscil1 with linear interpolation",
    ),
    spec(
        "oscil",
        "a",
        "xxjo",
        Pass::Both,
        |a| build_poscil(a, a.name, false),
        "table-lookup oscillator, no interpolation",
    ),
    spec(
        "oscil",
        "k",
        "kkjo",
        Pass::Both,
        |a| build_poscil(a, a.name, false),
        "table-lookup oscillator, no interpolation",
    ),
    spec(
        "oscili",
        "a",
        "xxjo",
        Pass::Both,
        |a| build_poscil(a, a.name, true),
        "table-lookup oscillator with linear interpolation",
    ),
    spec(
        "oscili",
        "k",
        "kkjo",
        Pass::Both,
        |a| build_poscil(a, a.name, true),
        "table-lookup oscillator with linear interpolation",
    ),
    spec(
        "poscil",
        "a",
        "xxjo",
        Pass::Both,
        |a| build_poscil(a, a.name, true),
        "precise oscillator: floating-point phase, any table length",
    ),
    spec(
        "poscil",
        "k",
        "kkjo",
        Pass::Both,
        |a| build_poscil(a, a.name, true),
        "precise oscillator: floating-point phase, any table length",
    ),
    spec(
        "poscil",
        "i",
        "iijo",
        Pass::Init,
        |a| build_poscil(a, a.name, true),
        "precise oscillator: one value at init time",
    ),
    spec(
        "oscil3",
        "a",
        "xxjo",
        Pass::Both,
        |a| build_poscil(a, a.name, true),
        "table-lookup oscillator with cubic interpolation",
    ),
    spec(
        "oscil3",
        "k",
        "kkjo",
        Pass::Both,
        |a| build_poscil(a, a.name, true),
        "table-lookup oscillator with cubic interpolation",
    ),
    spec(
        "poscil3",
        "a",
        "xxjo",
        Pass::Both,
        |a| build_poscil(a, a.name, true),
        "precise oscillator with cubic interpolation: floating-point phase, any table length",
    ),
    spec(
        "poscil3",
        "k",
        "kkjo",
        Pass::Both,
        |a| build_poscil(a, a.name, true),
        "precise oscillator with cubic interpolation: floating-point phase, any table length",
    ),
    spec(
        "poscil3",
        "i",
        "iijo",
        Pass::Init,
        |a| build_poscil(a, a.name, true),
        "precise oscillator with cubic interpolation: one value at init time",
    ),
    spec(
        "syncphasor",
        "aa",
        "xao",
        Pass::Both,
        build_syncphasor,
        "phasor that restarts on a sync input and sends a sync pulse when it wraps",
    ),
    spec(
        "phasor",
        "a",
        "xo",
        Pass::Both,
        build_phasor,
        "repeating ramp from 0 to 1 at xcps cycles a second",
    ),
    spec(
        "phasor",
        "k",
        "ko",
        Pass::Both,
        build_phasor,
        "repeating ramp from 0 to 1 at kcps cycles a second",
    ),
];
