#!/bin/sh
# Kill resilience at scale (issue 16): kills `photosearch-cli index` with
# SIGKILL at 50 random moments (start-up, scan, encode and batch commits,
# finishing and saving, tagging) on a library of 300 generated photos while
# photos are added, rewritten, moved and deleted between runs, then checks
# the catalog, the vector file and `similar` against the disk (see
# tests/index/kill_resilience.cpp). Run on purpose, never by CI: a few
# minutes on two cores. CTest runs a short version (test kill_resilience).
#
#   packaging/kill-resilience.sh [--photos N] [--kills N] [--samples N] [--seed S] [--keep] [--verbose]
#
# The seed is drawn from the clock unless given (or KILL_RESILIENCE_SEED is
# set) and printed first; a failure names the check and the seed to replay
# it with. --keep keeps the work folder of a failed run (runs.log lists every
# run and kill). Prints one summary line; exits non-zero on a failed check.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
# BUILD_LOCK: a lock file to build under, where several people share a tree.
if [ -n "${BUILD_LOCK:-}" ]; then
    flock "$BUILD_LOCK" cmake --build "$build" --target kill_resilience photosearch-cli >&2
else
    cmake --build "$build" --target kill_resilience photosearch-cli >&2
fi
# The CLI is copied first: a rebuild in the same tree while this runs must
# not swap the binary under the runs.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$build/app/photosearch-cli" "$work/photosearch-cli"
start=$(date +%s)
status=0
"$build/tests/index/kill_resilience" --photos 300 --kills 50 --cli "$work/photosearch-cli" "$@" || status=$?
echo "kill-resilience: wall time $(( $(date +%s) - start )) s" >&2
exit $status
