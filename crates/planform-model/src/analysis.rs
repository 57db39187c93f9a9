//! The top-level site analysis records: `parcel`, `yards`, `gates`, `analysis`.

use serde_json::{Number, Value};

use crate::geometry::{Geometry, Position};
use crate::json::{FromJson, ToJson, num_f64, open_enum, open_record};

open_enum! {
    /// Parcel shape class.
    pub enum ParcelClass {
        /// `rectangular`
        Rectangular = "rectangular",
        /// `corner`
        Corner = "corner",
        /// `culdesac`
        Culdesac = "culdesac",
        /// `flag`
        Flag = "flag",
        /// `irregular`
        Irregular = "irregular",
    }
}

open_enum! {
    /// A parcel side's role. The service writes `interior` / `exterior` for
    /// the side lot lines; OZFS and zoneR write `interior side` / `exterior side`.
    pub enum SideRole {
        /// `front`: the street frontage the address faces.
        Front = "front",
        /// `rear`
        Rear = "rear",
        /// `interior`: a side lot line shared with a neighbour.
        Interior = "interior",
        /// `exterior`: a side lot line on a street (corner lots).
        Exterior = "exterior",
        /// `unknown`: nothing decides it.
        Unknown = "unknown",
    }
}

impl SideRole {
    /// The OZFS / zoneR spelling (`front`, `rear`, `interior side`,
    /// `exterior side`, `unknown`).
    pub fn ozfs(&self) -> &str {
        match self {
            Self::Interior => "interior side",
            Self::Exterior => "exterior side",
            other => other.as_str(),
        }
    }

    /// Reads the OZFS / zoneR spelling as well as the service's.
    pub fn from_ozfs(s: &str) -> Self {
        match s {
            "interior side" => Self::Interior,
            "exterior side" => Self::Exterior,
            other => Self::from(other),
        }
    }
}

open_enum! {
    /// Where a side lies as seen from the street.
    pub enum SideRelation {
        /// `left`
        Left = "left",
        /// `right`
        Right = "right",
        /// `front`
        Front = "front",
        /// `back`
        Back = "back",
    }
}

open_enum! {
    /// Yard kind.
    pub enum YardKind {
        /// `front`
        Front = "front",
        /// `back`
        Back = "back",
        /// `side`
        Side = "side",
    }
}

open_enum! {
    /// Sun exposure band.
    pub enum SunBand {
        /// `full_sun`: 6 h or more.
        FullSun = "full_sun",
        /// `partial_sun`: 3 to 6 h.
        PartialSun = "partial_sun",
        /// `shaded`: under 3 h.
        Shaded = "shaded",
    }
}

impl SunBand {
    /// The band for a number of sun hours per day.
    pub fn for_hours(hours: f64) -> Self {
        if hours >= 6.0 {
            Self::FullSun
        } else if hours >= 3.0 {
            Self::PartialSun
        } else {
            Self::Shaded
        }
    }
}

open_enum! {
    /// Eight-sector compass direction (lot aspect).
    pub enum Aspect {
        /// `north`
        North = "north",
        /// `northeast`
        Northeast = "northeast",
        /// `east`
        East = "east",
        /// `southeast`
        Southeast = "southeast",
        /// `south`
        South = "south",
        /// `southwest`
        Southwest = "southwest",
        /// `west`
        West = "west",
        /// `northwest`
        Northwest = "northwest",
        /// `flat`: no defined aspect.
        Flat = "flat",
    }
}

impl Aspect {
    /// The sector of an azimuth in degrees clockwise from north.
    pub fn from_azimuth(deg: f64) -> Self {
        const SECTORS: [Aspect; 8] = [
            Aspect::North,
            Aspect::Northeast,
            Aspect::East,
            Aspect::Southeast,
            Aspect::South,
            Aspect::Southwest,
            Aspect::West,
            Aspect::Northwest,
        ];
        let i = ((deg.rem_euclid(360.0) + 22.5) / 45.0).floor() as usize % 8;
        SECTORS[i].clone()
    }
}

open_record! {
    /// `parcel.classification`.
    pub struct ParcelClassification {
        /// Shape class.
        class: ParcelClass = "type",
        /// Confidence 0–1.
        confidence: Number = "confidence",
        /// Provenance (`vision-qa`, `planform`, …).
        source: String = "source",
    }
}

open_record! {
    /// One parcel side (`parcel.sides[]`).
    pub struct Side {
        /// Stable id (`side-0`).
        id: String = "id",
        /// Position along the ring.
        index: Number = "index",
        /// Role.
        role: SideRole = "role",
        /// Relation as seen from the street.
        relation: SideRelation = "relation",
        /// Geodesic length in metres.
        measured_length_meters: Number = "measuredLengthMeters",
    }
}

impl Side {
    /// Length in metres.
    pub fn length_m(&self) -> Option<f64> {
        num_f64(self.measured_length_meters.as_ref())
    }
}

open_record! {
    /// The top-level `parcel` record.
    pub struct Parcel {
        /// Shape classification.
        classification: ParcelClassification = "classification",
        /// Sides in ring order.
        sides: Vec<Side> = "sides",
    }
}

open_record! {
    /// One yard (`yards[]`).
    pub struct Yard {
        /// Stable id (`yard-front`).
        id: String = "id",
        /// Front, back or side.
        kind: YardKind = "kind",
        /// Ids of the parcel sides that bound it.
        bounding_side_ids: Vec<String> = "boundingSideIds",
        /// Its ground as a GeoJSON Polygon or MultiPolygon (a planform
        /// member; the service sends none).
        geometry: Geometry = "geometry",
        /// Its area, square metres (a planform member).
        area_square_meters: Number = "areaSquareMeters",
    }
}

impl FromJson for Position {
    fn from_json(value: Value) -> Result<Self, Value> {
        let ok =
            matches!(&value, Value::Array(a) if a.len() >= 2 && a.iter().all(Value::is_number));
        if ok {
            serde_json::from_value(value.clone()).map_err(|_| value)
        } else {
            Err(value)
        }
    }
    const EXPECTED: &'static str = "a position";
}

impl FromJson for Geometry {
    fn from_json(value: Value) -> Result<Self, Value> {
        if value.is_object() {
            serde_json::from_value(value.clone()).map_err(|_| value)
        } else {
            Err(value)
        }
    }
    const EXPECTED: &'static str = "a GeoJSON geometry";
}

impl ToJson for Geometry {
    fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl ToJson for Position {
    fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

open_record! {
    /// One proposed gate (`gates[]`): an open polyline on the fence layout.
    pub struct Gate {
        /// `[[lng, lat], …]`
        coordinates: Vec<Position> = "coordinates",
    }
}

open_record! {
    /// One side's setback.
    pub struct SideSetback {
        /// The parcel side.
        side_id: String = "sideId",
        /// Distance from the primary building footprint, feet.
        actual_feet: Number = "actualFeet",
        /// The zoning minimum for this side, feet (when compared).
        required_feet: Number = "requiredFeet",
        /// Whether `actualFeet >= requiredFeet`.
        compliant: bool = "compliant",
    }
}

open_record! {
    /// `analysis.setbackReport`.
    pub struct SetbackReport {
        /// Per side.
        by_side: Vec<SideSetback> = "bySide",
        /// Number of sides.
        total_sides: Number = "totalSides",
        /// Number of sides that meet their minimum.
        compliant_sides: Number = "compliantSides",
    }
}

open_record! {
    /// One yard's shade.
    pub struct YardShade {
        /// The yard kind.
        kind: YardKind = "kind",
        /// Estimated direct sun hours per day.
        sun_hours_per_day: Number = "sunHoursPerDay",
        /// Band.
        band: SunBand = "band",
    }
}

open_record! {
    /// `analysis.shadeReport`.
    pub struct ShadeReport {
        /// Per yard.
        by_yard: Vec<YardShade> = "byYard",
    }
}

open_record! {
    /// `analysis.lotGrade`.
    pub struct LotGrade {
        /// Mean slope, degrees.
        mean_slope_deg: Number = "meanSlopeDeg",
        /// Dominant aspect.
        dominant_aspect: Aspect = "dominantAspect",
        /// Highest minus lowest elevation, metres.
        relief_meters: Number = "reliefMeters",
        /// Whether the lot counts as flat.
        is_flat: bool = "isFlat",
    }
}

open_record! {
    /// `analysis.fenceLayout`. The service documents only "proposed fence
    /// linework"; these are the members planform writes (any others the
    /// service sends are kept in `extra`).
    pub struct FenceLayout {
        /// The recommended fence runs, each `[[x, y], …]` in the plan's
        /// coordinates.
        lines: Vec<Vec<Position>> = "lines",
        /// Total length of the runs, feet.
        total_length_feet: Number = "totalLengthFeet",
        /// The part that needs new fence, feet.
        new_length_feet: Number = "newLengthFeet",
        /// The part an existing fence or hedge already covers, feet.
        reused_length_feet: Number = "reusedLengthFeet",
        /// Provenance (`planform`).
        source: String = "source",
    }
}

open_record! {
    /// `analysis.buildableEnvelope` (a planform member): the parcel less
    /// everything within each side's required setback of that side.
    pub struct BuildableEnvelope {
        /// A GeoJSON Polygon or MultiPolygon in the plan's coordinates.
        geometry: Geometry = "geometry",
        /// Its area, square metres.
        area_sqm: Number = "areaSqm",
        /// Whether the primary building's footprint lies inside it.
        footprint_fits: bool = "footprintFits",
        /// Provenance (`planform`).
        source: String = "source",
    }
}

open_record! {
    /// The top-level `analysis` record.
    pub struct Analysis {
        /// Setbacks per side.
        setback_report: SetbackReport = "setbackReport",
        /// Sun hours per yard.
        shade_report: ShadeReport = "shadeReport",
        /// Lot grade from the DSM.
        lot_grade: LotGrade = "lotGrade",
        /// Proposed fence linework.
        fence_layout: FenceLayout = "fenceLayout",
        /// Where the zoning lets the building go (a planform member).
        buildable_envelope: BuildableEnvelope = "buildableEnvelope",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bands_and_aspects() {
        assert_eq!(SunBand::for_hours(12.0), SunBand::FullSun);
        assert_eq!(SunBand::for_hours(6.0), SunBand::FullSun);
        assert_eq!(SunBand::for_hours(4.0), SunBand::PartialSun);
        assert_eq!(SunBand::for_hours(2.9), SunBand::Shaded);
        assert_eq!(Aspect::from_azimuth(0.0), Aspect::North);
        assert_eq!(Aspect::from_azimuth(359.0), Aspect::North);
        assert_eq!(Aspect::from_azimuth(180.0), Aspect::South);
        assert_eq!(Aspect::from_azimuth(225.0), Aspect::Southwest);
        assert_eq!(Aspect::from_azimuth(-90.0), Aspect::West);
    }

    #[test]
    fn ozfs_role_spellings() {
        assert_eq!(SideRole::from_ozfs("interior side"), SideRole::Interior);
        assert_eq!(SideRole::Exterior.ozfs(), "exterior side");
        assert_eq!(SideRole::from_ozfs("front"), SideRole::Front);
    }

    #[test]
    fn gates_are_typed_positions() {
        let v = json!({"coordinates": [[-87.878, 41.748], [-87, 41.7485]]});
        let g: Gate = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(g.coordinates.as_ref().unwrap().len(), 2);
        assert_eq!(serde_json::to_value(&g).unwrap(), v);
        let bad = json!({"coordinates": [[-87.878], "x"]});
        let g: Gate = serde_json::from_value(bad.clone()).unwrap();
        assert!(g.coordinates.is_none());
        assert_eq!(serde_json::to_value(&g).unwrap(), bad);
    }
}
