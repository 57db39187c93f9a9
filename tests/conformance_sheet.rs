//! The printable sheet of every site input (fixtures, the analysed lot and
//! the shared corpus's site files), as poppler reads its PDF: one page of
//! a standard paper size, the address and a 1:N scale in the text, no two
//! text lines overlapping, every text line and every drawn pixel inside
//! the page's frame; and golden images of the fixtures' sheets (resvg
//! renderings compared with a tolerance; `PLANFORM_BLESS=1` writes them
//! anew).

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use planform::export::sheet::Paper;
use planform::model::SitePlan;
use planform::write::{PlanOutput, sheet_pdf, site_sheet};

const ADDRESS: &str = "5811 Rose Ct, Countryside, IL";
const DATE: &str = "2026-12-07";

/// The plan with a top-level address, in metres or feet.
fn sheet_of(input: &Path, feet: bool) -> (Vec<u8>, planform::export::sheet::SheetLayout) {
    let mut plan = SitePlan::read(input).unwrap();
    plan.extra.insert("address".into(), ADDRESS.into());
    let mut o = PlanOutput::for_path(Path::new("x.svg"));
    o.date = Some(DATE.into());
    if feet {
        o.units = planform::export::Units::Feet;
    }
    let d = planform::export::site::site_plan_drawing(
        &plan,
        &planform::export::site::SiteDrawingOptions {
            units: o.units,
            labels: true,
            ..Default::default()
        },
    )
    .unwrap();
    site_sheet(&plan, &d, &o).unwrap()
}

/// A text line of `pdftotext -bbox-layout`: its box (pt) and words.
#[derive(Debug)]
struct Line {
    b: [f64; 4],
    text: String,
}

fn attr(tag: &str, name: &str) -> f64 {
    let k = format!("{name}=\"");
    let i = tag.find(&k).unwrap() + k.len();
    let j = tag[i..].find('"').unwrap();
    tag[i..i + j].parse().unwrap()
}

/// The page size and the text lines of a one-page PDF.
fn layout(pdf: &Path) -> ((f64, f64), Vec<Line>, usize) {
    let o = Command::new("pdftotext")
        .args(["-bbox-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let x = String::from_utf8(o.stdout).unwrap();
    let pages: Vec<&str> = x.split("<page ").skip(1).collect();
    let page_tag = &pages[0][..pages[0].find('>').unwrap()];
    let size = (attr(page_tag, "width"), attr(page_tag, "height"));
    let mut lines = Vec::new();
    for chunk in x.split("<line ").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        let body = &chunk[..chunk.find("</line>").unwrap()];
        let words: Vec<String> = body
            .split("<word ")
            .skip(1)
            .map(|w| {
                let s = &w[w.find('>').unwrap() + 1..];
                s[..s.find("</word>").unwrap()]
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            })
            .collect();
        lines.push(Line {
            b: ["xMin", "yMin", "xMax", "yMax"].map(|k| attr(tag, k)),
            text: words.join(" "),
        });
    }
    (size, lines, pages.len())
}

fn sheets_dir() -> (tempfile::TempDir, Vec<(String, PathBuf, Paper)>) {
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    for (i, f) in common::site_inputs().iter().enumerate() {
        for feet in [false, true] {
            let (svg, l) = sheet_of(f, feet);
            let name = format!(
                "{i:02}_{}_{}",
                f.file_stem().unwrap().to_string_lossy(),
                if feet { "ft" } else { "m" }
            );
            let pdf = dir.path().join(format!("{name}.pdf"));
            std::fs::write(&pdf, sheet_pdf(&svg).unwrap()).unwrap();
            out.push((name, pdf, l.paper));
        }
    }
    (dir, out)
}

#[test]
fn every_sheet_is_one_standard_page_with_address_scale_and_no_overlapping_text() {
    if !common::have_tool("pdftotext", &["-v"]) || !common::have_tool("pdftoppm", &["-v"]) {
        return;
    }
    let (_dir, sheets) = sheets_dir();
    assert!(sheets.len() >= 10, "{}", sheets.len());
    for (name, pdf, paper) in &sheets {
        let ((w, h), lines, pages) = layout(pdf);
        assert_eq!(pages, 1, "{name}");
        // the page is the paper chosen, either way round, to the point
        let (a, b) = paper.size_mm();
        let pt = |mm: f64| mm / 25.4 * 72.0;
        let (short, long) = (w.min(h), w.max(h));
        assert!(
            (short - pt(a)).abs() < 0.5 && (long - pt(b)).abs() < 0.5,
            "{name}: page {w} x {h} pt is not {paper:?}"
        );
        assert!(
            Paper::ALL.iter().any(|p| {
                let (a, b) = p.size_mm();
                (short - pt(a)).abs() < 0.5 && (long - pt(b)).abs() < 0.5
            }),
            "{name}"
        );
        let all: String = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        // the heading may wrap over two lines
        let flat = all.replace('\n', " ");
        assert!(flat.contains(ADDRESS), "{name}: no address in\n{all}");
        let scale = lines
            .iter()
            .find(|l| l.text.starts_with("SCALE "))
            .unwrap_or_else(|| {
                panic!("{name}: no scale in\n{all}");
            });
        let ratio = scale.text.trim_start_matches("SCALE ");
        assert!(
            ratio.starts_with("1:") || ratio.starts_with("1\" = "),
            "{name}: {ratio}"
        );
        assert!(all.contains(DATE), "{name}");
        // inside the 10 mm frame, and no two lines sharing more than a
        // hairline (0.3 pt each way: glyph boxes of touching lines)
        let m = pt(10.0) - 0.5;
        for l in &lines {
            assert!(
                l.b[0] >= m && l.b[1] >= m && l.b[2] <= w - m && l.b[3] <= h - m,
                "{name}: {l:?} outside the frame"
            );
        }
        for (i, p) in lines.iter().enumerate() {
            for q in &lines[i + 1..] {
                let ox = p.b[2].min(q.b[2]) - p.b[0].max(q.b[0]);
                let oy = p.b[3].min(q.b[3]) - p.b[1].max(q.b[1]);
                assert!(
                    ox <= 0.3 || oy <= 0.3,
                    "{name}: text lines overlap: {p:?} and {q:?}"
                );
            }
        }
        // rendered: ink inside the frame, nothing in the 10 mm margin but
        // the frame's own half line
        let png = pdf.with_extension("");
        let o = Command::new("pdftoppm")
            .args(["-r", "50", "-png", "-singlefile"])
            .arg(pdf)
            .arg(&png)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let img = image::open(png.with_extension("png")).unwrap().to_luma8();
        let (iw, ih) = img.dimensions();
        let band = (8.0 / 25.4 * 50.0) as u32;
        let mut ink = 0usize;
        for (x, y, p) in img.enumerate_pixels() {
            let margin = x < band || y < band || x >= iw - band || y >= ih - band;
            if p.0[0] < 200 {
                assert!(!margin, "{name}: ink at ({x}, {y}) in the margin");
                ink += 1;
            }
        }
        assert!(ink > 2000, "{name}: {ink} dark pixels");
    }
}

/// The golden image of a fixture's sheet, compared pixel by pixel: at most
/// 0.5 % of pixels may differ by more than 48 in any channel (anti-aliasing
/// and font hinting move a few; a moved label or layer moves thousands).
#[test]
fn fixture_sheets_match_their_golden_images() {
    let bless = std::env::var("PLANFORM_BLESS").is_ok_and(|v| v == "1");
    let golden = common::root().join("tests/golden");
    let mut cases = common::good_site_plans();
    cases.push(common::fixture("analyzed/flag_lot_analyzed.json"));
    let mut failures = Vec::new();
    for f in cases {
        let name = format!("sheet_{}.png", f.file_stem().unwrap().to_string_lossy());
        let (svg, _) = sheet_of(&f, false);
        let png = planform::export::svg::render_png(&svg, 1000).unwrap();
        let path = golden.join(&name);
        if bless {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&path, &png).unwrap();
            continue;
        }
        let want = image::open(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (PLANFORM_BLESS=1 writes it)", path.display()))
            .to_rgb8();
        let got = image::load_from_memory(&png).unwrap().to_rgb8();
        if want.dimensions() != got.dimensions() {
            failures.push(format!(
                "{name}: {:?} vs {:?}",
                got.dimensions(),
                want.dimensions()
            ));
            continue;
        }
        let differ = want
            .pixels()
            .zip(got.pixels())
            .filter(|(a, b)| (0..3).any(|c| a.0[c].abs_diff(b.0[c]) > 48))
            .count();
        let share = differ as f64 / f64::from(want.width() * want.height());
        if share > 0.005 {
            let out = std::env::temp_dir().join(&name);
            std::fs::write(&out, &png).unwrap();
            failures.push(format!(
                "{name}: {:.2} % of pixels differ (this run's rendering: {})",
                share * 100.0,
                out.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
