//! `vco`: the older analog-modelled oscillator. A band-limited impulse
//! train (the `buzz` sum, as many harmonics as fit below `sr * inyx`) is
//! integrated by a leaky integrator into a sawtooth; for the square/PWM and
//! triangle waves the train minus a copy of itself delayed by `kpw` of a
//! period (an interpolating delay line `imaxd` seconds long) is integrated
//! once (square) or twice (triangle).
//!
//! As csound 6.18 (measured): the impulse train keeps `buzz`'s fixed-point
//! phase (half the fundamental's phase, no interpolation); the harmonic
//! count is taken from the frequency at the start of each block; with an
//! audio-rate frequency each sample's phase step is the previous sample's
//! frequency; the integrators start at -0.5 (saw) or 0 and the outputs are
//! scaled by 1.5 (saw), 1.9 around `kpw - 0.5` (square), and by
//! `cps / (0.42 sr (0.05 + kpw - kpw^2))` (triangle).

use super::buzz::{CYCLE, MASK, at_multiple, checked_table};
use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// The waveform `iwave` selects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wave {
    Saw,
    Square,
    Triangle,
}

/// `ares vco xamp, xcps, iwave, kpw [, ifn] [, imaxd] [, ileak] [, inyx]
/// [, iphs] [, iskip]`.
struct Vco {
    out: Output,
    amp: Input,
    cps: Input,
    wave_arg: Input,
    width: Input,
    table: Input,
    max_delay: Input,
    leak_arg: Input,
    nyquist: Input,
    iphase: Input,
    skip: Input,
    samples: usize,
    wave: Wave,
    leak: f64,
    /// Phase of half the fundamental, in 1/2^28 of a cycle.
    phase: i64,
    /// The first and second integrators' last outputs.
    y1: f64,
    y2: f64,
    /// The delay line for the square and triangle waves, `delay_len` long.
    delay: Vec<f64>,
    delay_len: usize,
    write: usize,
}

fn build_vco(a: &Args) -> Result<Box<dyn Opcode>, String> {
    // The delay line's storage is set aside here when imaxd is a constant
    // (it is when left out: 1 second), so init need not allocate.
    let planned = a
        .constant(5)
        .map(|d| (d * a.scope.sr).max(1.0) as usize)
        .filter(|&n| n <= super::delays::MAX_DELAY_SAMPLES)
        .unwrap_or(0);
    boxed(Vco {
        out: a.out(0),
        amp: a.input(0),
        cps: a.input(1),
        wave_arg: a.input(2),
        width: a.input(3),
        table: a.input(4),
        max_delay: a.input(5),
        leak_arg: a.input(6),
        nyquist: a.input(7),
        iphase: a.input(8),
        skip: a.input(9),
        samples: a.ksmps,
        wave: Wave::Saw,
        leak: 0.999,
        phase: 0,
        y1: 0.0,
        y2: 0.0,
        delay: vec![0.0; planned],
        delay_len: 0,
        write: 0,
    })
}

impl Opcode for Vco {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        checked_table(ctx, "vco", self.table.get())?;
        // Any iwave other than 2 or 3 plays the sawtooth, as in csound.
        let wave = self.wave_arg.get();
        self.wave = if wave == 2.0 {
            Wave::Square
        } else if wave == 3.0 {
            Wave::Triangle
        } else {
            Wave::Saw
        };
        let iphs = self.iphase.get();
        if iphs >= 0.0 {
            self.phase = ((iphs * 0.5 * CYCLE as f64) as i64) & MASK;
        } else {
            ctx.warn(format_args!("vco: negative iphs {iphs}, phase set to 0"));
            self.phase = 0;
        }
        let keep = self.skip.get() != 0.0;
        if !keep {
            self.y1 = if self.wave == Wave::Saw { -0.5 } else { 0.0 };
            self.y2 = 0.0;
        }
        let len = ((self.max_delay.get() * ctx.rates.sr) as i64).max(1) as usize;
        if len > super::delays::MAX_DELAY_SAMPLES {
            return Err(ctx.fail(format_args!(
                "vco: imaxd gives a delay of {len} samples, beyond the limit of {}",
                super::delays::MAX_DELAY_SAMPLES
            )));
        }
        if len > self.delay.len() {
            if !ctx.may_allocate {
                return Err(ctx.fail(format_args!(
                    "vco: a delay of {len} samples needs a buffer allocated on the audio thread; \
                     give imaxd as a constant for live performance"
                )));
            }
            self.delay.resize(len, 0.0);
        }
        if !(keep && len == self.delay_len) {
            self.delay[..len].fill(0.0);
        }
        self.delay_len = len;
        self.write = 0;
        let leak = self.leak_arg.get();
        self.leak = if leak > 0.0 && leak < 1.0 {
            leak
        } else if self.wave == Wave::Triangle {
            0.995
        } else {
            0.999
        };
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let sr = ctx.rates.sr;
        let to_fixed = CYCLE as f64 / sr * 0.5;
        let (table, lobits) = checked_table(ctx, "vco", self.table.get())?;
        let mut cps = self.cps.at(0);
        // As many harmonics as fit below sr * inyx at the block's frequency.
        let harmonics = sr * self.nyquist.get() / cps;
        let n = if harmonics.is_finite() && harmonics >= 1.0 {
            harmonics.min(i32::MAX as f64) as i64
        } else {
            1
        };
        let twice_n_plus_1 = 2 * n + 1;
        let over_2n = 0.5 / n as f64;
        // Where the sum's denominator is this small the peak value 1 is
        // used. The square wave uses the sum much closer to its peak than
        // the others (measured: a table step from zero, about 1e-4 in a
        // 65536-point sine, is summed there and not in the saw or triangle).
        let near_zero = if self.wave == Wave::Square {
            1e-5
        } else {
            0.0002
        };
        let width = self.width.get();
        let leak = self.leak;
        let len = self.delay_len;
        let cps_audio = self.cps.is_audio();
        // Within a block an audio-rate frequency steps the phase one sample
        // late; the block's first sample uses the block's first value.
        let mut step = (cps * to_fixed) as i64;
        let mut phase = self.phase;
        for i in 0..self.samples {
            let index = phase >> lobits;
            let denom = at_multiple(table, index, 1);
            let pulse = if denom.abs() > near_zero {
                (at_multiple(table, index, twice_n_plus_1) / denom - 1.0) * over_2n
            } else {
                1.0
            };
            phase = (phase + step) & MASK;
            if cps_audio {
                cps = self.cps.at(i);
                step = (cps * to_fixed) as i64;
            }
            let amp = self.amp.at(i);
            let v = match self.wave {
                Wave::Saw => {
                    self.y1 = pulse + leak * self.y1;
                    self.y1 * 1.5 * amp
                }
                Wave::Square | Wave::Triangle => {
                    let delayed = self.delayed(pulse, sr * width / cps, len);
                    let square = pulse - delayed + leak * self.y1;
                    self.y1 = square;
                    if self.wave == Wave::Square {
                        (square + width - 0.5) * 1.9 * amp
                    } else {
                        let tri = square + leak * self.y2;
                        self.y2 = tri;
                        tri * amp * cps / (sr * 0.42 * (0.05 + width - width * width))
                    }
                }
            };
            self.out.set_at(i, v);
        }
        self.phase = phase;
        Ok(())
    }
}

impl Vco {
    /// Write `pulse` into the delay line and read it back `lag` samples
    /// ago, interpolating linearly (the line wraps at `len`).
    #[inline]
    fn delayed(&mut self, pulse: f64, lag: f64, len: usize) -> f64 {
        self.delay[self.write] = pulse;
        let at = self.write as f64 - lag;
        let whole = at.floor();
        let frac = at - whole;
        let len_i = len as i64;
        let a = if whole.is_finite() {
            (whole as i64).rem_euclid(len_i) as usize
        } else {
            0
        };
        let b = if a + 1 < len { a + 1 } else { 0 };
        let v = self.delay[a] + frac * (self.delay[b] - self.delay[a]);
        self.write += 1;
        if self.write == len {
            self.write = 0;
        }
        v
    }
}

pub const SPECS: &[OpcodeSpec] = &[spec(
    "vco",
    "a",
    "xxiVppovoo",
    Pass::Both,
    build_vco,
    "analog-style saw, square/PWM or triangle from an integrated band-limited impulse train",
)];
