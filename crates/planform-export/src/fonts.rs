//! The one usvg set-up the PNG preview and the PDF sheet share: the
//! system's fonts, with `sans-serif` mapped to the first common sans face
//! installed (it maps to Arial, which Linux rarely has).

#[cfg(feature = "png")]
pub(crate) use resvg::usvg;
#[cfg(all(feature = "pdf", not(feature = "png")))]
pub(crate) use svg2pdf::usvg;

/// Parses an SVG document with the system's fonts loaded.
pub(crate) fn parse(svg: &[u8]) -> crate::Result<usvg::Tree> {
    let mut opt = usvg::Options::default();
    let db = opt.fontdb_mut();
    db.load_system_fonts();
    let families: Vec<String> = db
        .faces()
        .filter_map(|f| f.families.first().map(|(n, _)| n.clone()))
        .collect();
    let sans = [
        "DejaVu Sans",
        "Liberation Sans",
        "Noto Sans",
        "Arial",
        "Helvetica",
    ]
    .iter()
    .find(|want| families.iter().any(|f| f == *want))
    .map(|s| (*s).to_owned())
    .or_else(|| families.first().cloned());
    if let Some(f) = sans {
        db.set_sans_serif_family(f);
    }
    usvg::Tree::from_data(svg, &opt).map_err(|e| crate::ExportError::Render(e.to_string()))
}
