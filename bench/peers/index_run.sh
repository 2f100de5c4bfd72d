#!/usr/bin/env bash
# Indexing 12 MP JPEGs end to end, files to stored vectors: an rclip-style
# Python pipeline (rclip_style.py) beside `photosearch-cli index`, same files,
# same model shapes, same run, alternating. Run on purpose only (never from
# CTest). See bench/peers/README.md, section "Indexing beside rclip".
#
#   bench/peers/index_run.sh [--photos N] [--rounds R] [--photos-cache DIR] [--no-fp32]
#                            [--no-encoders] [--rclip-ahead K] [--keep-openblas] [--no-build]
#                            [--full-text]
#
# --full-text: the model gets ViT-B/32's text tower (not a tiny one), so our
# side pays what a new library costs with a real CLIP: embedding its tag
# vocabulary (the rclip-style side has no tags and reads the vision tower
# only).
#
# Every timed command runs in users' conditions (`env -u OPENBLAS_CORETYPE
# -u OPENBLAS_L2_SIZE`) unless --keep-openblas. BUILD_DIR (default
# <repo>/build) holds photosearch-cli; PEERS_CACHE (default
# $BUILD_DIR/peers-cache) the model folder (shared with run.sh) and, unless
# --photos-cache says otherwise, the photos.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
CACHE="${PEERS_CACHE:-$BUILD_DIR/peers-cache}"
TOKENIZER="${TOKENIZER_DIR:-$ROOT/../shared/clip-tokenizer}"
PYTHON=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
PHOTOS=96
ROUNDS=3
PHOTO_CACHE=""
FP32=1
ENCODERS=1
KEEP_OPENBLAS=0
BUILD=1
RCLIP_AHEAD=0
FULL_TEXT=0

usage() {
    echo "usage: $0 [--photos N] [--rounds R] [--photos-cache DIR] [--no-fp32] [--no-encoders] [--rclip-ahead K] [--keep-openblas] [--no-build] [--full-text]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
    --photos) PHOTOS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --photos-cache) PHOTO_CACHE="$2"; shift 2 ;;
    --no-fp32) FP32=0; shift ;;
    --no-encoders) ENCODERS=0; shift ;;
    --rclip-ahead) RCLIP_AHEAD="$2"; shift 2 ;;
    --keep-openblas) KEEP_OPENBLAS=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --full-text) FULL_TEXT=1; shift ;;
    *) usage ;;
    esac
done
[[ "$PHOTOS" =~ ^[1-9][0-9]*$ && "$ROUNDS" =~ ^[1-9][0-9]*$ && "$RCLIP_AHEAD" =~ ^[0-9]+$ ]] || usage
PHOTO_CACHE="${PHOTO_CACHE:-$CACHE/photos-12mp}"

die() { echo "bench/peers/index_run: $*" >&2; exit 1; }
START=$(date +%s)
THREADS=$(nproc)
TICK=$(getconf CLK_TCK)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/index_run.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [ "$KEEP_OPENBLAS" = 1 ]; then
    RUN_ENV=(env)
    CONDITION="this shell's environment (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-unset}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-unset})"
else
    RUN_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
    CONDITION="users' conditions (every timed command under env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)"
fi

# --- dependencies: Debian's python3-pil, python3-numpy, python3-torch ---------
if ! "$PYTHON" -c 'import PIL, numpy, torch' 2>/dev/null; then
    [ "$(id -u)" = 0 ] || die "python3-pil, python3-numpy or python3-torch is missing; install them with: sudo apt-get install python3-pil python3-numpy python3-torch"
    echo "# installing python3-pil python3-numpy python3-torch with apt" >&2
    apt-get install -y --no-install-recommends python3-pil python3-numpy python3-torch >&2 \
        || die "apt-get install python3-pil python3-numpy python3-torch failed."
fi

# --- model folder (the one run.sh makes and shares) ---------------------------
MODEL="$CACHE/vit-b32"
TEXT_FLAG=()
if [ "$FULL_TEXT" = 1 ]; then
    MODEL="$CACHE/vit-b32-fulltext"
    TEXT_FLAG=(--full-text)
fi
STAMP="$(sha256sum "$HERE/make_vit.py" | cut -c1-16)"
if [ "$(cat "$MODEL/.made-by" 2>/dev/null)" != "$STAMP" ]; then
    [ -d "$TOKENIZER" ] || die "no CLIP tokenizer folder at $TOKENIZER; set TOKENIZER_DIR to one (vocab.json, merges.txt)."
    echo "# making the ViT-B/32-shaped model in $MODEL" >&2
    rm -rf "$MODEL.tmp" "$MODEL"
    "$PYTHON" "$HERE/make_vit.py" make "$MODEL.tmp" "$TOKENIZER" "${TEXT_FLAG[@]}" 2> >(grep -v -i warning >&2) \
        || die "make_vit.py failed."
    echo "$STAMP" > "$MODEL.tmp/.made-by"
    mv "$MODEL.tmp" "$MODEL"
fi

# --- photos: made once into PHOTO_CACHE/all, the first N hard-linked into a set
"$PYTHON" "$HERE/rclip_style.py" make-photos "$PHOTO_CACHE/all" "$PHOTOS" || die "making the photos failed."
SET="$PHOTO_CACHE/set-$PHOTOS"
rm -rf "$SET"
mkdir -p "$SET"
for i in $(seq 0 $((PHOTOS - 1))); do
    name=$(printf 'img%05d.jpg' "$i")
    ln "$PHOTO_CACHE/all/$name" "$SET/$name" 2>/dev/null || cp "$PHOTO_CACHE/all/$name" "$SET/$name"
done
SET_MB=$(du -smL "$SET" | cut -f1)

# --- our binaries ---------------------------------------------------------------
CLI="$BUILD_DIR/app/photosearch-cli"
BENCH_CLIP="$BUILD_DIR/bench/bench_clip"
if [ "$BUILD" = 1 ] || [ ! -x "$CLI" ]; then
    flock /tmp/ps-build.lock cmake --build "$BUILD_DIR" --target photosearch-cli bench_clip >&2 \
        || die "building photosearch-cli and bench_clip in $BUILD_DIR failed."
fi

CLI_MTIME=$(stat -c '%Y' "$CLI")

# --- header: what is compared -------------------------------------------------------
echo "# bench/peers/index_run: $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $THREADS CPUs, $(free -g | awk '/^Mem:/{print $2}') GB"
echo "# condition: $CONDITION"
echo "# photos: $SET, $PHOTOS distinct 4000x3000 JPEGs (q90, EXIF; $SET_MB MB); model: $MODEL/model (ViT-B/32 shapes, random weights)"
echo "# ours: $CLI ($(stat -c '%y' "$CLI" | cut -d. -f1), git $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')) index --library <fresh> --model <model> <photos>"
echo "#   does: scan, read + SHA-1, EXIF, reduced-scale (DCT) decode, perceptual hash, preprocess, encode"
echo "#   (policy precision), one SQLite transaction per batch, FAISS file, then tags the new photos from"
if [ "$FULL_TEXT" = 1 ]; then TEXT_TOWER="ViT-B/32's"; else TEXT_TOWER="a tiny one"; fi
echo "#   the stored vectors (a fresh library first embeds its tag vocabulary with the text tower: here"
echo "#   $TEXT_TOWER), library roots, catalog spare copy. No OCR (a separate command)."
echo "# rclip-style: $PYTHON $HERE/rclip_style.py index: full PIL decode, bicubic 224 + centre crop,"
echo "#   normalise, torch $("$PYTHON" -c 'import torch; print(torch.__version__)') fp32 vision tower (nproc threads), loader pool of $THREADS threads"
echo "#   working $RCLIP_AHEAD batch(es) ahead of the encoder, batches of 8, unit vectors into SQLite (rclip's table)."
echo "# timing: whole process (start to exit, /usr/bin/time), photos/s = $PHOTOS / wall; every round runs"
echo "#   each side once, alternating who goes first; the photos and model are read into the page cache"
echo "#   (cat > /dev/null) before every run, so both read them from memory; nothing is dropped."
echo "# others' CPU = cores busy during the run minus the run's own user+sys (other jobs, VM steal"
echo "#   shown apart); above ~0.2 the figures are not a quiet machine's."
echo "# load before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

cpu_counts() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $9}' /proc/stat; }

# timed NAME OUT ERR CMD...: runs CMD under RUN_ENV, appends a result line to
# $WORK/results: name wall user sys maxrss_kb others steal load_before load_after
timed() {
    local name="$1" out="$2" err="$3"
    shift 3
    cat "$SET"/*.jpg "$MODEL/model/model.safetensors" > /dev/null
    local load0 busy0 steal0 busy1 steal1 load1
    load0=$(cut -d' ' -f1 /proc/loadavg)
    read -r busy0 steal0 < <(cpu_counts)
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "${RUN_ENV[@]}" "$@" > "$out" 2> "$err" \
        || { tail -5 "$err" >&2; die "$name failed (command: $*)."; }
    read -r busy1 steal1 < <(cpu_counts)
    load1=$(cut -d' ' -f1 /proc/loadavg)
    local wall user sys rss
    read -r wall user sys rss < "$WORK/time"
    awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$((busy1 - busy0))" \
        -v st="$((steal1 - steal0))" -v t="$TICK" -v l0="$load0" -v l1="$load1" \
        'BEGIN { o = (b / t - u - s) / w; if (o < 0) o = 0;
                 printf "%s %s %s %s %s %.2f %.2f %s %s\n", n, w, u, s, r, o, st / t / w, l0, l1 }' >> "$WORK/results"
}

# --- encoders alone, batch 8 (how close the torch stand-in is to ORT) -----------
if [ "$ENCODERS" = 1 ]; then
    echo
    echo "## encoder alone, batch 8, median of 5 s of runs after warm-up"
    "${RUN_ENV[@]}" "$PYTHON" "$HERE/rclip_style.py" encoder --model "$MODEL/model" --batch 8 --seconds 5 \
        | sed 's/^/rclip-style stand-in (torch): /' || die "rclip_style.py encoder failed."
    NPM_DIR="$CACHE/npm"
    if command -v node > /dev/null && [ -d "$NPM_DIR/node_modules/onnxruntime-node" ] && [ -f "$MODEL/vision.onnx" ]; then
        "${RUN_ENV[@]}" NODE_PATH="$NPM_DIR/node_modules" node "$HERE/ort_bench.mjs" "$MODEL" --batches 8 --seconds 5 \
            --threads "$THREADS" | awk '$1 == "ORT" && $2 == "vision" {print "rclip on ONNX Runtime (onnxruntime-node, fp32): " $5 " img/s (median " $4 " ms)"}
                                        $1 == "ORT" && $2 == "check" {print "# " $0}' \
            || echo "ONNX Runtime: ort_bench.mjs failed (see bench/peers/run.sh)"
    else
        echo "ONNX Runtime: not installed here; run bench/peers/run.sh once (it installs onnxruntime-node into $NPM_DIR)"
    fi
    if [ -x "$BENCH_CLIP" ]; then
        for d in "" fp32; do
            "${RUN_ENV[@]}" "$BENCH_CLIP" --model "$MODEL/model" --device cpu --batches 8 --seconds 5 ${d:+--dtype $d} \
                | awk '$2 == "bench_clip:" {for (i = 3; i < NF; ++i) if ($i == "cpu") {d = $(i + 1); sub(",", "", d)}}
                       $1 == "vision" && $2 == 8 {print "ours (bench_clip, " d "): " $4 " img/s (median " $3 " ms)"}'
        done
    fi
fi

# --- end to end, alternating ---------------------------------------------------------
rclip_run() {
    timed "rclip-style" "$WORK/rclip.json" "$WORK/rclip.err" \
        "$PYTHON" "$HERE/rclip_style.py" index --model "$MODEL/model" --db "$WORK/rclip.sqlite" \
        --ahead "$RCLIP_AHEAD" "$SET"
    grep -q "\"photos\": $PHOTOS," "$WORK/rclip.json" || die "rclip-style stored $(cat "$WORK/rclip.json") instead of $PHOTOS photos."
    echo "rclip-style $(cat "$WORK/rclip.json")" >> "$WORK/details"
    "$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print("rclip-style", d["seconds"] - d["modelSeconds"])' \
        "$WORK/rclip.json" >> "$WORK/inproc"
}
ours_run() { # NAME [--dtype D]
    local name="$1"
    shift
    rm -rf "$WORK/lib-$name"
    timed "$name" "$WORK/$name.json" "$WORK/$name.err" "$CLI" index --library "$WORK/lib-$name" --model "$MODEL/model" "$@" "$SET"
    grep -q "\"added\":$PHOTOS," "$WORK/$name.json" && grep -q '"failed":0,' "$WORK/$name.json" \
        || die "$name did not add $PHOTOS photos: $(cat "$WORK/$name.json")"
    echo "$name $(cat "$WORK/$name.json") | $(grep -E '^(Loaded|Tagged)' "$WORK/$name.err" | tr '\n' ' ')" >> "$WORK/details"
    "$PYTHON" -c 'import json, sys; print(sys.argv[2], json.load(open(sys.argv[1]))["seconds"])' \
        "$WORK/$name.json" "$name" >> "$WORK/inproc"
}
: > "$WORK/results"
: > "$WORK/details"
: > "$WORK/inproc"
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then
        rclip_run
        ours_run ours
        if [ "$FP32" = 1 ]; then ours_run ours-fp32 --dtype fp32; fi
    else
        if [ "$FP32" = 1 ]; then ours_run ours-fp32 --dtype fp32; fi
        ours_run ours
        rclip_run
    fi
    if [ "$round" = 1 ]; then
        SAME="$("$PYTHON" "$HERE/rclip_style.py" compare "$WORK/rclip.sqlite" "$WORK/lib-ours/catalog.sqlite")" || true
    fi
done

# --- table ------------------------------------------------------------------------------
echo
echo "## end to end, $PHOTOS photos, $ROUNDS rounds (in run order)"
echo
printf '| %-5s | %-11s | %7s | %8s | %13s | %8s | %12s | %7s | %11s |\n' round side "wall s" photos/s "user+sys s" "max RSS" "others' CPU" steal "load 1-min"
printf '| %-5s | %-11s | %7s | %8s | %13s | %8s | %12s | %7s | %11s |\n' ----- ----------- ------- -------- ------------- -------- ------------ ------- -----------
awk -v n="$PHOTOS" -v per="$((2 + FP32))" '{
    r = int((NR - 1) / per) + 1
    printf "| %-5s | %-11s | %7.2f | %8.2f | %13.1f | %5d MB | %12.2f | %7.2f | %4s → %-4s |\n", r, $1, $2, n / $2, $3 + $4, $5 / 1024, $6, $7, $8, $9
}' "$WORK/results"
echo
summary() { # SIDE [FILE]: best and median photos/s
    awk -v s="$1" -v n="$PHOTOS" '$1 == s {print n / $2}' "${2:-$WORK/results}" | sort -g \
        | awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f\n", v[NR], m}'
}
SIDES="rclip-style ours"
[ "$FP32" = 1 ] && SIDES="$SIDES ours-fp32"
summary_table() { # FILE
    local rc_best rc_med best med all ratio label side
    read -r rc_best rc_med < <(summary rclip-style "$1")
    printf '| %-24s | %-6s | %-6s | %-26s | %-17s |\n' side best median "ratio best/best, median" "every round"
    printf '| %-24s | %-6s | %-6s | %-26s | %-17s |\n' ------------------------ ------ ------ -------------------------- -----------------
    for side in $SIDES; do
        read -r best med < <(summary "$side" "$1")
        all=$(awk -v s="$side" -v n="$PHOTOS" '$1 == s {printf "%.2f ", n / $2}' "$1")
        ratio=$(awk -v b="$best" -v m="$med" -v rb="$rc_best" -v rm="$rc_med" 'BEGIN {printf "%.2fx, %.2fx", b / rb, m / rm}')
        label="$side"
        case "$side" in
        rclip-style) ratio="-" ;;
        ours) label="ours (policy precision)" ;;
        ours-fp32) label="ours, --dtype fp32" ;;
        esac
        printf '| %-24s | %-6s | %-6s | %-26s | %-17s |\n' "$label" "$best" "$med" "$ratio" "$all"
    done
}
echo "## summary: photos/s, whole process (the goal's measure)"
echo
summary_table "$WORK/results"
echo
echo "## for reading only: photos/s inside the process, indexing alone (no process start, imports,"
echo "## model load or tagging; rclip-style: python's seconds minus its model load; ours: the index"
echo "## summary's seconds, i.e. Indexer::run: scan, pipeline, FAISS save)"
echo
summary_table "$WORK/inproc"
echo
echo "# $SAME"
echo "# in-process detail of the last round (rclip-style: seconds inside python, model load, encoder busy,"
echo "#   waiting on the loaders; ours: the index summary, model load and tagging lines):"
tail -n "$((2 + FP32))" "$WORK/details" | sed 's/^/#   /'
[ "$(stat -c '%Y' "$CLI")" = "$CLI_MTIME" ] \
    || echo "# WARNING: $CLI was rebuilt during this run (another build): rounds may have used different binaries"
echo "# $CONDITION; load after the runs: $(cut -d' ' -f1-3 /proc/loadavg); wall $(( $(date +%s) - START )) s"
