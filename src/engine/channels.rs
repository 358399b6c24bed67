//! Named control channels shared by the host and the orchestra (`chnset`,
//! `chnget`), and the other state all of a session's instruments share
//! ([`SharedState`]: zak's space, pluck's generators, whose types live with
//! their families). Each channel value is an `AtomicU64` holding `f64` bits,
//! so either side reads and writes without a lock. Names and shared state
//! are resolved when an instrument is built (control side), never on the
//! audio thread.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::strings::StringPool;

/// How many named channels one session can have.
pub const MAX_CHANNELS: usize = 1024;

pub struct Channels {
    values: Box<[AtomicU64]>,
    names: Mutex<HashMap<String, usize>>,
    /// One [`SharedState`] per type that asked for one.
    shared: Mutex<Vec<Arc<dyn SharedState>>>,
    /// Strings carried by p-fields, and `strset`'s table.
    pub strings: StringPool,
}

/// State an opcode family shares across every instrument of a session
/// (zak's space, pluck's generators). The family defines the type; the
/// engine keeps one of each and tells it when a performance starts.
pub trait SharedState: Any + Send + Sync {
    /// A new performance starts (an engine is made): e.g. reseed.
    fn restart(&self) {}
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            values: (0..MAX_CHANNELS).map(|_| AtomicU64::new(0)).collect(),
            names: Mutex::new(HashMap::new()),
            shared: Mutex::new(Vec::new()),
            strings: StringPool::default(),
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

    /// The session's `T`, made on first use. Control side (it locks): an
    /// opcode takes its handle when it is built.
    pub fn shared<T: SharedState + Default>(&self) -> Arc<T> {
        let mut all = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        for state in all.iter() {
            let any: Arc<dyn Any + Send + Sync> = state.clone();
            if let Ok(state) = any.downcast::<T>() {
                return state;
            }
        }
        let state = Arc::new(T::default());
        all.push(state.clone());
        state
    }

    /// A performance starts: every shared state restarts.
    pub fn restart_shared(&self) {
        for state in self.shared.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            state.restart();
        }
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
