//! Floor-plan types shared by the wall vectorizer and the exporters.

use geo_types::{LineString, Polygon};

/// What a wall-graph edge represents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WallKind {
    /// A wall.
    #[default]
    Wall,
    /// A door opening.
    Door,
    /// A window opening.
    Window,
    /// Anything else, by name.
    Other(String),
}

impl WallKind {
    /// The name written in GeoJSON (`properties.kind`).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Wall => "wall",
            Self::Door => "door",
            Self::Window => "window",
            Self::Other(s) => s,
        }
    }
}

/// One wall: a centreline with a thickness, both in the plan's units.
#[derive(Debug, Clone, PartialEq)]
pub struct Wall {
    /// Centreline (straight segment, or a polyline for curved walls).
    pub centerline: LineString<f64>,
    /// Wall thickness, same unit as the centreline.
    pub thickness: f64,
    /// What the edge is.
    pub kind: WallKind,
}

/// One room: the free space walls enclose, in the plan's units.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    /// Its outline (along the wall faces, as the vectorizer draws it).
    pub polygon: Polygon<f64>,
    /// Its area, the plan's units squared.
    pub area: f64,
}

/// A door or window opening: a line across a gap in the walls.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    /// From one wall face to the other.
    pub line: LineString<f64>,
    /// Its width, the plan's units.
    pub width: f64,
}

/// The unit of a floor plan's coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlanUnits {
    /// Mask pixels.
    #[default]
    Pixels,
    /// Metres.
    Metres,
}

impl PlanUnits {
    /// `px` or `m`, as the GeoJSON contract writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pixels => "px",
            Self::Metres => "m",
        }
    }
}

/// A vectorized floor plan. Coordinates are x right, y up, origin at the
/// image's bottom-left corner, in `units`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FloorPlan {
    /// Wall graph edges.
    pub walls: Vec<Wall>,
    /// Wall regions as polygons with holes.
    pub outlines: Vec<Polygon<f64>>,
    /// Rooms, when they were asked for.
    pub rooms: Vec<Room>,
    /// Door and window openings, when rooms were asked for.
    pub openings: Vec<Opening>,
    /// Scale: pixels per metre, when known.
    pub px_per_m: Option<f64>,
    /// Mask width in pixels.
    pub image_width: u32,
    /// Mask height in pixels.
    pub image_height: u32,
    /// Unit of the coordinates.
    pub units: PlanUnits,
}

impl FloorPlan {
    /// Total wall centreline length, in the plan's units.
    pub fn total_wall_length(&self) -> f64 {
        use geo_types::Line;
        self.walls
            .iter()
            .filter(|w| w.kind == WallKind::Wall)
            .flat_map(|w| w.centerline.lines())
            .map(|l: Line<f64>| l.dx().hypot(l.dy()))
            .sum()
    }
}
