#pragma once
// Small DNG files written with libtiff, so that the RAW tests need no camera
// files: a 16-bit RGGB mosaic of a picture (LibRaw demosaics it), with or
// without an embedded JPEG preview, in IFD0 or in a SubIFD.

#include <QImage>
#include <QString>

namespace photosearch::testdng {

enum class PreviewPlace {
    InIfd0,   // IFD0 is the preview (NewSubFileType 1), the mosaic a SubIFD (what cameras write)
    InSubIfd, // IFD0 is the mosaic, the preview a SubIFD
};

struct DngOptions {
    QImage scene;        // what the sensor sees; even width and height
    QImage preview;      // null: no preview; else written as a baseline JPEG
    PreviewPlace place = PreviewPlace::InIfd0;
    int orientation = 1; // the TIFF/EXIF Orientation tag
    QString make = QStringLiteral("PhotoSearch");
    QString model = QStringLiteral("Test Camera");
};

// Writes the DNG; false with `error` set when it cannot.
bool writeDng(const QString& path, const DngOptions& options, QString* error = nullptr);

// An ordinary RGB TIFF that has what RAWs have around their pixels (a
// camera Make, a SubIFD with a reduced copy) but no sensor data.
bool writeTiffWithSubIfd(const QString& path, const QImage& image, QString* error = nullptr);

} // namespace photosearch::testdng
