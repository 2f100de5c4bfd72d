#include "CliLibraryFixture.h"

#include <QtGlobal>

namespace photosearch::testlib {

QStringList CliLibraryFixture::lib(QStringList args) const
{
    args.insert(1, QStringLiteral("--library"));
    args.insert(2, library_);
    return args;
}

QStringList CliLibraryFixture::indexArgs() const
{
    return lib({QStringLiteral("index"), QStringLiteral("--model"), model_, photos_.root});
}

bool CliLibraryFixture::prepare(int photoCount)
{
    qunsetenv("PHOTOSEARCH_MODEL");
    model_ = tinyClipDir();
    if (model_.isEmpty())
        return false;
    library_ = temp_.filePath(QStringLiteral("library"));
    photos_ = generateLibrary(temp_.filePath(QStringLiteral("photos")), photoCount);
    return true;
}

} // namespace photosearch::testlib
