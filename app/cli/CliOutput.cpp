#include "CliArgs.h"
#include "Commands.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <cstdio>

namespace photosearch::cli {

void printJsonLine(const QJsonObject& object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

void reportNotInLibrary(const QString& path)
{
    const QString error =
        QStringLiteral("%1 is not in the library; index its folder first (photosearch-cli index FOLDER).").arg(path);
    std::fprintf(stderr, "photosearch-cli: %s\n", qPrintable(error));
    printJsonLine(QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("error"), error}});
}

int reportUsageError(const UsageError& error)
{
    // One line (DESIGN.md): the error stays visible, and scripts can log it.
    // The usage itself is for --help and a bare `photosearch-cli`.
    std::fprintf(stderr, "photosearch-cli: %s (photosearch-cli --help shows the usage)\n", error.what());
    return 2;
}

int reportError(const std::exception& error)
{
    // ModelError, ImageError and device errors carry a sentence meant for the user.
    std::fprintf(stderr, "photosearch-cli: %s\n", error.what());
    return 1;
}

// Qt decodes argv as UTF-8 and replaces bytes it cannot decode, so a file
// whose name is not UTF-8 would be looked for under another name and be
// "missing". Such an argument is refused up front with what to do; the
// indexer records such files with the same advice (FolderScanner).
// Returns the sentence, or an empty string when every argument is UTF-8.
QString nonUtf8ArgumentError(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = decoder.decode(QByteArrayView(argv[i])); // decodes (lazily converted)
        Q_UNUSED(text);
        if (!decoder.hasError())
            continue;
        QString escaped; // the bytes as the shell's $'...' would give them
        for (const char c : QByteArrayView(argv[i]))
            escaped += uchar(c) >= 0x80 || uchar(c) < 0x20 ? QStringLiteral("\\x%1").arg(uchar(c), 2, 16, QLatin1Char('0'))
                                                           : QString(QLatin1Char(c));
        return QStringLiteral("The argument %1 is a name that is not valid UTF-8, which PhotoSearch cannot open; "
                              "rename the file (for example with convmv) and run again.")
            .arg(escaped);
    }
    return {};
}

} // namespace photosearch::cli
