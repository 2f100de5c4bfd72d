// Every input the fuzz targets (tests/fuzz, packaging/fuzz.sh) found to
// crash, hang or misbehave, replayed through the same call as its target:
// tests/fuzz/regressions/<target>-<what>, with <target> one of image,
// metadata, query, tokenizer, config, safetensors. Each must end normally
// (or with the parser's documented exception). Findings whose bug shows only
// under a sanitizer (packaging/sanitize.sh runs this suite with ASan and
// UBSan) also get a direct check below that fails in an ordinary build.

// LibTorch before Qt (Qt's `slots` macro breaks LibTorch headers).
#include "ClipConfig.h"
#include "ClipTokenizer.h"
#include "ImagePreprocessor.h"
#include "Json.h"
#include "ModelError.h"
#include "SafeTensors.h"

#include "ImageDecoder.h"
#include "PhotoMetadata.h"
#include "QueryParser.h"
#include "TinyModel.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace photosearch;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private:
    QTemporaryDir temp_;
    QString model_; // the tiny model: its vocabulary for the tokenizer cases

    // The fuzz targets' calls, input for input (see tests/fuzz/fuzz_*.cpp).
    void replayImage(const QByteArray& input)
    {
        DecodeTarget target;
        if (uchar(input[0]) % 3 == 1)
            target = DecodeTarget::shortestSide(224);
        else if (uchar(input[0]) % 3 == 2)
            target = DecodeTarget::fitInto(QSize(64, 64));
        try {
            const DecodedImage decoded = ImageDecoder::decode(input.mid(1), QStringLiteral("fuzz"), target);
            QCOMPARE(decoded.image.format(), QImage::Format_RGB888);
        } catch (const ImageError&) {
        }
    }

    void replayQuery(const QByteArray& input)
    {
        const QDate today = QDate(2024, 2, 29).addDays(int(uchar(input[0])) * 37 - 4000);
        const ParsedQuery query = parseQuery(QString::fromUtf8(input.mid(1)), today,
                                             [](const QString& p) { return p.endsWith(QLatin1String(".jpg")); });
        describe(query);
        for (const QueryTerm& term : query.terms)
            QVERIFY(term.weight != 0 && std::abs(term.weight) <= kMaxWeight);
    }

    void replayTokenizer(const QByteArray& input)
    {
        const ClipTokenizer tokenizer = ClipTokenizer::fromDirectory(model_);
        if (uchar(input[0]) == 0xFF) {
            const QString merges = temp_.filePath(QStringLiteral("merges.txt"));
            QVERIFY(writeAll(merges, input.mid(1)));
            try {
                ClipTokenizer(QDir(model_).filePath(QStringLiteral("vocab.json")), merges).encode(QStringLiteral("a dog"));
            } catch (const clip::ModelError&) {
            }
            return;
        }
        const std::vector<int64_t> ids = tokenizer.encode(QString::fromUtf8(input.mid(1)), uchar(input[0]));
        QVERIFY(ids.size() >= 2 && ids.size() <= std::max<size_t>(2, uchar(input[0])));
    }

    void replayConfig(const QByteArray& input)
    {
        try {
            clip::ClipConfig::fromJson(clip::Json::parse(std::string_view(input.constData(), size_t(input.size()))),
                                       "config.json");
        } catch (const clip::JsonError&) {
        } catch (const clip::ModelError&) {
        }
        const QString dir = temp_.filePath(QStringLiteral("config"));
        QDir().mkpath(dir);
        QVERIFY(writeAll(QDir(dir).filePath(QStringLiteral("preprocessor_config.json")), input));
        try {
            PreprocessConfig::fromModelDirectory(dir, 224);
        } catch (const clip::ModelError&) {
        }
    }

    void replaySafetensors(const QByteArray& input)
    {
        const QString path = temp_.filePath(QStringLiteral("replay.safetensors"));
        QVERIFY(writeAll(path, input));
        try {
            const clip::SafeTensorsFile file(path.toStdString());
            for (const auto& [name, info] : file.tensors()) {
                try {
                    file.load(name, info.shape);
                } catch (const clip::ModelError&) {
                }
            }
        } catch (const clip::ModelError&) {
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(temp_.isValid());
        model_ = temp_.filePath(QStringLiteral("model"));
        QString error;
        QVERIFY2(testmodel::writeTinyClipModel(model_, &error), qPrintable(error));
        ImageDecoder::raiseAllocationLimit();
    }

    void replay_data()
    {
        QTest::addColumn<QString>("file");
        const QDir dir(QStringLiteral(PHOTOSEARCH_FUZZ_REGRESSIONS));
        const QStringList files = dir.entryList(QDir::Files, QDir::Name);
        QVERIFY2(!files.isEmpty(), PHOTOSEARCH_FUZZ_REGRESSIONS); // the suite must replay something
        for (const QString& f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }
    void replay()
    {
        QFETCH(QString, file);
        const QByteArray input = readAll(file);
        const QString name = QFileInfo(file).fileName();
        const QString target = name.section(QLatin1Char('-'), 0, 0);
        if (input.isEmpty())
            QSKIP("empty input: the targets return at once");
        if (target == QLatin1String("image"))
            replayImage(input);
        else if (target == QLatin1String("metadata"))
            readPhotoMetadata(input);
        else if (target == QLatin1String("query"))
            replayQuery(input);
        else if (target == QLatin1String("tokenizer"))
            replayTokenizer(input);
        else if (target == QLatin1String("config"))
            replayConfig(input);
        else if (target == QLatin1String("safetensors"))
            replaySafetensors(input);
        else
            QFAIL(qPrintable(QStringLiteral("%1: no fuzz target named %2").arg(name, target)));
    }

    // image-bmp-huge-dimensions: the BMP truncation check multiplied the
    // header's row size by its height in 64 bits, which overflows for
    // 2147483647 x 2147483647 at 32 bits per pixel; the wrapped product was
    // negative, so a 64-byte file passed as complete. Now it is truncated.
    void bmpHeaderDimensionsDoNotOverflow()
    {
        QByteArray bmp(64, '\0');
        auto* p = reinterpret_cast<uchar*>(bmp.data());
        p[0] = 'B';
        p[1] = 'M';
        qToLittleEndian<quint32>(quint32(bmp.size()), p + 2);
        qToLittleEndian<quint32>(54, p + 10);         // pixel data offset
        qToLittleEndian<quint32>(40, p + 14);         // BITMAPINFOHEADER
        qToLittleEndian<qint32>(2147483647, p + 18);  // width
        qToLittleEndian<qint32>(2147483647, p + 22);  // height
        qToLittleEndian<quint16>(1, p + 26);          // planes
        qToLittleEndian<quint16>(32, p + 28);         // bits per pixel
        try {
            ImageDecoder::decode(bmp, QStringLiteral("huge.bmp"));
            QFAIL("a 64-byte BMP claiming 2147483647x2147483647 pixels was decoded");
        } catch (const ImageError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("truncated")), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
