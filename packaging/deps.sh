#!/usr/bin/env bash
# Installs the Debian 12 packages PhotoSearch needs to build, test and run,
# only those that are missing. Works as root or through sudo; idempotent.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-image-formats-plugins
  libtorch-dev
  # Without an optimised BLAS, LibTorch falls back to the reference one and
  # matrix work is ~25x slower.
  libopenblas0-openmp
  libfaiss-dev libsqlite3-dev
  # SHA-1 of every photo with the CPU's SHA instructions (OpenSSL).
  libssl-dev
  # Photo metadata (EXIF/XMP) and HEIC/AVIF decoding.
  libexiv2-dev libheif-dev
  # Text in photos (Tesseract 5 and its English model) and camera RAW files;
  # libtiff-dev lets the tests write their own DNG files.
  libtesseract-dev tesseract-ocr-eng libraw-dev libtiff-dev
  # The .deb (cpack, packaging/CMakeLists.txt) and its test (check-deb.sh):
  # dpkg-shlibdeps computes Depends, CPack needs `file` to find the binaries,
  # and the desktop file and AppStream metainfo are validated.
  dpkg-dev file desktop-file-utils appstream groff-base
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "packaging/deps.sh: these packages are missing and installing them needs root or sudo: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing: ${missing[*]}" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
