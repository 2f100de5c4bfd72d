#!/usr/bin/env bash
# check-deb.sh BUILD_DIR
#
# Builds the .deb from a built tree (cpack, into a scratch folder), checks
# its control fields and files, validates the desktop file, AppStream
# metainfo and manual pages, runs lintian when it is installed, then unpacks
# the package into a scratch root (dpkg -x: the system is not touched) and
# runs the unpacked binaries: --version, and an index and two searches of a
# few generated photos with the tiny test model, in a temporary library and
# home. Run by CTest (test package_deb, label packaging); needs what
# packaging/deps.sh installs. Exit 0 when every check passes.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1/CPackConfig.cmake" ]; then
  echo "usage: check-deb.sh BUILD_DIR (a configured and built tree with CPackConfig.cmake)" >&2
  exit 2
fi
build="$(cd "$1" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cpack="${CPACK:-cpack}"

fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

for tool in "$cpack" dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli readelf gzip; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing; run packaging/deps.sh"
done

scratch="$(mktemp -d "${TMPDIR:-/tmp}/photosearch-deb.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# --- Build the package ---------------------------------------------------------
step "cpack -G DEB"
mkdir -p "$scratch/out"
(cd "$scratch/out" && "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out") \
  > "$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log" >&2; fail "cpack could not build the package"; }
grep -i "warning" "$scratch/cpack.log" >&2 || true
debs=("$scratch"/out/*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb in $scratch/out, found: ${debs[*]}"
deb="${debs[0]}"
echo "$(basename "$deb"): $(stat -c %s "$deb") bytes"

# --- Control fields --------------------------------------------------------------
step "dpkg-deb --info"
dpkg-deb --info "$deb"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = photosearch ] || fail "Package is '$(field Package)', not photosearch"
[ "$(field Section)" = graphics ] || fail "Section is '$(field Section)', not graphics"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[[ "$(field Homepage)" == https://* ]] || fail "Homepage '$(field Homepage)' is not an https URL"
[ -n "$(field Description)" ] || fail "no Description"
depends="$(field Depends)"
[ -n "$depends" ] || fail "Depends is empty (dpkg-shlibdeps found no libraries)"
# One package per library family the binaries link. FAISS is linked in
# statically (Debian 12 has no shared libfaiss); BLAS/LAPACK are its own needs.
for want in libtorch libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libsqlite3 libexiv2 libheif libraw libtesseract tesseract-ocr-eng libblas liblapack libc6; do
  [[ "$depends" == *"$want"* ]] || fail "Depends does not name $want: $depends"
done
[[ "$(field Recommends)" == *qt6-image-formats-plugins* ]] || fail "Recommends lacks qt6-image-formats-plugins (WebP/TIFF decoding)"

# --- Files -----------------------------------------------------------------------
step "dpkg-deb --contents"
dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|' | sort > "$scratch/contents"
cat "$scratch/contents"
expected=(/usr/bin/photosearch /usr/bin/photosearch-cli /usr/libexec/photosearch/photosearch-cli-engine
  /usr/share/applications/photosearch.desktop
  /usr/share/metainfo/io.github.photosearch.photosearch.metainfo.xml
  /usr/share/icons/hicolor/scalable/apps/photosearch.svg
  /usr/share/man/man1/photosearch.1.gz /usr/share/man/man1/photosearch-cli.1.gz
  /usr/share/doc/photosearch/changelog.gz)
sizes=(16 22 24 32 48 64 128 256)
for s in "${sizes[@]}"; do expected+=("/usr/share/icons/hicolor/${s}x${s}/apps/photosearch.png"); done
for f in "${expected[@]}"; do
  grep -qxF "$f" "$scratch/contents" || fail "the package lacks $f"
done
if grep -v -e '^/usr/' -e '^/$' "$scratch/contents"; then
  fail "the package installs files outside /usr (listed above)"
fi

# --- Unpack into a scratch root --------------------------------------------------
step "dpkg -x"
pkgroot="$scratch/root"
dpkg -x "$deb" "$pkgroot"
share="$pkgroot/usr/share"

step "desktop-file-validate"
desktop-file-validate "$share/applications/photosearch.desktop" || fail "desktop-file-validate reported problems"
icon="$(sed -n 's/^Icon=//p' "$share/applications/photosearch.desktop")"
[ -f "$share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "the desktop file's Icon=$icon is not installed"

step "appstreamcli validate --no-net"
appstreamcli validate --no-net "$share/metainfo/io.github.photosearch.photosearch.metainfo.xml" \
  || fail "appstreamcli validate reported problems"
grep -q '<launchable type="desktop-id">photosearch.desktop</launchable>' \
  "$share/metainfo/io.github.photosearch.photosearch.metainfo.xml" || fail "the metainfo does not launch photosearch.desktop"

step "icons"
for s in "${sizes[@]}"; do
  png="$share/icons/hicolor/${s}x${s}/apps/photosearch.png"
  # PNG width and height: big-endian 32-bit at byte 16 and 20 (IHDR).
  read -r w h < <(od -An -tu1 -j16 -N8 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
  [ "$w" = "$s" ] && [ "$h" = "$s" ] || fail "$png is ${w}x${h}, not ${s}x${s}"
done

step "manual pages"
for page in photosearch photosearch-cli; do
  gz="$share/man/man1/$page.1.gz"
  gzip -t "$gz" || fail "$gz is not a valid gzip file"
  zcat "$gz" | grep -q "^\.TH ${page^^} 1 " || fail "$gz has no .TH header for $page(1)"
  if command -v groff >/dev/null 2>&1; then
    warnings="$(zcat "$gz" | groff -man -Tutf8 -ww 2>&1 >/dev/null)"
    [ -z "$warnings" ] || fail "groff warns about $page(1): $warnings"
  fi
done

if command -v lintian >/dev/null 2>&1; then
  # The project has no licence file yet, so there is no copyright file to ship.
  step "lintian"
  lintian --fail-on error --suppress-tags no-copyright-file "$deb" || fail "lintian reported errors"
else
  echo "(lintian not installed: skipped)"
fi

# --- The unpacked binaries run from the scratch root ------------------------------
step "no build tree in the installed binaries"
for exe in bin/photosearch bin/photosearch-cli libexec/photosearch/photosearch-cli-engine; do
  bin="$pkgroot/usr/$exe"
  if readelf -d "$bin" | grep -E 'R(UN)?PATH' | grep -qF -e "$build" -e "$root"; then
    fail "$exe keeps an RPATH into the build or source tree: $(readelf -d "$bin" | grep -E 'R(UN)?PATH')"
  fi
  if grep -qaF -e "$build" -e "$root/resources" "$bin"; then
    fail "$exe names the build tree or the source resources (it would read files from there)"
  fi
done

export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home/.config" XDG_CACHE_HOME="$scratch/home/.cache"
export XDG_DATA_HOME="$scratch/home/.local/share" XDG_RUNTIME_DIR="$scratch/runtime"
export PHOTOSEARCH_MODELS="$scratch/models" PHOTOSEARCH_MODEL= PHOTOSEARCH_LIBRARY= PHOTOSEARCH_READ_ONLY=
export QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
cd "$scratch"
cli="$pkgroot/usr/bin/photosearch-cli"

step "photosearch-cli --version"
# LD_DEBUG lists every shared object the loader starts; none may come from
# the build or source tree.
LD_DEBUG=libs "$cli" --version > "$scratch/version" 2> "$scratch/ld.log" || fail "the installed photosearch-cli --version failed"
cat "$scratch/version"
grep -q "^photosearch-cli $(field Version) " "$scratch/version" || fail "the installed CLI does not report version $(field Version)"
grep -q 'calling init:' "$scratch/ld.log" || fail "LD_DEBUG gave no loader trace to check"
if grep 'calling init:' "$scratch/ld.log" | grep -F -e "$build" -e "$root"; then
  fail "the installed CLI loaded the libraries above from the build or source tree"
fi
gui_version="$(timeout 60 "$pkgroot/usr/bin/photosearch" --version 2>/dev/null)" || fail "the installed photosearch --version failed"
[[ "$gui_version" == *"$(field Version)"* ]] || fail "the installed photosearch reports '$gui_version'"
echo "$gui_version"

step "index and search with the installed CLI"
"$build/tests/support/make_demo_photos" "$scratch/photos" 6 >/dev/null || fail "make_demo_photos failed (is the build tree built?)"
"$build/tests/support/make_tiny_model" "$scratch/model" || fail "make_tiny_model failed (is the build tree built?)"
count="$(find "$scratch/photos" -name '*.jpg' | wc -l)"
[ "$count" -ge 6 ] || fail "make_demo_photos wrote $count photos"
summary="$("$cli" index --library "$scratch/lib" --model "$scratch/model" "$scratch/photos" 2> "$scratch/index.log")" \
  || { cat "$scratch/index.log" >&2; fail "the installed CLI could not index $count photos"; }
echo "$summary"
[[ "$summary" == *"\"added\":$count,"* ]] || fail "index added not $count photos: $summary"
[[ "$summary" == *'"failed":0,'* ]] || fail "index recorded failures: $summary"
[ -f "$scratch/lib/catalog.sqlite" ] || fail "index wrote no catalog.sqlite in the temporary library"

# A photo as the query: it must come back first (cosine 1 with itself).
photo="$(find "$scratch/photos/Garden" -name '*.jpg' | sort | head -1)"
hits="$("$cli" search --library "$scratch/lib" -k 3 --all "$photo" 2>/dev/null)" || fail "the installed CLI could not search by $photo"
echo "$hits"
[ "$(printf '%s\n' "$hits" | wc -l)" -eq 3 ] || fail "search by image gave not 3 hits"
[[ "$(printf '%s\n' "$hits" | head -1)" == "{\"path\":\"$photo\","* ]] || fail "search by $photo did not return it first"
hits="$("$cli" search --library "$scratch/lib" -k 4 --all "a red circle" 2>/dev/null)" || fail "the installed CLI could not search by text"
echo "$hits"
[ "$(printf '%s\n' "$hits" | grep -cF "{\"path\":\"$scratch/photos/")" -eq 4 ] || fail "search by text gave not 4 photos of the library"
# The same text again is answered from the catalog's cache by photosearch-cli
# itself, without loading LibTorch (app/cli/QuickSearch.h).
again="$(LD_DEBUG=files "$cli" search --library "$scratch/lib" -k 4 --all "a red circle" 2> "$scratch/quick.log")" \
  || fail "the installed CLI could not repeat the search"
[ "$again" = "$hits" ] || fail "the repeated search answered differently: $again"
if grep -q 'libtorch' "$scratch/quick.log"; then fail "a repeated (cached) search loaded LibTorch"; fi
echo "check-deb: all checks passed"
