#!/usr/bin/env bash
# README quick start, command 1: install what is missing, build, and start
# the app on the default library (or the one given with --library DIR).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/packaging/deps.sh"
"$root/packaging/build.sh"
build="${PHOTOSEARCH_BUILD_DIR:-$root/build}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "packaging/run.sh: no display found (DISPLAY/WAYLAND_DISPLAY unset); start it from a desktop session," \
       "or set QT_QPA_PLATFORM=offscreen to run without showing a window." >&2
  exit 1
fi
exec "$build/app/photosearch" "$@"
