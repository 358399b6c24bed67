//! The input a performance reads (`-i`): opens what the flag names and hands
//! the engine an [`AudioInput`] for it. A file is read whole here, on the
//! control side, and played from memory, block by block, on either clock.

use std::path::Path;

use crate::audio::input::{InputFile, read_input_file};
use crate::engine::context::Rates;
use crate::engine::input::AudioInput;

/// A WAV file played into the input bus from its first sample. As csound
/// does, the file's samples are taken in order as `nchnls_i`-channel frames
/// whatever the file's own channel count and rate (both only warned about),
/// and after its end the input is silent.
pub struct FileInput {
    samples: Vec<f32>,
    next: usize,
}

impl AudioInput for FileInput {
    fn read(&mut self, spin: &mut [f64], zero_dbfs: f64) {
        let available = self.samples.len().saturating_sub(self.next).min(spin.len());
        let (from_file, after_end) = spin.split_at_mut(available);
        for (s, &x) in from_file.iter_mut().zip(&self.samples[self.next..]) {
            *s = f64::from(x) * zero_dbfs;
        }
        after_end.fill(0.0);
        self.next += available;
    }
}

/// Open the input file `name` (resolved as csound resolves a CSD's sound
/// files: as given, then in the CSD's directory `dir`, then `$SSDIR`,
/// `$SFDIR`) for an orchestra with `rates`. Returns the input and csound's
/// warnings about a channel count or sample rate that differ.
pub fn open_file_input(
    name: &str,
    dir: Option<&Path>,
    rates: &Rates,
) -> Result<(FileInput, Vec<String>), String> {
    let path = crate::gens::resolve_file(name, dir);
    let InputFile {
        samples,
        channels,
        sample_rate,
    } = read_input_file(&path)?;
    let mut warnings = Vec::new();
    if channels != rates.nchnls_i {
        warnings.push(format!(
            "audio_in {name} has {channels} chnls, orch {} chnls_i",
            rates.nchnls_i
        ));
    }
    if f64::from(sample_rate) != rates.sr {
        warnings.push(format!(
            "audio_in {name} has sr = {sample_rate}, orch sr = {}",
            rates.sr
        ));
    }
    Ok((FileInput { samples, next: 0 }, warnings))
}

/// The sound card's input (`-i adc`): samples the device's input callback
/// pushed into a lock-free ring, taken one block at a time. When the ring
/// runs short (the input stream started late or stalled) the rest of the
/// block is silence and the missing samples are counted.
pub struct DeviceInput {
    ring: ringbuf::HeapCons<f32>,
    missing: u64,
}

impl DeviceInput {
    pub fn new(ring: ringbuf::HeapCons<f32>) -> DeviceInput {
        DeviceInput { ring, missing: 0 }
    }
}

impl AudioInput for DeviceInput {
    fn read(&mut self, spin: &mut [f64], zero_dbfs: f64) {
        use ringbuf::traits::Consumer;
        for s in spin.iter_mut() {
            *s = match self.ring.try_pop() {
                Some(x) => f64::from(x) * zero_dbfs,
                None => {
                    self.missing += 1;
                    0.0
                }
            };
        }
    }

    fn shortfall(&self) -> u64 {
        self.missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_input_reads_in_order_then_is_silent() {
        let mut input = FileInput {
            samples: vec![0.5, -0.25, 1.0],
            next: 0,
        };
        let mut spin = [9.0; 2];
        input.read(&mut spin, 2.0);
        assert_eq!(spin, [1.0, -0.5]);
        input.read(&mut spin, 2.0);
        assert_eq!(spin, [2.0, 0.0]);
        input.read(&mut spin, 2.0);
        assert_eq!(spin, [0.0, 0.0]);
    }
}
