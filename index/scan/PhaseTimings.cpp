#include "PhaseTimings.h"

#include <QByteArray>
#include <QFile>
#include <QtGlobal>

#include <cstdio>
#include <ctime>

#include <unistd.h>

namespace photosearch {

bool phaseTimingsOn()
{
    static const bool on = qEnvironmentVariableIntValue("PHOTOSEARCH_TIMINGS") != 0;
    return on;
}

double secondsSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    // Field 22, counted after the command name's closing parenthesis (the name may hold spaces).
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    timespec now{};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    const double started = fields[19].toDouble() / double(::sysconf(_SC_CLK_TCK));
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9 - started;
}

void logPhase(const char* phase, double seconds)
{
    if (phaseTimingsOn())
        std::fprintf(stderr, "timing: %-34s %7.3f s (at %.2f s)\n", phase, seconds, secondsSinceProcessStart());
}

} // namespace photosearch
