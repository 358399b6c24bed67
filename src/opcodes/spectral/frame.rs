//! The f-signal: one spectral frame and what describes it, kept in the
//! variable's own cells, and the frame counter that tells readers a new
//! frame has arrived.
//!
//! An `f` variable is laid out like an array (see
//! [`crate::engine::signal::ArrayRef`]): a capacity cell, a length cell,
//! then the elements. Its elements are a header ([`HEADER`] cells: the FFT
//! size, the overlap, the window size, the window shape, the format and
//! the frame count) and then `N + 2` values: one (amplitude, frequency)
//! pair per bin from 0 Hz to Nyquist, as Csound's `PVS_AMP_FREQ` frames.
//! The compiler fixes the capacity when it compiles the instrument (from
//! the size written as a constant, else [`DEFAULT_SIZE`]), so a frame never
//! grows on the audio path; an analysis whose size turns out larger than
//! the capacity stops its note with a message saying so.
//!
//! Frame semantics follow Csound: the producer writes a new frame every
//! `overlap` samples and bumps the count; a reader keeps the count it last
//! saw and only works when the count has moved.

use crate::engine::signal::{ArrayRef, Input, Output};

/// Header cells before the bins.
pub const HEADER: usize = 6;

/// The FFT size rhapsody reserves for an f-signal whose size is not a
/// constant (an i-variable or a p-field): every size up to it works.
pub const DEFAULT_SIZE: usize = 4096;

/// The largest FFT size rhapsody accepts (Csound's own limit is memory).
pub const MAX_SIZE: usize = 1 << 16;

/// Cells an f-variable of FFT size `n` takes in memory (array header included).
pub fn cells_for(n: usize) -> usize {
    2 + HEADER + n + 2
}

/// The element count to reserve for an f-variable of FFT size `n`.
pub fn capacity_for(n: usize) -> usize {
    HEADER + n + 2
}

/// The frame formats of Csound's `pvsinfo`.
pub mod format {
    /// Amplitude and frequency per bin (what `pvsanal` makes).
    pub const AMP_FREQ: f64 = 0.0;
    /// Amplitude and phase per bin.
    pub const AMP_PHASE: f64 = 1.0;
    /// Real and imaginary parts per bin.
    pub const COMPLEX: f64 = 2.0;
    /// Partial tracks (`partials`).
    pub const TRACKS: f64 = 3.0;
}

/// What describes a stream of frames (Csound's `pvsinfo` outputs).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameInfo {
    /// FFT size N: the frame has N/2 + 1 bins.
    pub size: usize,
    /// Samples between frames.
    pub overlap: usize,
    /// Analysis window size.
    pub winsize: usize,
    /// Window shape (0 Hamming, 1 von Hann, 2 Kaiser).
    pub wintype: i32,
    pub format: f64,
}

impl FrameInfo {
    /// Bins in one frame: N/2 + 1.
    pub fn bins(&self) -> usize {
        self.size / 2 + 1
    }
}

/// A handle to an f-variable's cells.
#[derive(Clone, Copy, Debug)]
pub struct Fsig {
    arr: ArrayRef,
}

impl Fsig {
    pub fn from_input(input: Input) -> Fsig {
        Fsig {
            arr: ArrayRef::from_input(input),
        }
    }

    pub fn from_output(output: Output) -> Fsig {
        Fsig {
            arr: ArrayRef::from_output(output),
        }
    }

    /// The largest FFT size the cells can hold.
    pub fn max_size(self) -> usize {
        self.arr.capacity().saturating_sub(HEADER + 2)
    }

    pub fn info(self) -> FrameInfo {
        FrameInfo {
            size: self.arr.get(0).max(0.0) as usize,
            overlap: self.arr.get(1).max(0.0) as usize,
            winsize: self.arr.get(2).max(0.0) as usize,
            wintype: self.arr.get(3) as i32,
            format: self.arr.get(4),
        }
    }

    /// Describe the stream, zero the bins and the count. The caller checked
    /// `info.size <= max_size()`.
    pub fn reset(self, info: &FrameInfo) {
        self.arr.set(0, info.size as f64);
        self.arr.set(1, info.overlap as f64);
        self.arr.set(2, info.winsize as f64);
        self.arr.set(3, info.wintype as f64);
        self.arr.set(4, info.format);
        self.arr.set(5, 0.0);
        self.arr.set_len(HEADER + info.size + 2);
        for i in 0..info.size + 2 {
            self.arr.set(HEADER + i, 0.0);
        }
    }

    /// Frames written so far (0: none yet).
    #[inline]
    pub fn count(self) -> u64 {
        self.arr.get(5) as u64
    }

    /// Csound's frame rule for a reader: whether a frame has come since the
    /// count it last saw (`last`), which then moves to the new count.
    #[inline]
    pub fn take_new(self, last: &mut u64) -> bool {
        let count = self.count();
        if count <= *last {
            return false;
        }
        *last = count;
        true
    }

    #[inline]
    pub fn set_count(self, n: u64) {
        self.arr.set(5, n as f64)
    }

    /// Copy the frame's `(amp, freq)` values into `dst` (`N + 2` values).
    #[inline]
    pub fn read(self, dst: &mut [f64]) {
        self.arr.read_into(HEADER, dst)
    }

    /// Write the frame's values from `src`, rounded to single precision:
    /// csound keeps frames in 32-bit floats even when its samples are
    /// doubles, and a resynthesis accumulates the frequencies' rounding in
    /// its phases, so rhapsody rounds the same way to sound the same.
    #[inline]
    pub fn write(self, src: &[f64]) {
        for (i, v) in src.iter().enumerate() {
            self.arr.set(HEADER + i, *v as f32 as f64);
        }
    }

    /// The value at `i` of the frame (bin `i / 2`, amp when even).
    #[inline]
    pub fn get(self, i: usize) -> f64 {
        self.arr.get(HEADER + i)
    }

    /// Set value `i` (rounded to single precision, as [`Fsig::write`]).
    #[inline]
    pub fn set(self, i: usize, v: f64) {
        self.arr.set(HEADER + i, v as f32 as f64)
    }
}

/// Values per track in a [`format::TRACKS`] frame: amplitude, frequency,
/// phase and the track's id; a list of tracks ends at an id of -1.
pub const TRACK: usize = 4;

/// The most tracks the frames of FFT size `n` carry (one per bin).
pub fn max_tracks(n: usize) -> usize {
    n / 2 + 1
}

impl Fsig {
    /// Describe a stream of track frames: room for every track the cells
    /// hold, the list empty and the count 0.
    pub fn reset_tracks(self, info: &FrameInfo) {
        self.reset(info);
        let cap = self.arr.capacity().saturating_sub(HEADER);
        self.arr.set_len(HEADER + cap);
        for i in 0..cap {
            self.arr.set(HEADER + i, 0.0);
        }
        self.arr.set(HEADER + 3, -1.0);
    }

    /// The most tracks this f-variable can carry.
    pub fn track_capacity(self) -> usize {
        self.arr.capacity().saturating_sub(HEADER) / TRACK
    }

    /// Track `i` of a track frame: (amp, freq, phase, id); the id is -1
    /// past the list's end.
    #[inline]
    pub fn track(self, i: usize) -> [f64; 4] {
        let at = HEADER + i * TRACK;
        [
            self.arr.get(at),
            self.arr.get(at + 1),
            self.arr.get(at + 2),
            self.arr.get(at + 3),
        ]
    }

    /// Write a list of tracks (ending it with an id of -1 when there is room).
    pub fn write_tracks(self, tracks: &[[f64; 4]]) {
        let cap = self.track_capacity();
        let n = tracks.len().min(cap);
        for (i, t) in tracks[..n].iter().enumerate() {
            let at = HEADER + i * TRACK;
            self.arr.set(at, t[0] as f32 as f64);
            self.arr.set(at + 1, t[1] as f32 as f64);
            self.arr.set(at + 2, t[2] as f32 as f64);
            self.arr.set(at + 3, t[3]);
        }
        if n < cap {
            self.arr.set(HEADER + n * TRACK + 3, -1.0);
        }
    }

    /// Read a list of tracks into `dst`; gives how many there were.
    pub fn read_tracks(self, dst: &mut [[f64; 4]]) -> usize {
        let cap = self.track_capacity().min(dst.len());
        for (i, slot) in dst.iter_mut().enumerate().take(cap) {
            let t = self.track(i);
            if t[3] < 0.0 {
                return i;
            }
            *slot = t;
        }
        cap
    }
}
