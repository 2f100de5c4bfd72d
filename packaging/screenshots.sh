#!/bin/sh
# Regenerates the README's pictures in docs/screenshots/ from a demo library
# of the shapes world and the shapes CLIP the test suite trains (so no model
# download is needed). Run on purpose, never by CI; needs xvfb-run (package
# xvfb) and python3 (for the slow local model server of the download
# picture). Everything happens in a temporary home: nothing of yours is read
# or written.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
out="$root/docs/screenshots"
cmake --build "$build" --target photosearch photosearch-cli make_shapes_clip make_demo_photos make_text_photos
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

model="$build/shapes-clip"
"$build/tests/support/make_shapes_clip" "$model"
"$build/tests/support/make_demo_photos" "$work/photos" 120
"$build/tests/text/make_text_photos" "$work/photos/Documents"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache"
export XDG_DATA_HOME="$work/home/.local/share" PHOTOSEARCH_MODELS="$work/models" PHOTOSEARCH_MODEL=
mkdir -p "$HOME" "$out"
cli="$build/app/photosearch-cli"
"$cli" index --library "$work/lib" --model "$model" "$work/photos" >/dev/null
"$cli" ocr --library "$work/lib" >/dev/null
"$cli" album train --library "$work/lib" "Warm colours" \
    --positive $(ls "$work"/photos/*/*-red-* "$work"/photos/*/*-orange-* | head -6) \
    --negative $(ls "$work"/photos/*/*-blue-* | head -3) >/dev/null

shot() { xvfb-run -a -s "-screen 0 1400x900x24" "$build/app/photosearch" --size 1280x800 "$@"; }
shot --library "$work/empty" --screenshot "$out/first-run.png"
shot --library "$work/lib" --screenshot "$out/search.png" --query "a red circle" --select 0
shot --library "$work/lib" --screenshot "$out/text-in-photos.png" --query "hardware store" --select 0
images=$(ls "$work"/photos/Garden/*.jpg | head -6 | tr '\n' ',' | sed 's/,$//')
shot --library "$work/lib" --screenshot "$out/classify.png" --classify "$images" \
    --labels "red, green, blue, yellow, purple"

python3 "$root/packaging/slow_model_server.py" "$model" "$work/port" &
server=$!
while [ ! -s "$work/port" ]; do sleep 0.1; done
HF_ENDPOINT="http://127.0.0.1:$(cat "$work/port")" shot --library "$work/empty2" \
    --screenshot "$out/download.png" --download openai/clip-vit-base-patch32 --delay 4000
echo "Screenshots written to $out"
