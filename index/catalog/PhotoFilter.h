#pragma once
// Restrictions on which photos a search may return.

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace photosearch {

struct PhotoFilter {
    // Compared with the photo's taken-at, or its file mtime (local time) when
    // it has none. Invalid = no bound. `after` is inclusive, `before` exclusive.
    QDateTime after;
    QDateTime before;
    // Only photos under one of these folders (absolute, cleaned), at any
    // depth. One folder may need two spellings: as typed and with its
    // symlinks resolved, since roots are stored resolved and what is below
    // them as walked.
    QStringList folders;
    // Only these formats (as in PhotoRecord::format); empty = any.
    QStringList formats;

    bool isEmpty() const
    {
        return !after.isValid() && !before.isValid() && folders.isEmpty() && formats.isEmpty();
    }
};

// Every path the photos under `folder` may be stored by, for
// PhotoFilter::folders: the CLI's --folder and the window's folder filter
// use the same spellings.
QStringList folderSpellings(const QString& folder);

} // namespace photosearch
