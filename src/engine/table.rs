//! Function tables as the engine and the host share them.
//!
//! Each point is an `AtomicU64` holding the bits of an `f64`. The host can
//! write any point while the audio thread reads the table, with no lock and
//! no torn value; a relaxed atomic load of a u64 costs the same as a plain
//! load on the machines we target. Copy-and-swap was the alternative: it
//! makes a one-point edit cost a whole-table copy and an allocation, and the
//! article's session edits single points while a note plays.

use std::any::{Any, TypeId};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::gens::TableData;

/// One function table: `len` points plus the guard point.
#[derive(Debug)]
pub struct Table {
    points: Box<[AtomicU64]>,
    len: usize,
    /// For tables read from sound files: their sample rate.
    pub sample_rate: Option<f64>,
    pub channels: u32,
    /// For tables read from sound files: the loops the file names.
    pub loops: [Option<crate::gens::FileLoop>; 2],
    /// Set by [`Table::edit`] (the host's writes), so a session recording can
    /// write the table's new contents into the score it replays.
    edited: AtomicBool,
}

impl Table {
    /// A table holding `data` (which includes the guard point).
    pub fn new(data: &TableData) -> Table {
        Table {
            points: data
                .data
                .iter()
                .map(|v| AtomicU64::new(v.to_bits()))
                .collect(),
            len: data.len,
            sample_rate: data.sample_rate,
            channels: data.channels,
            loops: data.loops,
            edited: AtomicBool::new(false),
        }
    }

    /// Length without the guard point (what `ftlen` reports).
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of stored points, guard point included.
    #[inline]
    pub fn stored(&self) -> usize {
        self.points.len()
    }

    /// Point `i` (0..=len, the last being the guard point); 0 outside.
    #[inline(always)]
    pub fn get(&self, i: usize) -> f64 {
        match self.points.get(i) {
            Some(p) => f64::from_bits(p.load(Ordering::Relaxed)),
            None => 0.0,
        }
    }

    /// All stored points (guard point included), for inner loops that check
    /// their index range once per block and then read with relaxed loads.
    #[inline]
    pub fn points(&self) -> &[AtomicU64] {
        &self.points
    }

    /// Write point `i`; returns false (and writes nothing) outside 0..=len.
    pub fn set(&self, i: usize, value: f64) -> bool {
        match self.points.get(i) {
            Some(p) => {
                p.store(value.to_bits(), Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Write point `i` from the host (a script, the console): as [`Table::set`],
    /// and remembered until [`Table::take_edited`] so a recording can replay it.
    pub fn edit(&self, i: usize, value: f64) -> bool {
        let written = self.set(i, value);
        if written {
            self.edited.store(true, Ordering::Relaxed);
        }
        written
    }

    /// Whether the host edited the table since the last call (and clear the mark).
    pub fn take_edited(&self) -> bool {
        self.edited.swap(false, Ordering::Relaxed)
    }

    /// A copy of all points, guard point included.
    pub fn to_vec(&self) -> Vec<f64> {
        (0..self.stored()).map(|i| self.get(i)).collect()
    }
}

/// The engine's tables by number. Growing the number range allocates, so it
/// happens on the control side, which hands over a larger store.
#[derive(Clone, Debug, Default)]
pub struct TableStore {
    slots: Vec<Option<Arc<Table>>>,
    /// Counts changes, so a copy (a `-j` worker's) knows when to catch up.
    generation: u64,
    /// Sets of tables an opcode family made at init and keeps by a number
    /// of its own (`vco2init`'s, by waveform), typed by the family. A
    /// handful at most, so a list.
    sets: Vec<(TypeId, i32, Arc<dyn Any + Send + Sync>)>,
}

impl TableStore {
    /// The table numbered `n`, if it exists.
    #[inline]
    pub fn get(&self, n: f64) -> Option<&Table> {
        if n < 1.0 {
            return None;
        }
        self.slots.get(n as usize).and_then(|t| t.as_deref())
    }

    pub fn get_arc(&self, n: i64) -> Option<&Arc<Table>> {
        if n < 1 {
            return None;
        }
        self.slots.get(n as usize).and_then(|t| t.as_ref())
    }

    /// Whether `n` fits without growing the store (so `put` cannot allocate).
    pub fn fits(&self, n: i64) -> bool {
        n >= 1 && (n as usize) < self.slots.len()
    }

    /// Make room for table numbers up to `n` (allocates; control side only).
    pub fn reserve_number(&mut self, n: i64) {
        if n >= 1 && n as usize >= self.slots.len() {
            self.slots.resize(n as usize + 1, None);
            self.generation += 1;
        }
    }

    /// Install a table; returns the table it replaces, to be dropped off the
    /// audio thread. The caller ensures `fits(n)`.
    pub fn put(&mut self, n: i64, table: Arc<Table>) -> Option<Arc<Table>> {
        if !self.fits(n) {
            return Some(table);
        }
        self.generation += 1;
        self.slots[n as usize].replace(table)
    }

    /// The set of type `T` kept as number `key`, if one was made.
    pub fn set_of<T: Any + Send + Sync>(&self, key: i32) -> Option<Arc<T>> {
        let kind = TypeId::of::<T>();
        let (_, _, set) = self.sets.iter().find(|(t, k, _)| *t == kind && *k == key)?;
        set.clone().downcast::<T>().ok()
    }

    /// Keep (or replace) set `key` of type `T` (allocates; control side or
    /// instrument 0 only).
    pub fn keep_set<T: Any + Send + Sync>(&mut self, key: i32, set: Arc<T>) {
        let kind = TypeId::of::<T>();
        match self
            .sets
            .iter_mut()
            .find(|(t, k, _)| *t == kind && *k == key)
        {
            Some(entry) => entry.2 = set,
            None => self.sets.push((kind, key, set)),
        }
        self.generation += 1;
    }

    /// Remove a table, returning it.
    pub fn remove(&mut self, n: i64) -> Option<Arc<Table>> {
        if !self.fits(n) {
            return None;
        }
        self.generation += 1;
        self.slots[n as usize].take()
    }

    /// Make this copy hold the same tables as `src` (a `-j` worker's view,
    /// updated between blocks). Tables it lets go of go to `retired`, so
    /// that the audio thread does not free them, unless `retired` is full.
    /// Allocates only when `src` has grown, which happens offline only.
    pub fn sync_from(&mut self, src: &TableStore, retired: &mut Vec<Arc<Table>>) {
        if self.generation == src.generation && self.slots.len() == src.slots.len() {
            return;
        }
        if self.slots.len() < src.slots.len() {
            self.slots.resize(src.slots.len(), None);
        }
        for (i, mine) in self.slots.iter_mut().enumerate() {
            let theirs = src.slots.get(i).and_then(|t| t.as_ref());
            let same = match (mine.as_ref(), theirs) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            };
            if !same
                && let Some(old) = std::mem::replace(mine, theirs.cloned())
                && retired.len() < retired.capacity()
            {
                retired.push(old);
            }
        }
        // Sets change only where allocation is allowed (`vco2init`).
        self.sets.clone_from(&src.sets);
        self.generation = src.generation;
    }

    /// The lowest free number at or above `from` (for `ftgen 0`).
    pub fn free_number(&self, from: i64) -> i64 {
        let mut n = from.max(1);
        while self.get_arc(n).is_some() {
            n += 1;
        }
        n
    }

    /// Numbers of the existing tables, ascending.
    pub fn numbers(&self) -> impl Iterator<Item = i64> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, t)| t.is_some())
            .map(|(i, _)| i as i64)
    }
}
