//! Validation, separate from parsing: every problem with its JSON Pointer.

use std::collections::HashSet;
use std::fmt;

use serde_json::Number;

use crate::analysis::Analysis;
use crate::attrs::Attrs;
use crate::catalog::CatalogType;
use crate::feature::{Feature, Properties};
use crate::geometry::{Geometry, GeometryType, GeometryValue, Position};
use crate::json::pointer_token;
use crate::site_plan::SitePlan;

/// One validation problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// JSON Pointer (RFC 6901) of the offending value.
    pub pointer: String,
    /// What is wrong.
    pub kind: IssueKind,
}

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Suspicious but usable: a reference to a side id that `parcel.sides`
    /// does not list (the service's own example abbreviates `sides`).
    Warning,
    /// The value is wrong: a tool must not pass it on silently.
    Error,
}

impl Issue {
    /// The issue's severity.
    pub fn severity(&self) -> Severity {
        match self.kind {
            IssueKind::UnknownSideId(_) => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// A number for messages: plain when short, scientific when huge or tiny.
fn show(v: f64) -> String {
    if v != 0.0 && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// What a validation problem is.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum IssueKind {
    /// Longitude outside −180…180.
    LongitudeOutOfRange(f64),
    /// Latitude outside −90…90.
    LatitudeOutOfRange(f64),
    /// A coordinate that is NaN or infinite (only possible in a plan built in code).
    NonFinite,
    /// A polygon ring whose last position differs from its first.
    RingNotClosed,
    /// A polygon ring with fewer than 4 positions.
    RingTooShort(usize),
    /// A line with fewer than 2 positions.
    LineTooShort(usize),
    /// A geometry type this `catalogType` does not take.
    GeometryType {
        /// The feature's catalog type.
        catalog_type: String,
        /// What it has.
        found: GeometryType,
    },
    /// A site-plan feature with `geometry: null` or none.
    MissingGeometry,
    /// A member that must be present is missing.
    Missing(&'static str),
    /// A documented member with another JSON type.
    WrongType {
        /// The member.
        member: &'static str,
        /// What the schema says it is.
        expected: &'static str,
    },
    /// A number outside its documented range.
    OutOfRange {
        /// The member.
        member: &'static str,
        /// Its value.
        value: f64,
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
    },
    /// A number that must be a whole number.
    NotInteger {
        /// The member.
        member: &'static str,
        /// Its value.
        value: f64,
    },
    /// A reference to a parcel side id that `parcel.sides` does not have.
    UnknownSideId(String),
    /// Counts that contradict each other.
    Inconsistent(String),
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LongitudeOutOfRange(v) => {
                write!(f, "longitude {} is outside -180..180", show(*v))
            }
            Self::LatitudeOutOfRange(v) => write!(f, "latitude {} is outside -90..90", show(*v)),
            Self::NonFinite => f.write_str("coordinate is not a finite number"),
            Self::RingNotClosed => {
                f.write_str("polygon ring is not closed (last position != first)")
            }
            Self::RingTooShort(n) => {
                write!(f, "polygon ring has {n} positions; at least 4 are needed")
            }
            Self::LineTooShort(n) => write!(f, "line has {n} positions; at least 2 are needed"),
            Self::GeometryType {
                catalog_type,
                found,
            } => {
                write!(f, "a {catalog_type} cannot be a {found}")
            }
            Self::MissingGeometry => f.write_str("site-plan feature has no geometry"),
            Self::Missing(m) => write!(f, "missing required member {m:?}"),
            Self::WrongType { member, expected } => write!(f, "{member:?} must be {expected}"),
            Self::OutOfRange {
                member,
                value,
                min,
                max,
            } => {
                if max.is_finite() {
                    write!(f, "{member:?} is {}, outside {min}..{max}", show(*value))
                } else {
                    write!(f, "{member:?} is {}, below the minimum {min}", show(*value))
                }
            }
            Self::NotInteger { member, value } => {
                write!(
                    f,
                    "{member:?} is {}; a whole number is required",
                    show(*value)
                )
            }
            Self::UnknownSideId(id) => write!(f, "side id {id:?} is not in parcel.sides"),
            Self::Inconsistent(m) => f.write_str(m),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = if self.is_error() { "" } else { "(warning) " };
        write!(
            f,
            "{}: {w}{}",
            crate::error::show_pointer(&self.pointer),
            self.kind
        )
    }
}

/// Which rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Site-plan rules when the document carries site-plan data
    /// ([`SitePlan::is_site_plan`]), plain GeoJSON rules otherwise.
    #[default]
    Auto,
    /// GetSitePlan.ai rules: every feature needs a `catalogType`, detected
    /// features need `attrs`, `confidence` and `source`, geometry types must fit.
    SitePlan,
    /// Plain GeoJSON: coordinates and rings only.
    GeoJson,
}

/// Validation settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidateOptions {
    /// Which rules apply.
    pub profile: Profile,
}

struct Ctx {
    issues: Vec<Issue>,
    wgs84: bool,
}

impl Ctx {
    fn push(&mut self, pointer: String, kind: IssueKind) {
        self.issues.push(Issue { pointer, kind });
    }

    fn range(&mut self, base: &str, member: &'static str, n: Option<&Number>, min: f64, max: f64) {
        if let Some(v) = n.and_then(Number::as_f64)
            && !(min..=max).contains(&v)
        {
            self.push(
                format!("{base}/{member}"),
                IssueKind::OutOfRange {
                    member,
                    value: v,
                    min,
                    max,
                },
            );
        }
    }

    fn whole(&mut self, base: &str, member: &'static str, n: Option<&Number>, min: f64, max: f64) {
        if let Some(v) = n.and_then(Number::as_f64) {
            if v.fract() == 0.0 {
                self.range(base, member, n, min, max);
            } else {
                self.push(
                    format!("{base}/{member}"),
                    IssueKind::NotInteger { member, value: v },
                );
            }
        }
    }

    fn mistyped(&mut self, base: &str, list: Vec<(&'static str, &'static str)>) {
        for (member, expected) in list {
            self.push(
                format!("{base}/{}", pointer_token(member)),
                IssueKind::WrongType { member, expected },
            );
        }
    }

    fn position(&mut self, p: &Position, at: &dyn Fn() -> String) {
        if !p.is_finite() {
            self.push(at(), IssueKind::NonFinite);
        } else if self.wgs84 {
            if !(-180.0..=180.0).contains(&p.x()) {
                self.push(format!("{}/0", at()), IssueKind::LongitudeOutOfRange(p.x()));
            }
            if !(-90.0..=90.0).contains(&p.y()) {
                self.push(format!("{}/1", at()), IssueKind::LatitudeOutOfRange(p.y()));
            }
        }
    }

    fn line(&mut self, ps: &[Position], at: &str, ring: bool) {
        for (i, p) in ps.iter().enumerate() {
            self.position(p, &|| format!("{at}/{i}"));
        }
        if ring {
            if ps.len() < 4 {
                self.push(at.to_owned(), IssueKind::RingTooShort(ps.len()));
            } else if ps.first() != ps.last() {
                self.push(format!("{at}/{}", ps.len() - 1), IssueKind::RingNotClosed);
            }
        } else if ps.len() < 2 {
            self.push(at.to_owned(), IssueKind::LineTooShort(ps.len()));
        }
    }

    fn geometry(&mut self, g: &Geometry, at: &str) {
        let c = format!("{at}/coordinates");
        match &g.value {
            GeometryValue::Point(p) => self.position(p, &|| c.clone()),
            GeometryValue::MultiPoint(ps) => {
                for (i, p) in ps.iter().enumerate() {
                    self.position(p, &|| format!("{c}/{i}"));
                }
            }
            GeometryValue::LineString(ps) => self.line(ps, &c, false),
            GeometryValue::MultiLineString(ls) => {
                for (i, l) in ls.iter().enumerate() {
                    self.line(l, &format!("{c}/{i}"), false);
                }
            }
            GeometryValue::Polygon(rings) => {
                for (i, r) in rings.iter().enumerate() {
                    self.line(r, &format!("{c}/{i}"), true);
                }
            }
            GeometryValue::MultiPolygon(ps) => {
                for (j, rings) in ps.iter().enumerate() {
                    for (i, r) in rings.iter().enumerate() {
                        self.line(r, &format!("{c}/{j}/{i}"), true);
                    }
                }
            }
            GeometryValue::GeometryCollection(gs) => {
                for (i, g) in gs.iter().enumerate() {
                    self.geometry(g, &format!("{at}/geometries/{i}"));
                }
            }
        }
    }

    fn attrs(&mut self, a: &Attrs, base: &str, geometry: Option<&Geometry>) {
        self.mistyped(base, a.mistyped());
        let nonneg = f64::INFINITY;
        match a {
            Attrs::Tree(t) => {
                self.range(base, "heightM", t.height_m.as_ref(), 0.0, nonneg);
                self.range(
                    base,
                    "canopyRadiusM",
                    t.canopy_radius_m.as_ref(),
                    0.0,
                    nonneg,
                );
            }
            Attrs::Hedge(h) => {
                self.range(base, "lengthFt", h.length_ft.as_ref(), 0.0, nonneg);
                self.range(base, "heightFt", h.height_ft.as_ref(), 0.0, nonneg);
            }
            Attrs::Fence(h) => self.range(base, "heightFt", h.height_ft.as_ref(), 0.0, nonneg),
            Attrs::Pool(p) => self.range(base, "areaSqFt", p.area_sq_ft.as_ref(), 0.0, nonneg),
            Attrs::Structure(s) => self.range(base, "heightM", s.height_m.as_ref(), 0.0, nonneg),
            Attrs::Building(b) => {
                self.range(base, "heightM", b.height_m.as_ref(), 0.0, nonneg);
                self.whole(base, "stories", b.stories.as_ref(), 0.0, nonneg);
                self.range(base, "roofSlope", b.roof_slope.as_ref(), 0.0, 90.0);
                self.whole(
                    base,
                    "garageDoorCount",
                    b.garage_door_count.as_ref(),
                    0.0,
                    4.0,
                );
                let edges = match geometry.map(|g| &g.value) {
                    Some(GeometryValue::Polygon(r)) => {
                        r.first().map_or(0, |r| r.len().saturating_sub(1))
                    }
                    _ => usize::MAX,
                };
                let max = if edges == usize::MAX {
                    nonneg
                } else {
                    edges.saturating_sub(1) as f64
                };
                self.whole(
                    base,
                    "garageFaceEdgeIndex",
                    b.garage_face_edge_index.as_ref(),
                    0.0,
                    max,
                );
            }
            Attrs::Vehicle(_) | Attrs::Amenity(_) | Attrs::Surface(_) | Attrs::Other(_) => {}
        }
    }

    fn feature(&mut self, f: &Feature, i: usize, site: bool) {
        let base = format!("/features/{i}");
        match &f.geometry {
            Some(g) => self.geometry(g, &format!("{base}/geometry")),
            None if site => self.push(format!("{base}/geometry"), IssueKind::MissingGeometry),
            None => {}
        }
        let Some(p) = &f.properties else {
            if site {
                self.push(
                    format!("{base}/properties"),
                    IssueKind::Missing("catalogType"),
                );
            }
            return;
        };
        self.properties(p, &format!("{base}/properties"), f.geometry.as_ref(), site);
    }

    fn properties(&mut self, p: &Properties, base: &str, geometry: Option<&Geometry>, site: bool) {
        self.mistyped(base, p.mistyped());
        self.range(base, "confidence", p.confidence.as_ref(), 0.0, 1.0);
        self.range(base, "areaSqm", p.area_sqm.as_ref(), 0.0, f64::INFINITY);
        self.range(base, "headingDeg", p.heading_deg.as_ref(), 0.0, 360.0);
        if let Some(a) = &p.attrs {
            self.attrs(a, &format!("{base}/attrs"), geometry);
        }
        if !site {
            return;
        }
        let Some(t) = p.catalog_type() else {
            if p.extra
                .get("catalogType")
                .is_none_or(serde_json::Value::is_null)
            {
                self.push(base.to_owned(), IssueKind::Missing("catalogType"));
            }
            return;
        };
        if t.is_detected() {
            let present = [
                ("attrs", p.attrs.is_some() || p.extra.contains_key("attrs")),
                (
                    "confidence",
                    p.confidence.is_some() || p.extra.contains_key("confidence"),
                ),
                (
                    "source",
                    p.source.is_some() || p.extra.contains_key("source"),
                ),
            ];
            for (m, ok) in present {
                if !ok {
                    self.push(base.to_owned(), IssueKind::Missing(m));
                }
            }
        }
        if let Some(g) = geometry {
            let found = g.geometry_type();
            if !allowed(t, found) {
                let catalog_type = t.as_str().to_owned();
                self.push(
                    format!("{}/type", geometry_pointer(base)),
                    IssueKind::GeometryType {
                        catalog_type,
                        found,
                    },
                );
            }
        }
    }

    fn top_level(&mut self, plan: &SitePlan) {
        let mut side_ids: Option<HashSet<&str>> = None;
        if let Some(parcel) = &plan.parcel {
            self.mistyped("/parcel", parcel.mistyped());
            if let Some(c) = &parcel.classification {
                self.mistyped("/parcel/classification", c.mistyped());
                self.range(
                    "/parcel/classification",
                    "confidence",
                    c.confidence.as_ref(),
                    0.0,
                    1.0,
                );
            }
            if let Some(sides) = &parcel.sides {
                let mut ids = HashSet::new();
                for (i, s) in sides.iter().enumerate() {
                    let b = format!("/parcel/sides/{i}");
                    self.mistyped(&b, s.mistyped());
                    self.whole(&b, "index", s.index.as_ref(), 0.0, f64::INFINITY);
                    self.range(
                        &b,
                        "measuredLengthMeters",
                        s.measured_length_meters.as_ref(),
                        0.0,
                        f64::INFINITY,
                    );
                    if let Some(id) = &s.id {
                        ids.insert(id.as_str());
                    }
                }
                side_ids = Some(ids);
            }
        }
        let check_id = |ctx: &mut Ctx, id: &str, at: String| {
            if side_ids.as_ref().is_some_and(|ids| !ids.contains(id)) {
                ctx.push(at, IssueKind::UnknownSideId(id.to_owned()));
            }
        };
        for (i, y) in plan.yards.iter().flatten().enumerate() {
            let b = format!("/yards/{i}");
            self.mistyped(&b, y.mistyped());
            for (j, id) in y.bounding_side_ids.iter().flatten().enumerate() {
                check_id(self, id, format!("{b}/boundingSideIds/{j}"));
            }
        }
        for (i, g) in plan.gates.iter().flatten().enumerate() {
            let b = format!("/gates/{i}");
            self.mistyped(&b, g.mistyped());
            match &g.coordinates {
                Some(c) => self.line(c, &format!("{b}/coordinates"), false),
                None if !g.extra.contains_key("coordinates") => {
                    self.push(b, IssueKind::Missing("coordinates"));
                }
                None => {}
            }
        }
        for (i, f) in plan.features.iter().enumerate() {
            if let Some(id) = f.properties.as_ref().and_then(|p| p.side_id.as_deref()) {
                check_id(self, id, format!("/features/{i}/properties/sideId"));
            }
        }
        if let Some(a) = &plan.analysis {
            self.analysis(a, &check_id);
        }
    }

    fn analysis(&mut self, a: &Analysis, check_id: &dyn Fn(&mut Ctx, &str, String)) {
        self.mistyped("/analysis", a.mistyped());
        if let Some(r) = &a.setback_report {
            let b = "/analysis/setbackReport";
            self.mistyped(b, r.mistyped());
            self.whole(b, "totalSides", r.total_sides.as_ref(), 0.0, f64::INFINITY);
            self.whole(
                b,
                "compliantSides",
                r.compliant_sides.as_ref(),
                0.0,
                f64::INFINITY,
            );
            if let (Some(t), Some(c)) = (
                r.total_sides.as_ref().and_then(Number::as_f64),
                r.compliant_sides.as_ref().and_then(Number::as_f64),
            ) && c > t
            {
                self.push(
                    format!("{b}/compliantSides"),
                    IssueKind::Inconsistent(format!("compliantSides {c} exceeds totalSides {t}")),
                );
            }
            for (i, s) in r.by_side.iter().flatten().enumerate() {
                let sb = format!("{b}/bySide/{i}");
                self.mistyped(&sb, s.mistyped());
                self.range(
                    &sb,
                    "requiredFeet",
                    s.required_feet.as_ref(),
                    0.0,
                    f64::INFINITY,
                );
                if let Some(id) = &s.side_id {
                    check_id(self, id, format!("{sb}/sideId"));
                }
            }
        }
        if let Some(r) = &a.shade_report {
            let b = "/analysis/shadeReport";
            self.mistyped(b, r.mistyped());
            for (i, y) in r.by_yard.iter().flatten().enumerate() {
                let yb = format!("{b}/byYard/{i}");
                self.mistyped(&yb, y.mistyped());
                self.range(
                    &yb,
                    "sunHoursPerDay",
                    y.sun_hours_per_day.as_ref(),
                    0.0,
                    24.0,
                );
            }
        }
        if let Some(g) = &a.lot_grade {
            let b = "/analysis/lotGrade";
            self.mistyped(b, g.mistyped());
            self.range(b, "meanSlopeDeg", g.mean_slope_deg.as_ref(), 0.0, 90.0);
            self.range(
                b,
                "reliefMeters",
                g.relief_meters.as_ref(),
                0.0,
                f64::INFINITY,
            );
        }
    }
}

fn geometry_pointer(properties_pointer: &str) -> String {
    properties_pointer.strip_suffix("/properties").map_or_else(
        || properties_pointer.to_owned(),
        |f| format!("{f}/geometry"),
    )
}

/// Whether a catalog type may have a geometry of this type.
pub fn allowed(t: &CatalogType, g: GeometryType) -> bool {
    use GeometryType as G;
    let area = matches!(g, G::Polygon | G::MultiPolygon);
    match t {
        CatalogType::Tree | CatalogType::Vehicle => area || matches!(g, G::Point | G::MultiPoint),
        CatalogType::Hedge | CatalogType::Fence => {
            area || matches!(g, G::LineString | G::MultiLineString)
        }
        CatalogType::Other(_) => true,
        _ => area,
    }
}

impl SitePlan {
    /// Every validation problem, each with its JSON Pointer. An empty list
    /// means the document is valid. See [`SitePlan::validate_with`].
    pub fn validate(&self) -> Vec<Issue> {
        self.validate_with(&ValidateOptions::default())
    }

    /// Validation with options.
    ///
    /// Checks: finite coordinates, longitude/latitude ranges (when the
    /// document is WGS84), closed rings of at least 4 positions, lines of at
    /// least 2; documented members with the wrong JSON type; documented
    /// ranges (confidence 0–1, sizes ≥ 0, heading 0–360, slope 0–90, sun hours
    /// 0–24, integer counts); side-id references; and under the site-plan
    /// profile, a `catalogType` on every feature, `attrs`/`confidence`/`source`
    /// on detected ones and a geometry type that fits the catalog type.
    pub fn validate_with(&self, options: &ValidateOptions) -> Vec<Issue> {
        let site = match options.profile {
            Profile::Auto => self.is_site_plan(),
            Profile::SitePlan => true,
            Profile::GeoJson => false,
        };
        let mut ctx = Ctx {
            issues: Vec::new(),
            wgs84: self.is_wgs84(),
        };
        for (i, f) in self.features.iter().enumerate() {
            ctx.feature(f, i, site);
        }
        ctx.top_level(self);
        ctx.issues
    }

    /// `Ok(warnings)` when [`SitePlan::validate`] finds no error, else
    /// [`crate::ModelError::Invalid`] with every issue (warnings included).
    pub fn check(&self) -> crate::Result<Vec<Issue>> {
        let issues = self.validate();
        if issues.iter().any(Issue::is_error) {
            Err(crate::ModelError::Invalid { path: None, issues })
        } else {
            Ok(issues)
        }
    }
}

#[cfg(test)]
#[allow(clippy::needless_pass_by_value)]
mod tests {
    use super::*;
    use serde_json::json;

    fn issues(v: &serde_json::Value) -> Vec<Issue> {
        SitePlan::from_slice(v.to_string().as_bytes())
            .unwrap()
            .validate()
    }

    fn fc(features: serde_json::Value) -> serde_json::Value {
        json!({"type": "FeatureCollection", "features": features})
    }

    fn tree(geometry: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
        let mut props =
            json!({"catalogType": "tree", "attrs": {}, "confidence": 0.9, "source": "sam"});
        for (k, v) in extra.as_object().unwrap() {
            props[k] = v.clone();
        }
        json!({"type": "Feature", "geometry": geometry, "properties": props})
    }

    const SQUARE: &str =
        r"[[[-87.878, 41.748], [-87.877, 41.748], [-87.877, 41.749], [-87.878, 41.748]]]";

    fn square() -> serde_json::Value {
        json!({"type": "Polygon", "coordinates": serde_json::from_str::<serde_json::Value>(SQUARE).unwrap()})
    }

    #[test]
    fn a_clean_plan_has_no_issues() {
        assert_eq!(issues(&fc(json!([tree(square(), json!({}))]))), vec![]);
    }

    #[test]
    fn coordinates_out_of_range_are_pointed_at() {
        let g = json!({"type": "Polygon", "coordinates": [[[-87.8, 41.7], [-87.7, 1e308], [-187.7, 41.8], [-87.8, 41.7]]]});
        let got = issues(&fc(json!([tree(g, json!({}))])));
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].pointer, "/features/0/geometry/coordinates/0/1/1");
        assert!(matches!(got[0].kind, IssueKind::LatitudeOutOfRange(_)));
        assert_eq!(got[1].pointer, "/features/0/geometry/coordinates/0/2/0");
    }

    #[test]
    fn rings_must_be_closed_and_long_enough() {
        let g = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]], [[0, 0], [1, 1], [0, 0]]]});
        let got = issues(&fc(json!([tree(g, json!({}))])));
        assert_eq!(
            got[0],
            Issue {
                pointer: "/features/0/geometry/coordinates/0/3".into(),
                kind: IssueKind::RingNotClosed
            }
        );
        assert_eq!(
            got[1],
            Issue {
                pointer: "/features/0/geometry/coordinates/1".into(),
                kind: IssueKind::RingTooShort(3)
            }
        );
    }

    #[test]
    fn ranges_types_and_required_members() {
        let f = tree(
            square(),
            json!({"confidence": 1.7, "attrs": {"heightM": -2, "canopyRadiusM": "wide"}}),
        );
        let got = issues(&fc(
            json!([f, {"type": "Feature", "geometry": square(), "properties": {"foo": 1}}]),
        ));
        let ptrs: Vec<_> = got.iter().map(|i| i.pointer.as_str()).collect();
        assert_eq!(
            ptrs,
            [
                "/features/0/properties/confidence",
                "/features/0/properties/attrs/canopyRadiusM",
                "/features/0/properties/attrs/heightM",
                "/features/1/properties",
            ]
        );
        assert!(matches!(got[3].kind, IssueKind::Missing("catalogType")));
    }

    #[test]
    fn geometry_type_must_fit_the_catalog_type() {
        let pool = json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
            "properties": {"catalogType": "swimming pool", "attrs": {}, "confidence": 0.5, "source": "sam"}});
        let got = issues(&fc(json!([pool])));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].pointer, "/features/0/geometry/type");
    }

    #[test]
    fn plain_geojson_skips_site_plan_rules_but_not_geometry_rules() {
        let f = json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0]]}, "properties": null});
        let got = issues(&fc(json!([f])));
        assert_eq!(
            got,
            vec![Issue {
                pointer: "/features/0/geometry/coordinates".into(),
                kind: IssueKind::LineTooShort(1)
            }]
        );
    }

    #[test]
    fn projected_documents_skip_lon_lat_ranges() {
        let v = json!({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
            "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-10_880_000.0, 3_880_000.0]}, "properties": {}}]});
        assert!(issues(&v).is_empty());
    }

    #[test]
    fn side_references_and_counts() {
        let v = json!({"type": "FeatureCollection", "features": [],
            "parcel": {"sides": [{"id": "side-0", "index": 0}, {"id": "side-1", "index": 1.5}]},
            "yards": [{"id": "yard-front", "kind": "front", "boundingSideIds": ["side-9"]}],
            "analysis": {"setbackReport": {"bySide": [], "totalSides": 2, "compliantSides": 3},
                         "shadeReport": {"byYard": [{"kind": "front", "sunHoursPerDay": 25, "band": "full_sun"}]}}});
        let ptrs: Vec<_> = issues(&v).into_iter().map(|i| i.pointer).collect();
        assert_eq!(
            ptrs,
            [
                "/parcel/sides/1/index",
                "/yards/0/boundingSideIds/0",
                "/analysis/setbackReport/compliantSides",
                "/analysis/shadeReport/byYard/0/sunHoursPerDay",
            ]
        );
    }
}
