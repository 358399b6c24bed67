//! Lock-free counters the audio callback updates: callbacks, frames, xruns and callback load.
//!
//! Every field is an atomic so the audio thread only does relaxed stores and
//! adds; readers take a [`StatsSnapshot`] whenever they like.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// Number of load histogram buckets; bucket `i` counts callbacks whose load
/// was in `[i*10%, (i+1)*10%)`, the last one also takes everything above 90%.
pub const LOAD_BUCKETS: usize = 10;

/// Counters shared between the audio thread (writer) and anyone who wants to
/// look (readers). All updates are relaxed atomics: no locks, no allocation.
#[derive(Debug)]
pub struct Stats {
    /// Buffer under/overruns: reported by the device, or detected by the null
    /// clock when it falls more than one buffer behind.
    pub xruns: AtomicU64,
    /// Stream errors other than xruns (counted, not acted upon).
    pub errors: AtomicU64,
    /// Whether the rendering thread runs with real-time scheduling
    /// (granted by the system, see `audio::priority`).
    pub realtime: AtomicBool,
    /// Number of callbacks (calls of the render function by the output).
    pub callbacks: AtomicU64,
    /// Frames delivered in total.
    pub frames: AtomicU64,
    /// Highest callback load seen, in permille of the buffer period.
    pub peak_load_permille: AtomicU64,
    /// When the callback with the highest load started, in ns since `epoch`
    /// (a peak at the start is notes starting; later ones, the system).
    pub peak_at_ns: AtomicU64,
    /// Callback load histogram, see [`LOAD_BUCKETS`].
    pub load_hist: [AtomicU64; LOAD_BUCKETS],
    /// Smallest callback size in frames (`u64::MAX` until the first callback).
    pub min_callback_frames: AtomicU64,
    /// Largest callback size in frames.
    pub max_callback_frames: AtomicU64,
    /// Size of the latest callback in frames.
    pub last_callback_frames: AtomicU64,
    /// Nanoseconds from the output's start to the first callback (0 = none yet).
    pub first_callback_ns: AtomicU64,
    /// Longest time between the starts of two consecutive callbacks, in ns.
    pub max_interval_ns: AtomicU64,
    /// Latest time from a callback to the moment its first frame plays, as the
    /// device reports it (cpal's timestamps), in ns; 0 when it reports none.
    pub output_latency_ns: AtomicU64,
    /// Start of the latest callback, in ns since `epoch` (internal bookkeeping).
    last_start_ns: AtomicU64,
    /// Time zero for the `*_ns` fields: when the output was started.
    epoch: Instant,
}

impl Default for Stats {
    fn default() -> Self {
        Self::new()
    }
}

impl Stats {
    /// Fresh counters with time zero now.
    pub fn new() -> Self {
        Self {
            xruns: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            realtime: AtomicBool::new(false),
            callbacks: AtomicU64::new(0),
            frames: AtomicU64::new(0),
            peak_load_permille: AtomicU64::new(0),
            peak_at_ns: AtomicU64::new(0),
            load_hist: std::array::from_fn(|_| AtomicU64::new(0)),
            min_callback_frames: AtomicU64::new(u64::MAX),
            max_callback_frames: AtomicU64::new(0),
            last_callback_frames: AtomicU64::new(0),
            first_callback_ns: AtomicU64::new(0),
            max_interval_ns: AtomicU64::new(0),
            output_latency_ns: AtomicU64::new(0),
            last_start_ns: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// When the output started (time zero of the `*_ns` counters).
    pub fn epoch(&self) -> Instant {
        self.epoch
    }

    /// Records one callback: it started at `start`, delivered `frames` frames
    /// whose playing time is `period`, and spent `busy` in the render function.
    /// Audio-thread safe: atomics only.
    pub fn record_callback(&self, start: Instant, frames: u64, busy: Duration, period: Duration) {
        let start_ns = nanos(start.saturating_duration_since(self.epoch)).max(1);
        let n = self.callbacks.fetch_add(1, Relaxed);
        if n == 0 {
            self.first_callback_ns.store(start_ns, Relaxed);
        } else {
            let prev = self.last_start_ns.load(Relaxed);
            self.max_interval_ns
                .fetch_max(start_ns.saturating_sub(prev), Relaxed);
        }
        self.last_start_ns.store(start_ns, Relaxed);
        self.frames.fetch_add(frames, Relaxed);
        self.min_callback_frames.fetch_min(frames, Relaxed);
        self.max_callback_frames.fetch_max(frames, Relaxed);
        self.last_callback_frames.store(frames, Relaxed);
        let period_ns = nanos(period).max(1);
        let permille = nanos(busy).saturating_mul(1000) / period_ns;
        if self.peak_load_permille.fetch_max(permille, Relaxed) < permille {
            self.peak_at_ns.store(start_ns, Relaxed);
        }
        let bucket = ((permille / 100) as usize).min(LOAD_BUCKETS - 1);
        self.load_hist[bucket].fetch_add(1, Relaxed);
    }

    /// Records the device's reported callback-to-playback delay. Audio-thread safe.
    pub fn record_output_latency(&self, latency: Duration) {
        self.output_latency_ns.store(nanos(latency), Relaxed);
    }

    /// Counts one xrun. Audio-thread safe.
    pub fn record_xrun(&self) {
        self.xruns.fetch_add(1, Relaxed);
    }

    /// Counts one non-xrun stream error. Audio-thread safe.
    pub fn record_error(&self) {
        self.errors.fetch_add(1, Relaxed);
    }

    /// A plain copy of all counters (each read individually, so counters
    /// updated concurrently may be off by one callback from each other).
    pub fn snapshot(&self) -> StatsSnapshot {
        let min = self.min_callback_frames.load(Relaxed);
        StatsSnapshot {
            xruns: self.xruns.load(Relaxed),
            errors: self.errors.load(Relaxed),
            realtime: self.realtime.load(Relaxed),
            callbacks: self.callbacks.load(Relaxed),
            frames: self.frames.load(Relaxed),
            peak_load_permille: self.peak_load_permille.load(Relaxed),
            peak_at: Duration::from_nanos(self.peak_at_ns.load(Relaxed)),
            load_hist: std::array::from_fn(|i| self.load_hist[i].load(Relaxed)),
            min_callback_frames: if min == u64::MAX { 0 } else { min },
            max_callback_frames: self.max_callback_frames.load(Relaxed),
            last_callback_frames: self.last_callback_frames.load(Relaxed),
            first_callback: Duration::from_nanos(self.first_callback_ns.load(Relaxed)),
            max_interval: Duration::from_nanos(self.max_interval_ns.load(Relaxed)),
            output_latency: Duration::from_nanos(self.output_latency_ns.load(Relaxed)),
            elapsed: self.epoch.elapsed(),
        }
    }
}

/// Saturating conversion of a duration to nanoseconds.
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// A point-in-time copy of [`Stats`], for printing and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// See [`Stats::xruns`].
    pub xruns: u64,
    /// See [`Stats::errors`].
    pub errors: u64,
    /// See [`Stats::realtime`].
    pub realtime: bool,
    /// See [`Stats::callbacks`].
    pub callbacks: u64,
    /// See [`Stats::frames`].
    pub frames: u64,
    /// See [`Stats::peak_load_permille`].
    pub peak_load_permille: u64,
    /// See [`Stats::peak_at_ns`].
    pub peak_at: Duration,
    /// See [`Stats::load_hist`].
    pub load_hist: [u64; LOAD_BUCKETS],
    /// Smallest callback in frames (0 before the first callback).
    pub min_callback_frames: u64,
    /// Largest callback in frames.
    pub max_callback_frames: u64,
    /// Latest callback in frames.
    pub last_callback_frames: u64,
    /// Time from start to the first callback (zero if none yet).
    pub first_callback: Duration,
    /// Longest gap between two callback starts (the start-up stall shows here).
    pub max_interval: Duration,
    /// See [`Stats::output_latency_ns`].
    pub output_latency: Duration,
    /// Time since the output started.
    pub elapsed: Duration,
}

impl fmt::Display for StatsSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} callbacks, {} frames ({}..{} per callback), {} xruns, {} errors, peak load {:.1}% (at {:.2} s), \
             first callback after {:.1} ms, longest gap {:.1} ms, load histogram (10% steps) {:?}, \
             real-time scheduling: {}",
            self.callbacks,
            self.frames,
            self.min_callback_frames,
            self.max_callback_frames,
            self.xruns,
            self.errors,
            self.peak_load_permille as f64 / 10.0,
            self.peak_at.as_secs_f64(),
            self.first_callback.as_secs_f64() * 1e3,
            self.max_interval.as_secs_f64() * 1e3,
            self.load_hist,
            if self.realtime { "yes" } else { "no" },
        )
    }
}
