//! Audio output (placeholder until the device backend lands): a paced
//! silent clock that calls the renderer at real-time pace.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub enum OutputChoice {
    Default,
    Device(String),
    NullClock,
}

pub struct OutputConfig {
    pub sample_rate: u32,
    pub channels: u16,
    pub buffer_frames: Option<u32>,
    pub choice: OutputChoice,
}

pub type Render = Box<dyn FnMut(&mut [f32]) + Send + 'static>;

#[derive(Default)]
pub struct Stats {
    pub xruns: AtomicU64,
    pub callbacks: AtomicU64,
    pub frames: AtomicU64,
    pub peak_load_permille: AtomicU64,
}

#[derive(Clone, Debug)]
pub enum OutputKind {
    Device { name: String },
    NullClock { reason: String },
}

pub struct Output {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    stats: Arc<Stats>,
    kind: OutputKind,
}

pub fn start(config: &OutputConfig, mut render: Render) -> anyhow::Result<Output> {
    let stop = Arc::new(AtomicBool::new(false));
    let stats = Arc::new(Stats::default());
    let frames = config.buffer_frames.unwrap_or(256) as usize;
    let channels = config.channels as usize;
    let period = Duration::from_secs_f64(frames as f64 / config.sample_rate as f64);
    let (s, st) = (stop.clone(), stats.clone());
    let thread = std::thread::spawn(move || {
        let mut buf = vec![0.0f32; frames * channels];
        let start = Instant::now();
        let mut n: u32 = 0;
        while !s.load(Ordering::Relaxed) {
            render(&mut buf);
            st.callbacks.fetch_add(1, Ordering::Relaxed);
            n += 1;
            let deadline = start + period * n;
            let now = Instant::now();
            if deadline > now {
                std::thread::sleep(deadline - now);
            }
        }
    });
    Ok(Output {
        stop,
        thread: Some(thread),
        stats,
        kind: OutputKind::NullClock {
            reason: "placeholder".into(),
        },
    })
}

impl Output {
    pub fn kind(&self) -> OutputKind {
        self.kind.clone()
    }
    pub fn stats(&self) -> Arc<Stats> {
        self.stats.clone()
    }
    pub fn stop(mut self) {
        self.halt();
    }
    pub fn stop_now(&mut self) {
        self.halt();
    }
    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        self.halt();
    }
}
