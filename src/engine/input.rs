//! The engine's audio input: where the input bus (`spin`) gets its samples
//! each block. A file given with `-i` and a sound card's input stream are
//! both an [`AudioInput`]; without one the bus stays silent (the silent
//! clock, or no `-i`).

/// A source of input samples, read once per control block on the audio
/// thread: implementations never allocate, lock, wait or do I/O there.
pub trait AudioInput: Send {
    /// Fill `spin` (`ksmps` frames of `nchnls_i` interleaved samples) with
    /// the next block, in 0dbfs units (`zero_dbfs` is full scale). What is
    /// not available (the file's end, an empty device ring) is silence.
    fn read(&mut self, spin: &mut [f64], zero_dbfs: f64);

    /// Samples the source could not deliver in time (device underruns),
    /// for the report; 0 for a file.
    fn shortfall(&self) -> u64 {
        0
    }
}
