//! Band-limited oscillator from precomputed wavetables: `vco2`, and the
//! opcodes around its tables, `vco2init`, `vco2ft`, `vco2ift`, with
//! `oscilikt`, the oscillator that reads them when shared as function
//! tables (a table number that may change every k-period).
//!
//! Each waveform has a set of tables; table `i` holds harmonics 1..=n(i)
//! only, so it can play any frequency at which its top harmonic stays under
//! the bandwidth (`inyx * sr`). The numbers of partials run 0 (silence), 1,
//! 2, ...: a running value starts at 1 and is multiplied by `ipmul` (1.05)
//! per table, or raised by 1 if that is more, and each table takes it
//! rounded; they stop at half the largest table size (and never above 4096).
//! A table with n partials has `iminsiz * sqrt(n)` points rounded up to a
//! power of two, at most `imaxsiz` (the silent one has 16). All of this,
//! and the waveforms' scaling and phase, were read off csound 6.18's own
//! tables (`vco2init` with `ibasfn`, then `ftsave`): they match to the
//! 6 digits it prints.
//!
//! Waveform numbers as `vco2ft` has them: 0 sawtooth (falling, starting at
//! 0), 1 `4x(1-x)` less its mean, 2 pulse (n cosines of amplitude 1), 3
//! square, 4 triangle; -1, -2, ... user waveforms made by `vco2init` from a
//! table's spectrum (its DC kept).
//!
//! `vco2` keeps a 31-bit fixed-point phase (rounded increment) and reads the
//! table with linear interpolation, choosing the table each k-period from
//! the frequency: the one with the most partials `n <= inyx / (|cps| / sr)`.
//! Square/PWM is the difference of two sawtooth readings a pulse width
//! apart; sawtooth/triangle/ramp the scaled difference of two `4x(1-x)`
//! readings. Changes of `kpw` and `kphs` between k-periods become frequency
//! changes spread over the period, as csound does (its output matches to
//! the precision of a float sound file).
//!
//! The tables are big (a few MB per waveform), so they are built once, with
//! an FFT, the first time a build function or `vco2init` asks for them, off
//! the audio path; opcodes hold them through an `Arc`.

use std::f64::consts::{PI, TAU};
use std::sync::{Arc, OnceLock};

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::engine::table::Table;
use crate::gens::TableData;

/// One cycle of the fixed-point phase.
const CYCLE: f64 = 2_147_483_648.0;
const MASK: i64 = (1 << 31) - 1;
/// Bits of the phase.
const PHASE_BITS: u32 = 31;
/// Most partials any table holds.
const MAX_PARTIALS: usize = 4096;

/// How a set of tables is laid out (`vco2init`'s optional arguments).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    pub partial_mul: f64,
    pub min_size: usize,
    pub max_size: usize,
}

impl Layout {
    /// The default layout of a built-in waveform.
    fn default_for(wave: i32) -> Layout {
        Layout::new(wave, -1.0, -1.0, -1.0).unwrap_or(Layout {
            partial_mul: 1.05,
            min_size: 128,
            max_size: 8192,
        })
    }

    /// A layout from `vco2init`'s `ipmul, iminsiz, imaxsiz` (zero or
    /// negative: the default), checked against the manual's limits.
    fn new(wave: i32, pmul: f64, min: f64, max: f64) -> Result<Layout, String> {
        let partial_mul = if pmul > 0.0 { pmul } else { 1.05 };
        if !(1.01..=2.0).contains(&partial_mul) {
            return Err(format!("ipmul {partial_mul} is out of range (1.01 to 2)"));
        }
        let min_size = if min > 0.0 {
            min as usize
        } else if wave == 2 {
            256
        } else {
            128
        };
        if !min_size.is_power_of_two() || !(16..=262_144).contains(&min_size) {
            return Err(format!(
                "iminsiz {min_size} must be a power of two from 16 to 262144"
            ));
        }
        let max_size = if max > 0.0 {
            max as usize
        } else {
            (min_size * 64).min(16384).max(min_size)
        };
        if !max_size.is_power_of_two() || !(min_size..=16_777_216).contains(&max_size) {
            return Err(format!(
                "imaxsiz {max_size} must be a power of two from iminsiz to 16777216"
            ));
        }
        Ok(Layout {
            partial_mul,
            min_size,
            max_size,
        })
    }

    /// The number of partials of each table, ascending, from 0.
    fn partials(&self) -> Vec<usize> {
        let limit = (self.max_size / 2).min(MAX_PARTIALS);
        let mut out = vec![0];
        let mut x = 1.0f64;
        loop {
            let n = (x + 0.5) as usize;
            if n > limit {
                break;
            }
            out.push(n);
            // Each step multiplies, but adds at least one (before rounding:
            // csound's lists for ipmul 1.02 to 2 all follow this).
            x = (x * self.partial_mul).max(x + 1.0);
        }
        out
    }

    /// Points in the table of `n` partials.
    fn size(&self, n: usize) -> usize {
        if n == 0 {
            return 16;
        }
        let want = self.min_size as f64 * (n as f64).sqrt();
        let mut size = 16;
        while (size as f64) < want {
            size *= 2;
        }
        size.min(self.max_size)
    }
}

/// The tables of one waveform.
#[derive(Debug)]
pub struct WaveSet {
    /// Partials of each table, ascending.
    partials: Vec<usize>,
    /// The tables, each with its guard point (shared by `vco2init`'s copies
    /// of a default set, which differ only in `base`).
    tables: Arc<Vec<Box<[f64]>>>,
    /// The function-table number of the first table, when `vco2init` shared
    /// them as function tables (0 if not).
    pub base: i64,
}

impl WaveSet {
    /// The index of the table for at most `max_partials` partials.
    #[inline]
    fn pick(&self, max_partials: f64) -> usize {
        self.partials
            .partition_point(|&n| n as f64 <= max_partials)
            .saturating_sub(1)
    }

    /// The index of the table for `cps` at sample rate `sr` and bandwidth `nyx`.
    #[inline]
    fn pick_for(&self, cycles_per_sample: f64, nyx: f64) -> usize {
        self.pick(nyx / cycles_per_sample.abs())
    }

    pub fn len(&self) -> usize {
        self.tables.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// Table `i` (guard point included).
    pub fn table(&self, i: usize) -> &[f64] {
        &self.tables[i]
    }
}

/// The spectrum a waveform's tables are cut from: harmonic `k`'s complex
/// amplitude (cosine part, sine part), and the DC.
enum Spectrum {
    Builtin(i32),
    /// Harmonic amplitudes of a user table: `(dc, [(cos, sin)])` for 1..
    User(f64, Vec<(f64, f64)>),
}

impl Spectrum {
    fn dc(&self) -> f64 {
        match self {
            Spectrum::Builtin(_) => 0.0,
            Spectrum::User(dc, _) => *dc,
        }
    }

    /// Harmonic `k` (from 1) as `a cos(kx) + b sin(kx)`: `(a, b)`.
    fn harmonic(&self, k: usize) -> (f64, f64) {
        let kf = k as f64;
        let odd = k % 2 == 1;
        match self {
            Spectrum::Builtin(0) => (0.0, 2.0 / PI / kf),
            Spectrum::Builtin(1) => (-4.0 / (PI * PI) / (kf * kf), 0.0),
            Spectrum::Builtin(2) => (1.0, 0.0),
            Spectrum::Builtin(3) if odd => (0.0, 4.0 / PI / kf),
            Spectrum::Builtin(4) if odd => {
                let sign = if k % 4 == 1 { 1.0 } else { -1.0 };
                (0.0, sign * 8.0 / (PI * PI) / (kf * kf))
            }
            Spectrum::Builtin(_) => (0.0, 0.0),
            Spectrum::User(_, h) => h.get(k - 1).copied().unwrap_or((0.0, 0.0)),
        }
    }
}

/// Build the tables of one waveform.
fn build_set(spectrum: &Spectrum, layout: &Layout) -> WaveSet {
    let partials = layout.partials();
    let mut fft = Fft::default();
    let tables: Vec<Box<[f64]>> = partials
        .iter()
        .map(|&n| {
            let size = layout.size(n);
            // The spectrum of the table: bins 1..=n (below size / 2).
            let mut bins = vec![(0.0, 0.0); size];
            bins[0] = (spectrum.dc(), 0.0);
            for k in 1..=n.min(size / 2 - 1) {
                let (a, b) = spectrum.harmonic(k);
                // a cos + b sin = Re((a - ib) e^{ikx}); the inverse transform
                // adds bin k and its mirror, so each carries half.
                bins[k] = (a / 2.0, -b / 2.0);
                bins[size - k] = (a / 2.0, b / 2.0);
            }
            fft.run(&mut bins, true);
            let mut table: Vec<f64> = bins.iter().map(|c| c.0).collect();
            table.push(table[0]);
            table.into_boxed_slice()
        })
        .collect();
    WaveSet {
        partials,
        tables: Arc::new(tables),
        base: 0,
    }
}

/// The default tables of built-in waveform `wave` (0..=4), built on first use.
pub fn builtin(wave: usize) -> Arc<WaveSet> {
    static SETS: [OnceLock<Arc<WaveSet>>; 5] = [const { OnceLock::new() }; 5];
    SETS[wave]
        .get_or_init(|| {
            Arc::new(build_set(
                &Spectrum::Builtin(wave as i32),
                &Layout::default_for(wave as i32),
            ))
        })
        .clone()
}

/// A radix-2 complex FFT with its twiddle factors kept between calls of
/// the same size (tables are built in ascending sizes).
#[derive(Default)]
struct Fft {
    size: usize,
    twiddles: Vec<(f64, f64)>,
}

impl Fft {
    /// Transform `x` in place (its length a power of two); `inverse` uses
    /// e^{+i...} and no scaling, so bins of amplitudes give the signal.
    fn run(&mut self, x: &mut [(f64, f64)], inverse: bool) {
        let n = x.len();
        if n < 2 {
            return;
        }
        if self.size != n {
            self.size = n;
            self.twiddles = (0..n / 2)
                .map(|k| {
                    let a = TAU * k as f64 / n as f64;
                    (a.cos(), a.sin())
                })
                .collect();
        }
        let bits = n.trailing_zeros();
        for i in 0..n {
            let j = i.reverse_bits() >> (usize::BITS - bits);
            if j > i {
                x.swap(i, j);
            }
        }
        let sign = if inverse { 1.0 } else { -1.0 };
        let mut len = 2;
        while len <= n {
            let step = n / len;
            for start in (0..n).step_by(len) {
                for k in 0..len / 2 {
                    let (c, s) = self.twiddles[k * step];
                    let (wr, wi) = (c, sign * s);
                    let (ar, ai) = x[start + k];
                    let (br, bi) = x[start + k + len / 2];
                    let (tr, ti) = (br * wr - bi * wi, br * wi + bi * wr);
                    x[start + k] = (ar + tr, ai + ti);
                    x[start + k + len / 2] = (ar - tr, ai - ti);
                }
            }
            len *= 2;
        }
    }
}

/// The harmonics of a user waveform read from `points` (a power of two long,
/// no guard point): the DC and (cos, sin) amplitudes of harmonics 1..len/2.
fn user_spectrum(points: &[f64]) -> Spectrum {
    let n = points.len();
    let mut bins: Vec<(f64, f64)> = points.iter().map(|&v| (v, 0.0)).collect();
    Fft::default().run(&mut bins, false);
    let scale = 1.0 / n as f64;
    let harmonics = (1..=n / 2)
        .map(|k| {
            let (re, im) = bins[k];
            // x = sum (re cos - im sin) * 2 / n over the positive bins.
            (2.0 * re * scale, -2.0 * im * scale)
        })
        .collect();
    Spectrum::User(bins[0].0 * scale, harmonics)
}

/// Wrap `x` to one cycle of the fixed-point phase (rounding to nearest).
#[inline(always)]
fn to_phase(x: f64) -> i64 {
    ((x * CYCLE).round_ties_even() as i64) & MASK
}

/// `vco2`'s waveform families.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    /// One reading of the waveform's own table.
    Plain,
    /// Square / PWM: sawtooth minus a shifted sawtooth.
    Pulse,
    /// Sawtooth / triangle / ramp: differenced `4x(1-x)`.
    Ramp,
}

/// `ares vco2 kamp, kcps [, imode, kpw, kphs, inyx]`.
struct Vco2 {
    out: Output,
    amp: Input,
    cps: Input,
    mode: Input,
    pw: Input,
    phs: Input,
    nyx: Input,
    samples: usize,
    /// The default tables of each built-in waveform this note may use,
    /// fetched (and built if need be) by the build function.
    defaults: [Option<Arc<WaveSet>>; 5],
    set: Option<Arc<WaveSet>>,
    kind: Kind,
    phase_mod: bool,
    bandwidth: f64,
    phase: i64,
    phase2: i64,
    /// The first k-period is still to come (phase set-up then).
    first: bool,
    old_phs: f64,
    /// Minus the previous pulse width.
    old_pw: f64,
}

/// The built-in waveform (0..=4) or user one (-1) of an `imode`, and how it is played.
fn decode_mode(mode: i32) -> (i32, Kind) {
    match mode & 14 {
        2 => (0, Kind::Pulse),
        4 => (1, Kind::Ramp),
        6 => (2, Kind::Plain),
        8 => (1, Kind::Plain),
        10 => (3, Kind::Plain),
        12 => (4, Kind::Plain),
        14 => (-1, Kind::Plain),
        _ => (0, Kind::Plain),
    }
}

fn build_vco2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    // The mode is known here when it is a constant (the usual case): build
    // only the tables it needs; otherwise all of them.
    let waves: Vec<usize> = match a.constant(2) {
        Some(m) => match decode_mode(m as i32).0 {
            w @ 0..=4 => vec![w as usize],
            _ => vec![],
        },
        None => (0..5).collect(),
    };
    let mut defaults: [Option<Arc<WaveSet>>; 5] = Default::default();
    for w in waves {
        defaults[w] = Some(builtin(w));
    }
    boxed(Vco2 {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        mode: a.input(2),
        pw: a.input(3),
        phs: a.input(4),
        nyx: a.input(5),
        samples: a.ksmps,
        defaults,
        set: None,
        kind: Kind::Plain,
        phase_mod: false,
        bandwidth: 0.5,
        phase: 0,
        phase2: 0,
        first: true,
        old_phs: 0.0,
        old_pw: 0.0,
    })
}

impl Opcode for Vco2 {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let mode = self.mode.get() as i32;
        // Mode bit 1: skip initialisation (keep a tied note's phase).
        if mode & 1 != 0 && self.set.is_some() {
            return Ok(());
        }
        let (wave, kind) = decode_mode(mode);
        self.kind = kind;
        self.phase_mod = mode & 16 != 0;
        self.bandwidth = self.nyx.get().clamp(0.0, 0.5);
        // A set from `vco2init` replaces the default one.
        let registered = ctx.tables.set_of::<WaveSet>(wave);
        self.set = match (registered, wave) {
            (Some(set), _) => Some(set),
            (None, 0..=4) => self.defaults[wave as usize].clone(),
            (None, _) => None,
        };
        if self.set.is_none() {
            return Err(ctx.fail(format_args!(
                "vco2: no tables for waveform {wave} (vco2init {wave}, ... must make them first)"
            )));
        }
        self.first = true;
        if !self.phase_mod {
            self.phase = to_phase(self.phs.get());
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let Some(set) = self.set.as_deref() else {
            return Ok(());
        };
        let ksmps = self.samples as f64;
        if self.first {
            self.first = false;
            if self.phase_mod {
                self.old_phs = self.phs.get();
                self.phase = to_phase(self.old_phs);
            }
            if self.kind != Kind::Plain {
                self.old_pw = -self.pw.get();
                self.phase2 = (self.phase + to_phase(self.old_pw - self.old_pw.floor())) & MASK;
            }
        }
        let mut f = self.cps.get() / ctx.rates.sr;
        let mut inc = to_phase(f);
        if self.phase_mod {
            // A phase change becomes extra frequency over this k-period.
            let phs = self.phs.get();
            let mut d = phs - self.old_phs;
            d -= d.trunc();
            self.old_phs = phs;
            inc = (inc + (d * CYCLE / ksmps).round_ties_even() as i64) & MASK;
            f += d / ksmps;
        }
        let table = set.table(set.pick_for(f, self.bandwidth));
        let len = table.len() - 1;
        let lobits = PHASE_BITS - len.trailing_zeros();
        let lomask = (1i64 << lobits) - 1;
        let lodiv = 1.0 / (1i64 << lobits) as f64;
        let read = |p: i64| {
            let i = (p >> lobits) as usize;
            let v = table[i];
            v + (table[i + 1] - v) * (p & lomask) as f64 * lodiv
        };
        let amp = self.amp.get();
        let mut phase = self.phase;
        if self.kind == Kind::Plain {
            for i in 0..self.samples {
                self.out.set_at(i, amp * read(phase));
                phase = (phase + inc) & MASK;
            }
            self.phase = phase;
            return Ok(());
        }
        // The pulse width moves from its old value to the new one over the
        // period: the second phase runs at a frequency that gets it there,
        // and the DC correction (pulse) or scale (ramp) follows it.
        let pw = -self.pw.get();
        let mut d = pw - self.old_pw;
        d -= d.round();
        self.old_pw = pw;
        let inc2 = (inc + (d * CYCLE / ksmps).round_ties_even() as i64) & MASK;
        // The width the period starts from: one less the second phase's
        // offset, so in (0, 1] (a whole-number `kpw` is all high, as in csound).
        let old = pw - d;
        let start = 1.0 - (old - old.floor());
        let step = -d / ksmps;
        let mut phase2 = self.phase2;
        for i in 0..self.samples {
            let width = start + step * i as f64;
            let diff = read(phase) - read(phase2);
            let v = if self.kind == Kind::Pulse {
                diff + 2.0 * width - 1.0
            } else {
                let denom = 4.0 * width * (1.0 - width);
                if denom == 0.0 { 0.0 } else { diff / denom }
            };
            self.out.set_at(i, amp * v);
            phase = (phase + inc) & MASK;
            phase2 = (phase2 + inc2) & MASK;
        }
        self.phase = phase;
        self.phase2 = phase2;
        Ok(())
    }
}

/// `ifn vco2init iwave [, ibasfn, ipmul, iminsiz, imaxsiz, isrcft]`.
struct Vco2init {
    out: Output,
    wave: Input,
    base: Input,
    pmul: Input,
    min: Input,
    max: Input,
    source: Input,
}

fn build_vco2init(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Vco2init {
        out: a.out(0),
        wave: a.input(0),
        base: a.input(1),
        pmul: a.input(2),
        min: a.input(3),
        max: a.input(4),
        source: a.input(5),
    })
}

impl Opcode for Vco2init {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if !ctx.may_allocate {
            return Err(ctx.fail(format_args!(
                "vco2init: tables can only be made in instrument 0 or when rendering offline"
            )));
        }
        let iwave = self.wave.get() as i32;
        let mut base = self.base.get() as i64;
        let (pmul, min, max) = (self.pmul.get(), self.min.get(), self.max.get());
        // A user waveform: one set, from the source table's spectrum.
        let mut jobs: Vec<(i32, Spectrum)> = Vec::new();
        if iwave < 0 {
            if iwave != -1 && base < 1 {
                return Err(ctx.fail(format_args!(
                    "vco2init: user waveform {iwave} needs ibasfn (only -1 can be used without)"
                )));
            }
            let src = self.source.get();
            let points = match ctx.tables.get(src) {
                Some(t) if t.len().is_power_of_two() && t.len() >= 4 => {
                    (0..t.len()).map(|i| t.get(i)).collect::<Vec<f64>>()
                }
                Some(t) => {
                    let len = t.len();
                    return Err(ctx.fail(format_args!(
                        "vco2init: source table {src} has {len} points, not a power of two"
                    )));
                }
                None => {
                    return Err(
                        ctx.fail(format_args!("vco2init: source table {src} does not exist"))
                    );
                }
            };
            jobs.push((iwave, user_spectrum(&points)));
        } else {
            for w in 0..5 {
                if iwave & (1 << w) != 0 {
                    jobs.push((w, Spectrum::Builtin(w)));
                }
            }
        }
        for (wave, spectrum) in jobs {
            let layout = match Layout::new(wave, pmul, min, max) {
                Ok(l) => l,
                Err(e) => return Err(ctx.fail(format_args!("vco2init: {e}"))),
            };
            let mut set = match (&spectrum, layout == Layout::default_for(wave)) {
                // The defaults are shared with every `vco2` that needs them.
                (Spectrum::Builtin(w), true) => {
                    let shared = builtin(*w as usize);
                    WaveSet {
                        partials: shared.partials.clone(),
                        tables: shared.tables.clone(),
                        base: 0,
                    }
                }
                _ => build_set(&spectrum, &layout),
            };
            if base >= 1 {
                set.base = base;
                let last = base + set.len() as i64 - 1;
                ctx.tables.reserve_number(last);
                for (i, t) in set.tables.iter().enumerate() {
                    let data = TableData::from_points(t.to_vec());
                    ctx.tables.put(base + i as i64, Arc::new(Table::new(&data)));
                }
                base = last + 1;
            }
            ctx.tables.keep_set(wave, Arc::new(set));
        }
        self.out.set(if base >= 1 { base as f64 } else { -1.0 });
        Ok(())
    }
}

/// `kfn vco2ft kcps, iwave [, inyx]` and `ifn vco2ift icps, iwave [, inyx]`.
struct Vco2ft {
    out: Output,
    cps: Input,
    wave: Input,
    nyx: Input,
    name: &'static str,
}

impl Vco2ft {
    fn compute(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let wave = self.wave.get() as i32;
        let set = ctx.tables.set_of::<WaveSet>(wave);
        let Some(set) = set.filter(|s| s.base >= 1) else {
            let name = self.name;
            return Err(ctx.fail(format_args!(
                "{name}: waveform {wave} has no tables shared as function tables (vco2init with ibasfn)"
            )));
        };
        let nyx = self.nyx.get().clamp(0.0, 0.5);
        let index = set.pick_for(self.cps.get() / ctx.rates.sr, nyx);
        self.out.set((set.base + index as i64) as f64);
        Ok(())
    }
}

impl Opcode for Vco2ft {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.compute(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.compute(ctx)
    }
}

fn build_vco2ft(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Vco2ft {
        out: a.out(0),
        cps: a.input(0),
        wave: a.input(1),
        nyx: a.input(2),
        name: if a.out_rate(0) == Rate::Control {
            "vco2ft"
        } else {
            "vco2ift"
        },
    })
}

/// `oscilikt xamp, xcps, kfn [, iphs, istor]`: linear interpolation, the
/// same 31-bit phase as `vco2`, and the table looked up every k-period.
struct Oscilikt {
    out: Output,
    amp: Input,
    cps: Input,
    table: Input,
    iphase: Input,
    skip: Input,
    samples: usize,
    audio: bool,
    phase: i64,
    started: bool,
}

fn build_oscilikt(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Oscilikt {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        table: a.input(2),
        iphase: a.input(3),
        skip: a.input(4),
        samples: if a.out_rate(0) == Rate::Audio {
            a.ksmps
        } else {
            1
        },
        audio: a.out_rate(0) == Rate::Audio,
        phase: 0,
        started: false,
    })
}

impl Opcode for Oscilikt {
    fn init(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if self.skip.get() != 0.0 && self.started {
            return Ok(());
        }
        self.started = true;
        let p = self.iphase.get();
        self.phase = to_phase(p - p.floor());
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.table.get();
        let Some(table) = ctx.tables.get(n) else {
            return Err(ctx.fail(format_args!("oscilikt: table {n} does not exist")));
        };
        let len = table.len();
        if !len.is_power_of_two() || len > 1 << PHASE_BITS {
            return Err(ctx.fail(format_args!(
                "oscilikt: table {n} has {len} points, not a power of two"
            )));
        }
        let lobits = PHASE_BITS - len.trailing_zeros();
        let lomask = (1i64 << lobits) - 1;
        let lodiv = 1.0 / (1i64 << lobits) as f64;
        // Cycles per step: a sample, or a k-period for the k-rate form.
        let to_cycles = if self.audio {
            1.0 / ctx.rates.sr
        } else {
            1.0 / ctx.rates.kr
        };
        let audio_cps = self.cps.is_audio();
        let mut inc = to_phase(self.cps.get() * to_cycles);
        let mut phase = self.phase;
        for i in 0..self.samples {
            if audio_cps {
                inc = to_phase(self.cps.at(i) * to_cycles);
            }
            let index = (phase >> lobits) as usize;
            let v = table.get(index);
            let v = v + (table.get(index + 1) - v) * (phase & lomask) as f64 * lodiv;
            self.out.set_at(i, self.amp.at(i) * v);
            phase = (phase + inc) & MASK;
        }
        self.phase = phase;
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "vco2",
        "a",
        "kkoOOv",
        Pass::Both,
        build_vco2,
        "band-limited sawtooth, square/PWM, triangle/ramp, pulse or user waveform from tables chosen by frequency",
    ),
    spec(
        "oscilikt",
        "a",
        "xxkoo",
        Pass::Both,
        build_oscilikt,
        "linearly interpolating oscillator with a 31-bit phase; the table number may change every k-period",
    ),
    spec(
        "oscilikt",
        "k",
        "kkkoo",
        Pass::Both,
        build_oscilikt,
        "linearly interpolating oscillator with a 31-bit phase; the table number may change every k-period",
    ),
    spec(
        "vco2init",
        "i",
        "ijjjjj",
        Pass::Init,
        build_vco2init,
        "make vco2's band-limited table sets (shared as function tables from ibasfn if given); returns the next free number",
    ),
    spec(
        "vco2ft",
        "k",
        "kiv",
        Pass::Both,
        build_vco2ft,
        "number of the vco2init function table band-limited for a frequency, at k-rate",
    ),
    spec(
        "vco2ift",
        "i",
        "iiv",
        Pass::Init,
        build_vco2ft,
        "number of the vco2init function table band-limited for a frequency, at init",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// csound 6.18's default partial counts (from its own tables).
    #[test]
    fn default_partial_counts_and_sizes() {
        let layout = Layout::default_for(0);
        let p = layout.partials();
        assert_eq!(p.len(), 130);
        assert_eq!(&p[20..30], &[20, 21, 22, 23, 24, 26, 27, 28, 30, 31]);
        assert_eq!(&p[40..46], &[53, 56, 59, 61, 65, 68]);
        assert_eq!(p[129], 4080);
        let sizes: Vec<usize> = [0, 1, 2, 5, 16, 17, 61, 65]
            .map(|n| layout.size(n))
            .to_vec();
        assert_eq!(sizes, [16, 128, 256, 512, 512, 1024, 1024, 2048]);
        assert_eq!(Layout::default_for(2).size(1), 256);
        assert_eq!(Layout::default_for(2).max_size, 16384);
    }

    #[test]
    fn other_multipliers() {
        let layout = |m| Layout::new(0, m, -1.0, -1.0).unwrap();
        assert_eq!(
            &layout(1.4).partials()[..12],
            &[0, 1, 2, 3, 4, 6, 8, 12, 16, 23, 32, 44]
        );
        assert_eq!(*layout(1.4).partials().last().unwrap(), 3514);
        assert!(Layout::new(0, 2.5, -1.0, -1.0).is_err());
        assert!(Layout::new(0, -1.0, 100.0, -1.0).is_err());
    }

    /// Points of csound's tables, as `ftsave` printed them (6 decimals).
    #[test]
    fn table_points_match_csound() {
        // (waveform, table index, [(point, value)]).
        type Case = (usize, usize, &'static [(usize, f64)]);
        let cases: &[Case] = &[
            (
                0,
                1,
                &[
                    (1, 0.031237),
                    (10, 0.3001),
                    (32, std::f64::consts::FRAC_2_PI),
                ],
            ),
            (0, 5, &[(1, 0.039052), (100, 0.517464), (300, -0.18062)]),
            (1, 1, &[(0, -0.405285), (17, -0.272173)]),
            (2, 1, &[(0, 1.0), (5, 0.99248)]),
            (3, 2, &[(3, 0.093665), (40, 1.05866)]),
            (4, 5, &[(7, 0.060092), (100, 0.804731)]),
        ];
        for &(wave, index, points) in cases {
            let set = builtin(wave);
            let t = set.table(index);
            for &(i, want) in points {
                assert!(
                    (t[i] - want).abs() < 1e-6,
                    "wave {wave} table {index} point {i}"
                );
            }
            assert_eq!(t[t.len() - 1], t[0], "guard point");
        }
    }

    #[test]
    fn table_choice() {
        let set = builtin(0);
        // 22050 / 440 = 50.1 partials: the table with 48.
        assert_eq!(set.partials[set.pick_for(440.0 / 44100.0, 0.5)], 48);
        assert_eq!(set.partials[set.pick_for(459.375 / 44100.0, 0.5)], 48);
        assert_eq!(set.partials[set.pick_for(-440.0 / 44100.0, 0.5)], 48);
        assert_eq!(set.pick_for(30000.0 / 44100.0, 0.5), 0);
        assert_eq!(set.pick_for(0.0, 0.5), set.len() - 1);
    }
}
