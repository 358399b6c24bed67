//! The paced silent clock: a thread that calls `render` at real-time pace when there is no device.
//!
//! Buffer `i` is due at `start + i * buffer_period`, computed from the frame
//! count so the clock does not drift. When the thread falls behind by more
//! than one buffer it counts an xrun and restarts its schedule from now,
//! as a device that ran dry would.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::Render;
use super::stats::Stats;

/// A running null clock; dropping it stops and joins the thread.
pub(crate) struct NullClock {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl NullClock {
    /// Starts the clock thread: `buffer_frames` frames of `channels`
    /// interleaved channels per call, paced at `sample_rate`.
    pub(crate) fn start(
        sample_rate: u32,
        channels: u16,
        buffer_frames: u32,
        mut render: Render,
        stats: Arc<Stats>,
    ) -> Result<Self> {
        anyhow::ensure!(sample_rate > 0, "sample rate must be above 0");
        anyhow::ensure!(channels > 0, "channel count must be above 0");
        anyhow::ensure!(buffer_frames > 0, "buffer size must be above 0 frames");
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = Arc::clone(&stop);
        let len = buffer_frames as usize * channels as usize;
        let thread = std::thread::Builder::new()
            .name("rhapsody-null-clock".into())
            .spawn(move || {
                stats
                    .realtime
                    .store(super::priority::promote_current_thread(), Ordering::Relaxed);
                // Allocated once, before the loop; the loop itself never allocates.
                let mut buf = vec![0.0f32; len];
                let frames = u64::from(buffer_frames);
                let period = frames_to_duration(frames, sample_rate);
                let mut base = Instant::now();
                let mut index: u64 = 0;
                while !stop_flag.load(Ordering::Acquire) {
                    let t0 = Instant::now();
                    render(&mut buf);
                    let t1 = Instant::now();
                    stats.record_callback(t0, frames, t1 - t0, period);
                    index += 1;
                    let deadline = base + frames_to_duration(index * frames, sample_rate);
                    if t1.saturating_duration_since(deadline) > period {
                        // More than a buffer behind: a device would have run dry.
                        stats.record_xrun();
                        base = t1;
                        index = 0;
                        continue;
                    }
                    // Sleep until the deadline; `stop` unparks us early.
                    loop {
                        let now = Instant::now();
                        if now >= deadline || stop_flag.load(Ordering::Acquire) {
                            break;
                        }
                        std::thread::park_timeout(deadline - now);
                    }
                }
            })
            .context("cannot start the null clock thread")?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for NullClock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            // A panic inside `render` ended the thread already; nothing to add.
            let _ = thread.join();
        }
    }
}

/// Playing time of `frames` frames at `sample_rate`, exact to the nanosecond.
pub(crate) fn frames_to_duration(frames: u64, sample_rate: u32) -> Duration {
    let ns = u128::from(frames) * 1_000_000_000 / u128::from(sample_rate.max(1));
    Duration::from_nanos(u64::try_from(ns).unwrap_or(u64::MAX))
}
