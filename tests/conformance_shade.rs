//! Shade against pvlib and shapely: on every fixture, the sun hours of each
//! of planform's 1 m sample points, recomputed independently (pvlib SPA sun
//! positions, pyproj-projected obstacles with the documented heights,
//! shapely shadow polygons), agree for ≥ 99.9% of points (measured: all).

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::model::SitePlan;
use planform::site::parcel::{Context, ParcelOptions, analyze_parcel};
use planform::site::shade::{ShadeOptions, shade_report};
use planform::site::sun::delta_t;

#[test]
fn sun_hours_match_pvlib_and_shapely() {
    let Some(py) = common::python_with(&["pvlib", "shapely", "pyproj", "pandas"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let o = ShadeOptions::default();
    for input in common::good_site_plans() {
        let plan = SitePlan::read(&input).unwrap();
        let a = analyze_parcel(&plan, &Context::default(), &ParcelOptions::default()).unwrap();
        let (_, points) = shade_report(&plan, &a, &o).unwrap();
        assert!(points.len() > 100, "{}", input.display());
        let rows: Vec<[f64; 3]> = points.iter().map(|(p, _, h)| [p.x, p.y, *h]).collect();
        let f = dir.path().join("points.json");
        std::fs::write(
            &f,
            serde_json::to_vec(
                &serde_json::json!({"delta_t": delta_t(o.date).unwrap(), "points": rows}),
            )
            .unwrap(),
        )
        .unwrap();
        let out = Command::new(&py)
            .arg(common::root().join("tests/conformance/shade_check.py"))
            .arg(&input)
            .arg(&f)
            .args([
                o.date.year.to_string(),
                o.date.month.to_string(),
                o.date.day.to_string(),
                o.step_minutes.to_string(),
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        eprintln!(
            "{}: {text}{}",
            input.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{}: {text}", input.display());
    }
}
