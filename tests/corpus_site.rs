//! Every GeoJSON document under `../shared/data/site/` (data nobody here
//! wrote: county parcels, OZFS tidyparcel files, Dutch BGT layers) parses as a
//! plain FeatureCollection and round-trips to the same JSON value.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use planform::model::{Profile, SitePlan, ValidateOptions};

#[test]
fn every_site_geojson_in_the_corpus_round_trips() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut n = 0;
    for path in common::files_below(&corpus.join("site")) {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(ext, "geojson" | "json" | "parcel" | "zoning") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let reference = common::json_value(&bytes);
        if reference.get("type").and_then(|t| t.as_str()) != Some("FeatureCollection") {
            continue;
        }
        let plan =
            SitePlan::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            common::json_value(&plan.to_vec().unwrap()),
            reference,
            "{}",
            path.display()
        );
        let issues = plan.validate_with(&ValidateOptions {
            profile: Profile::GeoJson,
        });
        assert!(
            issues.is_empty(),
            "{}: {:?}",
            path.display(),
            &issues[..issues.len().min(5)]
        );
        n += 1;
    }
    assert!(
        n >= 19,
        "only {n} corpus documents found (the corpus README lists 19)"
    );
    eprintln!("{n} corpus documents round-tripped");
}
