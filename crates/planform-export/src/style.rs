//! The one styling table: a default style per layer name, overridable.

use std::collections::BTreeMap;

use crate::drawing::{Dimensioning, Rgb, Style, Symbol};

/// Styles by layer name; layers not listed get [`default_style`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Styles {
    /// Overrides by layer name.
    pub overrides: BTreeMap<String, Style>,
}

impl Styles {
    /// The style of a layer.
    pub fn get(&self, layer: &str) -> Style {
        self.overrides
            .get(layer)
            .cloned()
            .unwrap_or_else(|| default_style(layer))
    }
}

/// The built-in style of a layer name (site-plan catalog types, floor-plan
/// layers); anything else is drawn dark grey.
pub fn default_style(layer: &str) -> Style {
    let s = |stroke: Rgb, fill: Option<Rgb>, aci: u8, lw: f64| Style {
        stroke,
        fill,
        aci,
        line_weight_mm: lw,
        ..Style::default()
    };
    match layer {
        // property line: long dash, short dash (the surveyor's convention),
        // heavier than anything drawn along it
        "parcel" => Style {
            dash: Some(vec![2.0, 0.3, 0.4, 0.3]),
            ..s(Rgb(200, 30, 30), None, 1, 0.5)
        },
        "building" => s(Rgb(60, 60, 60), Some(Rgb(190, 190, 190)), 8, 0.5),
        // trees also as a swappable CAD symbol carrying species, height
        // and canopy
        "tree" => Style {
            symbol: Some(Symbol {
                block: "PLANFORM_TREE".into(),
                attributes: [
                    ("SPECIES", "species"),
                    ("HEIGHT_M", "heightM"),
                    ("CANOPY_RADIUS_M", "canopyRadiusM"),
                ]
                .iter()
                .map(|(t, a)| ((*t).to_owned(), (*a).to_owned()))
                .collect(),
            }),
            ..s(Rgb(30, 110, 40), Some(Rgb(80, 170, 80)), 3, 0.25)
        },
        "hedge" => s(Rgb(40, 130, 60), Some(Rgb(110, 180, 110)), 3, 0.5),
        "fence" => Style {
            dash: Some(vec![0.8, 0.3]),
            ..s(Rgb(120, 80, 40), None, 30, 0.35)
        },
        "pool" => s(Rgb(20, 90, 180), Some(Rgb(120, 190, 240)), 5, 0.35),
        "vehicle" => s(Rgb(90, 90, 140), Some(Rgb(170, 170, 210)), 6, 0.18),
        "structure" => s(Rgb(90, 60, 40), Some(Rgb(200, 170, 140)), 32, 0.35),
        "amenity" => s(Rgb(150, 60, 150), Some(Rgb(220, 170, 220)), 6, 0.25),
        "driveway" => s(Rgb(100, 100, 100), Some(Rgb(215, 215, 215)), 9, 0.25),
        "surface" => s(Rgb(140, 120, 90), Some(Rgb(230, 215, 190)), 40, 0.25),
        "gates" => s(Rgb(230, 120, 0), None, 30, 0.7),
        "yards" => s(Rgb(150, 200, 120), Some(Rgb(232, 245, 222)), 82, 0.13),
        // lot lines dimensioned outside the lot, setbacks along themselves
        "dimensions" | "parcel-sides" => Style {
            dimension: Some(Dimensioning {
                offset_mm: 6.0,
                outside_of: Some("parcel".into()),
            }),
            ..s(Rgb(110, 110, 110), None, 8, 0.18)
        },
        "buildable-envelope" => Style {
            dash: Some(vec![1.0, 0.4]),
            ..s(Rgb(40, 90, 200), None, 5, 0.35)
        },
        // a translucent band beneath the lot line it follows, so that the
        // line's own dashes stay readable
        "fence-layout" => Style {
            stroke_opacity: 0.4,
            ..s(Rgb(240, 140, 20), None, 30, 1.4)
        },
        "setbacks" | "setbacks-short" => {
            let (stroke, aci, lw) = if layer == "setbacks" {
                (Rgb(40, 90, 200), 5, 0.18)
            } else {
                (Rgb(220, 20, 20), 1, 0.35)
            };
            Style {
                dimension: Some(Dimensioning {
                    offset_mm: 0.0,
                    outside_of: None,
                }),
                ..s(stroke, None, aci, lw)
            }
        }
        "walls" => s(Rgb(20, 20, 20), Some(Rgb(90, 90, 90)), 7, 0.35),
        "wall-centerlines" => s(Rgb(200, 30, 30), None, 1, 0.18),
        "wall-bodies" => s(Rgb(20, 20, 20), Some(Rgb(150, 150, 150)), 8, 0.25),
        "rooms" => Style {
            fill_opacity: 0.25,
            ..s(Rgb(90, 140, 200), Some(Rgb(200, 220, 245)), 5, 0.13)
        },
        "openings" => s(Rgb(220, 120, 0), None, 30, 0.35),
        _ => Style::default(),
    }
}
