//! Parcel analysis speed: side roles for a whole fabric (Paradise, TX: 421
//! parcels, 1 961 edges; sides, fabric index, frontage, roles), and one
//! site plan's parcel record with its setback report, and its shade
//! report.
//!
//! `cargo bench --bench site` (the fabric bench needs ../shared/data).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use planform::model::SitePlan;
use planform::site::parcel::{Context, ParcelOptions, analyze_parcel};
use planform::site::setbacks::Minimums;
use planform::site::shade::{ShadeOptions, shade_report};
use planform::site::tidyparcel::{LabelOptions, label};

/// The buildable envelope: a rectangle (the convex fast path) and the flag
/// lot (the exact boolean construction).
fn envelopes(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    minimums: &Minimums,
) {
    for name in ["interior_lot", "flag_lot"] {
        let lot = SitePlan::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("fixtures/site/{name}.json")),
        )
        .expect("fixture");
        let a =
            analyze_parcel(&lot, &Context::default(), &ParcelOptions::default()).expect("analysis");
        g.bench_function(format!("buildable envelope, {name}"), |b| {
            b.iter(|| planform::site::envelope::envelope(black_box(&a), minimums));
        });
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("site");
    let paradise = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/site/paradise_tx/Paradise.parcel");
    if let Ok(bytes) = std::fs::read(&paradise) {
        let doc: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        g.throughput(Throughput::Elements(421));
        g.bench_function("label sides, Paradise fabric (421 parcels)", |b| {
            b.iter(|| label(black_box(&doc), &LabelOptions::default()).expect("label"));
        });
    } else {
        eprintln!("SKIPPED: {} is absent", paradise.display());
    }
    let plan = SitePlan::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/site/interior_lot.json"),
    )
    .expect("fixture");
    let minimums = Minimums {
        front: Some(25.0),
        rear: Some(25.0),
        interior: Some(10.0),
        exterior: Some(15.0),
    };
    g.throughput(Throughput::Elements(1));
    g.bench_function("parcel record + setbacks, one site plan", |b| {
        b.iter(|| {
            let a = analyze_parcel(
                black_box(&plan),
                &Context::default(),
                &ParcelOptions::default(),
            )
            .expect("analysis");
            a.setbacks(&minimums)
        });
    });
    envelopes(&mut g, &minimums);
    let a =
        analyze_parcel(&plan, &Context::default(), &ParcelOptions::default()).expect("analysis");
    g.bench_function(
        "shade report, one parcel (1 m grid, 15-minute sun steps)",
        |b| {
            b.iter(|| shade_report(black_box(&plan), &a, &ShadeOptions::default()).expect("shade"));
        },
    );
    let delft =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/site/delft_nl");
    if let (Ok(dsm), Ok(bytes)) = (
        planform::site::grade::read_dem(&delft.join("delft_ahn3_dsm_0p5m.tif"), 50_000_000),
        std::fs::read(delft.join("delft_bgt_onbegroeidterreindeel.geojson")),
    ) {
        let yards: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        // the largest yard (shoelace area in degrees: only the ranking matters)
        let area = |f: &&serde_json::Value| {
            let r = f["geometry"]["coordinates"][0]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let p: Vec<(f64, f64)> = r
                .iter()
                .filter_map(|q| Some((q[0].as_f64()?, q[1].as_f64()?)))
                .collect();
            p.windows(2)
                .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                .sum::<f64>()
                .abs()
        };
        let largest = yards["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter(|f| f["geometry"]["type"] == "Polygon")
            .max_by(|a, b| area(a).total_cmp(&area(b)))
            .expect("a yard");
        let doc = serde_json::json!({"type": "FeatureCollection", "features": [largest]});
        let yard = SitePlan::from_slice(&serde_json::to_vec(&doc).expect("json")).expect("plan");
        let a = analyze_parcel(&yard, &Context::default(), &ParcelOptions::default())
            .expect("analysis");
        g.bench_function(
            "shade report with the DSM, Delft's largest yard (905 m², 0.5 m DSM, 1 m grid)",
            |b| {
                b.iter(|| {
                    planform::site::shade::shade_report_with_dsm(
                        black_box(&yard),
                        &a,
                        &ShadeOptions::default(),
                        Some(&dsm),
                    )
                    .expect("shade")
                });
            },
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
