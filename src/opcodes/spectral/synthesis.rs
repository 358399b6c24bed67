//! `pvsynth`: overlap-add resynthesis of an (amplitude, frequency) f-signal.
//!
//! Every `overlap` samples the current frame is turned back into a
//! spectrum (each bin's phase advanced by its frequency times the hop),
//! inverse-transformed, unfolded, windowed and added into the output. The
//! note's first frame advances no phase, whatever its frequencies say:
//! csound's does not (measured with `tab2pvs` frames, and it shows after
//! `pvsblur` or `pvsbandp`, whose first frames carry frequencies but no
//! amplitude).
//! The frame taken at sample `n` is heard from `n + overlap` on, so a
//! `pvsanal` -> `pvsynth` chain delays its input by `max(N, M) + 2 overlap`
//! samples, as csound's does. The synthesis window is the analysis shape
//! scaled so that, with the analysis window, overlapping frames add up to
//! one (exact for the von Hann window at overlaps of N/4 and less).

use std::f64::consts::PI;

use super::fft::RealFft;
use super::frame::{FrameInfo, Fsig};
use super::window;
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Output;
use crate::opcodes::{Args, Opcode, boxed};

pub(super) struct Synthesis {
    out: Output,
    input: Fsig,
    fft: RealFft,
    window: Vec<f64>,
    phase: Vec<f64>,
    bins: Vec<f64>,
    /// Output samples from now on: `span + overlap` of them.
    ola: Vec<f64>,
    pos: usize,
    info: FrameInfo,
    span: usize,
    /// Samples still to output as silence at the note's start.
    muted: usize,
    /// No frame synthesised yet in this note.
    first: bool,
}

pub(super) fn build(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let input = Fsig::from_input(a.input(0));
    let max_n = input.max_size();
    // Windows up to 4 N, as pvsanal allows when the size is not constant.
    let span = 4 * max_n;
    boxed(Synthesis {
        out: a.out(0),
        input,
        fft: RealFft::new(None, max_n),
        window: vec![0.0; span],
        phase: vec![0.0; max_n / 2 + 1],
        bins: vec![0.0; max_n + 2],
        ola: vec![0.0; span + max_n],
        pos: 0,
        info: FrameInfo::default(),
        span: 0,
        muted: 0,
        first: true,
    })
}

impl Synthesis {
    /// Add the current frame's output, heard from `overlap` samples on.
    fn synthesise(&mut self, sr: f64) {
        let n = self.info.size;
        let d = self.info.overlap;
        self.input.read(&mut self.bins[..n + 2]);
        let to_phase = if self.first {
            0.0
        } else {
            2.0 * PI * d as f64 / sr
        };
        self.first = false;
        for k in 0..=n / 2 {
            let amp = self.bins[2 * k];
            let freq = self.bins[2 * k + 1];
            let mut p = self.phase[k] + freq * to_phase;
            p -= 2.0 * PI * (p / (2.0 * PI)).round();
            self.phase[k] = p;
            self.fft.spectrum[k] = realfft::num_complex::Complex64::from_polar(amp, p);
        }
        self.fft.inverse();
        let span = self.span;
        // Phases advance by each bin's whole frequency, so the unfolding
        // needs no note time: output sample n + d + q takes index
        // (q - d - span) mod N.
        let start = -(d as i64) - span as i64;
        let time = &self.fft.time[..n];
        for q in 0..span {
            let t = (start + q as i64).rem_euclid(n as i64) as usize;
            self.ola[d + q] += time[t] * self.window[q];
        }
    }
}

impl Opcode for Synthesis {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let info = self.input.info();
        let n = info.size;
        if n < 2 {
            return Err(ctx.fail(format_args!(
                "pvsynth: the f-signal has no frames yet (its analysis has not started)"
            )));
        }
        if !self.fft.select(n) {
            return Err(ctx.fail(format_args!(
                "pvsynth: FFT size {n} has no prepared plan (sizes that are not powers \
                 of two must be written as constants)"
            )));
        }
        let d = info.overlap.max(1);
        let m = info.winsize.max(1);
        let span = m.max(n);
        if span > self.window.len() || span + d > self.ola.len() {
            return Err(ctx.fail(format_args!(
                "pvsynth: window size {m} is more than rhapsody reserved ({})",
                self.window.len()
            )));
        }
        // The synthesis window: the analysis shape, scaled (as csound's is)
        // so that the analysis and synthesis windows of the frames that
        // overlap the window's centre, every d samples, multiply and add
        // up to one after the inverse transform's gain of N. Exact
        // everywhere for the von Hann window at overlaps of N/4 and less;
        // at N/2 the gain ripples, the same in both.
        let raw_sum = window::fill(&mut self.window, info.wintype, m, span);
        let centre = (span - m) / 2 + m / 2;
        let mut at_hops = 0.0;
        let mut q = centre % d;
        while q < span {
            at_hops += self.window[q] * self.window[q];
            q += d;
        }
        let gain = n as f64 * 2.0 * at_hops / raw_sum;
        let scale = if gain > 0.0 { 1.0 / gain } else { 0.0 };
        for w in &mut self.window[..span] {
            *w *= scale;
        }
        self.info = FrameInfo {
            overlap: d,
            winsize: m,
            ..info
        };
        self.span = span;
        self.phase.fill(0.0);
        self.ola.fill(0.0);
        self.pos = 0;
        // csound's output stays silent for the chain's whole delay, even
        // when a transformation has spread the first frames' energy over
        // their whole windows.
        self.muted = span + 2 * d;
        self.first = true;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let d = self.info.overlap;
        if d == 0 {
            return Ok(());
        }
        let sr = ctx.rates.sr;
        let len = self.span + d;
        for i in 0..ctx.rates.ksmps {
            if self.pos == 0 {
                self.synthesise(sr);
            }
            if self.muted > 0 {
                self.muted -= 1;
                self.out.set_at(i, 0.0);
            } else {
                self.out.set_at(i, self.ola[self.pos]);
            }
            self.pos += 1;
            if self.pos == d {
                self.ola.copy_within(d..len, 0);
                self.ola[len - d..len].fill(0.0);
                self.pos = 0;
            }
        }
        Ok(())
    }
}
