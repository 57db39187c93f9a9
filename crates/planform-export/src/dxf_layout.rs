//! The DXF sheet (R2000+): a paper-space layout `Sheet` sized to the
//! sheet's paper in millimetres with one viewport over the whole page at
//! the sheet's 1:N scale, and in model space, on the layer `sheet`, the
//! frame, north arrow, scale and the same title block lines as the SVG
//! sheet ([`crate::sheet::title_lines`]), drawn N times their paper size
//! where the viewport shows them. Plotted from the layout at 1:1, a CAD
//! tool prints the SVG sheet's composition at 1:N on that paper.
//!
//! The frame and title block are in model space (the border-in-model
//! habit) rather than in paper space because tools without paper space
//! draw paper-space entities over the model: LibreCAD adds every
//! `*Paper_Space` block's entities to its drawing, so a title block a few
//! hundred millimetres from the origin and a plan millions of units away
//! (UTM) plot as two specks. Drawn in model space, LibreCAD's `dxf2pdf`
//! prints the whole sheet; only the viewport (which LibreCAD ignores) is
//! in paper space.

use acadrust::CadDocument;
use acadrust::entities::{
    EntityType, Line, LwPolyline, Solid, Text, TextHorizontalAlignment, TextVerticalAlignment,
    Viewport, ViewportStatusFlags,
};
use acadrust::objects::ObjectType;
use acadrust::tables::Layer as CadLayer;
use acadrust::types::{Color, Vector2, Vector3};

use crate::drawing::Drawing;
use crate::dxf_dims::TEXT_STYLE;
use crate::error::{ExportError, Result, cad};
use crate::sheet::{self, SheetLayout, SheetOptions};

/// The sheet's layout name.
pub(crate) const LAYOUT: &str = "Sheet";
/// The paper-space layer of the frame, title block and viewport.
pub(crate) const SHEET_LAYER: &str = "sheet";

/// The layout's paper-size name, as AutoCAD's DWG To PDF.pc3 spells it
/// (`ISO_A3_(297.00_x_420.00_MM)`, `ANSI_B_(11.00_x_17.00_Inches)`).
fn paper_name(l: &SheetLayout) -> String {
    use crate::sheet::Paper;
    let (w, h) = l.size_mm;
    let (a, b) = (w.min(h), w.max(h));
    let us = |name: &str| format!("{name}_({:.2}_x_{:.2}_Inches)", a / 25.4, b / 25.4);
    match l.paper {
        Paper::Letter => us("ANSI_A"),
        Paper::Tabloid => us("ANSI_B"),
        Paper::AnsiC => us("ANSI_C"),
        Paper::AnsiD => us("ANSI_D"),
        Paper::AnsiE => us("ANSI_E"),
        Paper::ArchC => us("ARCH_C"),
        Paper::ArchD => us("ARCH_D"),
        Paper::ArchE => us("ARCH_E"),
        iso => format!(
            "ISO_{}_({a:.2}_x_{b:.2}_MM)",
            iso.name().to_ascii_uppercase()
        ),
    }
}

/// The `sheet` layer and the `Sheet` layout, sized and set to plot the
/// paper at 1:1.
fn page_setup(doc: &mut CadDocument, layout: &SheetLayout) -> Result<()> {
    let (pw, ph) = layout.size_mm;
    let mut layer = CadLayer::new(SHEET_LAYER);
    layer.color = Color::from_index(7);
    doc.layers.add(layer).map_err(cad)?;
    let name = paper_name(layout);
    let handle = doc.add_layout(LAYOUT).map_err(cad)?;
    let Some(ObjectType::Layout(paper)) = doc.objects.get_mut(&handle) else {
        return Err(ExportError::Dxf("the sheet layout was not created".into()));
    };
    paper.paper_width = pw;
    paper.paper_height = ph;
    paper.paper_size = name;
    paper.plot_paper_units = 1;
    paper.plot_rotation = 0;
    // plot the layout (5) at 1:1: paper millimetres are plotted millimetres
    paper.plot_type = 5;
    paper.plot_scale_numerator = 1.0;
    paper.plot_scale_denominator = 1.0;
    paper.plot_scale_type = 16;
    paper.plot_scale_factor = 1.0;
    paper.min_limits = (0.0, 0.0);
    paper.max_limits = (pw, ph);
    paper.min_extents = (0.0, 0.0, 0.0);
    paper.max_extents = (pw, ph, 0.0);
    // paper space limits are the page (LibreCAD's dxf2pdf sizes its page
    // from them, in drawing units: a real page for millimetre drawings)
    doc.header.paper_space_limits_min = Vector2::new(0.0, 0.0);
    doc.header.paper_space_limits_max = Vector2::new(pw, ph);
    doc.header.paper_space_extents_min = Vector3::new(0.0, 0.0, 0.0);
    doc.header.paper_space_extents_max = Vector3::new(pw, ph, 0.0);
    Ok(())
}

/// Adds the sheet to `doc`: the `Sheet` layout with its viewport, and the
/// frame and title block in model space; `k` is drawing units per paper
/// millimetre, `b` the drawing's bounds.
pub(crate) fn add_sheet(
    doc: &mut CadDocument,
    d: &Drawing,
    o: &SheetOptions,
    layout: &SheetLayout,
    k: f64,
    b: [f64; 4],
) -> Result<()> {
    page_setup(doc, layout)?;
    let (pw, ph) = layout.size_mm;
    // paper millimetres, y up (the SVG sheet's are y down); the drawing
    // area's centre is the drawing's centre
    let up = |y: f64| ph - y;
    let a = layout.area;
    let (ax, ay) = (f64::midpoint(a.x0, a.x1), up(f64::midpoint(a.y0, a.y1)));
    let (cx, cy) = (f64::midpoint(b[0], b[2]), f64::midpoint(b[1], b[3]));
    let pm = |x: f64, y: f64| Vector3::new(cx + (x - ax) * k, cy + (y - ay) * k, 0.0);
    // one viewport over the whole page, at 1:N
    let mut vp = Viewport::with_size(Vector3::new(pw / 2.0, ph / 2.0, 0.0), pw, ph);
    vp.id = 2;
    vp.status = ViewportStatusFlags::default_on();
    vp.view_center = pm(pw / 2.0, ph / 2.0);
    vp.view_target = Vector3::ZERO;
    vp.view_height = ph * k;
    vp.custom_scale = 1.0 / k;
    vp.status.locked = true;
    vp.common.layer = SHEET_LAYER.into();
    doc.add_entity_to_layout(EntityType::Viewport(Box::new(vp)), LAYOUT)
        .map_err(cad)?;

    // the frame and title block, in model space at 1:N
    let mut add = |mut e: EntityType| -> Result<()> {
        e.common_mut().layer = SHEET_LAYER.into();
        doc.add_entity(e).map_err(cad)?;
        Ok(())
    };
    let line = |x0: f64, y0: f64, x1: f64, y1: f64| {
        let mut l = Line::new();
        l.start = pm(x0, y0);
        l.end = pm(x1, y1);
        EntityType::Line(l)
    };
    let m = sheet::MARGIN;
    let cw = sheet::column_width(pw);
    let x0 = pw - m - cw;
    let corners = [(m, m), (pw - m, m), (pw - m, ph - m), (m, ph - m)];
    let mut frame = LwPolyline::from_points(
        corners
            .iter()
            .map(|&(x, y)| {
                let v = pm(x, y);
                Vector2::new(v.x, v.y)
            })
            .collect(),
    );
    frame.is_closed = true;
    add(EntityType::LwPolyline(frame))?;
    add(line(x0, m, x0, ph - m))?;
    let text = |x: f64, y: f64, h: f64, t: &str, centred: bool| {
        let mut e = Text::with_value(t.to_owned(), pm(x, y)).with_height(h * k);
        e.style = TEXT_STYLE.into();
        if centred {
            e.horizontal_alignment = TextHorizontalAlignment::Center;
            e.vertical_alignment = TextVerticalAlignment::Middle;
            e.alignment_point = Some(pm(x, y));
        }
        EntityType::Text(e)
    };
    // north arrow (grid north of the frame) and the scale, at the top
    let (nx, ny) = (x0 + cw / 2.0, up(m + 14.0));
    add(EntityType::Solid(Solid::new(
        pm(nx, ny + 6.0),
        pm(nx - 2.5, ny - 4.0),
        pm(nx + 2.5, ny - 4.0),
        pm(nx + 2.5, ny - 4.0),
    )))?;
    add(text(nx, ny + 9.0, 3.0, "N", true))?;
    add(text(
        nx,
        ny - 8.0,
        2.5,
        &format!("SCALE {}", layout.scale.label),
        true,
    ))?;
    // the title block at the foot of the column, its lines as on the SVG
    let inner_l = x0 + 4.0;
    let lines = sheet::title_lines(o, layout, &sheet::heading(d, o), cw - 8.0);
    let block_h: f64 = lines.iter().map(|(h, _, _)| h * 1.45).sum::<f64>() + 4.0;
    let top = m + block_h;
    add(line(x0, top, pw - m, top))?;
    let mut y = top - 2.0;
    for (h, _, t) in &lines {
        y -= h * 1.45;
        add(text(inner_l, y + h * 0.35, *h, t, false))?;
    }
    Ok(())
}
