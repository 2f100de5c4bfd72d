#pragma once
// What the detail pane shows about one photo: its catalog row, made plain
// (value types only) so that it crosses from the detail thread to the GUI
// thread as a queued signal argument.
//
// Thread rule: a value; any thread.

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <optional>
#include <vector>

namespace photosearch {

struct PhotoInfoTag {
    QString tag;
    std::optional<double> score; // none for a confirmed tag the model does not score
    bool confirmed = false;
};

// The text the text pass read in the photo (index/text), as the pane shows it.
struct PhotoWrittenText {
    enum class State {
        NotRead, // no valid row: never read, or the photo changed since
        Read,    // read; `text` empty when no words were found
        Skipped, // left out by the selection (it did not look like text)
        Failed,  // Tesseract or the decoder failed; `error` says why
    };
    State state = State::NotRead;
    QString text;         // lines joined by '\n'
    float confidence = 0; // mean word confidence, 0..100
    QString languages;    // "eng+deu"
    QString error;
};

struct PhotoInfo {
    QString path;
    qint64 fileSize = 0; // bytes
    int width = 0;       // as displayed; 0 = unknown
    int height = 0;
    QString format;      // as the catalog spells it: "jpeg", "png", ...; empty = unknown
    QDateTime takenAt;   // invalid = unknown
    QString camera;      // "Make Model"; empty = unknown
    QString lens;        // empty = unknown
    bool hasGps = false;
    double latitude = 0;  // north positive
    double longitude = 0; // east positive
    QString modelId;      // the model the tags are from; empty when none is known
    std::vector<PhotoInfoTag> tags; // confirmed first, then by score
    PhotoWrittenText writtenText;
};

} // namespace photosearch

Q_DECLARE_METATYPE(photosearch::PhotoInfo)
