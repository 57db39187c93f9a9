#!/usr/bin/env bash
# Side-by-side timings of planform and its peers on the same inputs, in one
# run, so the ratios survive a noisy machine. Installs missing peers
# (apt-get / pip, idempotent). Results go to stdout; copy them to BENCHMARKS.md.
#
#   scripts/peers.sh            # every section
#   scripts/peers.sh parse      # one section
#
# Sections:
#   parse  site-plan GeoJSON read+write of a 10k-feature plan:
#          planform `convert` (parse + validate + write) vs GDAL `ogr2ogr`
#          (GeoJSON -> GeoJSON) vs Python `json.load`+`json.dump`, then the
#          criterion bench (planform vs the `geojson` crate, in-process).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${PEERS_DIR:-target/peers}
mkdir -p "$WORK"
section=${1:-all}

need_apt() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

machine() {
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
    echo "rustc: $(rustc --version)"
}

parse_section() {
    need_apt gdal-bin hyperfine
    cargo build --release -q --example convert --example synth
    local plan="$WORK/synthetic_10k.json"
    ./target/release/examples/synth 10000 "$plan"
    echo "input: $plan ($(stat -c %s "$plan") bytes, 10000 features)"
    echo "ogr2ogr: $(ogr2ogr --version)"
    hyperfine -N --warmup 2 --runs 10 --export-markdown "$WORK/parse.md" \
        -n "planform convert" "./target/release/examples/convert $plan $WORK/out_planform.geojson" \
        --prepare "rm -f $WORK/out_ogr.geojson" \
        -n "ogr2ogr GeoJSON->GeoJSON" "ogr2ogr -f GeoJSON $WORK/out_ogr.geojson $plan" \
        -n "python json load+dump" "python3 -c \"import json,sys; json.dump(json.load(open('$plan')), open('$WORK/out_py.json','w'))\""
    cat "$WORK/parse.md"
    cargo bench -q --bench site_plan_parse 2>&1 | grep -E "^(parse|write)|time:"
}

machine
case "$section" in
    parse|all) parse_section ;;
    *) echo "unknown section $section" >&2; exit 2 ;;
esac
