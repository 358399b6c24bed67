//! The last seconds of the engine's output, kept on the control side for
//! `draw_output`: a fixed ring of interleaved frames (full scale = 1.0).
//!
//! Live, the relay thread fills it from the driver's scope tap (the audio
//! thread only copies into a lock-free queue); offline, the session fills it
//! from each rendered block. Memory is allocated once, when a CSD is loaded.

use super::sample::to_f32;

/// Seconds of output a session keeps for `draw_output`.
pub const OUTPUT_RING_SECONDS: f64 = 10.0;

/// A ring of interleaved `f32` frames.
pub struct OutputRing {
    channels: usize,
    sample_rate: f64,
    data: Vec<f32>,
    /// Next sample index to write (always a multiple of `channels`).
    write: usize,
    /// Samples held so far (at most `data.len()`).
    filled: usize,
    /// Score time (s) at the end of the last frame written, if known.
    end_time: f64,
}

/// A copy of the last frames: one vector per channel.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputClip {
    pub channels: Vec<Vec<f64>>,
    pub sample_rate: f64,
    /// Score time (s) at the end of the clip.
    pub end_time: f64,
}

impl OutputRing {
    /// A ring holding `seconds` of `channels` channels at `sample_rate`.
    pub fn new(channels: usize, sample_rate: f64, seconds: f64) -> OutputRing {
        let channels = channels.max(1);
        let frames = (sample_rate.max(1.0) * seconds.max(0.0)).ceil() as usize;
        OutputRing {
            channels,
            sample_rate,
            data: vec![0.0; frames.max(1) * channels],
            write: 0,
            filled: 0,
            end_time: 0.0,
        }
    }

    /// Seconds the ring can hold.
    pub fn capacity_seconds(&self) -> f64 {
        (self.data.len() / self.channels) as f64 / self.sample_rate
    }

    /// Append interleaved samples already at full scale 1.0 (a partial
    /// frame at the end is kept and completed by the next call).
    pub fn push(&mut self, samples: &[f32]) {
        self.push_with(samples, |x| x);
    }

    /// Append interleaved samples in the orchestra's units, dividing by `zero_dbfs`.
    pub fn push_scaled(&mut self, samples: &[f64], zero_dbfs: f64) {
        let scale = 1.0 / zero_dbfs;
        self.push_with(samples, |x| to_f32(x, scale));
    }

    /// Append `samples` converted by `convert`, in at most two runs (up to
    /// the end of the ring, then from its start): an index wrapped with `%`
    /// per sample was a division per sample, 2% of an offline render.
    fn push_with<T: Copy>(&mut self, samples: &[T], convert: impl Fn(T) -> f32) {
        let len = self.data.len();
        // Only the last `len` samples can stay; the others would have been
        // written over, but still move the write position.
        let skipped = samples.len().saturating_sub(len);
        self.write = (self.write + skipped) % len;
        let mut rest = &samples[skipped..];
        while !rest.is_empty() {
            let run = rest.len().min(len - self.write);
            let (now, later) = rest.split_at(run);
            for (slot, &x) in self.data[self.write..self.write + run].iter_mut().zip(now) {
                *slot = convert(x);
            }
            self.write = (self.write + run) % len;
            rest = later;
        }
        self.filled = (self.filled + samples.len()).min(len);
    }

    /// Note the score time at the end of what was written so far.
    pub fn set_end_time(&mut self, seconds: f64) {
        self.end_time = seconds;
    }

    /// The last `seconds` (or as much as is held), one vector per channel;
    /// `None` when nothing has been played yet.
    pub fn last(&self, seconds: f64) -> Option<OutputClip> {
        // Only whole frames, ending at the last complete one (a frame being
        // written over is neither old nor new: left out).
        let partial = self.write % self.channels;
        let end = self.write - partial;
        let available = (self.filled - partial) / self.channels;
        let frames = ((seconds.max(0.0) * self.sample_rate).round() as usize).min(available);
        if frames == 0 {
            return None;
        }
        let len = self.data.len();
        let start = (end + len - frames * self.channels) % len;
        let mut channels = vec![Vec::with_capacity(frames); self.channels];
        for f in 0..frames {
            for (c, ch) in channels.iter_mut().enumerate() {
                ch.push(f64::from(self.data[(start + f * self.channels + c) % len]));
            }
        }
        Some(OutputClip {
            channels,
            sample_rate: self.sample_rate,
            end_time: self.end_time,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_frames_in_order() {
        let mut r = OutputRing::new(2, 4.0, 1.0); // 4 frames
        assert!(r.last(1.0).is_none());
        r.push(&[1.0, -1.0, 2.0, -2.0]);
        let c = r.last(10.0).unwrap();
        assert_eq!(c.channels, vec![vec![1.0, 2.0], vec![-1.0, -2.0]]);
        r.push(&[3.0, -3.0, 4.0, -4.0, 5.0, -5.0]);
        let c = r.last(1.0).unwrap();
        assert_eq!(c.channels[0], vec![2.0, 3.0, 4.0, 5.0]);
        let c = r.last(0.5).unwrap();
        assert_eq!(c.channels[1], vec![-4.0, -5.0]);
        r.push_scaled(&[12.0, -12.0], 2.0);
        assert_eq!(r.last(0.25).unwrap().channels, vec![vec![6.0], vec![-6.0]]);
    }

    #[test]
    fn more_than_the_ring_holds_keeps_the_last_frames() {
        // 3 frames of 2 channels; 7 frames pushed at once, then 2 more.
        let mut r = OutputRing::new(2, 3.0, 1.0);
        let frames: Vec<f32> = (1..=7).flat_map(|f| [f as f32, -f as f32]).collect();
        r.push(&frames);
        assert_eq!(r.last(1.0).unwrap().channels[0], vec![5.0, 6.0, 7.0]);
        r.push(&[8.0, -8.0, 9.0, -9.0]);
        assert_eq!(r.last(1.0).unwrap().channels[1], vec![-7.0, -8.0, -9.0]);
    }

    #[test]
    fn a_partial_frame_is_not_shown() {
        let mut r = OutputRing::new(2, 4.0, 1.0);
        r.push(&[1.0, -1.0, 2.0]);
        assert_eq!(r.last(1.0).unwrap().channels, vec![vec![1.0], vec![-1.0]]);
        r.push(&[-2.0]);
        assert_eq!(r.last(1.0).unwrap().channels[1], vec![-1.0, -2.0]);
    }
}
