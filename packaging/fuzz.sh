#!/bin/sh
# Fuzzes PhotoSearch's parsers of untrusted input with libFuzzer (clang +
# ASan + UBSan), each target for a bounded time. Not part of CI: run it on
# purpose, record the results in docs/RELIABILITY.md, and turn every crash
# or hang into a regression test: the input goes to tests/fuzz/regressions/,
# which tests/index/test_fuzz_regressions.cpp replays on every CTest run.
#
#   packaging/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 600. Targets: tokenizer config safetensors
# query image metadata (default: all, one after another). Environment:
#   FUZZ_BUILD   build folder (default build-fuzz, never the normal build)
#   FUZZ_WORK    corpora, crashes and logs (default $FUZZ_BUILD/work)
#   FUZZ_JOBS    compile jobs (default 2)
# Exit status: 0 when no target found a crash, 1 otherwise.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-tokenizer config safetensors query image metadata}
build=${FUZZ_BUILD:-$here/build-fuzz}
work=${FUZZ_WORK:-$build/work}
jobs=${FUZZ_JOBS:-2}
shared=$here/../shared

# clang and its libFuzzer runtime (Debian: libclang-rt-14-dev).
if ! command -v clang++-14 >/dev/null \
   || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    echo "fuzz.sh: installing clang-14 and libclang-rt-14-dev" >&2
    apt-get update >&2
    apt-get install -y --no-install-recommends clang-14 libclang-rt-14-dev >&2
fi

# The compile step shares the machine's cores with other builds: take the
# same lock as they do when it exists.
lock() { if command -v flock >/dev/null; then flock /tmp/ps-build.lock "$@"; else "$@"; fi; }

if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang-14 CXX=clang++-14 cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPHOTOSEARCH_BUILD_FUZZERS=ON -DPHOTOSEARCH_BUILD_TESTS=OFF -DPHOTOSEARCH_BUILD_BENCH=OFF >&2
fi
lock cmake --build "$build" --target photosearch_fuzzers -j "$jobs" >&2

# Seed corpora: what the test fixtures are made of, plus query strings.
mkdir -p "$work"
seeds=$work/seeds
if [ ! -d "$seeds/image" ]; then
    QT_QPA_PLATFORM=offscreen "$build/tests/fuzz/fuzz_seeds" "$seeds"
    mkdir -p "$seeds/query" "$seeds/tokenizer"
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        printf '\001%s' "$line" >"$seeds/query/q$n"
        printf 'M%s' "$line" >"$seeds/tokenizer/t$n"
    done <<'QUERIES'
dog on a beach
2:dog + ./pool.jpg - fruit
"a red car" from March
snow last winter - "in winter"
receipt 2019-03-05 to 2021
t-shirt c++ 10:30 meeting http://x
inf:cat nan:dog 0:bird 1e308:fish .5:tree
“typographic quotes” and an "open quote
between 2019 and 2021 last summer this year yesterday
café ☀️ 日本語 العربية <|startoftext|>x<|endoftext|>
QUERIES
    fix=$shared/fixtures/tiny-clip
    [ -f "$fix/config.json" ] && cp "$fix/config.json" "$seeds/config/tiny-clip-config.json"
    [ -f "$fix/preprocessor_config.json" ] && cp "$fix/preprocessor_config.json" "$seeds/config/tiny-clip-preprocessor.json"
    [ -f "$shared/clip-tokenizer/preprocessor_config.json" ] && cp "$shared/clip-tokenizer/preprocessor_config.json" "$seeds/config/"
    if [ -f "$fix/model.safetensors" ] && [ "$(stat -c %s "$fix/model.safetensors")" -lt 1048576 ]; then
        cp "$fix/model.safetensors" "$seeds/safetensors/tiny-clip.safetensors"
    fi
    # Merges files for the tokenizer's 0xFF mode.
    printf '\377#version: 0.2\no n</w>\nd o\ndo g</w>\nb e\na c\nac h</w>\nbe ach</w>\n' >"$seeds/tokenizer/merges1"
fi
vocab=$shared/clip-tokenizer
[ -f "$vocab/vocab.json" ] || vocab=$seeds/tiny-vocab
export PHOTOSEARCH_FUZZ_VOCAB=$vocab
export QT_QPA_PLATFORM=offscreen
# Qt's and libpng's warnings about every broken input would slow the run
# and bury the report.
export QT_LOGGING_RULES="*=false"
# libheif 1.15's dav1d plugin leaks the 40-byte data buffer it made when
# dav1d refuses an empty AV1 item (dav1d_send_data fails): a bounded leak per
# broken AVIF inside Debian's libraries, not ours (see docs/RELIABILITY.md).
# By module: the fuzzer's fast unwinder stops inside libdav1d (no frame
# pointers there), so a function name would not match.
printf 'leak:libdav1d.so\n' >"$work/lsan.supp"
export LSAN_OPTIONS="suppressions=$work/lsan.supp:print_suppressions=0"

status=0
summary=$work/summary.txt
: >"$summary"
for t in $targets; do
    corpus=$work/corpus/$t
    artifacts=$work/artifacts/$t/
    mkdir -p "$corpus" "$artifacts"
    log=$work/$t.log
    echo "fuzz.sh: fuzz_$t for ${seconds}s (log $log)" >&2
    # -timeout: one input running over 10 s is a hang; -rss_limit_mb: a
    # decoder that allocates over 2 GiB for one input is a finding too.
    if ! "$build/tests/fuzz/fuzz_$t" "$corpus" "$seeds/$t" -max_total_time="$seconds" -timeout=10 \
         -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" >"$log" 2>&1; then
        status=1
        echo "fuzz.sh: fuzz_$t FOUND A PROBLEM; see $log and $artifacts" >&2
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    files=$(find "$corpus" -type f | wc -l)
    echo "$t seconds=${secs:-?} executions=${execs:-?} execs_per_s=${rate:-?} corpus_files=$files artifacts=$(find "$artifacts" -type f | wc -l)" | tee -a "$summary"
done
exit $status
