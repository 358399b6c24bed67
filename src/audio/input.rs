//! Audio input, every source: a WAV file read whole (`-i FILE`, offline or
//! live) and a sound card's input stream (`-i adc`) feeding a lock-free
//! ring. Like the rest of this module it knows nothing about the engine:
//! it hands out interleaved `f32` samples in [-1, 1].

use std::path::Path;

/// A WAV file's samples, interleaved as in the file, in [-1, 1].
pub struct InputFile {
    pub samples: Vec<f32>,
    pub channels: usize,
    pub sample_rate: u32,
}

/// Read the whole of `path` (a regular WAV file of at most
/// [`crate::files::MAX_SOUND_BYTES`]): integer samples are scaled by their
/// bit depth, as csound's reader does.
pub fn read_input_file(path: &Path) -> Result<InputFile, String> {
    let name = path.display();
    let why = |e: String| format!("cannot read the input file {name}: {e}");
    let (file, bytes) =
        crate::files::open_regular(path, crate::files::MAX_SOUND_BYTES).map_err(why)?;
    let reader =
        hound::WavReader::new(std::io::BufReader::new(file)).map_err(|e| why(e.to_string()))?;
    let spec = reader.spec();
    let count = u64::from(reader.len());
    // A header claiming more samples than the file holds is refused before
    // anything is reserved for them.
    if count * u64::from(spec.bits_per_sample.div_ceil(8)) > bytes {
        return Err(why(format!(
            "the header claims {count} samples, more than the file's {bytes} bytes hold"
        )));
    }
    let mut samples: Vec<f32> = Vec::new();
    samples
        .try_reserve_exact(count as usize)
        .map_err(|_| why(format!("not enough memory for {count} samples")))?;
    let bad = |e: hound::Error| why(format!("error reading the samples: {e}"));
    match spec.sample_format {
        hound::SampleFormat::Float => {
            for s in reader.into_samples::<f32>() {
                samples.push(s.map_err(bad)?);
            }
        }
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f64;
            for s in reader.into_samples::<i32>() {
                samples.push((s.map_err(bad)? as f64 * scale) as f32);
            }
        }
    }
    Ok(InputFile {
        samples,
        channels: usize::from(spec.channels),
        sample_rate: spec.sample_rate,
    })
}
