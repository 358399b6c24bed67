//! Signal handles: how an opcode reads its inputs and writes its outputs.
//!
//! Each instance owns one block of `f64` memory holding its p-fields,
//! constants, variables and audio buffers; globals live in one block owned by
//! the orchestra. When an instance is built (off the audio thread) every
//! argument is resolved once to a pointer into one of those blocks, as Csound
//! does. Reading and writing through these handles costs a load or a store,
//! with no lookup, no bounds check and no branch on the audio path.
//!
//! Safety argument, kept in one place: a handle is only created by
//! [`Memory::input`] / [`Memory::output`] for a slot inside a live block
//! (checked there), the block is a `Box<[f64]>` that is never resized, and
//! the opcodes holding handles live exactly as long as the instance (or the
//! orchestra, for globals) that owns the block. Audio buffers are `ksmps`
//! long and callers index them with `0..ksmps`. Reads and writes go through
//! raw pointers without forming references, so an input and an output that
//! name the same variable (`asig = asig * 0.5`) are fine.

/// A read handle. `stride` is 1 for an audio-rate buffer and 0 for a scalar,
/// so `at(i)` reads sample `i` of an audio input and the scalar's value for a
/// control or init input: opcodes accept either rate with one loop.
#[derive(Clone, Copy, Debug)]
pub struct Input {
    ptr: *const f64,
    stride: usize,
}

/// A write handle to a scalar or to the first sample of an audio buffer.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    ptr: *mut f64,
}

// SAFETY: handles point into memory owned by the instance or orchestra that
// also owns the opcode; both move between threads together, and only one
// thread performs an instance at a time.
unsafe impl Send for Input {}
unsafe impl Send for Output {}

impl Input {
    /// A handle that reads a constant 0 (for optional arguments left out).
    pub fn zero() -> Input {
        static ZERO: f64 = 0.0;
        Input {
            ptr: &ZERO,
            stride: 0,
        }
    }

    /// A handle that reads a fixed value (for defaults of optional arguments).
    pub fn constant(value: &'static f64) -> Input {
        Input {
            ptr: value,
            stride: 0,
        }
    }

    /// The scalar value, or the first sample of an audio input.
    #[inline(always)]
    pub fn get(self) -> f64 {
        // SAFETY: see the module comment.
        unsafe { *self.ptr }
    }

    /// Sample `i` of an audio input, or the value of a scalar input.
    #[inline(always)]
    pub fn at(self, i: usize) -> f64 {
        // SAFETY: see the module comment; i < ksmps for audio inputs.
        unsafe { *self.ptr.add(i * self.stride) }
    }

    /// Sample `i` of an input known to be audio rate ([`Input::is_audio`]):
    /// no stride multiplication, for the tightest loops.
    #[inline(always)]
    pub fn at_audio(self, i: usize) -> f64 {
        debug_assert!(self.stride == 1);
        // SAFETY: see the module comment; the caller checked the rate and
        // i < ksmps.
        unsafe { *self.ptr.add(i) }
    }

    /// Samples `i` and `i + 1` of an audio input in the two lanes of an
    /// SSE2 register (low lane first).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub fn at2_audio(self, i: usize) -> std::arch::x86_64::__m128d {
        debug_assert!(self.stride == 1);
        // SAFETY: see the module comment; the caller checked the rate and
        // i + 1 < ksmps.
        unsafe { std::arch::x86_64::_mm_loadu_pd(self.ptr.add(i)) }
    }

    /// The same cells as an output (for `clear`, which zeroes its arguments).
    pub fn as_output(self) -> Output {
        Output {
            ptr: self.ptr as *mut f64,
        }
    }

    /// Whether this input changes within a block (audio rate).
    pub fn is_audio(self) -> bool {
        self.stride == 1
    }
}

impl Output {
    /// Set a scalar output (or the first sample of an audio output).
    #[inline(always)]
    pub fn set(self, value: f64) {
        // SAFETY: see the module comment.
        unsafe { *self.ptr = value }
    }

    /// Set sample `i` of an audio output.
    #[inline(always)]
    pub fn set_at(self, i: usize, value: f64) {
        // SAFETY: see the module comment; i < ksmps.
        unsafe { *self.ptr.add(i) = value }
    }

    /// Set samples `i` and `i + 1` of an audio output from the two lanes
    /// of an SSE2 register (low lane first).
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    pub fn set2_at(self, i: usize, v: std::arch::x86_64::__m128d) {
        // SAFETY: see the module comment; i + 1 < ksmps.
        unsafe { std::arch::x86_64::_mm_storeu_pd(self.ptr.add(i), v) }
    }

    /// Read back what was written (an output that is also state, e.g. `+=`).
    #[inline(always)]
    pub fn get(self) -> f64 {
        // SAFETY: see the module comment.
        unsafe { *self.ptr }
    }

    /// Read back sample `i`.
    #[inline(always)]
    pub fn get_at(self, i: usize) -> f64 {
        // SAFETY: see the module comment; i < ksmps.
        unsafe { *self.ptr.add(i) }
    }

    /// The raw cell pointer (for the string layout in `engine::strings`).
    pub(super) fn as_ptr(self) -> *mut f64 {
        self.ptr
    }

    /// The same location as an input (for opcodes that read their output).
    pub fn as_input(self, audio: bool) -> Input {
        Input {
            ptr: self.ptr,
            stride: audio as usize,
        }
    }
}

/// An array variable: a capacity cell, a length cell, then `capacity`
/// element cells, laid out by the compiler (`orc/compiler/arrays.rs`). The
/// capacity is fixed when the instrument is compiled, so an array never
/// grows on the audio path; the length is what `init`/`fillarray` set.
///
/// The capacity is read once, when the opcode is built; element access is
/// clamped to it, so even a wrong index cannot leave the array's cells.
/// Opcodes check indexes against [`ArrayRef::len`] first, to report them.
#[derive(Clone, Copy, Debug)]
pub struct ArrayRef {
    ptr: *mut f64,
    capacity: usize,
}

// SAFETY: as for Input and Output (same memory, same owner).
unsafe impl Send for ArrayRef {}

impl ArrayRef {
    /// The array whose capacity cell an input points at.
    pub fn from_input(input: Input) -> ArrayRef {
        let capacity = input.get().max(0.0) as usize;
        ArrayRef {
            ptr: input.ptr as *mut f64,
            capacity,
        }
    }

    /// The array whose capacity cell an output points at.
    pub fn from_output(output: Output) -> ArrayRef {
        ArrayRef::from_input(output.as_input(false))
    }

    pub fn capacity(self) -> usize {
        self.capacity
    }

    /// The current length (never more than the capacity).
    #[inline(always)]
    pub fn len(self) -> usize {
        // SAFETY: cell 1 of the array's layout (see the type comment).
        let n = unsafe { *self.ptr.add(1) };
        (n.max(0.0) as usize).min(self.capacity)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Set the length (clamped to the capacity).
    #[inline(always)]
    pub fn set_len(self, n: usize) {
        // SAFETY: cell 1 of the array's layout.
        unsafe { *self.ptr.add(1) = n.min(self.capacity) as f64 }
    }

    /// Element `i` (0 beyond the capacity).
    #[inline(always)]
    pub fn get(self, i: usize) -> f64 {
        if i < self.capacity {
            // SAFETY: element cells follow the two header cells.
            unsafe { *self.ptr.add(2 + i) }
        } else {
            0.0
        }
    }

    /// Set element `i` (ignored beyond the capacity).
    #[inline(always)]
    pub fn set(self, i: usize, v: f64) {
        if i < self.capacity {
            // SAFETY: element cells follow the two header cells.
            unsafe { *self.ptr.add(2 + i) = v }
        }
    }

    /// Copy elements `start..start + dst.len()` into `dst` (cut at the
    /// capacity; what lies beyond is left as it was).
    pub fn read_into(self, start: usize, dst: &mut [f64]) {
        let n = dst.len().min(self.capacity.saturating_sub(start));
        // SAFETY: `start + n <= capacity` element cells; `dst` is a distinct
        // Rust slice, so the ranges cannot overlap.
        unsafe { std::ptr::copy_nonoverlapping(self.ptr.add(2 + start), dst.as_mut_ptr(), n) }
    }

    /// Copy `src` into elements `start..start + src.len()` (cut at the
    /// capacity).
    pub fn write_from(self, start: usize, src: &[f64]) {
        let n = src.len().min(self.capacity.saturating_sub(start));
        // SAFETY: as for `read_into`.
        unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), self.ptr.add(2 + start), n) }
    }
}

/// A block of variable memory: an instance's or the orchestra's globals.
///
/// All access, including from the owner, goes through one base pointer taken
/// once from the allocation, so handles given out earlier stay valid.
#[derive(Debug)]
pub struct Memory {
    base: *mut f64,
    len: usize,
}

// SAFETY: Memory owns its allocation (see `Drop`); it moves between threads
// with the instance that owns it.
unsafe impl Send for Memory {}
// SAFETY: the orchestra's globals are shared (`Arc<Orchestra>`) between the
// control side, which only makes handles from `&Memory` (pointer arithmetic,
// no access to the cells), and the thread that performs, which alone reads
// and writes the cells through those handles.
unsafe impl Sync for Memory {}

impl Memory {
    /// A block holding `initial` (constants already in place).
    pub fn new(initial: &[f64]) -> Memory {
        Memory::with_room(initial, initial.len())
    }

    /// A block of `cells` cells (at least `initial.len()`) starting with
    /// `initial`, the rest 0: an orchestra's globals leave room for the
    /// variables of orchestras compiled into the session later.
    pub fn with_room(initial: &[f64], cells: usize) -> Memory {
        let mut cells = vec![0.0; cells.max(initial.len())];
        cells[..initial.len()].copy_from_slice(initial);
        let cells: Box<[f64]> = cells.into_boxed_slice();
        let len = cells.len();
        Memory {
            base: Box::into_raw(cells) as *mut f64,
            len,
        }
    }

    fn check(&self, index: usize, len: usize) {
        // A failure is a compiler bug, caught while building an instance off
        // the audio thread.
        assert!(
            index + len <= self.len,
            "slot {index}+{len} outside memory of {}",
            self.len
        );
    }

    /// The first cell (for cache prefetching; never dereferenced).
    pub fn base_ptr(&self) -> *const f64 {
        self.base
    }

    /// A read handle to `len` cells at `index` (len 1 = scalar, ksmps = audio).
    pub fn input(&self, index: usize, audio: bool, len: usize) -> Input {
        self.check(index, len);
        Input {
            // SAFETY: in range, checked above.
            ptr: unsafe { self.base.add(index) },
            stride: audio as usize,
        }
    }

    /// A write handle to `len` cells at `index`.
    pub fn output(&self, index: usize, len: usize) -> Output {
        self.check(index, len);
        Output {
            // SAFETY: in range, checked above.
            ptr: unsafe { self.base.add(index) },
        }
    }

    /// Whether any of `len` cells from `start` holds NaN or an infinity
    /// (cells past the end are not looked at). Reads through the base
    /// pointer, as the handles do.
    pub fn any_non_finite(&self, start: usize, len: usize) -> bool {
        let end = start.saturating_add(len).min(self.len);
        // SAFETY: start..end lies inside the block.
        (start..end).any(|i| !unsafe { *self.base.add(i) }.is_finite())
    }

    /// Set to 0 every cell of `len` from `start` that holds NaN or an
    /// infinity (a bus a note poisoned); how many were.
    pub fn zero_non_finite(&self, start: usize, len: usize) -> usize {
        let end = start.saturating_add(len).min(self.len);
        let mut n = 0;
        for i in start..end {
            // SAFETY: in range; the thread that performs is the only one
            // touching the cells (see the `Sync` argument above).
            unsafe {
                let cell = self.base.add(i);
                if !(*cell).is_finite() {
                    *cell = 0.0;
                    n += 1;
                }
            }
        }
        n
    }

    /// Overwrite the cells from `start` with `values` (p-fields at note
    /// start); values past the end are dropped.
    pub fn write(&mut self, start: usize, values: &[f64]) {
        for (i, v) in values.iter().enumerate() {
            if start + i < self.len {
                // SAFETY: in range.
                unsafe { *self.base.add(start + i) = *v }
            }
        }
    }

    /// Give cells from `start` their first values: the new global variables
    /// of an orchestra compiled into a session (control side, before the
    /// orchestra is handed to the engine).
    ///
    /// Only for cells no handle points at yet: the engine's thread touches
    /// only cells some instance was built to use, so these are the control
    /// side's alone until the orchestra that declares them is swapped in.
    pub fn init_unused(&self, start: usize, values: &[f64]) {
        for (i, v) in values.iter().enumerate() {
            if start + i < self.len {
                // SAFETY: in range; no other thread reads or writes these
                // cells yet (see above).
                unsafe { *self.base.add(start + i) = *v }
            }
        }
    }

    /// Restore every cell from `initial` (reusing an instance for a new note).
    pub fn reset(&mut self, initial: &[f64]) {
        debug_assert_eq!(initial.len(), self.len);
        let n = initial.len().min(self.len);
        // SAFETY: both ranges are valid for n cells and do not overlap.
        unsafe { std::ptr::copy_nonoverlapping(initial.as_ptr(), self.base, n) }
    }

    pub fn get(&self, index: usize) -> f64 {
        if index < self.len {
            // SAFETY: in range.
            unsafe { *self.base.add(index) }
        } else {
            0.0
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for Memory {
    fn drop(&mut self) {
        // SAFETY: base/len came from Box::into_raw of a boxed slice of len cells.
        unsafe {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                self.base, self.len,
            )));
        }
    }
}
