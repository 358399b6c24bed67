//! GEN routines: fill a function table from a score `f` statement, `ftgen` or
//! the host. One file per routine family; [`GENS`] lists them all.
//!
//! Size rules follow Csound 6: a power-of-two size gets a guard point that
//! repeats the first value (wrap-around); a power-of-two-plus-one size
//! computes the guard point as one more point of the shape ("extended guard
//! point"); other positive sizes are used as they are, with a guard point
//! that repeats the first value. A negative GEN number skips the final
//! rescaling to peak 1.

use crate::score::PValue;

/// Everything a GEN routine is given.
pub struct GenRequest<'a> {
    /// Table number being made (for messages).
    pub table: i32,
    /// Size as written in the statement (may be negative or 0 where the GEN
    /// allows a deferred size, e.g. GEN01).
    pub size: i32,
    /// p5 onwards: the GEN's own arguments.
    pub args: &'a [PValue],
    /// The engine's sample rate (GENs that read sound files or need time).
    pub sr: f64,
    /// Read access to existing tables, for GENs that derive from others.
    pub lookup: &'a dyn Fn(i32) -> Option<Vec<f64>>,
}

/// A generated table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableData {
    /// The points, `len + 1` of them: the last is the guard point.
    pub data: Vec<f64>,
    /// The table's length without the guard point (what `ftlen` reports).
    pub len: usize,
    /// For tables read from sound files: their sample rate and channel count.
    pub sample_rate: Option<f64>,
    pub channels: u32,
}

/// One GEN routine: its number, a one-line description for the reference,
/// and the function that computes it (without the rescaling, which
/// [`generate`] applies for positive GEN numbers).
pub struct GenSpec {
    pub number: u32,
    pub doc: &'static str,
    pub compute: fn(&GenRequest) -> Result<TableData, String>,
}

/// Every GEN routine rhapsody knows.
pub static GENS: &[GenSpec] = &[];

/// Make a table: `number_as_written` is the GEN number as written (negative = no rescale).
/// Errors are plain sentences; the caller adds the position.
pub fn generate(number_as_written: i32, req: &GenRequest) -> Result<TableData, String> {
    let number = number_as_written.unsigned_abs();
    let spec = GENS
        .iter()
        .find(|s| s.number == number)
        .ok_or_else(|| format!("GEN{number:02} is not supported by rhapsody (yet)"))?;
    let _ = spec;
    let _ = req;
    Err("GEN routines are not implemented yet".into())
}
