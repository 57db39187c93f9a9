//! The neutral, layered drawing every writer consumes: no writer knows
//! about site plans or floor plans.

use geo_types::{Coord, LineString, Polygon};

/// The largest coordinate magnitude a drawing may hold (10^12: 25 times
/// the Earth's circumference in millimetres); beyond it, extents, scales
/// and sheet sizes overflow.
pub const MAX_COORDINATE: f64 = 1e12;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// How a layer is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Line colour.
    pub stroke: Rgb,
    /// Fill colour of areas (`None`: not filled).
    pub fill: Option<Rgb>,
    /// Fill opacity, 0–1.
    pub fill_opacity: f64,
    /// Line opacity, 0–1 (a translucent band under the lines it follows).
    pub stroke_opacity: f64,
    /// Line weight in millimetres on paper.
    pub line_weight_mm: f64,
    /// Dash pattern in drawing units (`None`: continuous).
    pub dash: Option<Vec<f64>>,
    /// AutoCAD colour index for CAD writers (1 red … 7 white/black, 8 grey).
    pub aci: u8,
    /// CAD writers draw each polyline of the layer as a dimension too.
    pub dimension: Option<Dimensioning>,
    /// CAD writers mark each entity of the layer with a block INSERT.
    pub symbol: Option<Symbol>,
}

/// A CAD symbol: each entity of the layer also gets an INSERT of the block
/// at its anchor, scaled to the entity's radius (an area's farthest vertex
/// from its anchor; one metre for a point), with an invisible ATTRIB per
/// attribute, so that a drafter can swap the symbol and read or extract
/// the data. The entity's own outline stays: it is the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    /// The block's name.
    pub block: String,
    /// (ATTRIB tag, entity attribute name) pairs; an attribute the entity
    /// lacks is written empty.
    pub attributes: Vec<(String, String)>,
}

/// How CAD writers dimension a layer's polylines: an aligned DIMENSION from
/// the first vertex to the last, its text the entity's label (which then is
/// not written again as text).
#[derive(Debug, Clone, PartialEq)]
pub struct Dimensioning {
    /// The dimension line's distance from the measured line, in millimetres
    /// on paper. 0: the dimension line is the line itself, and replaces it.
    pub offset_mm: f64,
    /// The dimension line goes to the side of the line away from this
    /// layer's areas (a lot line's dimension outside the lot).
    pub outside_of: Option<String>,
}

impl Default for Style {
    fn default() -> Self {
        Self {
            stroke: Rgb(40, 40, 40),
            fill: None,
            fill_opacity: 0.35,
            stroke_opacity: 1.0,
            line_weight_mm: 0.25,
            dash: None,
            aci: 7,
            dimension: None,
            symbol: None,
        }
    }
}

/// An attribute value of an entity (typed, for typed columns).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An integer.
    Int(i64),
    /// A real number.
    Real(f64),
    /// Text.
    Text(String),
    /// A boolean.
    Bool(bool),
}

/// What an entity draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A point (trees as points, labels' anchors).
    Point(Coord<f64>),
    /// An open polyline (fences, hedges, centrelines, gates).
    Polyline(LineString<f64>),
    /// An area with holes (drawn closed, filled when the layer has a fill).
    Area(Polygon<f64>),
    /// Several parts of one feature (a GeoJSON Multi* geometry or
    /// collection): CAD and SVG draw the parts, GeoPackage and GeoJSON keep
    /// one multi-geometry.
    Multi(Vec<Shape>),
}

/// The point half-way along a polyline.
fn half_way(v: &[Coord<f64>]) -> Coord<f64> {
    planform_model::planar::point_along(v, 0.5).unwrap_or(Coord { x: 0.0, y: 0.0 })
}

impl Shape {
    /// Every coordinate (rings' closing repeats included).
    pub fn coords(&self) -> Box<dyn Iterator<Item = Coord<f64>> + '_> {
        match self {
            Self::Point(c) => Box::new(std::iter::once(*c)),
            Self::Polyline(l) => Box::new(l.0.iter().copied()),
            Self::Area(p) => Box::new(
                p.exterior()
                    .0
                    .iter()
                    .chain(p.interiors().iter().flat_map(|r| r.0.iter()))
                    .copied(),
            ),
            Self::Multi(parts) => Box::new(parts.iter().flat_map(Shape::coords)),
        }
    }

    /// Where a label goes: the point, half-way along a polyline, an area's
    /// vertex average.
    pub fn anchor(&self) -> Coord<f64> {
        let mean = |cs: &[Coord<f64>]| {
            let n = cs.len().max(1) as f64;
            let (x, y) = cs.iter().fold((0.0, 0.0), |a, c| (a.0 + c.x, a.1 + c.y));
            Coord { x: x / n, y: y / n }
        };
        match self {
            Self::Point(c) => *c,
            Self::Polyline(l) => half_way(&l.0),
            Self::Area(p) => {
                let r = &p.exterior().0;
                // a closed ring repeats its first vertex
                mean(if r.len() > 1 && r.first() == r.last() {
                    &r[1..]
                } else {
                    r
                })
            }
            Self::Multi(parts) => parts
                .first()
                .map_or(Coord { x: 0.0, y: 0.0 }, Shape::anchor),
        }
    }
}

/// One entity: a shape, an optional label, attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// The shape, in drawing units (x east/right, y north/up).
    pub shape: Shape,
    /// Text drawn at the shape.
    pub label: Option<String>,
    /// Attributes (name, value).
    pub attributes: Vec<(String, Value)>,
}

/// A named layer of entities sharing a style.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Layer name (CAD layer, SVG group id, GeoPackage table).
    pub name: String,
    /// Its style.
    pub style: Style,
    /// Its entities.
    pub entities: Vec<Entity>,
    /// Attribute columns whose type the schema fixes, in order: written
    /// (GeoPackage, OGR) with that type even when every value is absent or
    /// looks like another type, so that layers from different files
    /// append into one table. Other attributes' types are inferred.
    pub fields: Vec<(String, FieldType)>,
}

/// An attribute column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// 64-bit integers.
    Integer,
    /// Doubles.
    Real,
    /// Text.
    Text,
    /// Booleans.
    Boolean,
}

/// The unit of drawing coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Units {
    /// Metres.
    #[default]
    Metres,
    /// International feet.
    Feet,
    /// Millimetres (the metric CAD convention: a DXF in millimetres plots
    /// on a real page in LibreCAD, which takes its paper in drawing units).
    Millimetres,
    /// Image pixels.
    Pixels,
    /// Degrees of longitude and latitude (GeoPackage, GeoJSON).
    Degrees,
}

impl Units {
    /// The short name (`m`, `ft`, `mm`, `px`, `deg`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Metres => "m",
            Self::Feet => "ft",
            Self::Millimetres => "mm",
            Self::Pixels => "px",
            Self::Degrees => "deg",
        }
    }

    /// Metres per unit (`None` for pixels).
    pub fn metres(self) -> Option<f64> {
        match self {
            Self::Metres => Some(1.0),
            Self::Feet => Some(planform_model::units::FT_TO_M),
            Self::Millimetres => Some(0.001),
            Self::Pixels | Self::Degrees => None,
        }
    }
}

/// A layered drawing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Drawing {
    /// Layers, drawn in order (first at the bottom).
    pub layers: Vec<Layer>,
    /// Coordinate unit.
    pub units: Units,
    /// The EPSG code of the coordinates, when georeferenced.
    pub epsg: Option<u32>,
    /// A title (sheet heading, DXF comment).
    pub title: Option<String>,
}

impl Drawing {
    /// The layer named `name`, created with `style` if missing.
    pub fn layer_mut(&mut self, name: &str, style: impl FnOnce() -> Style) -> &mut Layer {
        if let Some(i) = self.layers.iter().position(|l| l.name == name) {
            return &mut self.layers[i];
        }
        self.layers.push(Layer {
            name: name.to_owned(),
            style: style(),
            entities: Vec::new(),
            fields: Vec::new(),
        });
        let last = self.layers.len() - 1;
        &mut self.layers[last]
    }

    /// Every coordinate of every entity.
    pub fn coords(&self) -> impl Iterator<Item = Coord<f64>> + '_ {
        self.layers
            .iter()
            .flat_map(|l| l.entities.iter())
            .flat_map(|e| e.shape.coords())
    }

    /// The drawing in other units of length (metres to millimetres, say):
    /// every coordinate scaled by the ratio of the two units' metres.
    /// Drawings without a length unit (pixels, degrees), or asked for one,
    /// are returned as they are.
    #[must_use]
    pub fn in_units(mut self, units: Units) -> Self {
        use geo::MapCoordsInPlace;
        fn scale(s: &mut Shape, k: f64) {
            let f = |c: Coord<f64>| Coord {
                x: c.x * k,
                y: c.y * k,
            };
            match s {
                Shape::Point(c) => *c = f(*c),
                Shape::Polyline(l) => l.map_coords_in_place(f),
                Shape::Area(p) => p.map_coords_in_place(f),
                Shape::Multi(parts) => parts.iter_mut().for_each(|p| scale(p, k)),
            }
        }
        let (Some(from), Some(to)) = (self.units.metres(), units.metres()) else {
            return self;
        };
        let k = from / to;
        for l in &mut self.layers {
            for e in &mut l.entities {
                scale(&mut e.shape, k);
            }
        }
        self.units = units;
        self
    }

    /// Whether an area of the layer named `layer` contains `p`.
    pub fn covers(&self, layer: &str, p: Coord<f64>) -> bool {
        use geo::Contains;
        fn inside(s: &Shape, p: &Coord<f64>) -> bool {
            match s {
                Shape::Area(poly) => poly.contains(p),
                Shape::Multi(parts) => parts.iter().any(|s| inside(s, p)),
                _ => false,
            }
        }
        self.layers
            .iter()
            .filter(|l| l.name == layer)
            .flat_map(|l| &l.entities)
            .any(|e| inside(&e.shape, &p))
    }

    /// The bounding box `[min x, min y, max x, max y]` of finite coordinates.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        let b = self
            .coords()
            .filter(|c| c.x.is_finite() && c.y.is_finite())
            .fold(
                [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ],
                |b, c| [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)],
            );
        b[0].is_finite().then_some(b)
    }

    /// Checks that every coordinate is finite and within
    /// [`MAX_COORDINATE`] of zero, naming
    /// the first entity that has one that is not: every writer calls it
    /// before writing (a vertex at 1.797e308 made an SVG `height="infmm"`).
    pub fn check_finite(&self) -> crate::Result<()> {
        let ok = |v: f64| v.is_finite() && v.abs() <= MAX_COORDINATE;
        for l in &self.layers {
            for (i, e) in l.entities.iter().enumerate() {
                if !e.shape.coords().all(|c| ok(c.x) && ok(c.y)) {
                    return Err(crate::ExportError::NonFinite {
                        layer: l.name.clone(),
                        index: i,
                    });
                }
            }
        }
        Ok(())
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.layers.iter().map(|l| l.entities.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawing_in_metres_rescales_to_millimetres() {
        let mut d = Drawing {
            units: Units::Metres,
            ..Drawing::default()
        };
        d.layer_mut("x", Style::default).entities.push(Entity {
            shape: Shape::Point(Coord { x: 1.5, y: -2.0 }),
            label: None,
            attributes: vec![],
        });
        let mm = d.clone().in_units(Units::Millimetres);
        assert_eq!(mm.units, Units::Millimetres);
        assert_eq!(mm.bounds(), Some([1500.0, -2000.0, 1500.0, -2000.0]));
        // pixels have no length: unchanged
        let px = Drawing {
            units: Units::Pixels,
            ..d
        };
        assert_eq!(px.clone().in_units(Units::Millimetres), px);
    }
}
