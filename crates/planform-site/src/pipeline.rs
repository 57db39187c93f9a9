//! The one call: a site plan analysed whole ([`analyze`]) into typed
//! results ([`SiteAnalysis`]) that can be applied to the plan
//! ([`SiteAnalysis::apply`]).
//!
//! The pipeline: the parcel's sides and their roles from the context
//! (keeping the plan's own evidence unless asked to replace it), the
//! setback report and the exact buildable envelope against the minimums,
//! the lot grade from the terrain model, the sun hours per yard (with the
//! surface model's shadows), the yards' ground, and the fence layout with
//! its gates.

use geo_types::{LineString, Point};
use planform_model::analysis::{
    BuildableEnvelope, FenceLayout, Gate, LotGrade, ParcelClassification, SetbackReport,
    ShadeReport, YardKind,
};
use planform_model::{CatalogSlug, Parcel, SitePlan, Yard};
use serde_json::Number;

use crate::context::SiteContext;
use crate::envelope::{Envelope, envelope};
use crate::error::{Result, SiteError};
use crate::evidence::{Kept, adopt, merge_yards};
use crate::fence::fence_layout;
use crate::grade::{Dem, GradeOptions, parcel_grade};
use crate::parcel::{Context, ParcelAnalysis, ParcelOptions, analyze_parcel_framed, parcel_index};
use crate::setbacks::Minimums;
use crate::shade::{Obstacle, ShadeOptions, shade_report};
use crate::sun::Date;
use crate::yards::yards;

/// How a site is analysed.
#[derive(Debug, Clone)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent switches, each set by name"
)]
pub struct SiteOptions {
    /// The zoning minimums (feet per role). Empty: no compliance is
    /// claimed and no envelope is drawn.
    pub minimums: Minimums,
    /// Side splitting and frontage distances.
    pub parcel: ParcelOptions,
    /// Compute the sun hours per yard (the costliest step).
    pub shade: bool,
    /// The shade date; `None`: the summer solstice of the parcel's
    /// hemisphere.
    pub date: Option<Date>,
    /// The shade grid and time step (its `date` is replaced by `date`).
    pub shade_options: ShadeOptions,
    /// Keep every sample point of the shade grid ([`SiteAnalysis::shade_points`]).
    pub shade_points: bool,
    /// The lot grade's flatness threshold.
    pub grade: GradeOptions,
    /// Recompute the classification, side roles, yards and gates even
    /// where the plan has its own.
    pub replace: bool,
    /// Compute the yards' bounding sides and ground (default true).
    pub yards: bool,
    /// Compute the fence layout and its gates (default true).
    pub fence: bool,
}

impl Default for SiteOptions {
    fn default() -> Self {
        Self {
            minimums: Minimums::default(),
            parcel: ParcelOptions::default(),
            shade: true,
            date: None,
            shade_options: ShadeOptions::default(),
            shade_points: false,
            grade: GradeOptions::default(),
            replace: false,
            yards: true,
            fence: true,
        }
    }
}

/// Rasters for the analysis: a terrain model gives the lot grade, a
/// surface model (roofs and trees) only casts shadows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rasters<'a> {
    /// The terrain model (DTM).
    pub dtm: Option<&'a Dem>,
    /// The surface model (DSM).
    pub dsm: Option<&'a Dem>,
}

/// One shade sample: a ground point, its yard and its direct sun hours.
#[derive(Debug, Clone, PartialEq)]
pub struct ShadePoint {
    /// WGS84 longitude/latitude.
    pub position: Point<f64>,
    /// The yard it lies in (or of its nearest side).
    pub yard: YardKind,
    /// Direct sun hours on the day.
    pub sun_hours: f64,
}

/// Everything [`analyze`] finds, typed; [`SiteAnalysis::apply`] writes it
/// into the plan.
#[derive(Debug, Clone)]
pub struct SiteAnalysis {
    /// The top-level `parcel` record: sides with roles and geodesic
    /// lengths, and the classification (the plan's own when kept).
    pub parcel: Parcel,
    /// Each side's setback against the minimums (with a building).
    pub setback_report: Option<SetbackReport>,
    /// The exact buildable envelope in the local metric frame (with
    /// minimums).
    pub envelope: Option<Envelope>,
    /// The same envelope as the plan's record, in the plan's coordinates.
    pub buildable_envelope: Option<BuildableEnvelope>,
    /// The lot grade (with a terrain model).
    pub lot_grade: Option<LotGrade>,
    /// Sun hours per yard (with `shade`).
    pub shade_report: Option<ShadeReport>,
    /// Every shade sample (with `shade_points`).
    pub shade_points: Vec<ShadePoint>,
    /// The yards with their bounding sides and ground.
    pub yards: Vec<Yard>,
    /// The recommended fence (with a front side).
    pub fence_layout: Option<FenceLayout>,
    /// The gates where driveways and walkways cross the fence.
    pub gates: Option<Vec<Gate>>,
    /// Which of the plan's own members are kept.
    pub kept: Kept,
    /// What the caller should hear (a DSM given without a DTM, …).
    pub warnings: Vec<String>,
    /// Each side of `parcel.sides` as a line in the plan's own
    /// coordinates (rounded as the analysis writes positions).
    pub side_lines: Vec<LineString<f64>>,
    /// Index of the parcel feature in the plan.
    parcel_feature: usize,
}

/// Analyses the plan's one parcel with what is known around it.
///
/// ```
/// use planform_site::{Minimums, Rasters, SiteContext, SiteOptions, analyze, model::SitePlan};
///
/// let plan = SitePlan::from_slice(br#"{"type": "FeatureCollection", "features": [
///   {"type": "Feature", "properties": {"catalogType": "parcel"}, "geometry": {"type": "Polygon",
///     "coordinates": [[[-87.9, 41.7], [-87.8994, 41.7], [-87.8994, 41.7004], [-87.9, 41.7004], [-87.9, 41.7]]]}},
///   {"type": "Feature", "properties": {"catalogType": "building"}, "geometry": {"type": "Polygon",
///     "coordinates": [[[-87.8998, 41.7001], [-87.8996, 41.7001], [-87.8996, 41.7002], [-87.8998, 41.7002], [-87.8998, 41.7001]]]}}]}"#)?;
/// let options = SiteOptions {
///     minimums: Minimums { front: Some(25.0), rear: Some(25.0), interior: Some(5.0), exterior: Some(10.0) },
///     shade: false,
///     ..SiteOptions::default()
/// };
/// let mut plan = plan;
/// let site = analyze(&plan, &SiteContext::default(), Rasters::default(), &options)?;
/// let envelope = site.envelope.as_ref().expect("minimums give an envelope");
/// assert!(envelope.area() > 0.0 && envelope.area() < 50.0 * 44.5);
/// site.apply(&mut plan);
/// assert!(plan.analysis.unwrap().buildable_envelope.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn analyze(
    plan: &SitePlan,
    context: &SiteContext,
    rasters: Rasters<'_>,
    options: &SiteOptions,
) -> Result<SiteAnalysis> {
    analyze_in(plan, &context.resolve()?, rasters, options)
}

/// [`analyze`] with the context checked and in WGS84 (a batch resolves
/// its layers once and hands each lot what lies around it).
pub(crate) fn analyze_in(
    plan: &SitePlan,
    resolved: &Context,
    rasters: Rasters<'_>,
    options: &SiteOptions,
) -> Result<SiteAnalysis> {
    let parcel_feature = parcel_index(plan)?;
    let (mut a, frames) = analyze_parcel_framed(plan, resolved, &options.parcel)?;
    let kept = if options.replace {
        Kept::default()
    } else {
        adopt(plan, &mut a)
    };
    let mut warnings = Vec::new();
    let (envelope, buildable_envelope) = if options.minimums.is_empty() {
        (None, None)
    } else {
        let env = envelope(&a, &options.minimums);
        let record = BuildableEnvelope {
            geometry: Some(frames.to_plan_polygons(&env.region)?),
            area_sqm: Number::from_f64((env.area() * 100.0).round() / 100.0),
            footprint_fits: env.footprint_fits,
            source: Some("planform".to_owned()),
            ..BuildableEnvelope::default()
        };
        (Some(env), Some(record))
    };
    let setback_report = a.setbacks(&options.minimums);
    // the grade comes from the terrain only: a surface model's roofs and
    // trees are not the lot's slope
    let lot_grade = match (rasters.dtm, rasters.dsm) {
        (Some(dtm), _) => Some(
            parcel_grade(dtm, &wgs_ring(&a), &options.grade)?.ok_or_else(|| {
                SiteError::invalid("terrain model", "no cell of it lies in the parcel")
            })?,
        ),
        (None, Some(_)) => {
            warnings.push(
                "no lot grade: it needs the terrain model; the surface model only casts shadows"
                    .to_owned(),
            );
            None
        }
        (None, None) => None,
    };
    let (shade_report, shade_points) = if options.shade {
        // the summer solstice of the parcel's hemisphere unless a date is given
        let south = frames.centre.1 < 0.0;
        let date = options.date.unwrap_or(Date {
            year: 2025,
            month: if south { 12 } else { 6 },
            day: 21,
        });
        let o = ShadeOptions {
            date,
            ..options.shade_options
        };
        let around = neighbours(&resolved.buildings, &frames)?;
        let (report, points) = shade_report(plan, &a, &frames, &o, rasters.dsm, &around)?;
        let points = if options.shade_points {
            points
                .into_iter()
                .map(|(c, yard, sun_hours)| {
                    let (lon, lat) = frames.to_wgs(c)?;
                    Ok(ShadePoint {
                        position: Point::new(lon, lat),
                        yard,
                        sun_hours,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        (Some(report), points)
    } else {
        (None, Vec::new())
    };
    let (yards, fence_layout, gates) = yards_and_fence(plan, &a, &frames, options)?;
    let side_lines = side_lines(&a, &frames)?;
    let mut parcel = a.record.clone();
    if let Some(own) = plan.parcel.as_ref().filter(|_| kept.classification) {
        parcel.classification.clone_from(&own.classification);
    }
    Ok(SiteAnalysis {
        parcel,
        setback_report,
        envelope,
        buildable_envelope,
        lot_grade,
        shade_report,
        shade_points,
        yards,
        fence_layout,
        gates,
        kept,
        warnings,
        side_lines,
        parcel_feature,
    })
}

/// Buildings this far from the lot's centre (degrees, about 500 m) can
/// shade it; farther ones are left out.
const SHADOW_REACH_DEG: f64 = 0.005;

/// The context's buildings near the lot as shadow casters in its frame.
fn neighbours(
    buildings: &[crate::parcel::NearBuilding],
    frames: &crate::parcel::Frames,
) -> Result<Vec<Obstacle>> {
    let (cx, cy) = frames.centre;
    let near = |r: &[(f64, f64)]| {
        r.iter().any(|&(x, y)| {
            (x - cx).abs() < SHADOW_REACH_DEG / cy.to_radians().cos().max(0.01)
                && (y - cy).abs() < SHADOW_REACH_DEG
        })
    };
    buildings
        .iter()
        .filter(|(r, _)| near(r))
        .map(|(r, h)| Ok(Obstacle::new(frames.local_wgs(r)?, h.unwrap_or(6.0))))
        .collect()
}

/// The yards, the fence layout and its gates.
type Grounds = (Vec<Yard>, Option<FenceLayout>, Option<Vec<Gate>>);

/// The yards and the fence layout with its gates, where asked for.
fn yards_and_fence(
    plan: &SitePlan,
    a: &ParcelAnalysis,
    frames: &crate::parcel::Frames,
    options: &SiteOptions,
) -> Result<Grounds> {
    let yards = if options.yards {
        yards(a, frames)?
    } else {
        Vec::new()
    };
    let fenced = if options.fence {
        fence_layout(plan, a, frames)?
    } else {
        None
    };
    Ok(match fenced {
        Some((layout, gates)) => (yards, Some(layout), Some(gates)),
        None => (yards, None, None),
    })
}

/// Each side as a line in the plan's own coordinates.
fn side_lines(a: &ParcelAnalysis, frames: &crate::parcel::Frames) -> Result<Vec<LineString<f64>>> {
    a.sides
        .iter()
        .map(|side| {
            let mut line = Vec::with_capacity(side.points.len());
            for c in &side.points {
                line.push(frames.to_plan(*c)?.coord());
            }
            Ok(LineString(line))
        })
        .collect()
}

/// The parcel's outer ring in WGS84.
fn wgs_ring(a: &ParcelAnalysis) -> Vec<geo_types::Coord<f64>> {
    a.ring
        .iter()
        .map(|&(x, y)| geo_types::Coord { x, y })
        .collect()
}

impl SiteAnalysis {
    /// The parcel's shape class (`"unclassified"` without one).
    pub fn class(&self) -> &str {
        self.parcel
            .classification
            .as_ref()
            .and_then(|c: &ParcelClassification| c.class.as_ref())
            .map_or("unclassified", |c| c.as_str())
    }

    /// Writes the results into the plan: `parcel`, the `analysis` members
    /// found, `yards` (planform's ground added to the plan's own yards of
    /// the same kind when they are kept) and `gates` (unless kept). A
    /// parcel feature without a `catalogType` (a raw county parcel) gets
    /// `parcel`, so that the plan validates as a site plan.
    pub fn apply(self, plan: &mut SitePlan) {
        let analysis = plan.analysis.get_or_insert_with(Default::default);
        if self.setback_report.is_some() {
            analysis.setback_report = self.setback_report;
        }
        if self.buildable_envelope.is_some() {
            analysis.buildable_envelope = self.buildable_envelope;
        }
        if self.lot_grade.is_some() {
            analysis.lot_grade = self.lot_grade;
        }
        if self.shade_report.is_some() {
            analysis.shade_report = self.shade_report;
        }
        if self.fence_layout.is_some() {
            analysis.fence_layout = self.fence_layout;
        }
        match (&mut plan.yards, self.kept.yards) {
            (Some(own), true) => merge_yards(own, &self.yards),
            _ if !self.yards.is_empty() => plan.yards = Some(self.yards),
            _ => {}
        }
        if let (Some(gates), false) = (self.gates, self.kept.gates) {
            plan.gates = Some(gates);
        }
        plan.parcel = Some(self.parcel);
        if let Some(f) = plan.features.get_mut(self.parcel_feature) {
            let props = f.properties.get_or_insert_with(Default::default);
            if props.catalog_type.is_none() && !props.extra.contains_key("catalogType") {
                props.catalog_type = Some(CatalogSlug::parse("parcel"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::{Building, Layer};
    use geo_types::{LineString, Polygon};

    fn hours(site: &SiteAnalysis) -> f64 {
        site.shade_report
            .as_ref()
            .and_then(|r| r.by_yard.as_ref())
            .map_or(0.0, |y| {
                y.iter()
                    .filter_map(|y| y.sun_hours_per_day.as_ref()?.as_f64())
                    .sum()
            })
    }

    #[test]
    fn a_tall_neighbour_to_the_south_takes_sun_away() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/site/interior_lot.json"
        );
        let plan = SitePlan::read(path).unwrap();
        // the winter solstice: a low sun, long shadows to the north
        let options = SiteOptions {
            date: Some(Date {
                year: 2025,
                month: 12,
                day: 21,
            }),
            shade_options: ShadeOptions {
                grid_m: 2.0,
                ..ShadeOptions::default()
            },
            ..SiteOptions::default()
        };
        let open = analyze(&plan, &SiteContext::default(), Rasters::default(), &options).unwrap();
        // a 30 m block 10–40 m south of the lot's southernmost point
        let mut ring = Vec::new();
        plan.features[parcel_index(&plan).unwrap()]
            .geometry
            .as_ref()
            .unwrap()
            .for_each_position(&mut |p| ring.push((p.x(), p.y())));
        let (lon, lat) = ring
            .iter()
            .fold((0.0, f64::INFINITY), |(x, y), p| (x + p.0, y.min(p.1)));
        let lon = lon / ring.len() as f64;
        let (dlat, dlon) = (1.0 / 111_000.0, 1.0 / (111_000.0 * lat.to_radians().cos()));
        let block = Polygon::new(
            LineString::from(vec![
                (lon - 40.0 * dlon, lat - 40.0 * dlat),
                (lon + 40.0 * dlon, lat - 40.0 * dlat),
                (lon + 40.0 * dlon, lat - 10.0 * dlat),
                (lon - 40.0 * dlon, lat - 10.0 * dlat),
            ]),
            vec![],
        );
        let context = SiteContext {
            buildings: Layer::wgs84(vec![Building {
                footprint: block,
                height_m: Some(30.0),
            }]),
            ..SiteContext::default()
        };
        let shaded = analyze(&plan, &context, Rasters::default(), &options).unwrap();
        assert!(
            hours(&shaded) < hours(&open) - 1.0,
            "{} vs {}",
            hours(&shaded),
            hours(&open)
        );
        // and a building a kilometre away changes nothing
        let mut far = context.clone();
        for b in &mut far.buildings.features {
            b.footprint = Polygon::new(
                LineString::from(
                    b.footprint
                        .exterior()
                        .0
                        .iter()
                        .map(|c| (c.x, c.y - 0.01))
                        .collect::<Vec<_>>(),
                ),
                vec![],
            );
        }
        let away = analyze(&plan, &far, Rasters::default(), &options).unwrap();
        assert_eq!(hours(&away), hours(&open));
    }

    #[test]
    fn hostile_shade_options_are_errors() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/site/corner_lot.json"
        );
        let plan = SitePlan::read(path).unwrap();
        for (step, offset) in [
            (1e-300, None),
            (0.0, None),
            (f64::NAN, None),
            (-15.0, None),
            (1e300, None),
            (15.0, Some(f64::NAN)),
            (15.0, Some(1e9)),
        ] {
            let options = SiteOptions {
                shade_options: ShadeOptions {
                    step_minutes: step,
                    utc_offset_hours: offset,
                    ..ShadeOptions::default()
                },
                ..SiteOptions::default()
            };
            let e = analyze(&plan, &SiteContext::default(), Rasters::default(), &options);
            assert!(e.is_err(), "step {step}, offset {offset:?}");
        }
        for grid_m in [f64::NAN, -1.0, 0.0, f64::INFINITY] {
            let options = SiteOptions {
                shade_options: ShadeOptions {
                    grid_m,
                    ..ShadeOptions::default()
                },
                ..SiteOptions::default()
            };
            let e = analyze(&plan, &SiteContext::default(), Rasters::default(), &options);
            assert!(e.is_err(), "grid {grid_m}");
        }
    }
}
