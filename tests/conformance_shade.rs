//! Shade against pvlib and shapely: on every fixture, the sun hours of each
//! of planform's 1 m sample points, recomputed independently (pvlib SPA sun
//! positions, pyproj-projected obstacles with the documented heights,
//! shapely shadow polygons), agree for ≥ 99.9% of points (measured: all).

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::model::SitePlan;
use planform::site::sun::delta_t;
use planform::site::{Date, Rasters, SiteContext, SiteOptions, analyze};

#[test]
fn sun_hours_match_pvlib_and_shapely() {
    let Some(py) = common::python_with(&["pvlib", "shapely", "pyproj", "pandas"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let o = SiteOptions {
        shade_points: true,
        date: Some(Date {
            year: 2025,
            month: 6,
            day: 21,
        }),
        ..SiteOptions::default()
    };
    let date = o.date.unwrap();
    for input in common::good_site_plans() {
        let plan = SitePlan::read(&input).unwrap();
        let site = analyze(&plan, &SiteContext::default(), Rasters::default(), &o).unwrap();
        let points = &site.shade_points;
        assert!(points.len() > 100, "{}", input.display());
        let rows: Vec<[f64; 3]> = points
            .iter()
            .map(|p| [p.position.x(), p.position.y(), p.sun_hours])
            .collect();
        let f = dir.path().join("points.json");
        std::fs::write(
            &f,
            serde_json::to_vec(
                &serde_json::json!({"delta_t": delta_t(date).unwrap(), "points": rows}),
            )
            .unwrap(),
        )
        .unwrap();
        let out = Command::new(&py)
            .arg(common::root().join("tests/conformance/shade_check.py"))
            .arg(&input)
            .arg(&f)
            .args([
                date.year.to_string(),
                date.month.to_string(),
                date.day.to_string(),
                o.shade_options.step_minutes.to_string(),
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
