#!/usr/bin/env bash
# The whole CTest suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# in ./build-asan (a separate tree: ~10 minutes to build on 2 cores, the
# suite ~1 minute). Not part of CI; run it after changes to parsers, the
# vector store or anything that copies memory. Exit status is CTest's; any
# sanitizer report fails its test (UBSan halts too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PHOTOSEARCH_ASAN_DIR:-$root/build-asan}"
"$root/packaging/deps.sh"
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize=vptr"
PHOTOSEARCH_BUILD_DIR="$build" "$root/packaging/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" "$@"
# x265 (libheif's HEIC encoder, used by the tests to write fixtures) leaks a
# little per encoder by itself; everything else must be leak-free.
printf 'leak:libx265.so\n' > "$build/lsan.supp"
export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1"
export LSAN_OPTIONS="suppressions=$build/lsan.supp"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd "$build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 1800
