//! The model against the project's fixtures: exact round trips, typed access,
//! every catalog type present, and each malformed case rejected at the right
//! stage with the right pointer.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::collections::BTreeSet;

use planform::model::attrs::{BuildingAttrs, PoolAttrs, Species, TreeAttrs};
use planform::model::{CatalogType, FeatureFilter, ModelError, ParseErrorKind, SitePlan};

#[test]
fn every_good_fixture_round_trips_exactly() {
    let files = common::good_site_plans();
    assert!(files.len() >= 5, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let plan =
            SitePlan::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let issues = plan.validate();
        assert!(
            issues.iter().all(|i| !i.is_error()),
            "{}: {issues:?}",
            path.display()
        );
        let out = plan.to_vec().unwrap();
        assert_eq!(
            common::json_value(&out),
            common::json_value(&bytes),
            "{}",
            path.display()
        );
        // and the output parses to the same model
        assert_eq!(
            SitePlan::from_slice(&out).unwrap(),
            plan,
            "{}",
            path.display()
        );
    }
}

#[test]
fn fixtures_cover_every_catalog_type_and_alias() {
    let mut seen = BTreeSet::new();
    let mut spellings = BTreeSet::new();
    for path in common::good_site_plans() {
        let plan = SitePlan::read(&path).unwrap();
        for f in &plan.features {
            let slug = f
                .properties
                .as_ref()
                .unwrap()
                .catalog_type
                .as_ref()
                .unwrap();
            seen.insert(slug.canonical().as_str().to_owned());
            spellings.insert(slug.as_sent().to_owned());
        }
    }
    for t in CatalogType::KNOWN {
        assert!(seen.contains(t.as_str()), "no fixture has a {t}");
    }
    for alias in ["swimming pool", "shrub_row", "privacy_hedge"] {
        assert!(spellings.contains(alias), "no fixture spells {alias:?}");
    }
}

#[test]
fn typed_access_on_the_seed_example() {
    let plan = SitePlan::read(common::fixture("seed/features_include.json")).unwrap();
    let tree = plan.features[0].attrs::<TreeAttrs>().unwrap();
    assert_eq!(tree.species, Some(Species::Deciduous));
    assert_eq!(tree.canopy_radius(), Some(2.8));
    let b = plan.features[2].attrs::<BuildingAttrs>().unwrap();
    assert_eq!(b.garage_face_edge(), Some(10));
    assert_eq!(b.has_solar_panels, Some(false));
    assert!(
        plan.features[1]
            .properties
            .as_ref()
            .unwrap()
            .attrs
            .is_none(),
        "parcel has no attrs"
    );
    let grade = plan.analysis.as_ref().unwrap().lot_grade.as_ref().unwrap();
    assert_eq!(grade.is_flat, Some(true));
}

#[test]
fn aliases_filter_as_their_canonical_type_and_write_back_as_sent() {
    let plan = SitePlan::read(common::fixture("site/corner_lot.json")).unwrap();
    let pools = plan.filtered(&FeatureFilter::parse(Some("pools"), None).unwrap());
    assert_eq!(pools.features.len(), 1);
    let pool = &pools.features[0];
    assert_eq!(pool.catalog_type(), Some(&CatalogType::Pool));
    assert!(pool.attrs::<PoolAttrs>().unwrap().fenced.unwrap());
    let v: serde_json::Value = serde_json::from_slice(&pools.to_vec().unwrap()).unwrap();
    assert_eq!(
        v["features"][0]["properties"]["catalogType"],
        "swimming pool"
    );
}

#[test]
fn include_keeps_parcel_and_building_only_when_asked() {
    let plan = SitePlan::read(common::fixture("site/interior_lot.json")).unwrap();
    let n = |types: Option<&str>, include: Option<&str>| {
        plan.filtered(&FeatureFilter::parse(types, include).unwrap())
            .features
            .len()
    };
    assert_eq!(n(None, Some("parcel,building")), plan.features.len());
    assert_eq!(n(None, None), plan.features.len() - 2);
    assert_eq!(n(Some("trees,structures"), None), 2);
    assert_eq!(n(Some("surfaces"), Some("building")), 4);
}

#[test]
fn unknown_values_are_opaque_and_kept() {
    let path = common::fixture("site/culdesac_lot.json");
    let plan = SitePlan::read(&path).unwrap();
    let odd: Vec<_> = plan
        .features
        .iter()
        .filter_map(|f| f.catalog_type())
        .filter(|t| !t.is_known())
        .collect();
    assert_eq!(odd, [&CatalogType::Other("solar_array".into())]);
    let baobab = plan.features[1].attrs::<TreeAttrs>().unwrap();
    assert_eq!(baobab.species, Some(Species::Other("baobab".into())));
    assert!(plan.features.iter().any(|f| {
        f.properties
            .as_ref()
            .unwrap()
            .source
            .as_ref()
            .is_some_and(|s| !s.is_known())
    }));
}

#[derive(serde::Deserialize)]
struct Expected {
    stage: String,
    kind: String,
    pointer: String,
}

#[test]
fn malformed_fixtures_fail_at_the_right_stage_with_a_pointer() {
    let dir = common::fixture("malformed");
    let expected: std::collections::BTreeMap<String, Expected> =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
    assert!(expected.len() >= 20);
    for (name, want) in &expected {
        let path = dir.join(name);
        let got = SitePlan::read(&path);
        match want.stage.as_str() {
            "parse" => {
                let e = got.expect_err(name);
                let ModelError::Parse {
                    kind,
                    pointer,
                    path: Some(p),
                    ..
                } = &e
                else {
                    panic!("{name}: expected a parse error with a path, got {e:?}");
                };
                assert_eq!(p, &path);
                let kind = match kind {
                    ParseErrorKind::Syntax => "syntax",
                    ParseErrorKind::Truncated => "truncated",
                    ParseErrorKind::Data => "data",
                    ParseErrorKind::Empty => "empty",
                    ParseErrorKind::TooDeep => "too_deep",
                    _ => "other",
                };
                assert_eq!(kind, want.kind, "{name}: {e}");
                assert_eq!(pointer, &want.pointer, "{name}: {e}");
                assert!(
                    e.to_string().contains(name.as_str()),
                    "{name}: message must name the file: {e}"
                );
            }
            "validate" => {
                let plan = got.unwrap_or_else(|e| panic!("{name} must parse: {e}"));
                let issues = plan.validate();
                let first = issues
                    .iter()
                    .find(|i| i.is_error())
                    .unwrap_or_else(|| panic!("{name}: no error"));
                assert_eq!(first.pointer, want.pointer, "{name}: {issues:?}");
                let kind = format!("{:?}", first.kind);
                assert!(
                    kind.starts_with(&want.kind),
                    "{name}: {kind} is not {}",
                    want.kind
                );
                // lossless even when invalid
                let bytes = std::fs::read(&path).unwrap();
                assert_eq!(
                    common::json_value(&plan.to_vec().unwrap()),
                    common::json_value(&bytes),
                    "{name}"
                );
            }
            other => panic!("unknown stage {other}"),
        }
    }
}

#[test]
fn the_seed_example_as_printed_is_rejected_at_its_placeholder() {
    let e = SitePlan::read(common::fixture("seed/features_include_verbatim.json")).unwrap_err();
    assert_eq!(
        e.pointer(),
        Some("/features/1/geometry/coordinates/0/0/0"),
        "{e}"
    );
}

#[test]
fn an_input_claiming_200_mb_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.json");
    std::fs::File::create(&p)
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    let e = SitePlan::read_with(
        &p,
        &planform::model::ReadOptions {
            max_bytes: 64 << 20,
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            ModelError::TooLarge {
                size: 200_000_000,
                ..
            }
        ),
        "{e}"
    );
}

/// Issue 13: with the `exact-numbers` feature, integers beyond 64 bits and
/// numbers spelled with more digits than a double holds keep their digits
/// through parse and write (`123456789012345678901234567890` came back as
/// `1.2345678901234568e+29`), wherever they stand: a top-level member, a
/// property, `attrs` (typed or not). (Coordinates are doubles either way.)
#[cfg(feature = "exact-numbers")]
#[test]
fn numbers_keep_every_digit() {
    let big = "123456789012345678901234567890";
    let precise = "0.1000000000000000000000000001";
    let text = format!(
        r#"{{"type":"FeatureCollection","parcelId":{big},"features":[
        {{"type":"Feature","geometry":{{"type":"Point","coordinates":[-87.9,41.8,1.5,2.25]}},
          "properties":{{"catalogType":"tree","apn":{big},"ratio":{precise},"attrs":{{"heightM":{precise},"tag":{big}}}}}}},
        {{"type":"Feature","geometry":null,"properties":{{"catalogType":"parcel","attrs":{big}}}}},
        {{"type":"Feature","geometry":null,"properties":{{"catalogType":"mystery","attrs":{{"n":-{big}}}}}}}
        ]}}"#
    );
    let plan = SitePlan::from_slice(text.as_bytes()).unwrap();
    let out = String::from_utf8(plan.to_vec().unwrap()).unwrap();
    assert_eq!(out.matches(big).count(), 5, "{out}");
    assert_eq!(out.matches(precise).count(), 2, "{out}");
    let again: serde_json::Value = serde_json::from_str(&out).unwrap();
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(again, original);
    // the typed accessors still read them as numbers
    let tree = plan.features[0]
        .attrs::<planform::model::attrs::TreeAttrs>()
        .unwrap();
    assert!((tree.height().unwrap() - 0.1).abs() < 1e-12);
}

/// Without `exact-numbers`, such a number is written back as the nearest
/// double (what the README promises), and everything else is unchanged.
#[cfg(not(feature = "exact-numbers"))]
#[test]
fn numbers_beyond_a_double_come_back_as_the_nearest_double() {
    let text = r#"{"type":"FeatureCollection","apn":123456789012345678901234567890,"features":[]}"#;
    let plan = SitePlan::from_slice(text.as_bytes()).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&plan.to_vec().unwrap()).unwrap();
    assert_eq!(
        v["apn"].as_f64(),
        Some(123_456_789_012_345_678_901_234_567_890.0)
    );
}
