// Reads the compiled-in known-model list (resources/models/known-models.json)
// once; the result is immutable, so any thread may read it. A broken resource
// is a build mistake: logged, and the list is then empty rather than a crash.

#include "KnownModels.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace photosearch {
namespace {

KnownModel parseModel(const QJsonObject& o)
{
    KnownModel m;
    m.repo = o.value(QLatin1String("repo")).toString();
    m.revision = o.value(QLatin1String("revision")).toString(QStringLiteral("main"));
    m.name = o.value(QLatin1String("name")).toString(m.repo);
    m.description = o.value(QLatin1String("description")).toString();
    m.approxBytes = qint64(o.value(QLatin1String("approxBytes")).toDouble());
    m.recommended = o.value(QLatin1String("recommended")).toBool();
    for (const QJsonValue& f : o.value(QLatin1String("files")).toArray())
        m.files << f.toString();
    const QJsonObject pins = o.value(QLatin1String("sha256")).toObject();
    for (auto it = pins.begin(); it != pins.end(); ++it)
        m.pinnedSha256.insert(it.key(), it.value().toString().toLower());
    return m;
}

std::vector<KnownModel> readKnownModels()
{
    QFile f(QStringLiteral(":/photosearch/models/known-models.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        qWarning("known models: the compiled-in list is missing");
        return {};
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (error.error != QJsonParseError::NoError) {
        qWarning("known models: %s", qPrintable(error.errorString()));
        return {};
    }
    std::vector<KnownModel> models;
    for (const QJsonValue& v : doc.object().value(QLatin1String("models")).toArray()) {
        KnownModel m = parseModel(v.toObject());
        if (!m.repo.isEmpty() && !m.files.isEmpty())
            models.push_back(std::move(m));
    }
    // The first-run page offers the first entry as the default.
    std::stable_partition(models.begin(), models.end(), [](const KnownModel& m) { return m.recommended; });
    return models;
}

} // namespace

const std::vector<KnownModel>& knownModels()
{
    static const std::vector<KnownModel> models = readKnownModels(); // thread-safe static init
    return models;
}

const KnownModel* findKnownModel(const QString& repo)
{
    for (const KnownModel& m : knownModels()) {
        if (m.repo == repo)
            return &m;
    }
    return nullptr;
}

} // namespace photosearch
