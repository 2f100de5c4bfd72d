#pragma once
// Runs photosearch-cli (the path the including test was built with, as
// PHOTOSEARCH_CLI) and collects what it printed.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>

namespace photosearch::testcli {

struct Run {
    int exitCode = -1; // -1: crashed or timed out
    QByteArray out;
    QByteArray err;

    // stdout as JSON objects, one per line; a line that is not one is
    // reported and read as an empty object.
    QList<QJsonObject> lines() const
    {
        QList<QJsonObject> objects;
        for (const QByteArray& line : out.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError e{};
            const QJsonDocument doc = QJsonDocument::fromJson(line, &e);
            if (e.error != QJsonParseError::NoError || !doc.isObject())
                qWarning("not a JSON object line: %s", line.constData());
            objects << doc.object();
        }
        return objects;
    }
};

inline Run runCli(const QStringList& args, int timeoutMs = 300000)
{
    QProcess p;
    p.start(QStringLiteral(PHOTOSEARCH_CLI), args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace photosearch::testcli
