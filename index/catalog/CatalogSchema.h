#pragma once
// The catalog's tables and the steps that bring an older file up to date.
//
// The schema version lives in `PRAGMA user_version` (changed in the same
// transaction as the step that needs it); `meta` also records it together
// with `min_reader_version`, the oldest schema a PhotoSearch build may know
// and still read the file. Versions only move forward: there is no downgrade.
// An empty file is version 0, so creating a catalog is running every step.

#include <QString>

#include <vector>

namespace photosearch {

class SqliteConnection;

struct SchemaStep {
    int toVersion;  // the file's version after this step (from toVersion - 1)
    int minReader;  // min_reader_version recorded once the step is done
    void (*apply)(const SqliteConnection& connection);
};

// The steps of this build, in order: steps[i] takes version i to i + 1.
const std::vector<SchemaStep>& catalogSchemaSteps();

// Brings the file up to the last step's version, each step in its own
// IMMEDIATE transaction (so a failed step leaves the file at the previous
// version, and two processes never run the same step twice). A file newer
// than the steps is left alone if its min_reader_version allows this build to
// read it, and refused otherwise. A file with content (version > 0) is first
// copied to <name>.before-v<version>.sqlite (CatalogBackup.h); when that copy
// cannot be written nothing is upgraded. The copy is taken inside the first
// step's transaction, once the version is read again there: so it always
// holds the file at that version, never one another process has just
// upgraded. `SchemaBackup::Skip` is for a scratch file that needs no copy.
// Throws CatalogError.
enum class SchemaBackup { Take, Skip };
void upgradeCatalogSchema(const SqliteConnection& connection, const std::vector<SchemaStep>& steps,
                          SchemaBackup backup = SchemaBackup::Take);

// The version and min_reader_version stored in the file (0 and 0 when empty).
int catalogSchemaVersion(const SqliteConnection& connection);
int catalogMinReaderVersion(const SqliteConnection& connection);

} // namespace photosearch
