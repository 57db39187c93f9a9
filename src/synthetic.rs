//! Synthetic data for benchmarks and load tests.

use serde_json::{Value, json};

/// A deterministic synthetic site plan of `n` features in the service's
/// shape, as JSON bytes: every detected catalog type in turn, polygons of 4
/// to 16 distinct vertices, lines for hedges and fences, typed attrs,
/// confidence, source and area. For benchmarks and load tests.
///
/// ```
/// let bytes = planform::synthetic::site_plan_json(100);
/// let plan = planform::SitePlan::from_slice(&bytes).unwrap();
/// assert_eq!(plan.features.len(), 100);
/// assert!(plan.validate().is_empty());
/// ```
pub fn site_plan_json(n: usize) -> Vec<u8> {
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
