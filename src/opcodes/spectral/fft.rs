//! Real FFTs for the spectral opcodes, planned off the audio thread.
//!
//! A note's FFT size is known for sure only when its init runs, and init
//! runs on the audio thread, where nothing may be planned or allocated. So
//! an opcode is built (on the control side) with a [`RealFft`] that holds
//! plans for every size it may be asked for: the size written as a constant
//! when there is one, else every power of two up to the f-signal's capacity
//! (plans are shared through one planner, so each size is planned once per
//! process), and scratch space for the largest of them.

use std::sync::{Arc, Mutex, OnceLock};

use realfft::num_complex::Complex64;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};

fn planner() -> &'static Mutex<RealFftPlanner<f64>> {
    static PLANNER: OnceLock<Mutex<RealFftPlanner<f64>>> = OnceLock::new();
    PLANNER.get_or_init(|| Mutex::new(RealFftPlanner::new()))
}

/// Forward and inverse plans for one size.
struct Plan {
    size: usize,
    forward: Arc<dyn RealToComplex<f64>>,
    inverse: Arc<dyn ComplexToReal<f64>>,
}

/// Real FFTs of the sizes one opcode may use, with their buffers: a time
/// buffer of `size` samples and a spectrum of `size / 2 + 1` bins.
pub struct RealFft {
    plans: Vec<Plan>,
    current: usize,
    /// Time-domain samples (input of `forward`, output of `inverse`).
    pub time: Vec<f64>,
    /// Spectrum (output of `forward`, input of `inverse`).
    pub spectrum: Vec<Complex64>,
    scratch: Vec<Complex64>,
}

impl RealFft {
    /// Plans for `exact` when the size is known, else for every power of two
    /// from 2 up to `max`, and `max` itself (an f-signal's capacity is the
    /// constant size its analysis was given). Call off the audio thread.
    pub fn new(exact: Option<usize>, max: usize) -> RealFft {
        let sizes: Vec<usize> = match exact {
            Some(n) => vec![n],
            None => {
                let mut sizes: Vec<usize> = (1..usize::BITS)
                    .map(|b| 1usize << b)
                    .take_while(|&n| n <= max)
                    .collect();
                if max >= 2 && !max.is_power_of_two() && max.is_multiple_of(2) {
                    sizes.push(max);
                }
                sizes
            }
        };
        let mut planner = planner().lock().unwrap_or_else(|e| e.into_inner());
        let plans: Vec<Plan> = sizes
            .iter()
            .map(|&size| Plan {
                size,
                forward: planner.plan_fft_forward(size),
                inverse: planner.plan_fft_inverse(size),
            })
            .collect();
        drop(planner);
        let largest = sizes.iter().copied().max().unwrap_or(2);
        let scratch = plans
            .iter()
            .map(|p| p.forward.get_scratch_len().max(p.inverse.get_scratch_len()))
            .max()
            .unwrap_or(0);
        RealFft {
            plans,
            current: 0,
            time: vec![0.0; largest],
            spectrum: vec![Complex64::new(0.0, 0.0); largest / 2 + 1],
            scratch: vec![Complex64::new(0.0, 0.0); scratch],
        }
    }

    /// Choose the size for this note (init, audio thread: no allocation).
    /// False when no plan of that size was prepared.
    pub fn select(&mut self, size: usize) -> bool {
        match self.plans.iter().position(|p| p.size == size) {
            Some(i) => {
                self.current = i;
                true
            }
            None => false,
        }
    }

    pub fn size(&self) -> usize {
        self.plans.get(self.current).map_or(0, |p| p.size)
    }

    /// `time[..size]` -> `spectrum[..size/2+1]` (unnormalised: a sum over
    /// the samples; `time` is used as scratch and left undefined).
    pub fn forward(&mut self) {
        let Some(plan) = self.plans.get(self.current) else {
            return;
        };
        let n = plan.size;
        // Lengths are right by construction; an error cannot happen, and
        // there is nothing better to do on the audio path than skip.
        let _ = plan.forward.process_with_scratch(
            &mut self.time[..n],
            &mut self.spectrum[..n / 2 + 1],
            &mut self.scratch,
        );
    }

    /// `spectrum[..size/2+1]` -> `time[..size]` (unnormalised: a forward
    /// then inverse transform multiplies by `size`). The imaginary parts of
    /// the 0 Hz and Nyquist bins are ignored; `spectrum` is used as scratch.
    pub fn inverse(&mut self) {
        let Some(plan) = self.plans.get(self.current) else {
            return;
        };
        let n = plan.size;
        self.spectrum[0].im = 0.0;
        self.spectrum[n / 2].im = 0.0;
        let _ = plan.inverse.process_with_scratch(
            &mut self.spectrum[..n / 2 + 1],
            &mut self.time[..n],
            &mut self.scratch,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_then_inverse_scales_by_the_size() {
        let mut fft = RealFft::new(None, 64);
        assert!(fft.select(16));
        assert!(!fft.select(12));
        for (i, x) in fft.time.iter_mut().take(16).enumerate() {
            *x = (i as f64 * 0.7).sin();
        }
        let before: Vec<f64> = fft.time[..16].to_vec();
        fft.forward();
        fft.inverse();
        for (a, b) in before.iter().zip(&fft.time[..16]) {
            assert!((a * 16.0 - b).abs() < 1e-9);
        }
    }
}
