//! GEN routines: fill a function table from a score `f` statement, `ftgen` or
//! the host. One file per routine family; [`GENS`] lists them all.
//!
//! Size rules follow Csound 6.18 (checked against the `csound` binary):
//!
//! * a power-of-two size `N` gives `N` points plus a guard point that repeats
//!   the first value (wrap-around);
//! * a power-of-two-plus-one size `N + 1` (3, 5, 9, 17, ...) gives `N` points
//!   plus an "extended guard point", computed as one more point of the shape;
//! * any other positive size `N` gives `N` points plus an extended guard point;
//! * a negative size `-N` gives `N` points plus an extended guard point, even
//!   when `N` is a power of two;
//! * size 0 asks the GEN to choose (deferred size: GEN01 and GEN23 only).
//!
//! A positive GEN number rescales the finished table (guard point included)
//! so that its peak absolute value is 1; a negative GEN number keeps the
//! values as computed.

mod gen01;
pub use gen01::read_wav;
mod gen02;
mod gen03;
mod gen04_24;
mod gen05_07;
mod gen06;
mod gen08;
mod gen09_10_19;
mod gen11;
mod gen12;
mod gen13_14;
mod gen16;
mod gen17;
mod gen18;
mod gen20;
mod gen21;
mod gen23;
pub use gen23::parse_numbers;
mod gen25_27;
mod gen41_42;
mod gen51_52;

use crate::score::PValue;

/// Everything a GEN routine is given.
pub struct GenRequest<'a> {
    /// Table number being made (for messages).
    pub table: i32,
    /// Size as written in the statement, already truncated toward zero as
    /// Csound's score reader does (`10.6` is 10). Negative means "exactly this
    /// many points, extended guard point"; 0 asks for a deferred size where
    /// the GEN allows it (GEN01, GEN23).
    pub size: i32,
    /// p5 onwards: the GEN's own arguments.
    pub args: &'a [PValue],
    /// The engine's sample rate (GENs that read sound files or need time).
    pub sr: f64,
    /// Read access to existing tables, for GENs that derive from others.
    pub lookup: &'a dyn Fn(i32) -> Option<Vec<f64>>,
    /// The orchestra file's directory, where relative file names are looked for.
    pub dir: Option<&'a std::path::Path>,
    /// The orchestra's 0dbfs: GEN01 gives a file's samples in its units, as
    /// csound does (full scale is 32768 in an orchestra that does not set it).
    pub zero_dbfs: f64,
}

/// The directory of the file named `source` (None when it has none, e.g.
/// code typed at the console, so names resolve against the current one).
pub fn source_dir(source: &str) -> Option<std::path::PathBuf> {
    std::path::Path::new(source)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.to_path_buf())
}

/// Where to open the sound file `name`: as given when absolute or present
/// in the current directory, else in the orchestra's directory `dir`, else
/// in `$SSDIR` and `$SFDIR` (csound's search order for a CSD's files). A
/// name found nowhere is returned as given, so the error names it.
pub fn resolve_file(name: &str, dir: Option<&std::path::Path>) -> std::path::PathBuf {
    let path = std::path::Path::new(name);
    if path.is_absolute() || path.exists() {
        return path.to_path_buf();
    }
    let env_dirs = ["SSDIR", "SFDIR"]
        .iter()
        .filter_map(|v| std::env::var_os(v).map(std::path::PathBuf::from));
    dir.map(|d| d.to_path_buf())
        .into_iter()
        .chain(env_dirs)
        .map(|d| d.join(path))
        .find(|p| p.exists())
        .unwrap_or_else(|| path.to_path_buf())
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
    /// For tables read from sound files: the sustain and release loops the
    /// file's sampler chunk names (what `loscil`'s default mode plays).
    pub loops: [Option<FileLoop>; 2],
}

/// A loop stored in a sound file, in frames from the start of the table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FileLoop {
    /// `loscil`'s loop modes: 1 forward, 2 forward and backward.
    pub mode: i32,
    pub begin: f64,
    pub end: f64,
}

impl TableData {
    /// A mono table from `len + 1` points (the last being the guard point).
    pub fn from_points(data: Vec<f64>) -> TableData {
        let len = data.len().saturating_sub(1);
        TableData {
            data,
            len,
            sample_rate: None,
            channels: 1,
            loops: [None; 2],
        }
    }
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
pub static GENS: &[GenSpec] = &[
    GenSpec {
        number: 1,
        doc: "Reads a WAV file: p5 file name, p6 skip time in seconds, p7 format (0 = as in the file), p8 channel (0 = all, interleaved); size 0 = the file's length. The loops of a sampler (`smpl`) chunk are kept for `loscil`.",
        compute: gen01::gen01,
    },
    GenSpec {
        number: 2,
        doc: "Copies the arguments into the table as they are (rescaled to peak 1 unless the GEN number is negative).",
        compute: gen02::gen02,
    },
    GenSpec {
        number: 3,
        doc: "Polynomial c0 + c1 x + c2 x^2 + ... evaluated over x from p5 to p6 (coefficients from p7).",
        compute: gen03::gen03,
    },
    GenSpec {
        number: 4,
        doc: "Normalizing function of another table: p5 source, p6 mode (0 left to right, else from the middle outwards); each point is 1 / the largest absolute value scanned so far.",
        compute: gen04_24::gen04,
    },
    GenSpec {
        number: 5,
        doc: "Exponential segments: a, n1, b, n2, c, ... (values non-zero and of one sign, lengths in points).",
        compute: gen05_07::gen05,
    },
    GenSpec {
        number: 6,
        doc: "Cubic segments through alternating extremes and inflexion points: a, n1, b, n2, c, ...",
        compute: gen06::gen06,
    },
    GenSpec {
        number: 7,
        doc: "Straight-line segments: a, n1, b, n2, c, ... (lengths in points).",
        compute: gen05_07::gen07,
    },
    GenSpec {
        number: 8,
        doc: "Cubic spline through the points a, n1, b, n2, c, ... with zero slope at both ends.",
        compute: gen08::gen08,
    },
    GenSpec {
        number: 9,
        doc: "Sum of sinusoids: triplets of partial number (may be fractional), strength, initial phase in degrees.",
        compute: gen09_10_19::gen09,
    },
    GenSpec {
        number: 10,
        doc: "Sum of harmonic sines: the strengths of partials 1, 2, 3, ...",
        compute: gen09_10_19::gen10,
    },
    GenSpec {
        number: 11,
        doc: "Sum of cosine partials (buzz): number of harmonics, lowest harmonic, amplitude ratio between successive partials.",
        compute: gen11::gen11,
    },
    GenSpec {
        number: 12,
        doc: "Natural log of the modified Bessel function I0 over x from 0 to p5 (for amplitude-modulated FM; use -12).",
        compute: gen12::gen12,
    },
    GenSpec {
        number: 13,
        doc: "Waveshaping polynomial from Chebyshev polynomials of the first kind: p5 xint, p6 xamp, then strengths of partials 0, 1, 2, ...",
        compute: gen13_14::gen13,
    },
    GenSpec {
        number: 14,
        doc: "As GEN13 with Chebyshev polynomials of the second kind.",
        compute: gen13_14::gen14,
    },
    GenSpec {
        number: 16,
        doc: "Curved segments: start, then triplets of duration in points, curvature (0 = straight, > 0 slow rise, < 0 fast rise), next value.",
        compute: gen16::gen16,
    },
    GenSpec {
        number: 17,
        doc: "Step function: pairs of index (increasing, starting at 0) and value, each value held up to the next index.",
        compute: gen17::gen17,
    },
    GenSpec {
        number: 18,
        doc: "Composite of tables: groups of table, amplitude, start and finish point; each table is stretched over its span and added.",
        compute: gen18::gen18,
    },
    GenSpec {
        number: 19,
        doc: "Sum of sinusoids with offsets: quadruplets of partial number, strength, initial phase in degrees, DC offset.",
        compute: gen09_10_19::gen19,
    },
    GenSpec {
        number: 20,
        doc: "Window functions: p5 type (1 Hamming, 2 Hanning, 3 Bartlett, 4 Blackman, 5 Blackman-Harris, 6 Gaussian, 7 Kaiser, 8 rectangle, 9 sinc), p6 peak, p7 option.",
        compute: gen20::gen20,
    },
    GenSpec {
        number: 21,
        doc: "Random values from a distribution: p5 type (1 uniform, 2 linear, 3 triangular, 4 exponential, 5 biexponential, 6 Gaussian, 7 Cauchy, 8 positive Cauchy, 9 beta, 10 Weibull, 11 Poisson), p6 level, p7/p8 shape.",
        compute: gen21::gen21,
    },
    GenSpec {
        number: 23,
        doc: "Reads numbers from a text file (separated by spaces, commas or new lines; ';' and '#' start comments); size 0 = as many as the file holds.",
        compute: gen23::gen23,
    },
    GenSpec {
        number: 24,
        doc: "Another table (p5) rescaled linearly so that its values span p6 (min) to p7 (max).",
        compute: gen04_24::gen24,
    },
    GenSpec {
        number: 25,
        doc: "Exponential segments between breakpoints: pairs of x (in points, increasing) and y (positive).",
        compute: gen25_27::gen25,
    },
    GenSpec {
        number: 27,
        doc: "Straight-line segments between breakpoints: pairs of x (in points, increasing) and y.",
        compute: gen25_27::gen27,
    },
    GenSpec {
        number: 41,
        doc: "Discrete distribution for duserrnd/urd: pairs of value and probability, each value repeated in proportion.",
        compute: gen41_42::gen41,
    },
    GenSpec {
        number: 42,
        doc: "Distribution of ranges for duserrnd/urd: triplets of min, max and probability, each range spread evenly over its share.",
        compute: gen41_42::gen42,
    },
    GenSpec {
        number: 51,
        doc: "Microtuning scale (for cpstun): p5 grades, p6 interval, p7 base frequency, p8 base key, then the grades' ratios.",
        compute: gen51_52::gen51,
    },
    GenSpec {
        number: 52,
        doc: "Interleaves tables into a multichannel table: p5 channels, then per channel source table, offset and the source's channel count.",
        compute: gen51_52::gen52,
    },
];

/// The largest table rhapsody will build (points without the guard point):
/// big enough for long sound files, small enough not to exhaust memory on a
/// typo.
pub const MAX_TABLE_LEN: usize = 1 << 26;

/// The length (without guard point) of a table of the given written size,
/// and whether its guard point wraps around (repeats the first point) rather
/// than extending the shape. `None` for size 0 (deferred).
pub fn table_shape(size: i32) -> Option<Result<(usize, bool), String>> {
    if size == 0 {
        return None;
    }
    let n = size.unsigned_abs() as usize;
    if n > MAX_TABLE_LEN {
        return Some(Err(format!(
            "table size {size} is too large (at most {MAX_TABLE_LEN} points)"
        )));
    }
    if size < 0 {
        // Negative size: exactly that many points, guard point extended.
        return Some(Ok((n, false)));
    }
    if n.is_power_of_two() && n > 1 {
        // (Csound 6.18 gives a one-point table an extended guard point.)
        return Some(Ok((n, true)));
    }
    if n >= 3 && (n - 1).is_power_of_two() {
        // 2^k + 1: the extra point is the extended guard point.
        return Some(Ok((n - 1, false)));
    }
    Some(Ok((n, false)))
}

/// The table length for a GEN that needs an explicit size.
fn required_len(req: &GenRequest, gno: u32) -> Result<usize, String> {
    match table_shape(req.size) {
        None => Err(format!(
            "GEN{gno:02} needs a table size (size 0 is only for GEN01 and GEN23)"
        )),
        Some(r) => r.map(|(len, _)| len),
    }
}

/// The arguments as numbers; a string where a number is needed is an error
/// (Csound would silently read it as a meaningless code).
fn numeric_args(req: &GenRequest, gno: u32) -> Result<Vec<f64>, String> {
    req.args
        .iter()
        .enumerate()
        .map(|(i, a)| match a {
            PValue::Num(x) => Ok(*x),
            PValue::Str(s) => Err(format!(
                "GEN{gno:02}: argument {} must be a number, not the string \"{s}\"",
                i + 1
            )),
        })
        .collect()
}

/// Refuses a deferred length beyond [`MAX_TABLE_LEN`].
fn check_deferred_len(gno: u32, len: usize) -> Result<usize, String> {
    if len > MAX_TABLE_LEN {
        Err(format!(
            "GEN{gno:02}: the file would make a table of {len} points (at most {MAX_TABLE_LEN})"
        ))
    } else {
        Ok(len)
    }
}

/// A string argument (file names for GEN01 and GEN23).
fn string_arg<'a>(req: &'a GenRequest, gno: u32, what: &str) -> Result<&'a str, String> {
    match req.args.first() {
        Some(PValue::Str(s)) => Ok(s),
        Some(PValue::Num(_)) => Err(format!(
            "GEN{gno:02}: the first argument must be {what} in double quotes"
        )),
        None => Err(format!("GEN{gno:02} needs {what}")),
    }
}

/// Make a table: `number_as_written` is the GEN number as written (negative = no rescale).
/// Errors are plain sentences; the caller adds the position.
///
/// The GEN computes `len + 1` points, the last being its own extension of
/// the shape; for power-of-two sizes that guard point is then replaced by
/// the first point, and for positive GEN numbers every point (guard point
/// included) is divided by the peak absolute value, unless that is 0 or 1.
pub fn generate(number_as_written: i32, req: &GenRequest) -> Result<TableData, String> {
    let number = number_as_written.unsigned_abs();
    if number == 0 {
        return Err("GEN number 0 does not exist".into());
    }
    let spec = GENS
        .iter()
        .find(|s| s.number == number)
        .ok_or_else(|| format!("GEN{number:02} is not supported by rhapsody (yet)"))?;
    let wrap_guard = match table_shape(req.size) {
        None => false,
        Some(r) => {
            let (len, wrap) = r?;
            memory_for(len)?;
            wrap
        }
    };
    let mut table = (spec.compute)(req)?;
    if table.data.len() != table.len + 1 {
        // Keep the `len + 1` invariant whatever a GEN returned.
        table.data.resize(table.len + 1, 0.0);
    }
    if wrap_guard && !table.data.is_empty() {
        let last = table.data.len() - 1;
        table.data[last] = table.data[0];
    }
    if number_as_written > 0 {
        rescale_to_peak_one(&mut table.data);
    }
    // Every note that reads the table would carry a NaN or an infinity on.
    if let Some(i) = table.data.iter().position(|x| !x.is_finite()) {
        return Err(format!(
            "GEN{number:02} made a value that is not finite (point {i}): table not made"
        ));
    }
    Ok(table)
}

/// Whether the memory for a table of `len` points can be had: the GEN's
/// points and the table's copy of them are reserved and let go before the
/// GEN runs, so that a refused allocation is an error here rather than an
/// abort inside the GEN (ten 64M-point tables under a 4 GB address space
/// aborted the process at the sixth).
fn memory_for(len: usize) -> Result<(), String> {
    let mut probe: Vec<f64> = Vec::new();
    probe
        .try_reserve_exact(2 * (len + 1))
        .map_err(|_| format!("not enough memory for a table of {len} points"))
}

/// Divides every point by the peak absolute value (Csound leaves tables
/// whose peak is 0 or exactly 1 untouched).
fn rescale_to_peak_one(data: &mut [f64]) {
    let peak = data.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if peak != 0.0 && peak != 1.0 && peak.is_finite() {
        for x in data.iter_mut() {
            *x /= peak;
        }
    }
}

/// A zeroed table of `len + 1` points (Csound clears new tables, so points a
/// GEN does not reach stay 0).
fn zeroed(len: usize) -> Vec<f64> {
    vec![0.0; len + 1]
}
