//! Strings at run time: how a string variable lives in an instance's memory
//! ([`StrRef`]), the scratch text opcodes build a new value in ([`StrBuf`]),
//! and the session's string pool ([`StringPool`]) through which score and
//! live events carry strings in their p-fields.
//!
//! A string variable is a run of `f64` cells like an array (see
//! `signal::ArrayRef`): a capacity cell (bytes), a length cell (bytes), then
//! the bytes packed eight to a cell. The capacity is fixed when the
//! instrument is compiled ([`VARIABLE_CAPACITY`] for variables, the exact
//! length for constants), so a string never grows on the audio path: a
//! longer value is cut at the capacity (at a character boundary), where
//! csound would reallocate. Resetting an instance's memory for a new note
//! restores its strings with the rest.
//!
//! A string in a p-field travels as a NaN whose payload is its number in the
//! pool (csound shows such a p-field as `nan` too). The control side interns
//! strings (it may allocate); the audio thread only reads them.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::signal::{Input, Output};

/// Bytes a string variable can hold.
pub const VARIABLE_CAPACITY: usize = 1024;

/// Strings one session can intern (distinct score and event strings).
pub const POOL_CAPACITY: usize = 16_384;

/// Numbers `strset` can name (0 up to this, exclusive).
pub const STRSET_CAPACITY: usize = 4096;

/// The header of a string-carrying p-field: a quiet NaN with this tag in
/// the upper payload bits, the pool number in the lower 32.
const PFIELD_TAG: u64 = 0x7FFA_5100_0000_0000;
const PFIELD_MASK: u64 = 0xFFFF_FF00_0000_0000;

/// Cells a string of `capacity` bytes occupies (header included).
pub fn cells_for(capacity: usize) -> usize {
    2 + capacity.div_ceil(8)
}

/// The memory image of a string of `capacity` bytes holding `text` (cut at
/// the capacity).
pub fn image(text: &str, capacity: usize) -> Vec<f64> {
    let mut cells = vec![0.0; cells_for(capacity)];
    cells[0] = capacity as f64;
    let bytes = cut(text.as_bytes(), capacity);
    cells[1] = bytes.len() as f64;
    for (i, chunk) in bytes.chunks(8).enumerate() {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        cells[2 + i] = f64::from_bits(u64::from_le_bytes(b));
    }
    cells
}

/// The longest prefix of `bytes` of at most `max` bytes that does not end
/// inside a UTF-8 character.
fn cut(bytes: &[u8], max: usize) -> &[u8] {
    if bytes.len() <= max {
        return bytes;
    }
    let mut end = max;
    // Continuation bytes are 0b10xx_xxxx.
    while end > 0 && (bytes[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    &bytes[..end]
}

/// A string variable in memory (see the module comment for its layout).
/// Made from the handle to its capacity cell when the opcode is built; the
/// same safety argument as `signal`'s handles holds.
#[derive(Clone, Copy, Debug)]
pub struct StrRef {
    ptr: *mut f64,
    capacity: usize,
}

// SAFETY: as for Input and Output (same memory, same owner).
unsafe impl Send for StrRef {}

impl StrRef {
    /// The string whose capacity cell an input points at.
    pub fn from_input(input: Input) -> StrRef {
        let capacity = input.get().max(0.0) as usize;
        StrRef {
            ptr: input.as_output().as_ptr(),
            capacity,
        }
    }

    /// The string whose capacity cell an output points at.
    pub fn from_output(output: Output) -> StrRef {
        StrRef::from_input(output.as_input(false))
    }

    pub fn capacity(self) -> usize {
        self.capacity
    }

    /// The current length in bytes.
    #[inline]
    pub fn len(self) -> usize {
        if self.capacity == 0 {
            return 0; // Perhaps a one-cell handle (a number read as text).
        }
        // SAFETY: cell 1 of the layout.
        let n = unsafe { *self.ptr.add(1) };
        (n.max(0.0) as usize).min(self.capacity)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The bytes. The slice must not be held across a write to the same
    /// string (opcodes build a new value in a [`StrBuf`] first).
    #[inline]
    pub fn bytes<'a>(self) -> &'a [u8] {
        // SAFETY: the byte cells follow the header; `len <= capacity` and
        // the cells hold `cells_for(capacity) - 2` * 8 bytes.
        unsafe { std::slice::from_raw_parts(self.ptr.add(2) as *const u8, self.len()) }
    }

    /// The text (only whole characters are ever written; anything else
    /// reads as its valid prefix).
    #[inline]
    pub fn as_str<'a>(self) -> &'a str {
        let b = self.bytes();
        match std::str::from_utf8(b) {
            Ok(s) => s,
            // SAFETY: `valid_up_to` bytes are valid UTF-8.
            Err(e) => unsafe { std::str::from_utf8_unchecked(&b[..e.valid_up_to()]) },
        }
    }

    /// Write `bytes` (cut at the capacity, at a character boundary).
    #[inline]
    pub fn set(self, bytes: &[u8]) {
        if self.capacity == 0 {
            return;
        }
        let b = cut(bytes, self.capacity);
        // SAFETY: `b.len() <= capacity` bytes fit the byte cells; `copy`
        // allows the source to overlap them.
        unsafe {
            std::ptr::copy(b.as_ptr(), self.ptr.add(2) as *mut u8, b.len());
            *self.ptr.add(1) = b.len() as f64;
        }
    }

    /// Copy another string's value in.
    #[inline]
    pub fn copy_from(self, other: StrRef) {
        if other.ptr != self.ptr {
            self.set(other.bytes());
        }
    }
}

/// Text built by an opcode before it is stored: fixed capacity, allocated
/// when the opcode is built, written with `write!` or byte by byte (what
/// does not fit is cut).
#[derive(Clone)]
pub struct StrBuf {
    bytes: Box<[u8]>,
    len: usize,
}

impl StrBuf {
    pub fn new() -> StrBuf {
        StrBuf::with_capacity(VARIABLE_CAPACITY)
    }

    pub fn with_capacity(capacity: usize) -> StrBuf {
        StrBuf {
            bytes: vec![0; capacity].into_boxed_slice(),
            len: 0,
        }
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    pub fn push(&mut self, b: u8) {
        if self.len < self.bytes.len() {
            self.bytes[self.len] = b;
            self.len += 1;
        }
    }

    pub fn push_bytes(&mut self, bytes: &[u8]) {
        let b = cut(bytes, self.bytes.len() - self.len);
        self.bytes[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    pub fn as_str(&self) -> &str {
        match std::str::from_utf8(self.as_bytes()) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&self.bytes[..e.valid_up_to()]).unwrap_or(""),
        }
    }
}

impl Default for StrBuf {
    fn default() -> Self {
        StrBuf::new()
    }
}

impl fmt::Write for StrBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_bytes(s.as_bytes());
        Ok(())
    }
}

/// The session's strings that travel in p-fields, and `strset`'s table.
/// Interning locks and allocates (control side, or an opcode's build);
/// reading a string and `strset`/`strget` by number are lock-free.
pub struct StringPool {
    slots: Box<[OnceLock<Arc<str>>]>,
    index: Mutex<HashMap<Arc<str>, u32>>,
    /// `strset`'s table: pool number + 1 per index (0: unset).
    numbered: Box<[AtomicU32]>,
}

impl Default for StringPool {
    fn default() -> Self {
        StringPool {
            slots: (0..POOL_CAPACITY).map(|_| OnceLock::new()).collect(),
            index: Mutex::new(HashMap::new()),
            numbered: (0..STRSET_CAPACITY).map(|_| AtomicU32::new(0)).collect(),
        }
    }
}

impl StringPool {
    /// The pool number of `text`, added on first use; `None` when the pool
    /// is full. Control side only (it locks and allocates).
    pub fn intern(&self, text: &str) -> Option<u32> {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = index.get(text) {
            return Some(id);
        }
        let id = index.len();
        if id >= POOL_CAPACITY {
            return None;
        }
        let shared: Arc<str> = Arc::from(text);
        // Only this function sets slots, under the lock, each slot once.
        let _ = self.slots[id].set(shared.clone());
        index.insert(shared, id as u32);
        Some(id as u32)
    }

    /// A p-field value carrying `text` (interned); `None` when the pool is full.
    pub fn pfield(&self, text: &str) -> Option<f64> {
        self.intern(text).map(pfield_of)
    }

    /// The string numbered `id` (lock-free).
    #[inline]
    pub fn get(&self, id: u32) -> Option<&str> {
        self.slots.get(id as usize)?.get().map(|s| &**s)
    }

    /// The string a p-field value carries, if it carries one.
    #[inline]
    pub fn of_pfield(&self, value: f64) -> Option<&str> {
        self.get(id_of_pfield(value)?)
    }

    /// `strset n, id`: name pool string `id` by the number `n`. False when
    /// `n` is outside the table.
    pub fn set_numbered(&self, n: usize, id: u32) -> bool {
        match self.numbered.get(n) {
            Some(slot) => {
                slot.store(id + 1, Ordering::Release);
                true
            }
            None => false,
        }
    }

    /// `strget n`: the string set for the number `n`.
    pub fn numbered(&self, n: usize) -> Option<&str> {
        let id = self.numbered.get(n)?.load(Ordering::Acquire);
        id.checked_sub(1).and_then(|id| self.get(id))
    }
}

/// The p-field value that carries pool string `id`.
pub fn pfield_of(id: u32) -> f64 {
    f64::from_bits(PFIELD_TAG | id as u64)
}

/// The pool number a p-field value carries, if it is a string p-field.
#[inline]
pub fn id_of_pfield(value: f64) -> Option<u32> {
    let bits = value.to_bits();
    (bits & PFIELD_MASK == PFIELD_TAG).then_some(bits as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::signal::Memory;

    #[test]
    fn a_string_round_trips_through_memory_and_is_cut_at_its_capacity() {
        let mem = Memory::new(&image("héllo", 16));
        let s = StrRef::from_input(mem.input(0, false, 1));
        assert_eq!(s.as_str(), "héllo");
        s.set("0123456789abcdeé".as_bytes());
        // 17 bytes do not fit 16: the two-byte 'é' is left out whole.
        assert_eq!(s.as_str(), "0123456789abcde");
        s.set(b"");
        assert!(s.is_empty());
    }

    #[test]
    fn pfield_strings_are_nan_and_come_back() {
        let pool = StringPool::default();
        let v = pool.pfield("sound.wav").expect("room");
        assert!(v.is_nan());
        assert_eq!(pool.of_pfield(v), Some("sound.wav"));
        // The same text gives the same NaN, bit for bit.
        assert_eq!(
            pool.pfield("sound.wav").map(f64::to_bits),
            Some(v.to_bits())
        );
        assert_eq!(pool.of_pfield(f64::NAN), None);
        assert_eq!(pool.of_pfield(1.0), None);
        let id = pool.intern("five").expect("room");
        assert!(pool.set_numbered(5, id));
        assert_eq!(pool.numbered(5), Some("five"));
        assert_eq!(pool.numbered(6), None);
    }
}
