#pragma once
// `search` and `similar` without LibTorch, for the CLI's front
// (LauncherMain.cpp): loading LibTorch's ~300 shared libraries and running
// their static initialisers takes ~0.5 s before main(), longer than the rest
// of a search whose query embedding the catalog has cached (the usual case:
// queries are repeated). Whatever needs the model — a text not cached yet,
// an image that is not a photo of the library as indexed, --device or
// --dtype, a library without vectors of the model — throws NeedsFullCli
// (SearchCommand.h) before anything is written to stdout.

#include <QStringList>

namespace photosearch::cli {

int quickSearchCommand(const QStringList& args);
int quickSimilarCommand(const QStringList& args);

} // namespace photosearch::cli
