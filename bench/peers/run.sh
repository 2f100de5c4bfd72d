#!/usr/bin/env bash
# ONNX Runtime CPU beside PhotoSearch's image encoder, same shapes, same run.
# Run on purpose only (never from CTest). See bench/peers/README.md.
#
#   bench/peers/run.sh [--seconds S] [--rounds R] [--batches 1,8] [--no-build] [--remake]
#   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/peers/run.sh   # users' conditions
#
# BUILD_DIR (default <repo>/build) holds bench_clip and photosearch-cli;
# PEERS_CACHE (default $BUILD_DIR/peers-cache) holds the npm package, the
# model folder and the ONNX graph, made once.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
CACHE="${PEERS_CACHE:-$BUILD_DIR/peers-cache}"
ORT_VERSION="${ORT_VERSION:-1.30.0}"
TOKENIZER="${TOKENIZER_DIR:-$ROOT/../shared/clip-tokenizer}"
PYTHON=/usr/bin/python3
SECONDS_PER_CASE=5
ROUNDS=3
BATCHES=1,8
BUILD=1
REMAKE=0

while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) SECONDS_PER_CASE="$2"; shift 2 ;;
    --batches) BATCHES="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --remake) REMAKE=1; shift ;;
    *) echo "usage: $0 [--seconds S] [--rounds R] [--batches 1,8] [--no-build] [--remake]" >&2; exit 2 ;;
    esac
done

die() { echo "bench/peers: $*" >&2; exit 1; }
START=$(date +%s)
THREADS=$(nproc)

# --- the condition this run stands for -------------------------------------
if [ -z "${OPENBLAS_CORETYPE+x}" ] && [ -z "${OPENBLAS_L2_SIZE+x}" ]; then
    CONDITION="users' conditions (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)"
else
    CONDITION="this environment (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-unset}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE-unset})"
fi
echo "# bench/peers: $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $THREADS CPUs"
echo "# condition: $CONDITION"

# --- dependencies: Debian's python3-torch, Node, onnxruntime-node -----------
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
    [ "$(id -u)" = 0 ] || die "python3-torch is missing; install it with: sudo apt-get install python3-torch"
    echo "# installing python3-torch with apt" >&2
    apt-get install -y --no-install-recommends python3-torch >&2 || die "apt-get install python3-torch failed."
fi
command -v node >/dev/null || die "node is missing; install Node.js 18 or later (Debian: apt-get install nodejs npm)."
NPM_DIR="$CACHE/npm"
ORT_PKG="$NPM_DIR/node_modules/onnxruntime-node/package.json"
if [ ! -f "$ORT_PKG" ] || ! grep -q "\"version\": \"$ORT_VERSION\"" "$ORT_PKG"; then
    command -v npm >/dev/null || die "npm is missing; install it (Debian: apt-get install npm)."
    mkdir -p "$NPM_DIR"
    # --ignore-scripts: the package's install step downloads GPU libraries
    # (and fails offline); the CPU library ships inside the package.
    echo "# npm install onnxruntime-node@$ORT_VERSION into $NPM_DIR" >&2
    npm install --prefix "$NPM_DIR" --ignore-scripts --no-audit --no-fund "onnxruntime-node@$ORT_VERSION" >&2 \
        || die "npm install onnxruntime-node@$ORT_VERSION failed (it needs the npm registry once)."
fi

# --- model folder + ONNX graph, made once per version of make_vit.py --------
MODEL="$CACHE/vit-b32"
STAMP="$(sha256sum "$HERE/make_vit.py" | cut -c1-16)"
if [ "$REMAKE" = 1 ] || [ "$(cat "$MODEL/.made-by" 2>/dev/null)" != "$STAMP" ]; then
    [ -d "$TOKENIZER" ] || die "no CLIP tokenizer folder at $TOKENIZER; set TOKENIZER_DIR to one (vocab.json, merges.txt)."
    echo "# making the ViT-B/32-shaped model and ONNX graph in $MODEL" >&2
    rm -rf "$MODEL.tmp" "$MODEL"
    "$PYTHON" "$HERE/make_vit.py" make "$MODEL.tmp" "$TOKENIZER" 2> >(grep -v -i warning >&2) \
        || die "make_vit.py failed."
    echo "$STAMP" > "$MODEL.tmp/.made-by"
    mv "$MODEL.tmp" "$MODEL"
fi

# --- our binaries ------------------------------------------------------------
BENCH_CLIP="$BUILD_DIR/bench/bench_clip"
CLI="$BUILD_DIR/app/photosearch-cli"
if [ "$BUILD" = 1 ] || [ ! -x "$BENCH_CLIP" ] || [ ! -x "$CLI" ]; then
    flock /tmp/ps-build.lock cmake --build "$BUILD_DIR" --target bench_clip photosearch-cli >&2 \
        || die "building bench_clip and photosearch-cli in $BUILD_DIR failed."
fi

# --- same computation? --------------------------------------------------------
echo "# correctness"
# `embed` defaults to fp32; the index's precision (bf16 on CPUs with bf16
# units) is checked the same way.
POLICY_DTYPE="$("$BENCH_CLIP" --model "$MODEL/model" --device cpu --batches 1 --seconds 0 | sed -n 's/^# bench_clip: .*, cpu \([a-z0-9]*\), libtorch.*/\1/p')"
for dtype in fp32 $([ "$POLICY_DTYPE" != fp32 ] && echo "$POLICY_DTYPE"); do
    CLI_LINE="$("$CLI" embed --model "$MODEL/model" --device cpu --dtype "$dtype" --image "$MODEL/probe.png" 2>/dev/null)" \
        || die "photosearch-cli embed --dtype $dtype failed on $MODEL/probe.png."
    echo -n "$dtype: "
    "$PYTHON" "$HERE/make_vit.py" compare-cli "$MODEL" "$CLI_LINE" || echo "# WARNING: our encoder ($dtype) disagrees with the torch module"
done

# --- timing ------------------------------------------------------------------
# One process at a time, each with every core. This VM's speed drifts by
# 10-20% over minutes (host neighbours), so the two alternate for ROUNDS
# rounds and each side keeps its best round.
ALL_ORT=""; ALL_OURS=""; ALL_FP32=""
for round in $(seq 1 "$ROUNDS"); do
    ORT_OUT="$(NODE_PATH="$NPM_DIR/node_modules" node "$HERE/ort_bench.mjs" "$MODEL" \
        --batches "$BATCHES" --seconds "$SECONDS_PER_CASE" --threads "$THREADS")" \
        || { echo "$ORT_OUT"; die "ort_bench.mjs failed or disagreed with the torch module."; }
    # Ours as the index runs it (the precision policy's choice), and in fp32.
    OURS_OUT="$("$BENCH_CLIP" --model "$MODEL/model" --device cpu --batches "$BATCHES" --seconds "$SECONDS_PER_CASE")" \
        || die "bench_clip failed."
    FP32_OUT="$("$BENCH_CLIP" --model "$MODEL/model" --device cpu --dtype fp32 --batches "$BATCHES" --seconds "$SECONDS_PER_CASE")" \
        || die "bench_clip --dtype fp32 failed."
    [ "$round" = 1 ] && echo "$ORT_OUT" | grep '^ORT check' | sed 's/^ORT check/ORT (onnxruntime-node) on/'
    ALL_ORT+="$ORT_OUT"$'\n'; ALL_OURS+="$OURS_OUT"$'\n'; ALL_FP32+="$FP32_OUT"$'\n'
done
echo "$ORT_OUT" | grep '^ORT info' | sed 's/^ORT info/# ORT:/'
echo "$OURS_OUT" | grep '^# bench_clip' | sed 's/^# bench_clip:/# ours: bench_clip/'
echo "# images/s: best of $ROUNDS alternating rounds, each the median of ${SECONDS_PER_CASE} s of runs after warm-up"

echo
printf '| %-5s | %-9s | %-16s | %-10s | %-10s | %-10s | %-22s | %-22s |\n' batch "ORT img/s" "ours ($POLICY_DTYPE) img/s" "ours / ORT" "ours fp32" "fp32 / ORT" "ORT rounds" "ours rounds"
printf '| %-5s | %-9s | %-16s | %-10s | %-10s | %-10s | %-22s | %-22s |\n' ----- --------- ---------------- ---------- ---------- ---------- ---------------------- ----------------------
IFS=, read -ra BLIST <<< "$BATCHES"
for b in "${BLIST[@]}"; do
    ort_all=$(echo "$ALL_ORT" | awk -v b="$b" '$1=="ORT" && $2=="vision" && $3==b {printf "%s ", $5}')
    our_all=$(echo "$ALL_OURS" | awk -v b="$b" '$1=="vision" && $2==b {printf "%s ", $4}')
    ort_best=$(echo $ort_all | tr ' ' '\n' | sort -g | tail -1)
    our_best=$(echo $our_all | tr ' ' '\n' | sort -g | tail -1)
    fp32_best=$(echo "$ALL_FP32" | awk -v b="$b" '$1=="vision" && $2==b {print $4}' | sort -g | tail -1)
    ratio=$(awk -v a="$our_best" -v o="$ort_best" 'BEGIN {printf "%.2fx", a / o}')
    ratio32=$(awk -v a="$fp32_best" -v o="$ort_best" 'BEGIN {printf "%.2fx", a / o}')
    printf '| %-5s | %-9s | %-16s | %-10s | %-10s | %-10s | %-22s | %-22s |\n' "$b" "$ort_best" "$our_best" "$ratio" "$fp32_best" "$ratio32" "$ort_all" "$our_all"
done
echo
echo "# $CONDITION; wall $(( $(date +%s) - START )) s"
