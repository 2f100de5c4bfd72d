#!/usr/bin/env bash
# README quick start, command 2: install what is missing, build, and run the
# whole CTest suite. Exit status is CTest's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/deps.sh"
"$root/packaging/build.sh" "$@"
build="${PHOTOSEARCH_BUILD_DIR:-$root/build}"
export QT_QPA_PLATFORM=offscreen
cd "$build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 900
