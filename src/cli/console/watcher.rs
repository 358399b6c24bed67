//! File watching for hot reload: a debounced watch on the parent directory
//! of every watched file (a watch on the file itself goes silent after a
//! rename-style save). Saves become [`Job::Reload`]s for the evaluator,
//! which re-runs a file only when its content hash changed, so an editor's
//! save dance or a save split over two event batches reloads once.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::Job;

/// How long the debouncer waits for an editor's save to settle.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// One watched file.
#[derive(Clone, Debug)]
pub struct Watched {
    /// The path as the user gave it (for messages).
    pub shown: String,
    /// Hash of the content last run (`None`: never run).
    pub hash: Option<u64>,
    /// Withdraw the previous version's pending events on reload.
    pub withdraw: bool,
    /// The tag of the events this file's runs send (never 0).
    pub tag: u32,
}

/// Watched files by absolute path (parent directory canonicalized).
pub type Files = Arc<Mutex<HashMap<PathBuf, Watched>>>;

/// The content hash hot reload compares.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The key of `path` in [`Files`]: canonical parent directory and file name.
pub fn key(path: &Path) -> Result<PathBuf, String> {
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = parent
        .canonicalize()
        .map_err(|e| format!("{}: {e}", parent.display()))?;
    Ok(dir.join(name))
}

/// The console's file watcher.
pub struct Watcher {
    debouncer: Mutex<Debouncer<RecommendedWatcher, RecommendedCache>>,
    pub files: Files,
    /// Watched directories and how many watched files each holds.
    dirs: Mutex<HashMap<PathBuf, usize>>,
    /// The next file's event tag (never reused, never 0).
    next_tag: AtomicU32,
}

impl Watcher {
    /// A watcher that sends a reload job for every saved watched file.
    pub fn new(jobs: Sender<Job>) -> Result<Watcher, String> {
        let files: Files = Arc::new(Mutex::new(HashMap::new()));
        let seen = files.clone();
        let handler = move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let mut touched: Vec<PathBuf> = Vec::new();
            {
                let files = seen.lock().unwrap_or_else(|e| e.into_inner());
                for event in &events {
                    if event.kind.is_access() {
                        continue;
                    }
                    for p in &event.paths {
                        if files.contains_key(p) && !touched.contains(p) {
                            touched.push(p.clone());
                        }
                    }
                }
            }
            for p in touched {
                let _ = jobs.send(Job::Reload(p));
            }
        };
        let debouncer = new_debouncer(DEBOUNCE, None, handler).map_err(|e| e.to_string())?;
        Ok(Watcher {
            debouncer: Mutex::new(debouncer),
            files,
            dirs: Mutex::new(HashMap::new()),
            next_tag: AtomicU32::new(1),
        })
    }

    /// Watch `path`. `hash` is the content already run (a save that does
    /// not change it does not reload). Returns the file's key.
    pub fn watch(&self, path: &Path, withdraw: bool, hash: Option<u64>) -> Result<PathBuf, String> {
        let key = key(path)?;
        let dir = key.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(w) = files.get_mut(&key) {
            w.withdraw = withdraw;
            if hash.is_some() {
                w.hash = hash;
            }
            return Ok(key);
        }
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        let count = dirs.entry(dir.clone()).or_insert(0);
        if *count == 0 {
            self.debouncer
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .watch(&dir, RecursiveMode::NonRecursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        }
        *count += 1;
        let tag = self.next_tag.fetch_add(1, Ordering::Relaxed);
        files.insert(
            key.clone(),
            Watched {
                shown: path.display().to_string(),
                hash,
                withdraw,
                tag,
            },
        );
        Ok(key)
    }

    /// Stop watching `path`.
    pub fn unwatch(&self, path: &Path) -> Result<(), String> {
        let key = key(path)?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if files.remove(&key).is_none() {
            return Err(format!("{} is not watched", path.display()));
        }
        let dir = key.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = dirs.get_mut(&dir) {
            *count -= 1;
            if *count == 0 {
                dirs.remove(&dir);
                let _ = self
                    .debouncer
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .unwatch(&dir);
            }
        }
        Ok(())
    }
}
