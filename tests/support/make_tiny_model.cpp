// make_tiny_model DIR [SEED]
//
// Writes the tiny random CLIP of TinyModel.h into DIR: a complete model
// folder in seconds, for checks that need a model to run but not good
// answers (packaging/check-deb.sh runs the installed CLI with it).

#include "TinyModel.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    bool seedOk = true;
    const qulonglong seed = args.size() > 2 ? args[2].toULongLong(&seedOk) : 0;
    // "--help" and the like are never a folder to write a model into.
    const bool option = std::any_of(args.begin() + 1, args.end(),
                                    [](const QString& a) { return a.startsWith(QLatin1Char('-')); });
    if (args.size() < 2 || args.size() > 3 || !seedOk || option) {
        std::fprintf(stderr, "usage: make_tiny_model DIR [SEED]\n");
        return 2;
    }
    QString error;
    if (!photosearch::testmodel::writeTinyClipModel(args[1], &error, seed)) {
        std::fprintf(stderr, "make_tiny_model: %s\n", qPrintable(error));
        return 1;
    }
    return 0;
}
