#pragma once
// How the window names library folders in short lists (the sidebar's
// "Folders" section, the filter bar's folder menu): by the folder's own name,
// since that is what tells folders apart, unless two of them share it; then
// by the path, "~/Trips/2024" rather than "/home/ann/Trips/2024".
//
// Thread rule: pure functions on strings (no disk access); any thread.

#include <QString>
#include <QStringList>

namespace photosearch {

// The path with the home folder written "~" and native separators.
QString folderPathLabel(const QString& path);

// One label per path, in the same order: the folder's name, or
// folderPathLabel() when the name is empty ("/") or shared with another path.
QStringList folderLabels(const QStringList& paths);

} // namespace photosearch
