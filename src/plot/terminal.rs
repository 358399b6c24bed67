//! Text pictures for a terminal: Unicode braille, 2 x 4 dots per character.

use super::reduce::{finite_range, padded, reduce_columns};
use super::{Series, series_colour};

/// The empty braille character (all dots off); added to a dot mask it gives the glyph.
const BRAILLE_BLANK: u32 = 0x2800;

/// Render `series` as `height` lines of `width` braille characters each.
///
/// The grid has `2 * width` dot columns and `4 * height` dot rows. x is the
/// index (all series share the scale of the longest one), y runs from the
/// smallest finite value (bottom row) to the largest (top row). Each dot column
/// shows the min..max of the points falling into it, joined to its
/// neighbours, so a one-point spike stays visible however long the series.
/// Non-finite values are skipped and break the line.
///
/// No colour codes (see [`terminal_plot_coloured`]). Returns an empty vector
/// when `width` or `height` is 0, and blank lines when there is no finite value.
pub fn terminal_plot(series: &[Series], width: usize, height: usize) -> Vec<String> {
    render(series, width, height, false)
}

/// Like [`terminal_plot`], with 24-bit ANSI colour codes: each character takes
/// the colour (see [`super::PALETTE`]) of the last series drawn into it, and
/// each non-blank line ends with a reset (`ESC[0m`).
pub fn terminal_plot_coloured(series: &[Series], width: usize, height: usize) -> Vec<String> {
    render(series, width, height, true)
}

/// Render 3-D polylines as braille text: `base` lines in series colour 0 and
/// `rulings` in colour 1 (as [`super::draw_lines_3d`] colours them, with
/// `colour`), seen from the same side (z up, turned and tilted), each axis
/// scaled to fill the grid. Points with a non-finite coordinate break their
/// line. Empty vector when `width` or `height` is 0.
pub fn terminal_lines_3d(
    base: &[Vec<[f64; 3]>],
    rulings: &[Vec<[f64; 3]>],
    width: usize,
    height: usize,
    colour: bool,
) -> Vec<String> {
    if width == 0 || height == 0 {
        return Vec::new();
    }
    let mut grid = Grid::new(width, height);
    let finite = |p: &&[f64; 3]| p.iter().all(|v| v.is_finite());
    let all: Vec<&[f64; 3]> = base
        .iter()
        .chain(rulings)
        .flatten()
        .filter(finite)
        .collect();
    if all.is_empty() {
        return grid.lines(colour);
    }
    // Each axis to -1..1, then turned about z and tilted towards the viewer.
    let ranges: Vec<(f64, f64)> = (0..3)
        .map(|k| {
            padded(
                finite_range(all.iter().map(|p| &p[k])).unwrap_or((0.0, 1.0)),
                0.0,
            )
        })
        .collect();
    let unit =
        |p: &[f64; 3], k: usize| 2.0 * (p[k] - ranges[k].0) / (ranges[k].1 - ranges[k].0) - 1.0;
    let (yaw, pitch) = (0.6f64, 0.35f64);
    let project = |p: &[f64; 3]| {
        let (x, y, z) = (unit(p, 0), unit(p, 1), unit(p, 2));
        let across = x * yaw.cos() - y * yaw.sin();
        let depth = x * yaw.sin() + y * yaw.cos();
        (across, z * pitch.cos() + depth * pitch.sin())
    };
    let screen: Vec<(f64, f64)> = all.iter().map(|p| project(p)).collect();
    let (sx, sy) = (
        padded(
            finite_range(screen.iter().map(|s| &s.0)).unwrap_or((0.0, 1.0)),
            0.0,
        ),
        padded(
            finite_range(screen.iter().map(|s| &s.1)).unwrap_or((0.0, 1.0)),
            0.0,
        ),
    );
    let (last_col, last_row) = ((width * 2 - 1) as f64, (height * 4 - 1) as f64);
    let to_dot = |p: &[f64; 3]| {
        let (a, b) = project(p);
        (
            (a - sx.0) / (sx.1 - sx.0) * last_col,
            (sy.1 - b) / (sy.1 - sy.0) * last_row,
        )
    };
    for (k, lines) in [(1, rulings), (0, base)] {
        for line in lines {
            for pair in line.windows(2) {
                if !(pair[0].iter().all(|v| v.is_finite()) && pair[1].iter().all(|v| v.is_finite()))
                {
                    continue;
                }
                let (a, b) = (to_dot(&pair[0]), to_dot(&pair[1]));
                let steps = (b.0 - a.0).abs().max((b.1 - a.1).abs()).ceil().max(1.0) as usize;
                for i in 0..=steps {
                    let t = i as f64 / steps as f64;
                    let x = (a.0 + (b.0 - a.0) * t).round().clamp(0.0, last_col) as usize;
                    let y = (a.1 + (b.1 - a.1) * t).round().clamp(0.0, last_row) as usize;
                    grid.vspan(x, y, y, k);
                }
            }
            if line.len() == 1 && line[0].iter().all(|v| v.is_finite()) {
                let (x, y) = to_dot(&line[0]);
                grid.vspan(
                    x.round() as usize,
                    y.round() as usize,
                    y.round() as usize,
                    k,
                );
            }
        }
    }
    grid.lines(colour)
}

/// The dot grid: a mask of dots per character, and which series drew there last.
struct Grid {
    width: usize,
    height: usize,
    masks: Vec<u8>,
    owner: Vec<Option<usize>>,
}

impl Grid {
    fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            masks: vec![0; width * height],
            owner: vec![None; width * height],
        }
    }

    /// Turn on the dots of column `x` from row `r0` to `r1` (either order), for series `k`.
    fn vspan(&mut self, x: usize, r0: usize, r1: usize, k: usize) {
        let (a, b) = if r0 <= r1 { (r0, r1) } else { (r1, r0) };
        for r in a..=b.min(self.height * 4 - 1) {
            let cell = (r / 4) * self.width + x / 2;
            self.masks[cell] |= dot_bit(x % 2, r % 4);
            self.owner[cell] = Some(k);
        }
    }

    fn lines(&self, colour: bool) -> Vec<String> {
        (0..self.height)
            .map(|row| {
                let mut line = String::new();
                let mut current: Option<usize> = None;
                for col in 0..self.width {
                    let cell = row * self.width + col;
                    if colour && self.masks[cell] != 0 && self.owner[cell] != current {
                        current = self.owner[cell];
                        if let Some(k) = current {
                            let (r, g, b) = series_colour(k);
                            line.push_str(&format!("\x1b[38;2;{r};{g};{b}m"));
                        }
                    }
                    let ch = char::from_u32(BRAILLE_BLANK + u32::from(self.masks[cell]));
                    line.push(ch.unwrap_or(' '));
                }
                if current.is_some() {
                    line.push_str("\x1b[0m");
                }
                line
            })
            .collect()
    }
}

/// The bit of the braille dot at column `dx` (0..2) and row `dy` (0..4) of a character.
fn dot_bit(dx: usize, dy: usize) -> u8 {
    const BITS: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
    BITS[dx][dy]
}

fn render(series: &[Series], width: usize, height: usize, colour: bool) -> Vec<String> {
    if width == 0 || height == 0 {
        return Vec::new();
    }
    let mut grid = Grid::new(width, height);
    let Some(range) = finite_range(series.iter().flat_map(|s| s.points.iter())) else {
        return grid.lines(colour);
    };
    let (lo, hi) = padded(range, 0.0);
    let (dots_x, dots_y) = (width * 2, height * 4);
    let last_row = (dots_y - 1) as f64;
    let row_of = |v: f64| {
        (((hi - v) / (hi - lo)) * last_row)
            .round()
            .clamp(0.0, last_row) as usize
    };
    let row_f = |v: f64| ((hi - v) / (hi - lo)) * last_row;
    let longest = series.iter().map(|s| s.points.len()).max().unwrap_or(0);
    let last_col = (dots_x - 1) as f64;
    let scale = if longest > 1 {
        last_col / (longest - 1) as f64
    } else {
        0.0
    };
    let col_of = |i: usize| (i as f64 * scale).round() as usize;

    for (k, s) in series.iter().enumerate() {
        for run in reduce_columns(&s.points, dots_x, col_of) {
            for c in &run {
                grid.vspan(c.col, row_of(c.min.1), row_of(c.max.1), k);
            }
            // Join each column to the next with a rasterised straight segment.
            for pair in run.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                let (ra, rb) = (row_f(a.last.1), row_f(b.first.1));
                let steps = (b.col - a.col) as f64;
                for x in a.col..=b.col {
                    let t0 = ((x - a.col) as f64 - 0.5).max(0.0) / steps;
                    let t1 = ((x - a.col) as f64 + 0.5).min(steps) / steps;
                    let r0 = ra + (rb - ra) * t0;
                    let r1 = ra + (rb - ra) * t1;
                    let clamp = |r: f64| r.round().clamp(0.0, last_row) as usize;
                    grid.vspan(x, clamp(r0), clamp(r1), k);
                }
            }
        }
    }
    grid.lines(colour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_blanks() {
        assert!(terminal_plot(&[], 0, 5).is_empty());
        let blank = terminal_plot(&[Series::new("nan", vec![f64::NAN; 10])], 4, 2);
        assert_eq!(blank, vec!["\u{2800}".repeat(4); 2]);
        let empty = terminal_plot(&[Series::new("empty", vec![])], 3, 1);
        assert_eq!(empty, vec!["\u{2800}".repeat(3)]);
    }

    #[test]
    fn rising_line_corners() {
        // 0..=7 over 1 x 2 characters (2 x 8 dots): bottom-left dot and top-right dot on.
        let lines = terminal_plot(
            &[Series::new("ramp", (0..8).map(f64::from).collect())],
            1,
            2,
        );
        assert_eq!(lines.len(), 2);
        let top = lines[0].chars().next().unwrap() as u32 - BRAILLE_BLANK;
        let bottom = lines[1].chars().next().unwrap() as u32 - BRAILLE_BLANK;
        assert_ne!(top & u32::from(dot_bit(1, 0)), 0);
        assert_ne!(bottom & u32::from(dot_bit(0, 3)), 0);
        assert_eq!(top & u32::from(dot_bit(0, 0)), 0);
    }

    #[test]
    fn single_point_and_flat() {
        let one = terminal_plot(&[Series::new("one", vec![3.0])], 2, 1);
        assert_eq!(one.len(), 1);
        assert_ne!(one[0], "\u{2800}".repeat(2));
        let flat = terminal_plot(&[Series::new("flat", vec![0.5; 100])], 5, 2);
        assert!(flat.iter().any(|l| l != &"\u{2800}".repeat(5)));
    }

    #[test]
    fn lines_3d_fill_the_grid() {
        let base = vec![
            vec![[0.0, 0.0, 0.0], [1.0, 0.0, 1.0]],
            vec![[0.0, 1.0, 1.0], [1.0, 1.0, 0.0]],
        ];
        let rulings = vec![vec![[0.0, 0.0, 0.0], [0.0, 1.0, 1.0]]];
        let lines = terminal_lines_3d(&base, &rulings, 20, 6, false);
        assert_eq!(lines.len(), 6);
        assert!(lines.iter().all(|l| l.chars().count() == 20));
        let dots: usize = lines
            .iter()
            .flat_map(|l| l.chars())
            .filter(|c| *c != '\u{2800}')
            .count();
        assert!(dots > 20, "{}", lines.join("\n"));
        assert!(terminal_lines_3d(&[], &[], 0, 3, false).is_empty());
        let c = terminal_lines_3d(&base, &rulings, 20, 6, true);
        assert!(c.iter().any(|l| l.contains("\x1b[38;2;")));
    }

    #[test]
    fn colour_codes_only_when_asked() {
        let s = [
            Series::new("a", vec![0.0, 1.0]),
            Series::new("b", vec![1.0, 0.0]),
        ];
        assert!(terminal_plot(&s, 4, 2).iter().all(|l| !l.contains('\x1b')));
        let c = terminal_plot_coloured(&s, 4, 2);
        assert!(c.iter().any(|l| l.contains("\x1b[38;2;")));
        assert!(
            c.iter()
                .filter(|l| l.contains('\x1b'))
                .all(|l| l.ends_with("\x1b[0m"))
        );
    }
}
