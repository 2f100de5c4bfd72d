#pragma once
// A 64-bit perceptual hash (DCT pHash) of a picture as it is displayed, for
// finding near-duplicates without any model: two files of the same photo
// (resized, re-compressed, slightly cropped or brightened) hash a few bits
// apart, unrelated photos about half the bits apart.
//
// How: greyscale (Rec. 601 luma) → area average down to 32×32 (every source
// pixel weighs by the part of it a cell covers, so the result does not depend
// on how the picture was scaled before) → orthonormal 2-D DCT-II → the 8×8
// lowest frequencies without the DC term (63 coefficients) → bit v*8+u is 1
// when coefficient (u, v) is above their median. Bit 0 (the DC) is always 0,
// so 31 of the 63 others are set and a distance is even, at most 62.
//
// Measured on 640×480 rendered scenes (gradients, shaded shapes, noise;
// tests/core/test_perceptual_hash.cpp prints the first 6, the numbers in
// brackets are the same measurement on 30 scenes):
//   resized to 50% or 200%                 0-2   [0-2]
//   JPEG quality 30                        0-2
//   brightness +20 / -20 (of 255)          0-2
//   cropped 4% on every side               4-10  [2-12; 27 of 30 within 10;
//                                                 3% per side: 29 of 30]
//   50% + JPEG 30 + 2% crop per side       2-6
//   EXIF-rotated copy (pixels stored
//   turned, the tag turns them back)       0     (decoders apply the tag first)
//   the same shapes in other colours       ≥ 12  [≥ 12; 2 of 150 at 12]
//   different scenes                       ≥ 24  [≥ 20; median 32]
//   the picture turned 90°                 ≥ 24
// Distances are even (both hashes have 31 bits set), so the threshold of 10
// sits between the crops and the recolourings; it prefers leaving a heavily
// cropped copy out of a group to grouping two different photos.
// Hence kNearDuplicateDistance below.
// Known blind spots: a recolouring that keeps every area's brightness, and
// flat pictures (a black frame), whose coefficients are all near 0 so that
// their bits are arbitrary. A picture turned by 90° or mirrored (as
// displayed) is a different picture to this hash.
//
// Pure functions of their arguments: safe on any thread.

#include <QImage>
#include <QtGlobal>

namespace photosearch {

// The hash of `image` (any QImage format; alpha is ignored). A null image
// hashes to 0.
quint64 perceptualHash(const QImage& image);

// The number of differing bits, 0..64.
int hammingDistance(quint64 a, quint64 b);

// Two pictures at most this far apart are taken as copies of one photo:
// above every derived copy measured, below every different picture (see the
// table above).
constexpr int kNearDuplicateDistance = 10;

} // namespace photosearch
