#pragma once
// The set-up the photosearch-cli library suites share: a temporary folder
// holding a generated photo tree and the library made from it, and the tiny
// CLIP model to index it with. A suite inherits it after QObject so that its
// test bodies keep naming temp_, library_, model_, photos_ and lib() directly.

#include "GeneratedLibrary.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace photosearch::testlib {

class CliLibraryFixture {
protected:
    QTemporaryDir temp_;
    QString model_;
    QString library_;
    GeneratedLibrary photos_;

    // `args` (a command word first) run against this suite's library.
    QStringList lib(QStringList args) const;

    // The command that indexes the generated photos into the library with
    // the tiny model; the suites run it, so that its output is theirs to check.
    QStringList indexArgs() const;

    // Clears $PHOTOSEARCH_MODEL (each test says where its model comes from),
    // then finds the tiny model and generates `photoCount` photos. False when
    // the model cannot be written: the caller fails the suite (QFAIL must
    // stand in the test function itself to stop it).
    bool prepare(int photoCount);
};

} // namespace photosearch::testlib
