//! Both modes: decode + outline (trace + simplify) and decode + centreline
//! (thin + graph + fit), on the shared R3D masks (all 40 per iteration), on
//! the 64 Mpx MLSTRUCT mask, and on a synthetic 4 Mpx plan (always
//! available).
//!
//! `cargo bench --bench walls`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use planform::walls::centerline::{CenterlineOptions, centerlines};
use planform::walls::outline::{OutlineOptions, outlines};
use planform::walls::{DecodeOptions, Mask, decode_mask};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PLANFORM_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

/// A 2000 x 2000 plan-like mask: a grid of rooms with walls 6 px thick,
/// door gaps and a few diagonal walls.
fn synthetic_plan() -> Mask {
    Mask::from_fn(2000, 2000, |x, y| {
        let wall_x = x % 250 < 6 && (y % 250 < 100 || y % 250 > 140);
        let wall_y = y % 250 < 6 && (x % 250 < 60 || x % 250 > 100);
        let diag = x.abs_diff(y) < 4 && x % 500 < 300;
        wall_x || wall_y || diag
    })
}

fn bench(c: &mut Criterion) {
    let o = OutlineOptions::default();
    let co = CenterlineOptions::default();
    let mut g = c.benchmark_group("walls");
    g.sample_size(20);
    let plan = synthetic_plan();
    g.bench_function("synthetic 4 Mpx plan (trace + simplify)", |b| {
        b.iter(|| outlines(black_box(&plan), &o).expect("outline"));
    });
    g.bench_function("synthetic 4 Mpx plan (centreline)", |b| {
        b.iter(|| centerlines(black_box(&plan), &co).expect("centreline"));
    });
    let Some(corpus) = corpus() else {
        eprintln!("SKIPPED: ../shared/data absent: corpus benches not run");
        return;
    };
    let mut r3d: Vec<Vec<u8>> = std::fs::read_dir(corpus.join("floorplans/r3d"))
        .expect("r3d dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("_wall.png"))
        .map(|p| std::fs::read(p).expect("read mask"))
        .collect();
    r3d.sort();
    let d = DecodeOptions::default();
    g.bench_function("R3D: all 40 masks (decode + outline)", |b| {
        b.iter(|| {
            for bytes in &r3d {
                let m = decode_mask(black_box(bytes), &d).expect("decode");
                black_box(outlines(&m, &o).expect("outline"));
            }
        });
    });
    g.bench_function("R3D: all 40 masks (decode + centreline)", |b| {
        b.iter(|| {
            for bytes in &r3d {
                let m = decode_mask(black_box(bytes), &d).expect("decode");
                black_box(centerlines(&m, &co).expect("centreline"));
            }
        });
    });
    let big = std::fs::read(corpus.join("floorplans/mlstruct/mlstruct_302_full_wall.png"))
        .expect("64 Mpx mask");
    g.sample_size(10);
    g.bench_function("MLSTRUCT 64 Mpx mask (decode + outline)", |b| {
        b.iter(|| {
            let m = decode_mask(black_box(&big), &d).expect("decode");
            black_box(outlines(&m, &o).expect("outline"))
        });
    });
    g.bench_function("MLSTRUCT 64 Mpx mask (decode + centreline)", |b| {
        b.iter(|| {
            let m = decode_mask(black_box(&big), &d).expect("decode");
            black_box(centerlines(&m, &co).expect("centreline"))
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
