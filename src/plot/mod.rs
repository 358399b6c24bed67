//! Pictures of function tables, waveforms and 3-D line sets: PNG + SVG files and braille text.
//!
//! Everything here takes plain data (`f64` slices, labels) and knows nothing
//! of the engine or the script host.
//!
//! * [`draw_tables`] overlays one or more tables (x = index, y = value).
//! * [`draw_waveform`] draws sampled audio with seconds on x.
//! * [`draw_lines_3d`] draws polylines in 3-D: base lines in one colour, rulings in another.
//! * [`terminal_plot`] renders series as Unicode braille text for a console,
//!   [`terminal_lines_3d`] the 3-D lines.
//!
//! Every file-writing call writes `<dir>/<stem>.png` and `<dir>/<stem>.svg`,
//! creating `dir` when needed. Existing files of the same name are
//! **overwritten** (atomically: written to a temporary file, then renamed), so an
//! image viewer that watches `table-1.png` shows each new version of table 1.
//! To keep earlier pictures instead, pass the stem through [`unique_stem`].
//!
//! Faithfulness: a series with more points than the plot is wide in pixels (or
//! than the text grid has dot columns) is drawn with the minimum and maximum of
//! the points falling in each column, so a single-point click in a long table
//! stays visible. Non-finite values (NaN, ±inf) are left out and break the line.
//!
//! Text uses the embedded DejaVu Sans font (`assets/fonts/`), so no system fonts
//! or fontconfig are needed.

mod chart2d;
mod chart3d;
mod font;
mod naming;
mod output;
mod reduce;
mod terminal;

use std::path::{Path, PathBuf};

pub use chart2d::{draw_tables, draw_waveform, draw_waveforms};
pub use chart3d::draw_lines_3d;
pub use naming::{sanitize_stem, tables_stem, unique_stem};
pub use terminal::{terminal_lines_3d, terminal_plot, terminal_plot_coloured};

/// One curve to draw: a label for the legend and its values (x is the index).
///
/// For a function table, `points` may include the guard point or not; that is
/// the caller's choice and the picture shows exactly what is given.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text, e.g. `"table 1"`.
    pub label: String,
    /// Values; x is the position in this vector.
    pub points: Vec<f64>,
}

impl Series {
    /// A series from a label and its values.
    pub fn new(label: impl Into<String>, points: Vec<f64>) -> Self {
        Self {
            label: label.into(),
            points,
        }
    }
}

/// The two files one picture was written to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotFiles {
    /// The raster picture.
    pub png: PathBuf,
    /// The same picture as SVG (text kept as text).
    pub svg: PathBuf,
}

/// Size in pixels of the pictures of [`draw_tables`] and [`draw_waveform`].
pub const SIZE_2D: (u32, u32) = (1024, 576);
/// Size in pixels of the pictures of [`draw_lines_3d`].
pub const SIZE_3D: (u32, u32) = (900, 760);

/// Series colours, in order: series `i` gets `PALETTE[i % PALETTE.len()]`.
///
/// (The "tab10" palette: distinct on white and for most colour-blind viewers.)
pub const PALETTE: [(u8, u8, u8); 10] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
];

/// Colour of the base lines in [`draw_lines_3d`].
pub const BASE_COLOUR: (u8, u8, u8) = PALETTE[0];
/// Colour of the rulings in [`draw_lines_3d`].
pub const RULING_COLOUR: (u8, u8, u8) = PALETTE[1];

/// The colour of series `index`.
pub fn series_colour(index: usize) -> (u8, u8, u8) {
    PALETTE[index % PALETTE.len()]
}

/// The paths `<dir>/<stem>.png` and `<dir>/<stem>.svg`.
fn files_for(dir: &Path, stem: &str) -> PlotFiles {
    PlotFiles {
        png: dir.join(format!("{stem}.png")),
        svg: dir.join(format!("{stem}.svg")),
    }
}
