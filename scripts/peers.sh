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
#   walls  outline mode on the 40 shared R3D masks, decode included:
#          planform (criterion, in-process) vs OpenCV findContours +
#          approxPolyDP (one Python process, median of 7 loops); whole
#          process: planform `vectorize DIR` on one thread vs `potrace`
#          (GeoJSON backend) over the same masks as PBM; centreline mode
#          (criterion) vs scikit-image skeletonize + skan paths with median
#          distance-transform thickness (one Python process, median of 3).
#   export the same 10k-feature plan written as GeoPackage and DXF, whole
#          process: planform `convert` vs `ogr2ogr -f GPKG` / `-f DXF` and
#          ezdxf (scripts/peers/ezdxf_write.py: layers, LWPOLYLINE, HATCH,
#          UTM via pyproj); the site sheet as SVG and as PDF (`convert
#          --features pdf`: svg2pdf) beside librsvg's `rsvg-convert -f pdf`
#          of the same SVG sheet; then the criterion bench (in-process
#          writers, the SVG and PDF sheets among them).
#   site   the buildable envelope on the four site fixtures (analysed with
#          fixtures/analyzed/minimums.json): shapely's exact construction
#          (scripts/peers/shapely_envelope.py: geometry only, one Python
#          process, best of 7 x 200 loops) vs planform's whole per-parcel
#          analysis without shade (criterion: sides, roles, setbacks, exact
#          envelope, yards, fence layout), each fixture and the four together.
#   rooms  rooms and openings on the 100 R2V plans (vectorize --rooms) beside an
#          OpenCV closing + connected components, one evaluator for both
#          (scripts/peers/rooms_check.py), and the time --rooms adds
#   county a synthetic county of the real Cambridge lots (scripts/make_county.py,
#          COUNTY_PARCELS, default 200 000, with their right-of-way and
#          centrelines; needs ../shared/data): `analyze --batch` on one
#          thread and on two (time and peak RSS), every copy's roles checked
#          against its original's, beside shapely's to_crs + buffer(-5 ft)
#          alone (scripts/peers/shapely_county.py, the issue's floor); then the
#          same county as GeoParquet in and out and GeoPackage in (written by
#          geopandas: scripts/peers/county_formats.py) beside geopandas'
#          read_parquet + to_crs + buffer + to_parquet.
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

corpus() {
    local d=${PLANFORM_CORPUS:-../shared/data}
    [ -d "$d" ] || { echo "corpus $d absent: walls section needs ../shared/data" >&2; exit 1; }
    echo "$d"
}

need_pip() {
    local py=${PLANFORM_PYTHON:-python3} missing=()
    for spec in "$@"; do
        "$py" -c "import ${spec%%=*}" 2>/dev/null || missing+=("${spec#*=}")
    done
    [ ${#missing[@]} -eq 0 ] || "$py" -m pip install -q --disable-pip-version-check "${missing[@]}"
}

walls_section() {
    need_apt potrace hyperfine
    need_pip cv2=opencv-python-headless skan=skan skimage=scikit-image
    local r3d
    r3d="$(corpus)/floorplans/r3d"
    echo "OpenCV: $(python3 -c 'import cv2; print(cv2.__version__)'); $(potrace --version | head -1)"
    local planform_ms planform_unit opencv_line opencv_ms
    read -r planform_ms planform_unit < <(cargo bench -q --bench walls -- "R3D.*outline" 2>&1 | awk '/time:/ {print $4, $5; exit}')
    [ "$planform_unit" = "ms" ] || { echo "unexpected criterion unit $planform_unit" >&2; exit 1; }
    opencv_line=$(python3 scripts/peers/opencv_outline.py "$r3d/*_wall.png")
    opencv_ms=${opencv_line%% ms*}
    echo "planform outline, 40 R3D masks, decode included (criterion mean): $planform_ms ms"
    echo "OpenCV findContours+approxPolyDP, same masks (median of 7): $opencv_line"
    python3 -c "print(f'planform / OpenCV time ratio: {$planform_ms / $opencv_ms:.2f}')"
    local cl_ms cl_unit skan_line
    read -r cl_ms cl_unit < <(cargo bench -q --bench walls -- "R3D.*centreline" 2>&1 | awk '/time:/ {print $4, $5; exit}')
    [ "$cl_unit" = "ms" ] || { echo "unexpected criterion unit $cl_unit" >&2; exit 1; }
    skan_line=$(python3 scripts/peers/skan_centerline.py "$r3d/*_wall.png")
    echo "planform centreline, 40 R3D masks, decode included (criterion mean): $cl_ms ms"
    echo "skimage+skan, same masks (median of 3): $skan_line"
    python3 -c "print(f'planform / skan time ratio: {$cl_ms / ${skan_line%% ms*}:.3f}')"
    # whole process: potrace needs PBM input with black walls (converted, untimed)
    local pbm="$WORK/r3d_pbm"
    mkdir -p "$pbm"
    python3 - "$r3d" "$pbm" <<'PY'
import cv2, glob, os, sys
for p in glob.glob(os.path.join(sys.argv[1], "*_wall.png")):
    m = cv2.imread(p, cv2.IMREAD_GRAYSCALE)
    cv2.imwrite(os.path.join(sys.argv[2], os.path.basename(p)[:-4] + ".pbm"), 255 - ((m > 127) * 255).astype("uint8"))
PY
    cargo build --release -q --example vectorize
    hyperfine -N --warmup 1 --runs 5 --export-markdown "$WORK/walls.md" \
        -n "planform vectorize (1 thread)" "env RAYON_NUM_THREADS=1 ./target/release/examples/vectorize $r3d $WORK/walls_out" \
        -n "potrace -b geojson" "bash -c 'for f in $pbm/*.pbm; do potrace -b geojson -o /dev/null \$f; done'"
    cat "$WORK/walls.md"
}

export_section() {
    need_apt gdal-bin hyperfine librsvg2-bin
    need_pip ezdxf=ezdxf pyproj=pyproj
    cargo build --release -q --features pdf --example convert --example synth
    local plan="$WORK/synthetic_10k.json"
    ./target/release/examples/synth 10000 "$plan"
    echo "input: $plan ($(stat -c %s "$plan") bytes, 10000 features); ogr2ogr: $(ogr2ogr --version); ezdxf $(python3 -c 'import ezdxf; print(ezdxf.__version__)')"
    hyperfine -N --warmup 1 --runs 10 --export-markdown "$WORK/export_gpkg.md" \
        --prepare "rm -f $WORK/out.gpkg $WORK/out_ogr.gpkg" \
        -n "planform convert -> GPKG" "./target/release/examples/convert $plan $WORK/out.gpkg" \
        -n "ogr2ogr -f GPKG" "ogr2ogr -f GPKG $WORK/out_ogr.gpkg $plan"
    hyperfine -N --warmup 1 --runs 10 --export-markdown "$WORK/export_dxf.md" \
        --prepare "rm -f $WORK/out.dxf $WORK/out_ogr.dxf $WORK/out_ezdxf.dxf" \
        -n "planform convert -> DXF R2007" "./target/release/examples/convert $plan $WORK/out.dxf" \
        -n "ogr2ogr -f DXF" "ogr2ogr -f DXF $WORK/out_ogr.dxf $plan" \
        -n "ezdxf (Python)" "python3 scripts/peers/ezdxf_write.py $plan $WORK/out_ezdxf.dxf"
    ./target/release/examples/convert "$plan" "$WORK/sheet.svg" --date 2026-12-07 >/dev/null
    hyperfine -N --warmup 1 --runs 10 --export-markdown "$WORK/export_sheet.md" \
        --prepare "rm -f $WORK/out_sheet.svg $WORK/out_sheet.pdf $WORK/out_rsvg.pdf" \
        -n "planform convert -> SVG sheet" "./target/release/examples/convert $plan $WORK/out_sheet.svg --date 2026-12-07" \
        -n "planform convert -> PDF sheet" "./target/release/examples/convert $plan $WORK/out_sheet.pdf --date 2026-12-07" \
        -n "rsvg-convert -f pdf (the SVG sheet)" "rsvg-convert -f pdf -o $WORK/out_rsvg.pdf $WORK/sheet.svg"
    cat "$WORK/export_gpkg.md" "$WORK/export_dxf.md" "$WORK/export_sheet.md"
    cargo bench -q --features pdf --bench export 2>&1 | grep -E "^export|time:"
}

site_section() {
    need_pip shapely=shapely pyproj=pyproj
    cargo build --release -q --example analyze
    local out=()
    for f in interior_lot corner_lot flag_lot culdesac_lot; do
        ./target/release/examples/analyze "fixtures/site/$f.json" "$WORK/${f}_analysed.json" \
            --minimums fixtures/analyzed/minimums.json 2>/dev/null
        out+=("$WORK/${f}_analysed.json")
    done
    echo "shapely $(python3 -c 'import shapely; print(shapely.__version__)'), GEOS $(python3 -c 'import shapely; print(shapely.geos_version_string)')"
    python3 scripts/peers/shapely_envelope.py "${out[@]}"
    cargo bench -q --bench site -- "whole analysis without shade" 2>&1 | grep -E "^site/|time:|thrpt:"
}

rooms_section() {
    need_pip cv2=opencv-python-headless
    cargo build --release -q --example vectorize
    python3 scripts/peers/rooms_check.py ./target/release/examples/vectorize "$(corpus)/floorplans/r2v_plans" "$WORK/rooms"
}

county_section() {
    need_pip shapely=shapely pyproj=pyproj
    cargo build --release -q --example analyze
    local dir="$WORK/county" n=${COUNTY_PARCELS:-200000}
    python3 scripts/make_county.py "$dir" "$n"
    for threads in 1 2; do
        /usr/bin/time -f "planform analyze --batch, $threads thread(s): %e s, peak %M KB" \
            ./target/release/examples/analyze --batch "$dir/parcels.geojsonl" "$dir/out_$threads.geojson" \
            --sides "$dir/sides_$threads.geojson" --row "$dir/row.geojson" --roads "$dir/roads.geojson" \
            --minimums fixtures/analyzed/minimums.json --id-field ML --threads "$threads"
    done
    cmp "$dir/out_1.geojson" "$dir/out_2.geojson" && echo "one thread and two: the same bytes"
    python3 scripts/peers/county_check.py "$dir/out_1.geojson"
    /usr/bin/time -f "shapely process: %e s, peak %M KB" python3 scripts/peers/shapely_county.py "$dir/parcels.geojsonl"
    # the same county as GeoParquet (in and out) and GeoPackage (in), beside geopandas
    need_pip geopandas=geopandas pyarrow=pyarrow
    cargo build --release -q --features parquet --example analyze
    python3 scripts/peers/county_formats.py write "$dir"
    for threads in 1 2; do
        /usr/bin/time -f "planform analyze --batch GeoParquet in and out, $threads thread(s): %e s, peak %M KB" \
            ./target/release/examples/analyze --batch "$dir/parcels.parquet" "$dir/out_$threads.parquet" \
            --sides "$dir/sides_$threads.parquet" --row "$dir/row.parquet" --roads "$dir/roads.parquet" \
            --minimums fixtures/analyzed/minimums.json --id-field ML --threads "$threads"
    done
    python3 scripts/peers/county_check.py "$dir/out_2.parquet"
    /usr/bin/time -f "planform analyze --batch GeoPackage in, GeoJSON out, 2 threads: %e s, peak %M KB" \
        ./target/release/examples/analyze --batch "$dir/parcels.gpkg" "$dir/out_gpkg.geojson" \
        --sides "$dir/sides_gpkg.geojson" --row "$dir/row.parquet" --roads "$dir/roads.parquet" \
        --minimums fixtures/analyzed/minimums.json --id-field ML --threads 2
    cmp "$dir/out_gpkg.geojson" "$dir/out_2.geojson" && echo "GeoPackage in: the GeoJSON input's bytes"
    /usr/bin/time -f "geopandas process: %e s, peak %M KB" python3 scripts/peers/county_formats.py peer "$dir"
}

machine
case "$section" in
    parse) parse_section ;;
    walls) walls_section ;;
    export) export_section ;;
    site) site_section ;;
    county) county_section ;;
    rooms) rooms_section ;;
    all) parse_section; walls_section; rooms_section; export_section; site_section; county_section ;;
    *) echo "unknown section $section" >&2; exit 2 ;;
esac
