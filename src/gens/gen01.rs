//! GEN01: a table read from a WAV file (with the `hound` crate).

use super::{
    FileLoop, GenRequest, PValue, TableData, check_deferred_len, numeric_args, table_shape,
};

/// Reads every sample of the file, interleaved, as floats in [-1, 1).
fn read_samples(path: &std::path::Path) -> Result<(hound::WavSpec, Vec<f64>), String> {
    let name = path.display();
    let (spec, samples) =
        read_wav(path).map_err(|e| format!("GEN01 cannot read \"{name}\": {e}"))?;
    Ok((spec, samples))
}

/// Every sample of a WAV file, interleaved, as floats in [-1, 1) (integer
/// samples scaled by their bit depth). Also used by the sound-file opcodes.
pub fn read_wav(path: &std::path::Path) -> Result<(hound::WavSpec, Vec<f64>), String> {
    let (file, bytes) = crate::files::open_regular(path, crate::files::MAX_SOUND_BYTES)?;
    let reader = hound::WavReader::new(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    // The samples are collected into a vector sized from the header's
    // count: a header claiming more than the file holds is refused first.
    let claimed = u64::from(reader.len()) * u64::from(spec.bits_per_sample.div_ceil(8));
    if claimed > bytes {
        return Err(format!(
            "the header claims {} samples, more than the file's {bytes} bytes hold",
            reader.len()
        ));
    }
    let bad = |e: hound::Error| format!("error reading the samples: {e}");
    let samples: Vec<f64> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .map(|s| s.map(f64::from).map_err(bad))
            .collect::<Result<_, _>>()?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f64;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f64 * scale).map_err(bad))
                .collect::<Result<_, _>>()?
        }
    };
    Ok((spec, samples))
}

/// `p5` file name (a number N means "soundin.N"), `p6` skip time in seconds,
/// `p7` format (0 = from the header; the WAV header always decides here),
/// `p8` channel (0 = all, interleaved; n = only channel n).
///
/// Values are the samples in the orchestra's 0dbfs units (±1 when 0dbfs
/// is 1, ±32768 when the orchestra leaves it at its default), as csound's. With size 0 the table holds the
/// whole file after the skip: `(frames + 1) * channels - 1` points (Csound's
/// count, which for several channels includes one extra 0), guard point =
/// first point. With a size, the table (and an extended guard point) is
/// filled from the file and the rest is 0.
pub fn gen01(req: &GenRequest) -> Result<TableData, String> {
    let name = match req.args.first() {
        Some(PValue::Str(s)) => s.clone(),
        Some(PValue::Num(n)) => format!("soundin.{}", n.round() as i64),
        None => return Err("GEN01 needs a file name".into()),
    };
    let rest: Vec<PValue> = req.args.iter().skip(1).cloned().collect();
    let nums = numeric_args(
        &GenRequest {
            table: req.table,
            size: req.size,
            args: &rest,
            sr: req.sr,
            lookup: req.lookup,
            dir: req.dir,
            zero_dbfs: req.zero_dbfs,
        },
        1,
    )?;
    let skip = nums.first().copied().unwrap_or(0.0);
    let format = nums.get(1).copied().unwrap_or(0.0).round() as i64;
    let channel = nums.get(2).copied().unwrap_or(0.0).round() as i64;
    if !(-1..=9).contains(&format) {
        return Err(format!("GEN01: invalid sample format {format} (0 to 9)"));
    }
    if channel < 0 {
        return Err(format!("GEN01: channel {channel} is illegal"));
    }
    let path = super::resolve_file(&name, req.dir);
    let (spec, samples) = read_samples(&path)?;
    let nchans = spec.channels.max(1) as usize;
    if channel as usize > nchans {
        return Err(format!(
            "GEN01: channel {channel} asked for, but \"{name}\" has {nchans}"
        ));
    }
    let skip_frames = if skip > 0.0 {
        // Csound rounds the skip to the nearest frame.
        (skip * spec.sample_rate as f64).round() as usize
    } else {
        0
    };
    let frames = samples.len() / nchans;
    let remaining = frames.saturating_sub(skip_frames);
    let source: Vec<f64> = if channel == 0 {
        samples.get(skip_frames * nchans..).unwrap_or(&[]).to_vec()
    } else {
        samples
            .iter()
            .skip(skip_frames * nchans + channel as usize - 1)
            .step_by(nchans)
            .copied()
            .collect()
    };
    let out_chans = if channel == 0 { nchans } else { 1 };
    let (len, deferred) = match table_shape(req.size) {
        None => (
            check_deferred_len(1, (remaining + 1) * out_chans - 1)?,
            true,
        ),
        Some(shape) => (shape?.0, false),
    };
    if len == 0 {
        return Err(format!("GEN01: \"{name}\" has no samples after the skip"));
    }
    let mut data = vec![0.0; len + 1];
    // A deferred table reads `len` points and copies the first to the guard
    // point; a sized one reads the guard point from the file too.
    let reads = if deferred { len } else { len + 1 };
    for (p, v) in data.iter_mut().zip(source.iter()).take(reads) {
        *p = *v * req.zero_dbfs;
    }
    if deferred {
        data[len] = data[0];
    }
    Ok(TableData {
        data,
        len,
        sample_rate: Some(spec.sample_rate as f64),
        channels: out_chans as u32,
        loops: read_sampler_loops(&path, skip_frames),
    })
}

/// The first two loops of a WAV file's sampler (`smpl`) chunk, moved by
/// the skipped frames; none when the file has no such chunk or it is
/// malformed (the loops are a hint for `loscil`, never an error). WAV loop
/// type 0 (forward) becomes `loscil` mode 1; types 1 (alternating) and 2
/// (backward) become mode 2, forward and backward, as csound plays them
/// (measured). The chunk's end frame is the last frame played, so the loop
/// ends one frame after it.
fn read_sampler_loops(path: &std::path::Path, skip_frames: usize) -> [Option<FileLoop>; 2] {
    let mut loops = [None; 2];
    let Some(body) = sampler_chunk(path) else {
        return loops;
    };
    let word = |at: usize| -> Option<u32> {
        body.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let count = word(28).unwrap_or(0) as usize;
    for (k, slot) in loops.iter_mut().enumerate().take(count.min(2)) {
        let entry = 36 + 24 * k;
        let (Some(kind), Some(start), Some(end)) =
            (word(entry + 4), word(entry + 8), word(entry + 12))
        else {
            break;
        };
        let mode = match kind {
            0 => 1,
            1 | 2 => 2,
            _ => continue,
        };
        let begin = (start as f64 - skip_frames as f64).max(0.0);
        let end = end as f64 + 1.0 - skip_frames as f64;
        if end > begin {
            *slot = Some(FileLoop { mode, begin, end });
        }
    }
    loops
}

/// The body of a WAV file's `smpl` chunk, found by walking the chunk
/// headers (seeking past the others, so the samples, which hound has
/// already read, are not read again).
fn sampler_chunk(path: &std::path::Path) -> Option<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).ok()?;
    let mut header = [0u8; 12];
    file.read_exact(&mut header).ok()?;
    if &header[0..4] != b"RIFF" || &header[8..12] != b"WAVE" {
        return None;
    }
    // Chunks follow the 12-byte RIFF header, each padded to an even size.
    let mut chunk = [0u8; 8];
    while file.read_exact(&mut chunk).is_ok() {
        let size = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]) as u64;
        if &chunk[0..4] == b"smpl" {
            let mut body = Vec::new();
            file.take(size).read_to_end(&mut body).ok()?;
            return Some(body);
        }
        file.seek(SeekFrom::Current((size + (size & 1)) as i64))
            .ok()?;
    }
    None
}
