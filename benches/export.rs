//! Writing a 10 000-feature site plan (every catalog type, attrs filled) as
//! DXF R2007, GeoPackage and SVG, from the parsed plan: building the drawing
//! (projection into UTM or the native CRS) is part of each measurement. The
//! site sheet (fitted paper, title block, placed labels) is measured as SVG
//! and, with the `pdf` feature, as PDF from the same SVG.
//!
//! `cargo bench --bench export --features pdf`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use planform::export::site::{SiteDrawingOptions, site_plan_drawing};
use planform::export::{dxf, gpkg, svg};
use planform::model::SitePlan;

fn bench(c: &mut Criterion) {
    let bytes = planform::synthetic::site_plan_json(10_000);
    let plan = SitePlan::from_slice(&bytes).expect("parse");
    let local = SiteDrawingOptions {
        labels: true,
        ..Default::default()
    };
    let native = SiteDrawingOptions {
        native: true,
        ..Default::default()
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut g = c.benchmark_group("export_10k_features");
    g.sample_size(10);
    g.bench_function("dxf R2007", |b| {
        b.iter(|| {
            let d = site_plan_drawing(black_box(&plan), &local).expect("drawing");
            let mut out = Vec::with_capacity(16 << 20);
            dxf::write_dxf(&d, &mut out, &dxf::DxfOptions::default()).expect("dxf");
            out
        });
    });
    g.bench_function("gpkg", |b| {
        let path = dir.path().join("bench.gpkg");
        b.iter(|| {
            let d = site_plan_drawing(black_box(&plan), &native).expect("drawing");
            gpkg::write_gpkg(&d, &path, &gpkg::GpkgOptions::default()).expect("gpkg");
        });
    });
    g.bench_function("svg", |b| {
        b.iter(|| {
            let d = site_plan_drawing(black_box(&plan), &local).expect("drawing");
            let mut out = Vec::with_capacity(8 << 20);
            svg::write_svg(&d, &mut out, &svg::SvgOptions::default()).expect("svg");
            out
        });
    });
    let sheet = planform::write::PlanOutput {
        date: Some("2026-12-07".into()),
        ..planform::write::PlanOutput::for_path(std::path::Path::new("bench.pdf"))
    };
    g.bench_function("svg sheet", |b| {
        b.iter(|| {
            let d = site_plan_drawing(black_box(&plan), &local).expect("drawing");
            planform::write::site_sheet(&plan, &d, &sheet).expect("sheet")
        });
    });
    #[cfg(feature = "pdf")]
    g.bench_function("pdf sheet", |b| {
        b.iter(|| {
            let d = site_plan_drawing(black_box(&plan), &local).expect("drawing");
            let (svg, _) = planform::write::site_sheet(&plan, &d, &sheet).expect("sheet");
            planform::write::sheet_pdf(&svg).expect("pdf")
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
