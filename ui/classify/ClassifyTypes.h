#pragma once
// Values that travel between the Classify panel (GUI thread) and its worker
// thread through queued signals, so they are plain copyable data with
// registered metatypes.

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace photosearch {

// One image's answer. `labels` are the classifier's labels (trimmed, without
// repeats) in the order typed; `probs` holds one probability per label and
// sums to 1. When the image could not be read, `error` is the sentence for
// the user and `label`/`probs` are empty.
struct ClassifyRow {
    QString path;
    QString label;
    QStringList labels;
    QList<double> probs;
    QString error;

    bool ok() const { return error.isEmpty(); }
    double bestProbability() const
    {
        const qsizetype i = labels.indexOf(label);
        return i >= 0 && i < probs.size() ? probs[i] : 0.0;
    }
};

// "Put this image into the manual album named so."
struct AlbumAssignment {
    QString path;
    QString album;
};

// What filing images into albums did, for one sentence in the panel.
struct AlbumFiling {
    int added = 0;        // photos newly added (already there: not counted)
    QStringList albums;   // albums that received photos, by name
    int notInLibrary = 0; // images the library does not hold (skipped)
    QString error;        // non-empty when filing failed: the user's sentence
};

} // namespace photosearch

Q_DECLARE_METATYPE(photosearch::ClassifyRow)
Q_DECLARE_METATYPE(photosearch::AlbumFiling)
Q_DECLARE_METATYPE(photosearch::AlbumAssignment)
