//! Parsing and writing a 10 000-feature site plan, beside the plain `geojson`
//! crate and a bare `serde_json::Value` parse of the same bytes.
//!
//! `cargo bench --bench site_plan_parse`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use planform::model::SitePlan;
use serde_json::{Value, json};

/// A deterministic 10k-feature plan in the service's shape: every catalog
/// type, polygons of 5 to 17 vertices, lines for hedges and fences, attrs.
fn plan_json(n: usize) -> Vec<u8> {
    let types = [
        "tree",
        "hedge",
        "fence",
        "pool",
        "vehicle",
        "structure",
        "amenity",
        "driveway",
        "surface",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut features = Vec::with_capacity(n);
    for i in 0..n {
        let t = types[i % types.len()];
        let (cx, cy) = (-87.9 + rnd() * 0.1, 41.7 + rnd() * 0.1);
        let r = 0.00002 + rnd() * 0.00005;
        let geometry = if t == "hedge" || t == "fence" {
            json!({"type": "LineString", "coordinates": [[cx, cy], [cx + r, cy], [cx + r, cy + r]]})
        } else {
            let k = 4 + (i % 13);
            let mut ring: Vec<Value> = (0..k)
                .map(|j| {
                    let a = j as f64 / k as f64 * std::f64::consts::TAU;
                    json!([cx + r * a.cos(), cy + r * a.sin()])
                })
                .collect();
            ring.push(ring[0].clone());
            json!({"type": "Polygon", "coordinates": [ring]})
        };
        let attrs = match t {
            "tree" => {
                json!({"heightM": 4.0 + rnd() * 10.0, "species": "deciduous", "canopyRadiusM": 1.0 + rnd() * 3.0})
            }
            "hedge" => json!({"lengthFt": rnd() * 60.0, "heightFt": 4}),
            "fence" => json!({"material": "wood", "heightFt": 6}),
            "pool" => {
                json!({"kind": "in_ground", "shape": "rectangular", "areaSqFt": 400.5, "fenced": true})
            }
            "vehicle" => json!({"type": "sedan"}),
            "structure" => json!({"kind": "shed", "heightM": 2.5}),
            "amenity" => json!({"kind": "tennis_court"}),
            _ => json!({"material": "concrete"}),
        };
        let mut props = json!({"catalogType": t, "attrs": attrs, "confidence": rnd(), "source": "sam",
                               "areaSqm": rnd() * 100.0});
        if t == "surface" {
            props["kind"] = json!("patio");
        }
        if t == "vehicle" {
            props["headingDeg"] = json!(rnd() * 360.0);
        }
        features.push(json!({"type": "Feature", "geometry": geometry, "properties": props}));
    }
    serde_json::to_vec(&json!({"type": "FeatureCollection", "features": features}))
        .expect("serialize")
}

fn bench(c: &mut Criterion) {
    let bytes = plan_json(10_000);
    let text = std::str::from_utf8(&bytes).expect("utf8");
    let mut g = c.benchmark_group("parse_10k_features");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(20);
    g.bench_function("planform SitePlan::from_slice", |b| {
        b.iter(|| SitePlan::from_slice(black_box(&bytes)).expect("parse"));
    });
    g.bench_function("geojson GeoJson::from_str", |b| {
        b.iter(|| black_box(text).parse::<geojson::GeoJson>().expect("parse"));
    });
    g.bench_function("serde_json Value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&bytes)).expect("parse"));
    });
    g.finish();

    let plan = SitePlan::from_slice(&bytes).expect("parse");
    let gj: geojson::GeoJson = text.parse().expect("parse");
    let mut g = c.benchmark_group("write_10k_features");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(20);
    g.bench_function("planform SitePlan::to_vec", |b| {
        b.iter(|| black_box(&plan).to_vec().expect("write"))
    });
    g.bench_function("geojson to_string", |b| {
        b.iter(|| black_box(&gj).to_string())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
