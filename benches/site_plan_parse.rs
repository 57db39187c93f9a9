//! Parsing and writing a 10 000-feature site plan, beside the plain `geojson`
//! crate and a bare `serde_json::Value` parse of the same bytes.
//!
//! `cargo bench --bench site_plan_parse`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use planform::model::SitePlan;
use serde_json::Value;

fn bench(c: &mut Criterion) {
    let bytes = planform::synthetic::site_plan_json(10_000);
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
        b.iter(|| black_box(&plan).to_vec().expect("write"));
    });
    g.bench_function("geojson to_string", |b| {
        b.iter(|| black_box(&gj).to_string());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
