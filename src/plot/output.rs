//! Writing one picture as PNG and SVG, each through a temporary file and a rename.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{PlotFiles, files_for, font, naming::sanitize_stem};

/// Something that can draw itself on any plotters backend.
pub(crate) trait Picture {
    /// Draw the whole picture on `root` (already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()>;
}

/// Turn a plotters error (whose type differs per backend) into an `anyhow` error.
pub(crate) fn pe<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> Result<T> {
    r.map_err(|e| anyhow!("{what}: {e}"))
}

/// Draw `pic` into `<dir>/<stem>.png` and `<dir>/<stem>.svg` (stem sanitized),
/// creating `dir` and replacing existing files.
pub(crate) fn write_picture(
    dir: &Path,
    file_stem: &str,
    size: (u32, u32),
    pic: &impl Picture,
) -> Result<PlotFiles> {
    font::ensure_registered()?;
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the picture folder {}", dir.display()))?;
    let stem = sanitize_stem(file_stem);
    let files = files_for(dir, &stem);
    // Unique per process and call, so concurrent calls never share a temporary file.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let tag = format!(
        "{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    );

    // PNG: drawn into memory, then encoded here (indexed colour when the
    // picture has few colours, best compression) so pictures stay small.
    let (w, h) = size;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    let drawn = (|| -> Result<()> {
        let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        pe(root.fill(&WHITE), "filling the background")?;
        pic.draw(&root)?;
        pe(root.present(), "finishing the bitmap")?;
        Ok(())
    })();
    drawn.with_context(|| format!("drawing {}", files.png.display()))?;
    let tmp_png = dir.join(format!(".{stem}.tmp-{tag}.png"));
    if let Err(e) = write_png(&tmp_png, size, &rgb) {
        let _ = fs::remove_file(&tmp_png);
        return Err(e.context(format!("writing {}", files.png.display())));
    }
    fs::rename(&tmp_png, &files.png)
        .with_context(|| format!("cannot move the new picture to {}", files.png.display()))?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        pe(root.fill(&WHITE), "filling the background")?;
        pic.draw(&root)
            .with_context(|| format!("drawing {}", files.svg.display()))?;
        pe(root.present(), "finishing the SVG")?;
    }
    let tmp_svg = dir.join(format!(".{stem}.tmp-{tag}.svg"));
    fs::write(&tmp_svg, svg).with_context(|| format!("cannot write {}", tmp_svg.display()))?;
    fs::rename(&tmp_svg, &files.svg)
        .with_context(|| format!("cannot move the new picture to {}", files.svg.display()))?;
    Ok(files)
}

/// Encode an RGB buffer as an 8-bit indexed PNG with best compression.
/// A chart has few colours; when it has more than 256 (antialiased slopes),
/// the 256 most frequent are kept and each rare shade becomes its nearest
/// kept colour, which no eye tells apart and keeps files small (< 100 kB).
fn write_png(path: &Path, (w, h): (u32, u32), rgb: &[u8]) -> Result<()> {
    use std::collections::HashMap;
    let mut counts: HashMap<[u8; 3], u32> = HashMap::new();
    for px in rgb.chunks_exact(3) {
        *counts.entry([px[0], px[1], px[2]]).or_insert(0) += 1;
    }
    let mut by_use: Vec<([u8; 3], u32)> = counts.into_iter().collect();
    // Most used first; ties by colour, so the file is the same every time.
    by_use.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let palette: Vec<[u8; 3]> = by_use.iter().take(256).map(|c| c.0).collect();
    let distance = |a: [u8; 3], b: [u8; 3]| {
        (0..3)
            .map(|k| (i32::from(a[k]) - i32::from(b[k])).pow(2))
            .sum::<i32>()
    };
    let index: HashMap<[u8; 3], u8> = by_use
        .iter()
        .map(|(c, _)| {
            let nearest = (0..palette.len())
                .min_by_key(|&i| distance(*c, palette[i]))
                .unwrap_or(0);
            (*c, nearest as u8)
        })
        .collect();
    let indexed: Vec<u8> = rgb
        .chunks_exact(3)
        .map(|px| index.get(&[px[0], px[1], px[2]]).copied().unwrap_or(0))
        .collect();

    let file =
        fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_compression(png::Compression::Best);
    enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_palette(palette.concat());
    let mut writer = enc.write_header().context("writing the PNG header")?;
    writer
        .write_image_data(&indexed)
        .context("writing the PNG data")?;
    writer.finish().context("finishing the PNG")?;
    Ok(())
}
