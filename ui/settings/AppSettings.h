#pragma once
// The window's preferences, kept in QSettings (~/.config/photosearch/…):
// where the library lives, which device encodes and with how many threads,
// whether added folders are watched, and whether thumbnails are shared
// with the desktop's cache, and how the text in photos is read (language
// packs, every photo or only those that look like text). The library's model is not here: it belongs to
// the library (its catalog), so the CLI and the window agree on it.
// Plain values; load()/save() touch only QSettings (a small ini file).

#include <QString>

namespace photosearch {

struct AppSettings {
    enum class Device { Auto, Cpu, Gpu };

    QString libraryDir; // empty = the default (or $PHOTOSEARCH_LIBRARY)
    Device device = Device::Auto;
    int threads = 0;    // 0 = as many as the machine has
    bool watchFolders = true;
    bool shareThumbnails = true;
    // Tesseract language packs for the text pass, "eng+deu" form.
    QString textLanguages = QStringLiteral("eng");
    // Read every photo, not only those the selection finds likely to hold text.
    bool readTextInEveryPhoto = false;

    static AppSettings load();
    void save() const;

    // The library to open: --library, else $PHOTOSEARCH_LIBRARY, else the
    // one chosen in Settings, else the per-user default.
    static QString resolveLibrary(const QString& commandLine);
};

} // namespace photosearch
