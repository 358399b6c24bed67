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

    // PNG: the backend picks the encoder from the extension, so the temporary
    // name keeps ".png".
    let tmp_png = dir.join(format!(".{stem}.tmp-{tag}.png"));
    let png_result = (|| -> Result<()> {
        let root = BitMapBackend::new(&tmp_png, size).into_drawing_area();
        pe(root.fill(&WHITE), "filling the background")?;
        pic.draw(&root)?;
        pe(root.present(), "writing the PNG")?;
        Ok(())
    })();
    if let Err(e) = png_result {
        let _ = fs::remove_file(&tmp_png);
        return Err(e.context(format!("drawing {}", files.png.display())));
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
