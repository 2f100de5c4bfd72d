// Vocabulary parsing: strict about what is not text, forgiving about
// layout (blank lines, comments, spacing, repeats).

#include "Vocabulary.h"

#include <QFile>
#include <QSet>
#include <QStringDecoder>

#include <sys/stat.h>

namespace photosearch {

namespace {

[[noreturn]] void refuse(const QString& sentence)
{
    throw VocabularyError(sentence.toStdString());
}

} // namespace

QString normalizedLabel(const QString& label)
{
    return label.simplified();
}

QStringList parseVocabulary(const QByteArray& bytes, const QString& source)
{
    const QString fix = QStringLiteral("write one label per line as plain UTF-8 text");
    if (bytes.contains('\0'))
        refuse(QStringLiteral("The vocabulary %1 is not a text file (it holds NUL bytes); %2.").arg(source, fix));
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError())
        refuse(QStringLiteral("The vocabulary %1 is not UTF-8 text; %2.").arg(source, fix));

    QStringList labels;
    QSet<QString> seen;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString label = normalizedLabel(lines[i]);
        if (label.isEmpty() || label.startsWith(QLatin1Char('#')))
            continue;
        if (label.size() > kMaxLabelLength)
            refuse(QStringLiteral("Line %1 of the vocabulary %2 is %3 characters long; a tag is a short label "
                                  "(at most %4 characters), so %5.")
                       .arg(QString::number(i + 1), source, QString::number(label.size()),
                            QString::number(kMaxLabelLength), fix));
        const QString folded = label.toCaseFolded();
        if (seen.contains(folded))
            continue;
        seen.insert(folded);
        labels << label;
        if (labels.size() > kMaxVocabularySize)
            refuse(QStringLiteral("The vocabulary %1 has more than %2 labels; split it or keep the tags you use.")
                       .arg(source, QString::number(kMaxVocabularySize)));
    }
    if (labels.isEmpty())
        refuse(QStringLiteral("The vocabulary %1 holds no label; %2.").arg(source, fix));
    return labels;
}

QStringList readVocabularyFile(const QString& path)
{
    QFile file(path);
    // By type before opening: opening a FIFO waits for a writer, for ever.
    struct stat st {};
    const bool found = ::stat(QFile::encodeName(path).constData(), &st) == 0; // else open() names the problem
    if (found && S_ISDIR(st.st_mode))
        refuse(QStringLiteral("The vocabulary %1 is a folder; give a text file with one label per line.").arg(path));
    if (found && !S_ISREG(st.st_mode))
        refuse(QStringLiteral("The vocabulary %1 is not a regular file (a pipe, device or socket); give a text file "
                              "with one label per line.")
                   .arg(path));
    if (!file.open(QIODevice::ReadOnly))
        refuse(QStringLiteral("Cannot read the vocabulary %1 (%2); check the path.").arg(path, file.errorString()));
    if (file.size() > kMaxVocabularyFileBytes)
        refuse(QStringLiteral("The vocabulary %1 is %2 bytes; a vocabulary is a short text file (at most %3 bytes), "
                              "check that this is the right file.")
                   .arg(path, QString::number(file.size()), QString::number(kMaxVocabularyFileBytes)));
    return parseVocabulary(file.readAll(), path);
}

QStringList defaultVocabulary()
{
    static const QStringList labels = [] {
        QFile file(QStringLiteral(":/photosearch/vocabulary/default.txt"));
        // Compiled into the binary: failing to open it is a build error.
        const bool opened = file.open(QIODevice::ReadOnly);
        Q_ASSERT_X(opened, "defaultVocabulary", "resource missing from the build");
        return opened ? parseVocabulary(file.readAll(), file.fileName()) : QStringList();
    }();
    return labels;
}

} // namespace photosearch
