//! SVG → PNG with resvg (feature `png`): the same document the SVG output
//! writes, rasterised at `scale` × its size. Text needs fonts: the system's
//! font folders are loaded once (DejaVu Sans is what the style sheet asks
//! for first); without any font the shapes still render and the labels are
//! left out.

use super::GraphError;
use std::sync::{Arc, OnceLock};

fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        for dir in [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            "/System/Library/Fonts",
            "C:\\Windows\\Fonts",
        ] {
            db.load_fonts_dir(dir);
        }
        db.set_sans_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans Mono");
        Arc::new(db)
    })
    .clone()
}

/// Render an SVG document to PNG bytes.
pub fn render(svg: &str, scale: f32) -> Result<Vec<u8>, GraphError> {
    let opt = resvg::usvg::Options {
        fontdb: fonts(),
        ..resvg::usvg::Options::default()
    };
    let tree =
        resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| GraphError::Png(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| GraphError::Png("empty image".into()))?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
            GraphError::Png(format!(
                "cannot allocate {}×{} pixels",
                size.width(),
                size.height()
            ))
        })?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| GraphError::Png(e.to_string()))
}
