#include "common/pythonoracle.h"

#include <QProcess>

#include <stdexcept>

namespace wse::test {

QString runPython(const QString &script, const QStringList &arguments)
{
    QProcess process;
    process.start("/usr/bin/python3", QStringList{"-c", script} + arguments);
    if (!process.waitForFinished(300000))
        throw std::runtime_error("python3 did not finish");
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw std::runtime_error("python3 failed: " + process.readAllStandardError().toStdString());
    return QString::fromUtf8(process.readAllStandardOutput());
}

bool pythonHas(const QString &module)
{
    QProcess process;
    process.start("/usr/bin/python3", {"-c", "import " + module});
    return process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace wse::test
