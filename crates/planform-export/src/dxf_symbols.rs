//! CAD symbols (R2000+): the block each symbol layer's INSERTs refer to
//! (see [`crate::drawing::Symbol`]), and where an entity's INSERT goes.
//!
//! The block is drawn at unit size around its base point (the INSERT's
//! scale is the entity's radius): a circle and a centre cross, the common
//! plan symbol of a tree, and an invisible ATTDEF per attribute so that
//! CAD tools list them, prompt for them and extract them.

use acadrust::CadDocument;
use acadrust::entities::{AttributeDefinition, Circle, EntityType, Line};
use acadrust::tables::{BlockRecord, TableEntry};
use acadrust::types::{Color, Vector3};
use geo_types::Coord;

use crate::drawing::{Drawing, Entity, Shape, Symbol, Value};
use crate::dxf_dims::TEXT_STYLE;
use crate::error::{Result, cad};

/// The symbols the drawing's layers use, each once.
pub(crate) fn symbols(d: &Drawing) -> Vec<&Symbol> {
    let mut out: Vec<&Symbol> = Vec::new();
    for l in &d.layers {
        if let Some(s) = &l.style.symbol
            && !l.entities.is_empty()
            && !out.iter().any(|o| o.block == s.block)
        {
            out.push(s);
        }
    }
    out
}

/// Adds a block of `parts`, drawn on layer 0 in the colour BYBLOCK so
/// that they take the layer and colour of what refers to them (an INSERT,
/// a dimension). An anonymous block (`*D1`) belongs to one dimension.
pub(crate) fn add_block(
    doc: &mut CadDocument,
    name: &str,
    anonymous: bool,
    parts: Vec<EntityType>,
) -> Result<()> {
    let mut br = BlockRecord::new(name);
    br.flags.anonymous = anonymous;
    let owner = doc.allocate_handle();
    br.set_handle(owner);
    br.block_entity_handle = doc.allocate_handle();
    br.block_end_handle = doc.allocate_handle();
    doc.block_records.add(br).map_err(cad)?;
    for mut e in parts {
        let c = e.common_mut();
        c.owner_handle = owner;
        c.layer = "0".into();
        c.color = Color::ByBlock;
        doc.add_entity(e).map_err(cad)?;
    }
    Ok(())
}

/// Adds the blocks of `symbols` to the document.
pub(crate) fn add_blocks(doc: &mut CadDocument, symbols: &[&Symbol]) -> Result<()> {
    for s in symbols {
        let mut parts = vec![
            EntityType::Circle(Circle::from_coords(0.0, 0.0, 0.0, 1.0)),
            EntityType::Line(Line::from_coords(-0.15, 0.0, 0.0, 0.15, 0.0, 0.0)),
            EntityType::Line(Line::from_coords(0.0, -0.15, 0.0, 0.0, 0.15, 0.0)),
        ];
        for (i, (tag, name)) in s.attributes.iter().enumerate() {
            let mut a = AttributeDefinition::new(tag.clone(), name.clone(), String::new());
            a.insertion_point = Vector3::new(0.0, -0.3 * (i as f64 + 1.0), 0.0);
            a.height = 0.2;
            a.text_style = TEXT_STYLE.into();
            a.flags.invisible = true;
            parts.push(EntityType::AttributeDefinition(a));
        }
        add_block(doc, &s.block, false, parts)?;
    }
    Ok(())
}

/// Where an entity's INSERT goes and its scale (its radius; `point` for a
/// point), or `None` for an entity that is not a point or an area.
pub(crate) fn placement(shape: &Shape, point: f64) -> Option<(Coord<f64>, f64)> {
    let at = shape.anchor();
    match shape {
        Shape::Point(c) => Some((*c, point)),
        Shape::Area(p) => {
            let r = p
                .exterior()
                .0
                .iter()
                .map(|c| (c.x - at.x).hypot(c.y - at.y))
                .fold(0.0, f64::max);
            (r > 0.0).then_some((at, r))
        }
        _ => None,
    }
}

/// The ATTRIB values of an entity, in the symbol's order.
pub(crate) fn values<'a>(s: &'a Symbol, e: &Entity) -> Vec<(&'a str, String)> {
    s.attributes
        .iter()
        .map(|(tag, name)| {
            let v =
                e.attributes
                    .iter()
                    .find(|(k, _)| k == name)
                    .map_or_else(String::new, |(_, v)| match v {
                        Value::Int(i) => i.to_string(),
                        Value::Real(r) => r.to_string(),
                        Value::Text(t) => t.clone(),
                        Value::Bool(b) => b.to_string(),
                    });
            (tag.as_str(), v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{LineString, Polygon};

    #[test]
    fn a_round_canopy_is_placed_at_its_centre_scaled_to_its_radius() {
        let ring: Vec<Coord<f64>> = (0..=16)
            .map(|i| {
                let a = f64::from(i) * std::f64::consts::TAU / 16.0;
                Coord {
                    x: 10.0 + 2.5 * a.cos(),
                    y: 20.0 + 2.5 * a.sin(),
                }
            })
            .collect();
        let (at, r) = placement(&Shape::Area(Polygon::new(LineString(ring), vec![])), 1.0).unwrap();
        assert!(
            (at.x - 10.0).abs() < 1e-9 && (at.y - 20.0).abs() < 1e-9,
            "{at:?}"
        );
        assert!((r - 2.5).abs() < 1e-9, "{r}");
        assert!(placement(&Shape::Polyline(LineString(vec![])), 1.0).is_none());
    }

    #[test]
    fn attribute_values_follow_the_symbol_and_missing_ones_are_empty() {
        let s = Symbol {
            block: "B".into(),
            attributes: vec![
                ("SPECIES".into(), "species".into()),
                ("H".into(), "h".into()),
            ],
        };
        let e = Entity {
            shape: Shape::Point(Coord { x: 0.0, y: 0.0 }),
            label: None,
            attributes: vec![("species".into(), Value::Text("oak".into()))],
        };
        assert_eq!(
            values(&s, &e),
            vec![("SPECIES", "oak".into()), ("H", String::new())]
        );
    }
}
