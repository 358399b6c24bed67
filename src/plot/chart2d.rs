//! Two-dimensional pictures: overlaid function tables and waveforms.

use std::path::Path;

use anyhow::{Result, bail};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::FAMILY;
use super::output::{Picture, pe, write_picture};
use super::reduce::{finite_range, padded, reduce_columns};
use super::{PlotFiles, SIZE_2D, Series, series_colour};

/// Width in pixels of the legend panel at the right of a tables picture.
const LEGEND_WIDTH: u32 = 200;
/// Longest legend label shown in full (in characters).
const LEGEND_MAX_CHARS: usize = 22;

/// Overlay one or more tables: x = index, y = value; one colour and one
/// legend entry per series (colours from [`super::PALETTE`], in order).
///
/// Writes `<dir>/<file_stem>.png` and `.svg` (the stem is sanitized, the
/// folder created, existing files replaced). A series longer than the plot is
/// wide is drawn with min/max per pixel column. Non-finite values are skipped
/// (the line breaks there); a series with no finite value is listed in the
/// legend as "(no data)". Fails if no series holds a finite value.
pub fn draw_tables(
    dir: &Path,
    file_stem: &str,
    title: &str,
    series: &[Series],
) -> Result<PlotFiles> {
    if series.is_empty() {
        bail!("no table to draw for {file_stem:?}: the list of series is empty");
    }
    let Some(y) = finite_range(series.iter().flat_map(|s| s.points.iter())) else {
        bail!("nothing to draw for {file_stem:?}: the tables hold no finite values");
    };
    let longest = series.iter().map(|s| s.points.len()).max().unwrap_or(0);
    let pic = Chart2d {
        title,
        x_desc: "index",
        y_desc: "value",
        x_range: (0.0, longest.saturating_sub(1).max(1) as f64),
        y_range: padded(y, 0.05),
        x_step: 1.0,
        series,
        legend: true,
    };
    write_picture(dir, file_stem, SIZE_2D, &pic)
}

/// Draw a waveform (e.g. the engine's recent output) with seconds on x.
///
/// Same files and rules as [`draw_tables`]; no legend. Fails if
/// `sample_rate` is not a positive finite number or if no sample is finite.
pub fn draw_waveform(
    dir: &Path,
    file_stem: &str,
    title: &str,
    samples: &[f64],
    sample_rate: f64,
) -> Result<PlotFiles> {
    draw_waveforms(
        dir,
        file_stem,
        title,
        &[Series::new("output", samples.to_vec())],
        sample_rate,
    )
}

/// Draw several waveforms of one sample rate overlaid (e.g. the channels of
/// the output), seconds on x; a legend names them when there are two or more.
///
/// Same files and rules as [`draw_waveform`].
pub fn draw_waveforms(
    dir: &Path,
    file_stem: &str,
    title: &str,
    channels: &[Series],
    sample_rate: f64,
) -> Result<PlotFiles> {
    if !(sample_rate.is_finite() && sample_rate > 0.0) {
        bail!(
            "cannot draw waveform {file_stem:?}: sample rate {sample_rate} is not a positive number"
        );
    }
    let Some(y) = finite_range(channels.iter().flat_map(|s| s.points.iter())) else {
        bail!("nothing to draw for {file_stem:?}: the waveform has no finite samples");
    };
    let longest = channels.iter().map(|s| s.points.len()).max().unwrap_or(0);
    let pic = Chart2d {
        title,
        x_desc: "time (s)",
        y_desc: "amplitude",
        x_range: (0.0, longest.saturating_sub(1).max(1) as f64 / sample_rate),
        y_range: padded(y, 0.05),
        x_step: 1.0 / sample_rate,
        series: channels,
        legend: channels.len() > 1,
    };
    write_picture(dir, file_stem, SIZE_2D, &pic)
}

/// A line chart of several series sharing one x scale (`x = index * x_step`).
struct Chart2d<'a> {
    title: &'a str,
    x_desc: &'a str,
    y_desc: &'a str,
    x_range: (f64, f64),
    y_range: (f64, f64),
    x_step: f64,
    series: &'a [Series],
    legend: bool,
}

impl Picture for Chart2d<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let (width, _) = root.dim_in_pixel();
        let (plot_area, legend_area) = if self.legend {
            let (l, r) = root.split_horizontally(width.saturating_sub(LEGEND_WIDTH));
            (l, Some(r))
        } else {
            (root.clone(), None)
        };
        let (x0, x1) = self.x_range;
        let (y0, y1) = self.y_range;
        let mut chart = pe(
            ChartBuilder::on(&plot_area)
                .caption(self.title, (FAMILY, 24))
                .margin(16)
                .x_label_area_size(48)
                .y_label_area_size(72)
                .build_cartesian_2d(x0..x1, y0..y1),
            "building the chart",
        )?;
        pe(
            chart
                .configure_mesh()
                .x_desc(self.x_desc)
                .y_desc(self.y_desc)
                .axis_desc_style((FAMILY, 16))
                .label_style((FAMILY, 13))
                .x_label_formatter(&|v| tick_label(*v))
                .y_label_formatter(&|v| tick_label(*v))
                .light_line_style(RGBColor(238, 238, 238))
                .bold_line_style(RGBColor(215, 215, 215))
                .draw(),
            "drawing the axes",
        )?;
        if y0 < 0.0 && y1 > 0.0 {
            pe(
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x0, 0.0), (x1, 0.0)],
                    RGBColor(150, 150, 150),
                ))),
                "drawing the zero line",
            )?;
        }

        // One column per pixel of the plotted area: map an index to its pixel
        // column, and a column back to an x value that lands on that column.
        let columns = chart.plotting_area().dim_in_pixel().0.max(1) as usize;
        let span = x1 - x0;
        let last_col = (columns - 1) as f64;
        let col_of = |i: usize| {
            let f = (i as f64 * self.x_step - x0) / span * last_col;
            f.round().clamp(0.0, last_col) as usize
        };
        let col_x = |c: usize| x0 + c as f64 / last_col.max(1.0) * span;

        for (k, s) in self.series.iter().enumerate() {
            let (r, g, b) = series_colour(k);
            let colour = RGBColor(r, g, b);
            for run in reduce_columns(&s.points, columns, col_of) {
                let mut path: Vec<(f64, f64)> = Vec::with_capacity(run.len() * 2);
                for c in &run {
                    if c.count == 1 {
                        path.push((c.first.0 as f64 * self.x_step, c.first.1));
                    } else {
                        let x = col_x(c.col);
                        path.extend(c.path_points().into_iter().map(|(_, v)| (x, v)));
                    }
                }
                if path.len() == 1 {
                    pe(
                        chart.draw_series(std::iter::once(Circle::new(
                            path[0],
                            3,
                            colour.filled(),
                        ))),
                        "drawing a point",
                    )?;
                } else {
                    pe(
                        chart.draw_series(std::iter::once(PathElement::new(path, colour))),
                        "drawing a series",
                    )?;
                }
            }
        }
        if let Some(area) = legend_area {
            draw_legend(&area, self.series)?;
        }
        Ok(())
    }
}

/// A tick label: no trailing zeros, no "-0", at most 4 decimals (e.g. `"500"`, `"0.25"`).
pub(crate) fn tick_label(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// The legend panel: a coloured swatch and the label of each series, top down;
/// what does not fit is summarised as "+N more".
fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, series: &[Series]) -> Result<()> {
    const TOP: i32 = 64;
    const ROW: i32 = 24;
    let (_, height) = area.dim_in_pixel();
    let fits = ((height as i32 - TOP - ROW) / ROW).max(1) as usize;
    let text = TextStyle::from((FAMILY, 15)).color(&BLACK);
    for (k, s) in series.iter().enumerate() {
        let y = TOP + k as i32 * ROW;
        if k == fits && series.len() > fits {
            let more = format!("+{} more", series.len() - fits);
            pe(area.draw_text(&more, &text, (8, y)), "drawing the legend")?;
            break;
        }
        let (r, g, b) = series_colour(k);
        let swatch = ShapeStyle::from(RGBColor(r, g, b)).stroke_width(3);
        pe(
            area.draw(&PathElement::new(vec![(8, y + 8), (36, y + 8)], swatch)),
            "drawing the legend",
        )?;
        let mut label: String = if s.label.chars().count() > LEGEND_MAX_CHARS {
            let cut: String = s.label.chars().take(LEGEND_MAX_CHARS - 1).collect();
            format!("{cut}…")
        } else {
            s.label.clone()
        };
        if !s.points.iter().any(|v| v.is_finite()) {
            label.push_str(" (no data)");
        }
        pe(area.draw_text(&label, &text, (44, y)), "drawing the legend")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::tick_label;

    #[test]
    fn tick_labels() {
        assert_eq!(tick_label(500.0), "500");
        assert_eq!(tick_label(-0.0000001), "0");
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(tick_label(-1.0), "-1");
        assert_eq!(tick_label(0.000125), "0.0001");
    }
}
