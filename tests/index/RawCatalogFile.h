#pragma once
// Reading and damaging catalog files behind the catalog code's back, for the
// suites that test what that code does with damaged files.

#include <QByteArray>
#include <QString>

namespace photosearch::rawfile {

// One value from a query on `file` through a plain read-only connection; -1 when it fails.
qint64 rawInteger(const QString& file, const char* sql);

// Runs SQL on `file` with a plain connection; false when it fails. With
// `keepWal` the connection leaves its WAL beside the file instead of
// checkpointing it on close.
bool rawExec(const QString& file, const char* sql, bool keepWal = false);

// "ok" when SQLite's integrity_check finds `file` sound, else its first finding.
QString integrity(const QString& file);

QByteArray fileBytes(const QString& path);
bool writeBytes(const QString& path, qint64 offset, const QByteArray& bytes);

} // namespace photosearch::rawfile
