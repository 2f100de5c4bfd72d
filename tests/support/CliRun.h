#pragma once
// Runs photosearch-cli (the path the including test was built with, as
// PHOTOSEARCH_CLI) and collects what it printed.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>

#include <csignal>

#include <sys/resource.h>

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

// Starts the CLI in `p` (already set up) and collects what it printed.
inline Run finishCli(QProcess& p, const QStringList& args, int timeoutMs)
{
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

inline Run runCli(const QStringList& args, int timeoutMs = 300000)
{
    QProcess p;
    return finishCli(p, args, timeoutMs);
}

// The CLI with every file it writes limited to `limitBytes` (RLIMIT_FSIZE):
// a full disk that also works as root.
inline Run runCliWithFileLimit(const QStringList& args, qint64 limitBytes, int timeoutMs = 300000)
{
    QProcess p;
    p.setChildProcessModifier([limitBytes] {
        // In the child between fork and exec: only async-signal-safe calls.
        // An ignored SIGXFSZ stays ignored across exec, so writes past the
        // limit fail with EFBIG instead of killing the CLI.
        ::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limit {};
        limit.rlim_cur = limit.rlim_max = rlim_t(limitBytes);
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    return finishCli(p, args, timeoutMs);
}

} // namespace photosearch::testcli
