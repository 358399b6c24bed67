//! `pvsifd`: instantaneous-frequency analysis (Lazzarini et al., ICMC
//! 2005) into two f-signals, (amplitude, frequency) and (amplitude, phase).
//!
//! Measured against csound 6.18 (sines analysed, frames read back with
//! `pvs2tab`):
//! - every `hop` samples the last N samples are windowed by a symmetric
//!   window (`0.5 - 0.5 cos(2 pi n / (N - 1))` for von Hann, Hamming's
//!   `0.54 - 0.46 cos` likewise); the first frame comes at sample `hop`,
//!   with zeros before the note;
//! - amplitudes are `|X(k)|` over the window's sum (a sinusoid of
//!   amplitude A shows A/2), times `iscal`; bin 0 and Nyquist keep the sign
//!   of their real part;
//! - the frequency of bin k is `k sr / N - sr/(2 pi) Im(Xd(k) X*(k)) /
//!   |X(k)|^2`, where `Xd` is the transform through the window's forward
//!   difference `w(n + 1) - w(n)`;
//! - the phase is measured from the window's centre (`arg X(k) + k pi`).

use std::f64::consts::PI;

use realfft::num_complex::Complex64;

use super::fft::RealFft;
use super::frame::{FrameInfo, Fsig, MAX_SIZE, format};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;
use crate::opcodes::{Args, Opcode, boxed};

struct Ifd {
    freqs: Fsig,
    phases: Fsig,
    input: Input,
    size: Input,
    hop: Input,
    wintype: Input,
    scale: Input,
    fft: RealFft,
    window: Vec<f64>,
    diff: Vec<f64>,
    /// The transform through `diff`, kept while the window's is taken.
    spectrum_diff: Vec<Complex64>,
    /// The last N input samples, the oldest at `head`.
    history: Vec<f64>,
    head: usize,
    amps: Vec<f64>,
    frame: Vec<f64>,
    info: FrameInfo,
    sample: u64,
    count: u64,
    norm: f64,
}

pub(super) fn build(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let freqs = Fsig::from_output(a.out(0));
    let phases = Fsig::from_output(a.out(1));
    let max_n = freqs.max_size().min(phases.max_size());
    let exact = a
        .constant(1)
        .filter(|n| *n >= 2.0 && *n <= MAX_SIZE as f64)
        .map(|n| n as usize);
    if let Some(n) = exact
        && !n.is_power_of_two()
    {
        return Err(format!("pvsifd: FFT size {n} must be a power of two"));
    }
    boxed(Ifd {
        freqs,
        phases,
        input: a.input(0),
        size: a.input(1),
        hop: a.input(2),
        wintype: a.input(3),
        scale: a.input(4),
        fft: RealFft::new(exact, max_n),
        window: vec![0.0; max_n],
        diff: vec![0.0; max_n],
        spectrum_diff: vec![Complex64::new(0.0, 0.0); max_n / 2 + 1],
        history: vec![0.0; max_n],
        head: 0,
        amps: vec![0.0; max_n / 2 + 1],
        frame: vec![0.0; max_n + 2],
        info: FrameInfo::default(),
        sample: 0,
        count: 0,
        norm: 0.0,
    })
}

impl Ifd {
    fn analyse(&mut self, sr: f64) {
        let n = self.info.size;
        let scale = self.scale.get();
        for pass in 0..2 {
            let w = if pass == 0 { &self.diff } else { &self.window };
            for (q, (t, w)) in self.fft.time[..n].iter_mut().zip(w).enumerate() {
                *t = self.history[(self.head + q) % n] * w;
            }
            self.fft.forward();
            if pass == 0 {
                self.spectrum_diff[..=n / 2].copy_from_slice(&self.fft.spectrum[..=n / 2]);
            }
        }
        let bin_hz = sr / n as f64;
        let to_hz = sr / (2.0 * PI);
        for k in 0..=n / 2 {
            let x = self.fft.spectrum[k];
            let power = x.norm_sqr();
            let (amp, freq) = if k == 0 || k == n / 2 {
                (x.re * self.norm, 0.0)
            } else {
                let xd = self.spectrum_diff[k];
                let freq = if power > 0.0 {
                    k as f64 * bin_hz - to_hz * (xd * x.conj()).im / power
                } else {
                    k as f64 * bin_hz
                };
                (power.sqrt() * self.norm, freq)
            };
            self.amps[k] = amp * scale;
            self.frame[2 * k] = amp * scale;
            self.frame[2 * k + 1] = freq;
        }
        self.count += 1;
        self.freqs.write(&self.frame[..n + 2]);
        self.freqs.set_count(self.count);
        for k in 0..=n / 2 {
            let x = self.fft.spectrum[k];
            let phase = if k == 0 || k == n / 2 {
                0.0
            } else {
                let mut p = x.im.atan2(x.re) + k as f64 * PI;
                p -= 2.0 * PI * ((p + PI) / (2.0 * PI)).floor();
                p
            };
            self.frame[2 * k] = self.amps[k];
            self.frame[2 * k + 1] = phase;
        }
        self.phases.write(&self.frame[..n + 2]);
        self.phases.set_count(self.count);
    }
}

impl Opcode for Ifd {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.size.get();
        let hop = self.hop.get();
        let max_n = self.window.len();
        if !(n >= 4.0 && (n as usize).is_power_of_two() && n as usize <= max_n) {
            return Err(ctx.fail(format_args!(
                "pvsifd: FFT size {n} must be a power of two from 4 to {max_n} (write the \
                 size as a constant to reserve more)"
            )));
        }
        let n = n as usize;
        if !self.fft.select(n) {
            return Err(ctx.fail(format_args!("pvsifd: no FFT plan of size {n}")));
        }
        if !(hop >= 1.0 && (hop as usize) <= n && n.is_multiple_of(hop as usize)) {
            return Err(ctx.fail(format_args!(
                "pvsifd: the hop size {hop} must divide the FFT size {n}"
            )));
        }
        let wintype = self.wintype.get() as i32;
        let m = (n - 1) as f64;
        let (a0, a1) = if wintype == 0 {
            (0.54, 0.46)
        } else {
            (0.5, 0.5)
        };
        let mut sum = 0.0;
        for q in 0..n {
            self.window[q] = a0 - a1 * (2.0 * PI * q as f64 / m).cos();
            sum += self.window[q];
        }
        for q in 0..n {
            let next = if q + 1 < n { self.window[q + 1] } else { 0.0 };
            self.diff[q] = next - self.window[q];
        }
        self.norm = 1.0 / sum;
        self.info = FrameInfo {
            size: n,
            overlap: hop as usize,
            winsize: n,
            wintype,
            format: format::AMP_FREQ,
        };
        self.freqs.reset(&self.info);
        self.phases.reset(&FrameInfo {
            format: format::AMP_PHASE,
            ..self.info
        });
        self.history[..n].fill(0.0);
        self.head = 0;
        self.sample = 0;
        self.count = 0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.info.size;
        let hop = self.info.overlap as u64;
        if n == 0 {
            return Ok(());
        }
        let sr = ctx.rates.sr;
        for i in 0..ctx.rates.ksmps {
            self.history[self.head] = self.input.at(i);
            self.head = (self.head + 1) % n;
            self.sample += 1;
            if self.sample.is_multiple_of(hop) {
                self.analyse(sr);
            }
        }
        Ok(())
    }
}
