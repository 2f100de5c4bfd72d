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
    // Only photos under this folder (absolute, cleaned), at any depth.
    QString folder;
    // Only these formats (as in PhotoRecord::format); empty = any.
    QStringList formats;

    bool isEmpty() const
    {
        return !after.isValid() && !before.isValid() && folder.isEmpty() && formats.isEmpty();
    }
};

} // namespace photosearch
