#!/usr/bin/env bash
# The whole test suite, for a fresh Debian machine or a developer's checkout.
#
# 1. Installs what the tests need (idempotent and quiet: only what is missing):
#    Debian packages for --all-features (system PROJ) and the Python tools used
#    as external references (pyproj, shapely, the official floorplan-api
#    client 0.5.0 for wire compatibility, ezdxf, pvlib, and pyarrow with
#    geopandas for GeoParquet written and read by someone else).
# 2. Runs every gate: cargo fmt --check, clippy -D warnings (default and all
#    features), rustdoc -D warnings, cargo test --workspace (unit, integration,
#    examples, doc tests) and again with --all-features; then the Python
#    package's gates, its build (pip, maturin) and its pytest suite (Dask
#    LocalCluster included).
#
# Conformance tests fail instead of skipping (PLANFORM_REQUIRE_VALIDATORS=1);
# corpus tests on ../shared/data fail instead of skipping when CI is set or the
# corpus is present (PLANFORM_REQUIRE_CORPUS=1).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

PY=${PLANFORM_PYTHON:-python3}
PY_PACKAGES=(pyproj shapely floorplan-api==0.5.0 "ezdxf>=1.4" pvlib pyarrow "geopandas>=1.0")
PY_MODULES=(pyproj shapely floorplan_api ezdxf pvlib pyarrow geopandas)

# Debian packages: the `proj` feature links the system PROJ (libproj-dev)
# through bindgen (libclang-dev); librsvg2-bin renders SVG sheets; GDAL
# (gdal-bin, python3-gdal) validates and reads GeoPackages; LibreCAD renders
# DXF to PDF headless (Qt's offscreen platform, no X server); libgdal-dev is
# what the `gdal` feature links; fonts-dejavu-core gives resvg (feature
# `png`) a sans-serif face.
APT_PACKAGES=(libproj-dev libclang-dev pkg-config librsvg2-bin gdal-bin python3-gdal python3-pip python3-venv librecad libgdal-dev fonts-dejavu-core poppler-utils)
# GDAL's GeoPackage validator from PyPI (gdal-utils), for Debian's Python,
# which has the GDAL bindings (python3-gdal) it needs.
DEBIAN_PY=/usr/bin/python3

install_apt_packages() {
    local missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "apt-get install ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_tools() {
    local missing=()
    for i in "${!PY_MODULES[@]}"; do
        "$PY" -c "import ${PY_MODULES[$i]}" 2>/dev/null || missing+=("${PY_PACKAGES[$i]}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "pip install ${missing[*]}"
    "$PY" -m pip install -q --disable-pip-version-check "${missing[@]}" 2>/dev/null \
        || "$PY" -m pip install -q --disable-pip-version-check --break-system-packages "${missing[@]}"
}

install_gdal_utils() {
    # gdal-utils (validate_gpkg) and, for checks that need GDAL's bindings
    # beside shapely/pyproj in one interpreter, shapely and pyproj
    "$DEBIAN_PY" -c "import osgeo_utils.samples.validate_gpkg, shapely, pyproj, importlib.metadata as m; m.version('gdal-utils')" 2>/dev/null && return 0
    log "pip install gdal-utils shapely pyproj (for $DEBIAN_PY)"
    "$DEBIAN_PY" -m pip install -q --disable-pip-version-check --break-system-packages --no-deps gdal-utils
    # --no-deps: keep Debian's numpy, which its GDAL bindings are built for
    "$DEBIAN_PY" -m pip install -q --disable-pip-version-check --break-system-packages --no-deps shapely pyproj certifi
}

log "installing test tools"
install_apt_packages
install_python_tools
install_gdal_utils

export PLANFORM_REQUIRE_VALIDATORS=1
if [ -n "${CI:-}" ] || [ -d ../shared/data ]; then
    export PLANFORM_REQUIRE_CORPUS=1
fi
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (default features)"
cargo clippy --workspace --all-targets -- -D warnings

log "cargo clippy (all features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

log "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features -q

log "cargo test --workspace"
cargo test --workspace

log "cargo test --workspace --all-features"
cargo test --workspace --all-features

# The Python package (python/, PyO3 + maturin; its own cargo workspace, since
# an extension module does not link libpython for `cargo test`): its gates,
# then built with pip into a virtual environment (the system site packages
# visible: geopandas, pyarrow, shapely from above) and its pytest suite,
# which compares it with the example binaries cargo just built.
export CARGO_TARGET_DIR_PY="$PWD/target/python"
log "python/: cargo fmt --check, clippy"
cargo fmt --manifest-path python/Cargo.toml -- --check
CARGO_TARGET_DIR="$CARGO_TARGET_DIR_PY" cargo clippy --manifest-path python/Cargo.toml --all-targets -- -D warnings

log "python/: pip install into target/pyenv, pytest"
VENV="$PWD/target/pyenv"
[ -x "$VENV/bin/python" ] || "$PY" -m venv --system-site-packages "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check pytest "dask[dataframe]" distributed dask-geopandas
CARGO_TARGET_DIR="$CARGO_TARGET_DIR_PY" "$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./python
PLANFORM_BIN_DIR="${CARGO_TARGET_DIR:-$PWD/target}/debug/examples" "$VENV/bin/pytest" -q -p no:cacheprovider python/tests

log "all gates passed"
