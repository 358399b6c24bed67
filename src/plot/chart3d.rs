//! Three-dimensional pictures: polylines such as the base lines and rulings of a ruled surface.

use std::path::Path;

use anyhow::{Result, bail};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart2d::tick_label;
use super::font::FAMILY;
use super::output::{Picture, pe, write_picture};
use super::reduce::{finite_range, padded};
use super::{BASE_COLOUR, PlotFiles, RULING_COLOUR, SIZE_3D};

/// Draw polylines in 3-D: the `base` lines (e.g. l1 and l2 of a ruled
/// surface) in [`BASE_COLOUR`], thicker, and the `rulings` in [`RULING_COLOUR`];
/// a legend names both, and the axes are labelled x, y and z (z up).
///
/// Each inner vector is one polyline of `[x, y, z]` points. Points with a
/// non-finite coordinate are skipped and break their line; a polyline of one
/// point is drawn as a dot. Writes `<dir>/<file_stem>.png` and `.svg` like
/// [`super::draw_tables`]. Fails if there is no finite point at all.
pub fn draw_lines_3d(
    dir: &Path,
    file_stem: &str,
    title: &str,
    base: &[Vec<[f64; 3]>],
    rulings: &[Vec<[f64; 3]>],
) -> Result<PlotFiles> {
    let finite = |p: &&[f64; 3]| p.iter().all(|v| v.is_finite());
    let all: Vec<&[f64; 3]> = base
        .iter()
        .chain(rulings)
        .flatten()
        .filter(finite)
        .collect();
    if all.is_empty() {
        bail!("nothing to draw for {file_stem:?}: the lines hold no finite points");
    }
    let axis = |k: usize| {
        let r = finite_range(all.iter().map(|p| &p[k])).unwrap_or((0.0, 1.0));
        padded(r, 0.05)
    };
    let pic = Lines3d {
        title,
        ranges: [axis(0), axis(1), axis(2)],
        base,
        rulings,
    };
    write_picture(dir, file_stem, SIZE_3D, &pic)
}

struct Lines3d<'a> {
    title: &'a str,
    /// Ranges of x, y and z.
    ranges: [(f64, f64); 3],
    base: &'a [Vec<[f64; 3]>],
    rulings: &'a [Vec<[f64; 3]>],
}

/// The finite stretches of a polyline, as plotters coordinates (x, z, y): plotters' y is up.
fn stretches(line: &[[f64; 3]]) -> Vec<Vec<(f64, f64, f64)>> {
    line.split(|p| !p.iter().all(|v| v.is_finite()))
        .filter(|s| !s.is_empty())
        .map(|s| s.iter().map(|p| (p[0], p[2], p[1])).collect())
        .collect()
}

impl Picture for Lines3d<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let [(x0, x1), (y0, y1), (z0, z1)] = self.ranges;
        let mut chart = pe(
            ChartBuilder::on(root)
                .caption(self.title, (FAMILY, 24))
                .margin(24)
                .build_cartesian_3d(x0..x1, z0..z1, y0..y1),
            "building the 3-D chart",
        )?;
        chart.with_projection(|mut p| {
            p.yaw = 0.6;
            p.pitch = 0.35;
            p.scale = 0.8;
            p.into_matrix()
        });
        pe(
            chart
                .configure_axes()
                .label_style((FAMILY, 13))
                .light_grid_style(RGBColor(235, 235, 235))
                .bold_grid_style(RGBColor(205, 205, 205))
                .axis_panel_style(RGBColor(250, 250, 250))
                .max_light_lines(3)
                .x_formatter(&|v| tick_label(*v))
                .y_formatter(&|v| tick_label(*v))
                .z_formatter(&|v| tick_label(*v))
                .draw(),
            "drawing the 3-D axes",
        )?;

        // Axis names beside the middle of the edges that carry the tick labels
        // (with this projection: x on the front-left edge, y on the front-right
        // one, z on the left vertical one), past the tick labels.
        let name = TextStyle::from((FAMILY, 20)).color(&BLACK);
        let (dx, dy) = ((x1 - x0) * 0.22, (y1 - y0) * 0.22);
        let mid = |a: f64, b: f64| (a + b) / 2.0;
        let names = [
            ("x", (mid(x0, x1), z0, y1 + dy)),
            ("y", (x1 + dx, z0, mid(y0, y1))),
            ("z", (x0, mid(z0, z1), y1 + dy)),
        ];
        pe(
            chart.draw_series(
                names
                    .iter()
                    .map(|(t, pos)| Text::new(t.to_string(), *pos, name.clone())),
            ),
            "labelling the axes",
        )?;

        let groups = [
            (self.rulings, RULING_COLOUR, 1, "rulings"),
            (self.base, BASE_COLOUR, 3, "base lines"),
        ];
        for (lines, (r, g, b), width, label) in groups {
            let style = ShapeStyle::from(RGBColor(r, g, b)).stroke_width(width);
            let mut labelled = false;
            for line in lines {
                for stretch in stretches(line) {
                    let drawn = if stretch.len() == 1 {
                        pe(
                            chart.draw_series(std::iter::once(Circle::new(
                                stretch[0],
                                3,
                                style.filled(),
                            ))),
                            "drawing a point",
                        )?
                    } else {
                        pe(
                            chart.draw_series(std::iter::once(PathElement::new(stretch, style))),
                            "drawing a line",
                        )?
                    };
                    if !labelled {
                        labelled = true;
                        drawn.label(label).legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 24, y)], style)
                        });
                    }
                }
            }
        }
        pe(
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font((FAMILY, 15))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(180, 180, 180))
                .draw(),
            "drawing the legend",
        )?;
        Ok(())
    }
}
