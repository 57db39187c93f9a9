//! Every example binary follows the same command-line conventions: `--help`
//! and `-h` print to stdout and exit 0, describing every option with its
//! default; `--version` prints the version; a usage error goes to stderr
//! with exit status 2 and nothing is written.

#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod common;

use std::process::Command;

/// The examples of the default build, plus the fetch ones when built.
fn examples() -> Vec<&'static str> {
    let mut v = vec!["convert", "vectorize", "analyze", "synth"];
    if cfg!(feature = "fetch") {
        v.extend(["fetch_siteplan", "fetch_walls", "house_plan"]);
    }
    v
}

#[test]
fn help_and_version_go_to_stdout_with_exit_0() {
    for name in examples() {
        let bin = common::example_bin(name);
        for flag in ["--help", "-h"] {
            let o = Command::new(&bin).arg(flag).output().unwrap();
            assert_eq!(o.status.code(), Some(0), "{name} {flag}");
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(
                out.contains(&format!("Usage: {name}")),
                "{name} {flag}: {out}"
            );
            assert!(o.stderr.is_empty(), "{name} {flag} wrote to stderr");
        }
        // every option is described, with a default where it has one
        let help = Command::new(&bin).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&help.stdout);
        for line in help.lines().map(str::trim).filter(|l| l.starts_with("--")) {
            let option = line.split_whitespace().next().unwrap();
            if option == "--help" || option == "--version" {
                continue;
            }
            // `--opt <V>  text` on one line, or the text on the lines below
            let same_line = line.split("  ").skip(1).any(|t| !t.trim().is_empty());
            let after = help.split(line).nth(1).unwrap_or("");
            let below = after
                .lines()
                .skip(1)
                .take_while(|l| !l.trim().starts_with('-'))
                .any(|l| !l.trim().is_empty());
            let described = same_line || below;
            assert!(described, "{name}: {option} has no description");
        }
        let o = Command::new(&bin).arg("--version").output().unwrap();
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).trim(),
            format!("{name} {}", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn usage_errors_go_to_stderr_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.geojson");
    for name in examples() {
        let bin = common::example_bin(name);
        for args in [vec![], vec!["--no-such-option", "a", out.to_str().unwrap()]] {
            let o = Command::new(&bin).args(&args).output().unwrap();
            assert_eq!(o.status.code(), Some(2), "{name} {args:?}");
            assert!(o.stdout.is_empty(), "{name} {args:?} wrote to stdout");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(&format!("Usage: {name}")), "{name}: {err}");
        }
        assert!(!out.exists());
    }
}

#[test]
fn outputs_into_a_missing_folder_are_refused_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::fixture("site/interior_lot.json");
    for (name, out) in [
        ("convert", "nope/out.dxf"),
        ("analyze", "nope/out.json"),
        ("synth", "nope/out.json"),
    ] {
        let out = dir.path().join(out);
        let args: Vec<&std::ffi::OsStr> = if name == "synth" {
            vec!["10".as_ref(), out.as_ref()]
        } else {
            vec![input.as_ref(), out.as_ref()]
        };
        let o = Command::new(common::example_bin(name))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("does not exist"), "{name}: {err}");
        assert!(
            !dir.path().join("nope").exists(),
            "{name} created the folder"
        );
    }
}
