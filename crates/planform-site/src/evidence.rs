//! What the input already knows is kept: a site plan from the service
//! carries its own parcel classification, side roles, yards and gates
//! (detected from imagery, each with its `source`). planform infers the
//! same members from geometry alone, which is the weaker evidence: without
//! a road layer a corner lot's two street sides look like any others.
//! [`adopt`] makes the analysis follow the plan's own side roles where its
//! side records line up with planform's sides, and [`Kept`] says which
//! members the writer should leave as they were.

use planform_model::SitePlan;
use planform_model::analysis::SideRole;

use crate::parcel::ParcelAnalysis;

/// Which of the plan's own members are kept (true: the plan has it and it
/// stays as it was; planform's inference is not written over it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one independent flag per member of the plan"
)]
pub struct Kept {
    /// `parcel.classification`.
    pub classification: bool,
    /// `parcel.sides` (and their roles drive the analysis).
    pub sides: bool,
    /// `yards`.
    pub yards: bool,
    /// `gates`.
    pub gates: bool,
}

/// Adopts the plan's own evidence into `a`: when the plan's `parcel.sides`
/// start at the same ring vertices as planform's sides and name decided
/// roles, those roles, relations and ids replace planform's (in `a.roles`
/// and in `a.record`'s sides, whose geodesic lengths stay planform's
/// measurement), so setbacks, yards, envelope and fences follow them.
/// Returns what the writer keeps.
pub fn adopt(plan: &SitePlan, a: &mut ParcelAnalysis) -> Kept {
    let own = plan.parcel.as_ref();
    let mut kept = Kept {
        classification: own
            .and_then(|p| p.classification.as_ref())
            .is_some_and(|c| c.class.is_some()),
        yards: plan.yards.as_ref().is_some_and(|y| !y.is_empty()),
        gates: plan.gates.as_ref().is_some_and(|g| !g.is_empty()),
        sides: false,
    };
    let Some(sides) = own.and_then(|p| p.sides.as_ref()) else {
        return kept;
    };
    let index = |s: &planform_model::Side| s.index.as_ref().and_then(serde_json::Number::as_u64);
    let matches = sides.len() == a.sides.len()
        && sides
            .iter()
            .zip(&a.sides)
            .all(|(s, g)| index(s) == Some(g.index as u64));
    let decided = sides
        .iter()
        .all(|s| s.role.as_ref().is_some_and(crate::setbacks::is_decided));
    if !(matches && decided) {
        return kept;
    }
    for (s, r) in sides.iter().zip(a.roles.iter_mut()) {
        r.role = s.role.clone().unwrap_or(SideRole::Unknown);
        if s.relation.is_some() {
            r.relation.clone_from(&s.relation);
        }
    }
    if let Some(records) = a.record.sides.as_mut() {
        for (own, ours) in sides.iter().zip(records.iter_mut()) {
            ours.role.clone_from(&own.role);
            if own.relation.is_some() {
                ours.relation.clone_from(&own.relation);
            }
            if own.id.is_some() {
                ours.id.clone_from(&own.id);
            }
        }
    }
    kept.sides = true;
    kept
}

/// planform's members of each computed yard (its ground `geometry` and
/// `areaSquareMeters`) added to the plan's own yard of the same kind, where
/// that one has none, and the computed yards of kinds the plan lacks
/// appended; the plan's ids, kinds and bounding sides stay.
pub fn merge_yards(own: &mut Vec<planform_model::Yard>, computed: &[planform_model::Yard]) {
    for c in computed {
        if c.kind.is_some() && !own.iter().any(|y| y.kind == c.kind) {
            own.push(c.clone());
        }
    }
    for y in own.iter_mut() {
        let Some(c) = computed
            .iter()
            .find(|c| c.kind.is_some() && c.kind == y.kind)
        else {
            continue;
        };
        if y.geometry.is_none() {
            y.geometry.clone_from(&c.geometry);
            y.area_square_meters.clone_from(&c.area_square_meters);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parcel::{Context, ParcelOptions, analyze_parcel, analyze_parcel_framed};

    fn fixture(name: &str) -> SitePlan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/site")
            .join(name);
        SitePlan::read(&path).unwrap()
    }

    #[test]
    fn the_services_corner_lot_keeps_its_roles() {
        let plan = fixture("corner_lot.json");
        let (mut a, frames) =
            analyze_parcel_framed(&plan, &Context::default(), &ParcelOptions::default()).unwrap();
        let kept = adopt(&plan, &mut a);
        assert_eq!(
            kept,
            Kept {
                classification: true,
                sides: true,
                yards: true,
                gates: true
            }
        );
        let roles: Vec<&str> = a.roles.iter().map(|r| r.role.as_str()).collect();
        assert_eq!(roles, ["front", "exterior", "rear", "interior"]);
        // the service's yards get planform's ground, ids and sides unchanged
        let computed = crate::yards::yards(&a, &frames).unwrap();
        let mut own = plan.yards.clone().unwrap();
        merge_yards(&mut own, &computed);
        assert_eq!(own[0].id.as_deref(), Some("yard-front"));
        assert_eq!(
            own[0].bounding_side_ids,
            plan.yards.as_ref().unwrap()[0].bounding_side_ids
        );
        assert!(own.iter().all(|y| y.geometry.is_some()), "{own:?}");
    }

    #[test]
    fn a_plan_without_its_own_records_keeps_nothing() {
        let mut plan = fixture("corner_lot.json");
        plan.parcel = None;
        plan.yards = None;
        plan.gates = None;
        let mut a = analyze_parcel(&plan, &Context::default(), &ParcelOptions::default()).unwrap();
        let before = a.roles.clone();
        assert_eq!(adopt(&plan, &mut a), Kept::default());
        assert_eq!(a.roles, before);
    }
}
