//! 32-bit float WAV files with the header readers expect: WAVE_FORMAT_EXTENSIBLE
//! with the IEEE float sub-format and the `fact` chunk every non-PCM WAV
//! must carry (hound writes no `fact` chunk; libsndfile writes one).

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

/// KSDATAFORMAT_SUBTYPE_IEEE_FLOAT.
const IEEE_FLOAT_GUID: [u8; 16] = [
    0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71,
];
/// Where the sizes the header learns at the end live.
const RIFF_SIZE_AT: u64 = 4;
const FACT_FRAMES_AT: u64 = 68;
const DATA_SIZE_AT: u64 = 76;
const HEADER_BYTES: u32 = 80;

/// A float WAV being written; [`FloatWav::finalize`] writes the sizes.
pub struct FloatWav {
    out: BufWriter<File>,
    channels: u16,
    data_bytes: u64,
}

/// The speaker mask of the usual layouts (mono: front centre; stereo:
/// front left and right; more: the first n speakers).
fn channel_mask(channels: u16) -> u32 {
    match channels {
        1 => 0x4,
        2 => 0x3,
        n if n <= 18 => (1u32 << n) - 1,
        _ => 0,
    }
}

impl FloatWav {
    pub fn create(path: &Path, channels: u16, sample_rate: u32) -> std::io::Result<FloatWav> {
        let mut out = BufWriter::new(File::create(path)?);
        let block = 4 * u32::from(channels);
        let mut h = Vec::with_capacity(HEADER_BYTES as usize);
        h.extend_from_slice(b"RIFF");
        h.extend_from_slice(&0u32.to_le_bytes());
        h.extend_from_slice(b"WAVE");
        h.extend_from_slice(b"fmt ");
        h.extend_from_slice(&40u32.to_le_bytes());
        h.extend_from_slice(&0xfffeu16.to_le_bytes());
        h.extend_from_slice(&channels.to_le_bytes());
        h.extend_from_slice(&sample_rate.to_le_bytes());
        h.extend_from_slice(&(sample_rate * block).to_le_bytes());
        h.extend_from_slice(&(block as u16).to_le_bytes());
        h.extend_from_slice(&32u16.to_le_bytes()); // container bits
        h.extend_from_slice(&22u16.to_le_bytes()); // extension size
        h.extend_from_slice(&32u16.to_le_bytes()); // valid bits
        h.extend_from_slice(&channel_mask(channels).to_le_bytes());
        h.extend_from_slice(&IEEE_FLOAT_GUID);
        h.extend_from_slice(b"fact");
        h.extend_from_slice(&4u32.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes()); // frames, at the end
        h.extend_from_slice(b"data");
        h.extend_from_slice(&0u32.to_le_bytes()); // bytes, at the end
        debug_assert_eq!(h.len(), HEADER_BYTES as usize);
        out.write_all(&h)?;
        Ok(FloatWav {
            out,
            channels: channels.max(1),
            data_bytes: 0,
        })
    }

    pub fn write_sample(&mut self, x: f32) -> std::io::Result<()> {
        self.out.write_all(&x.to_le_bytes())?;
        self.data_bytes += 4;
        Ok(())
    }

    /// Write the sizes into the header and close the file.
    pub fn finalize(mut self) -> std::io::Result<()> {
        // RIFF sizes are 32 bits: a file past 4 GB says so as best it can.
        let data = u32::try_from(self.data_bytes).unwrap_or(u32::MAX);
        let frames =
            u32::try_from(self.data_bytes / (4 * u64::from(self.channels))).unwrap_or(u32::MAX);
        let riff = data.saturating_add(HEADER_BYTES - 8);
        for (at, value) in [
            (RIFF_SIZE_AT, riff),
            (FACT_FRAMES_AT, frames),
            (DATA_SIZE_AT, data),
        ] {
            self.out.seek(SeekFrom::Start(at))?;
            self.out.write_all(&value.to_le_bytes())?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_extensible_float_with_a_fact_chunk_and_hound_reads_it() {
        let path = std::env::temp_dir().join(format!("rhapsody-float-{}.wav", std::process::id()));
        let mut w = FloatWav::create(&path, 2, 48000).unwrap();
        for x in [0.5f32, -0.5, 0.25, -0.25, 1.0, -1.0] {
            w.write_sample(x).unwrap();
        }
        w.finalize().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[20..22], &0xfffeu16.to_le_bytes());
        assert_eq!(&bytes[44..60], &IEEE_FLOAT_GUID);
        assert_eq!(&bytes[60..64], b"fact");
        assert_eq!(u32::from_le_bytes(bytes[68..72].try_into().unwrap()), 3);
        assert_eq!(u32::from_le_bytes(bytes[76..80].try_into().unwrap()), 24);
        assert_eq!(
            u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize,
            bytes.len() - 8
        );
        let mut r = hound::WavReader::open(&path).unwrap();
        assert_eq!(r.spec().sample_format, hound::SampleFormat::Float);
        let v: Vec<f32> = r.samples::<f32>().map(|s| s.unwrap()).collect();
        assert_eq!(v, vec![0.5, -0.5, 0.25, -0.25, 1.0, -1.0]);
        let _ = std::fs::remove_file(&path);
    }
}
