//! PDF sheets (feature `pdf`): the [`crate::sheet`] SVG converted by
//! svg2pdf, pure Rust. The page is the sheet's paper size (usvg reads
//! `width="…mm"` at 96 px per inch, so the conversion runs at 96 dpi), text
//! stays text (embedded, subset fonts with a Unicode map, so it can be
//! searched and copied), and lines stay vectors.

use crate::error::{ExportError, Result};

/// Converts an SVG document (a sheet) to a one-page PDF.
pub fn svg_to_pdf(svg: &[u8]) -> Result<Vec<u8>> {
    let tree = crate::fonts::parse(svg)?;
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page)
        .map_err(|e| ExportError::Render(format!("PDF: {e}")))
}
