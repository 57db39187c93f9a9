//! Parcel analysis speed: side roles for a whole fabric (Paradise, TX: 421
//! parcels, 1 961 edges; sides, fabric index, frontage, roles), the whole
//! per-parcel analysis without shade (`planform::site::analyze`: sides,
//! roles, setbacks, exact envelope, yards, fence layout) on every site
//! fixture, and the shade report.
//!
//! `cargo bench --bench site` (the fabric bench needs ../shared/data).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use planform::model::SitePlan;
use planform::site::tidyparcel::{LabelOptions, label};
use planform::site::{Minimums, Rasters, SiteContext, SiteOptions, analyze};

/// The whole analysis without shade, one site plan at a time: a
/// rectangle and a corner lot (the envelope's convex fast path), the flag
/// lot and the cul-de-sac lot (the exact construction); then the four in
/// turn, as a batch of the fixtures would run.
fn whole_analysis(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    minimums: &Minimums,
) {
    let options = SiteOptions {
        minimums: *minimums,
        shade: false,
        ..SiteOptions::default()
    };
    let lots: Vec<(&str, SitePlan)> = ["interior_lot", "corner_lot", "flag_lot", "culdesac_lot"]
        .into_iter()
        .map(|name| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("fixtures/site/{name}.json"));
            (name, SitePlan::read(path).expect("fixture"))
        })
        .collect();
    let run = |lot: &SitePlan| {
        analyze(
            black_box(lot),
            &SiteContext::default(),
            Rasters::default(),
            &options,
        )
        .expect("analysis")
    };
    g.throughput(Throughput::Elements(1));
    for (name, lot) in &lots {
        g.bench_function(format!("whole analysis without shade, {name}"), |b| {
            b.iter(|| run(lot));
        });
    }
    g.throughput(Throughput::Elements(lots.len() as u64));
    g.bench_function("whole analysis without shade, the four fixtures", |b| {
        b.iter(|| {
            for (_, lot) in &lots {
                black_box(run(lot));
            }
        });
    });
    g.throughput(Throughput::Elements(1));
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
    // the minimums the fixtures are analysed with (scripts/peers.sh site)
    let minimums = Minimums::from_json(
        &serde_json::from_slice(
            &std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("fixtures/analyzed/minimums.json"),
            )
            .expect("minimums"),
        )
        .expect("json"),
    )
    .expect("minimums");
    g.throughput(Throughput::Elements(1));
    whole_analysis(&mut g, &minimums);
    let shade = SiteOptions::default();
    g.bench_function(
        "whole analysis with shade, interior_lot (1 m grid, 15-minute sun steps)",
        |b| {
            b.iter(|| {
                analyze(
                    black_box(&plan),
                    &SiteContext::default(),
                    Rasters::default(),
                    &shade,
                )
                .expect("shade")
            });
        },
    );
    let delft =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/site/delft_nl");
    if let (Ok(dsm), Ok(bytes)) = (
        planform::site::read_dem(&delft.join("delft_ahn3_dsm_0p5m.tif"), 50_000_000),
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
        g.bench_function(
            "whole analysis with shade and the DSM, Delft's largest yard (905 m², 0.5 m DSM, 1 m grid)",
            |b| {
                b.iter(|| {
                    let rasters = Rasters {
                        dtm: None,
                        dsm: Some(&dsm),
                    };
                    analyze(black_box(&yard), &SiteContext::default(), rasters, &shade)
                        .expect("shade")
                });
            },
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
