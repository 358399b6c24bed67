//! Named control channels shared by the host and the orchestra (`chnset`,
//! `chnget`), and the other state all of a session's instruments share (the
//! zak space, pluck's generators). Each channel value is an `AtomicU64`
//! holding `f64` bits, so either side reads and writes without a lock.
//! Names are resolved to indices when an instrument is built (control
//! side), never on the audio thread.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many named channels one session can have.
pub const MAX_CHANNELS: usize = 1024;

pub struct Channels {
    values: Box<[AtomicU64]>,
    names: Mutex<HashMap<String, usize>>,
    /// The zak patching space, made once by `zakinit`.
    pub zak: std::sync::OnceLock<std::sync::Arc<crate::opcodes::zak::ZakSpace>>,
    /// The random generators every `pluck` shares (reset per performance).
    pub pluck_noise: crate::opcodes::pluck::PluckNoise,
    /// Audio channels (`chnset`, `chnmix`, `chnget`, `chnclear` with a-rate
    /// values): one block of samples each, by channel index, made when an
    /// instrument that uses the channel is built.
    audio: Mutex<HashMap<usize, AudioChannel>>,
}

/// One block of an audio channel's samples (`f64` bits), shared by the
/// opcodes that use it.
pub type AudioChannel = std::sync::Arc<[AtomicU64]>;

impl Default for Channels {
    fn default() -> Self {
        Channels {
            values: (0..MAX_CHANNELS).map(|_| AtomicU64::new(0)).collect(),
            names: Mutex::new(HashMap::new()),
            zak: std::sync::OnceLock::new(),
            pluck_noise: Default::default(),
            audio: Mutex::new(HashMap::new()),
        }
    }
}

impl Channels {
    /// The index of channel `name`, created on first use. Control side only
    /// (it locks); `None` when every channel is taken.
    pub fn index(&self, name: &str) -> Option<usize> {
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = names.get(name) {
            return Some(*i);
        }
        let i = names.len();
        if i >= MAX_CHANNELS {
            return None;
        }
        names.insert(name.to_string(), i);
        Some(i)
    }

    /// Index of an existing channel.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .copied()
    }

    #[inline]
    pub fn get(&self, index: usize) -> f64 {
        self.values
            .get(index)
            .map(|v| f64::from_bits(v.load(Ordering::Relaxed)))
            .unwrap_or(0.0)
    }

    #[inline]
    pub fn set(&self, index: usize, value: f64) {
        if let Some(v) = self.values.get(index) {
            v.store(value.to_bits(), Ordering::Relaxed);
        }
    }

    /// The samples of audio channel `index`, `ksmps` of them, made on first
    /// use. Control side only (it locks and may allocate). A block size
    /// larger than the channel's (another orchestra) makes it anew; the
    /// opcodes built before keep the old one.
    pub fn audio(&self, index: usize, ksmps: usize) -> AudioChannel {
        let mut audio = self.audio.lock().unwrap_or_else(|e| e.into_inner());
        let channel = audio
            .entry(index)
            .or_insert_with(|| (0..ksmps).map(|_| AtomicU64::new(0)).collect());
        if channel.len() < ksmps {
            *channel = (0..ksmps).map(|_| AtomicU64::new(0)).collect();
        }
        channel.clone()
    }

    /// Every channel name, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = self
            .names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect();
        n.sort();
        n
    }
}
