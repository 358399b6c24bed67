//! `pvsanal`: streaming phase-vocoder analysis of an audio signal into an
//! f-signal of (amplitude, frequency) frames.
//!
//! Behaviour measured against csound 6.18 (impulses and sines analysed with
//! `pvs2tab`):
//! - a frame is made every `overlap` samples of the note; the one made at
//!   sample `n` analyses the window that ends `overlap + 1` samples earlier
//!   (`n - D - M .. n - D - 1`); the note's first frame is all zeros;
//! - the windowed samples are folded into the FFT buffer by their sample
//!   number modulo N (sample `t` of the note goes to index `t mod N`), so
//!   a steady sinusoid at a bin's centre keeps its phase from frame to
//!   frame, and the frequency of bin k is `k sr/N + dphi sr / (2 pi D)`
//!   with `dphi` the phase change since the last frame, wrapped to ±pi;
//! - the window sums to 2 (see `window.rs`), so a sinusoid of amplitude A
//!   centred on a bin shows amplitude A there.
//!
//! Overlaps smaller than ksmps (Csound's sliding analysis) are refused.

use std::f64::consts::PI;

use super::fft::RealFft;
use super::frame::{DEFAULT_SIZE, FrameInfo, Fsig, MAX_SIZE, format};
use super::window;
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;
use crate::opcodes::{Args, Opcode, boxed};

pub(super) struct Analysis {
    out: Fsig,
    input: Input,
    size: Input,
    overlap: Input,
    winsize: Input,
    wintype: Input,
    fft: RealFft,
    /// The analysis window over `span` samples, scaled to sum to 2.
    window: Vec<f64>,
    /// The last `span + overlap` input samples, oldest first from `head`.
    history: Vec<f64>,
    head: usize,
    /// Samples of `history` in use: `span + overlap`.
    ring: usize,
    prev_phase: Vec<f64>,
    bins: Vec<f64>,
    info: FrameInfo,
    /// Samples of the window: max(N, M).
    span: usize,
    /// Samples since the note started.
    sample: u64,
    count: u64,
}

/// The largest window `pvsanal` can be asked for when its size is not a
/// constant: the capacity's FFT size (windows up to 4 N are usual).
fn window_capacity(a: &Args, max_n: usize) -> usize {
    match a.constant(3) {
        Some(m) if m >= 1.0 && m <= (4 * MAX_SIZE) as f64 => (m as usize).max(max_n),
        _ => 4 * max_n.min(DEFAULT_SIZE),
    }
}

pub(super) fn build(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let out = Fsig::from_output(a.out(0));
    let max_n = out.max_size();
    let exact = a
        .constant(1)
        .filter(|n| *n >= 2.0 && *n <= MAX_SIZE as f64)
        .map(|n| even(n as usize));
    if let Some(n) = exact
        && n > max_n
    {
        return Err(format!(
            "pvsanal: FFT size {n} is more than the f-signal holds ({max_n})"
        ));
    }
    let span = window_capacity(a, max_n);
    let max_overlap = max_n;
    boxed(Analysis {
        out,
        input: a.input(0),
        size: a.input(1),
        overlap: a.input(2),
        winsize: a.input(3),
        wintype: a.input(4),
        fft: RealFft::new(exact, max_n),
        window: vec![0.0; span],
        history: vec![0.0; span + max_overlap],
        head: 0,
        ring: 1,
        prev_phase: vec![0.0; max_n / 2 + 1],
        bins: vec![0.0; max_n + 2],
        info: FrameInfo::default(),
        span: 0,
        sample: 0,
        count: 0,
    })
}

/// Csound rounds odd FFT sizes up.
fn even(n: usize) -> usize {
    n + (n & 1)
}

impl Analysis {
    fn analyse(&mut self, sr: f64) {
        let n = self.info.size;
        let d = self.info.overlap;
        let span = self.span;
        let len = self.ring;
        // The window covers note samples start .. start + span.
        let start = self.sample as i64 - d as i64 - span as i64;
        let time = &mut self.fft.time[..n];
        time.fill(0.0);
        for q in 0..span {
            let x = self.history[(self.head + q) % len];
            let t = (start + q as i64).rem_euclid(n as i64) as usize;
            time[t] += x * self.window[q];
        }
        self.fft.forward();
        let bin_hz = sr / n as f64;
        let to_hz = sr / (2.0 * PI * d as f64);
        // 0 Hz and Nyquist are real: their phase is 0 or pi (a positive
        // zero imaginary part, whatever sign the FFT left on it).
        self.fft.spectrum[0].im = 0.0;
        self.fft.spectrum[n / 2].im = 0.0;
        for k in 0..=n / 2 {
            let c = self.fft.spectrum[k];
            let amp = c.norm();
            let phase = c.im.atan2(c.re);
            let mut dphi = phase - self.prev_phase[k];
            self.prev_phase[k] = phase;
            // Into [-pi, pi], leaving +-pi as they are: the sign of a real
            // bin's half-cycle jump shows in its frequency (+-sr/2D), and
            // smoothing opcodes see it.
            if dphi.abs() > PI {
                dphi -= 2.0 * PI * (dphi / (2.0 * PI)).round();
            }
            self.bins[2 * k] = amp;
            self.bins[2 * k + 1] = k as f64 * bin_hz + dphi * to_hz;
        }
        self.out.write(&self.bins[..n + 2]);
        self.count += 1;
        self.out.set_count(self.count);
    }
}

impl Opcode for Analysis {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.size.get();
        let max_n = self.out.max_size();
        if !(2.0..=MAX_SIZE as f64).contains(&n) {
            return Err(ctx.fail(format_args!("pvsanal: FFT size {n} out of range")));
        }
        let n = even(n as usize);
        if n > max_n {
            return Err(ctx.fail(format_args!(
                "pvsanal: FFT size {n} is more than rhapsody reserved for this f-signal \
                 ({max_n}; write the size as a constant to reserve more)"
            )));
        }
        if !self.fft.select(n) {
            return Err(ctx.fail(format_args!(
                "pvsanal: FFT size {n} is not a power of two; rhapsody prepares other \
                 sizes only when the size is written as a constant"
            )));
        }
        let d = self.overlap.get();
        let m = self.winsize.get();
        let ksmps = ctx.rates.ksmps;
        if !(d >= 1.0 && d as usize <= n) {
            return Err(ctx.fail(format_args!(
                "pvsanal: overlap {d} must be between 1 and the FFT size {n}"
            )));
        }
        let d = d as usize;
        if d < ksmps || d <= 10 {
            return Err(ctx.fail(format_args!(
                "pvsanal: overlap {d} is smaller than ksmps ({ksmps}) or 10: \
                 Csound's sliding analysis is not supported by rhapsody"
            )));
        }
        let m = if m.is_finite() && m >= 1.0 {
            even(m as usize)
        } else {
            n
        };
        let span = m.max(n);
        if span > self.window.len() || span + d > self.history.len() {
            return Err(ctx.fail(format_args!(
                "pvsanal: window size {m} is more than rhapsody reserved ({}); \
                 write it as a constant",
                self.window.len()
            )));
        }
        let wintype = self.wintype.get() as i32;
        let sum = window::fill(&mut self.window, wintype, m, span);
        let scale = if sum > 0.0 { 2.0 / sum } else { 0.0 };
        for w in &mut self.window[..span] {
            *w *= scale;
        }
        self.info = FrameInfo {
            size: n,
            overlap: d,
            winsize: m,
            wintype,
            format: format::AMP_FREQ,
        };
        self.span = span;
        self.out.reset(&self.info);
        self.count = 1;
        self.out.set_count(1);
        self.history.fill(0.0);
        self.head = 0;
        self.ring = span + d;
        self.prev_phase.fill(0.0);
        self.sample = 0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let d = self.info.overlap as u64;
        if d == 0 {
            return Ok(());
        }
        let sr = ctx.rates.sr;
        let len = self.ring;
        for i in 0..ctx.rates.ksmps {
            if self.sample > 0 && self.sample.is_multiple_of(d) {
                self.analyse(sr);
            }
            // The ring holds the last `len` samples; the oldest is at `head`.
            self.history[self.head] = self.input.at(i);
            self.head = (self.head + 1) % len;
            self.sample += 1;
        }
        Ok(())
    }
}
