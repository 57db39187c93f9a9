//! Sun positions against pvlib's NREL SPA: a year of hourly samples (2025)
//! at three latitudes (Delft 52° N, Paradise TX 33° N, Sydney 34° S),
//! geometric zenith and azimuth within 0.001°.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

use planform::site::sun::{Date, delta_t, position};

#[test]
fn a_year_of_hourly_positions_matches_pvlib() {
    let Some(py) = common::python_with(&["pvlib", "numpy"]) else {
        return;
    };
    let sites = [(52.0116, 4.3571), (33.1534, -97.6958), (-33.8688, 151.2093)];
    let mut rows = Vec::new();
    // 2025-01-01T00:00Z
    let epoch = 1_735_689_600i64;
    let days_in = [31u32, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for &(lat, lon) in &sites {
        let mut day_index = 0i64;
        for (m, &days) in days_in.iter().enumerate() {
            for d in 1..=days {
                let date = Date {
                    year: 2025,
                    month: m as u32 + 1,
                    day: d,
                };
                for h in 0..24 {
                    let p = position(lat, lon, date, f64::from(h) * 3600.0).unwrap();
                    rows.push(serde_json::json!({
                        "lat": lat, "lon": lon,
                        "unix": epoch + day_index * 86_400 + i64::from(h) * 3600,
                        "delta_t": delta_t(date).unwrap(),
                        "azimuth": p.azimuth, "zenith": 90.0 - p.elevation,
                    }));
                }
                day_index += 1;
            }
        }
    }
    assert_eq!(rows.len(), 3 * 365 * 24);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sun.json");
    std::fs::write(&f, serde_json::to_vec(&rows).unwrap()).unwrap();
    let o = Command::new(py)
        .arg(common::root().join("tests/conformance/sun_check.py"))
        .arg(&f)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    eprintln!("{text}{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{text}");
}
