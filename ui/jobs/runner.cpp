#include "jobs/runner.h"

#include "document/childprocesscheck.h"
#include "jobs/slurmjob.h"
#include "preferences/setting.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace wse {

namespace {

const Setting<QString> savedRunner{QStringLiteral("jobs/runner")};

const char *kindName(Runner::Kind kind)
{
    switch (kind) {
    case Runner::Kind::ThisComputer: return "this-computer";
    case Runner::Kind::Build: return "build";
    case Runner::Kind::Ssh: return "ssh";
    case Runner::Kind::Slurm: return "slurm";
    }
    return "this-computer";
}

} // namespace

QString Runner::sshClient()
{
    const QString chosen = qEnvironmentVariable("WSE_SSH"); // another client, or a stand-in in tests
    return chosen.isEmpty() ? QStringLiteral("ssh") : chosen;
}

QString shellQuoted(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=+,@%-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    return "'" + QString(word).replace("'", "'\\''") + "'";
}

QString Runner::describe() const
{
    const QString many = processes > 1 ? QObject::tr(", %1 processes").arg(processes) : QString();
    switch (kind) {
    case Kind::ThisComputer: return QObject::tr("this computer") + many;
    case Kind::Build: return QObject::tr("wse build %1").arg(wse) + many;
    case Kind::Ssh: return QObject::tr("SSH host %1").arg(host) + many;
    case Kind::Slurm: return describeSlurm(*this);
    }
    return {};
}

Runner Runner::alone() const
{
    Runner one = *this;
    one.processes = 1;
    return one;
}

namespace {
// torchrun's arguments before the program it starts. --standalone: a free port of its own;
// --redirects 1 --tee 1: Debian's torchrun 1.13 fails on Python 3.11 with the default (0).
QStringList torchrunArguments(int processes)
{
    return {"-m", "torch.distributed.run", "--standalone", "--nproc_per_node", QString::number(processes),
            "--monitor_interval", "0.1", "--redirects", "1", "--tee", "1", "--no_python"};
}
} // namespace

// The python3 with torch that runs torchrun here: $WSE_PYTHON, else python3 on the PATH.
QString localPython()
{
    const QString chosen = qEnvironmentVariable("WSE_PYTHON");
    return chosen.isEmpty() ? QStringLiteral("python3") : chosen;
}

QString Runner::program() const
{
    if (kind == Kind::Slurm)
        return remote() ? sshClient() : QStringLiteral("bash");
    if (processes > 1 && kind != Kind::Ssh)
        return localPython();
    switch (kind) {
    case Kind::ThisComputer: return wseExecutable();
    case Kind::Build: return wse;
    case Kind::Ssh: return sshClient();
    case Kind::Slurm: break;
    }
    return {};
}

QStringList Runner::arguments(const QStringList &wseArguments, const QString &jobFolder) const
{
    if (kind == Kind::Slurm) {
        const QStringList follow = slurmFollowArguments(*this, jobFolder, wseArguments);
        if (!remote())
            return follow;
        QStringList words;
        for (const QString &word : QStringList{"bash"} + follow)
            words << shellQuoted(word);
        return remoteShell(words.join(' '));
    }
    if (kind != Kind::Ssh) {
        if (processes <= 1)
            return wseArguments;
        return torchrunArguments(processes) << (kind == Kind::Build ? wse : wseExecutable()) << wseArguments;
    }
    // ssh joins its arguments into one command line for the host's shell: quote each word.
    QStringList command;
    if (processes > 1)
        for (const QString &word : QStringList{"python3"} + torchrunArguments(processes))
            command << shellQuoted(word);
    command << shellQuoted(wse.isEmpty() ? QStringLiteral("wse") : wse);
    for (const QString &argument : wseArguments)
        command << shellQuoted(argument);
    return remoteShell(command.join(' '));
}

QStringList Runner::remoteShell(const QString &commandLine) const
{
    // BatchMode: a job cannot answer a password prompt (keys or an agent are needed).
    return {"-o", "BatchMode=yes", host, "--", commandLine};
}

QString Runner::commandPrefix() const
{
    if (kind == Kind::Slurm)
        return (remote() ? "ssh " + shellQuoted(host) + " " : QString()) + slurmRunPrefix(*this);
    if (processes > 1) {
        QStringList words{kind == Kind::Ssh ? "ssh " + shellQuoted(host) + " python3" : shellQuoted(localPython())};
        words << torchrunArguments(processes) << (kind == Kind::Build ? shellQuoted(wse) : wse.isEmpty() ? QStringLiteral("wse") : shellQuoted(wse));
        return words.join(' ');
    }
    switch (kind) {
    case Kind::ThisComputer: return QStringLiteral("wse");
    case Kind::Build: return shellQuoted(wse);
    case Kind::Ssh: return "ssh " + shellQuoted(host) + " " + shellQuoted(wse.isEmpty() ? QStringLiteral("wse") : wse);
    case Kind::Slurm: break; // above
    }
    return {};
}

QString Runner::toText() const
{
    QJsonObject o{{"kind", kindName(kind)}, {"wse", wse}, {"host", host}};
    if (processes > 1)
        o["processes"] = processes;
    if (kind == Kind::Ssh || kind == Kind::Slurm) {
        o["stage"] = stage;
        o["always_copy"] = alwaysCopy;
    }
    if (kind == Kind::Slurm)
        o["slurm"] = QJsonObject{{"nodes", slurm.nodes},         {"gpus_per_node", slurm.gpusPerNode},
                                 {"cpus_per_task", slurm.cpusPerTask}, {"partition", slurm.partition},
                                 {"time", slurm.timeLimit},      {"options", slurm.options},
                                 {"setup", slurm.setup}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Runner Runner::fromText(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    Runner runner;
    for (Kind kind : {Kind::Build, Kind::Ssh, Kind::Slurm})
        if (o["kind"].toString() == kindName(kind))
            runner.kind = kind;
    runner.wse = o["wse"].toString();
    runner.host = o["host"].toString();
    runner.stage = o["stage"].toString(runner.stage);
    runner.alwaysCopy = o["always_copy"].toBool();
    runner.processes = std::clamp(o["processes"].toInt(1), 1, 1024);
    const QJsonObject slurm = o["slurm"].toObject();
    runner.slurm.nodes = std::clamp(slurm["nodes"].toInt(1), 1, 4096);
    runner.slurm.gpusPerNode = std::clamp(slurm["gpus_per_node"].toInt(0), 0, 64);
    runner.slurm.cpusPerTask = std::clamp(slurm["cpus_per_task"].toInt(0), 0, 1024);
    runner.slurm.partition = slurm["partition"].toString();
    runner.slurm.timeLimit = slurm["time"].toString();
    runner.slurm.options = slurm["options"].toString();
    runner.slurm.setup = slurm["setup"].toString();
    if ((runner.kind == Kind::Build && runner.wse.isEmpty()) || (runner.kind == Kind::Ssh && runner.host.isEmpty()))
        return {};
    return runner;
}

namespace {
struct KnownDevices
{
    QStringList names;
    QString summary;
};
// By the runner's wse and host: where copies go does not change what it computes on.
QHash<QString, KnownDevices> &devicesByRunner()
{
    static QHash<QString, KnownDevices> known;
    return known;
}
QString machineKey(const Runner &runner) { return QString::number(int(runner.kind)) + '\n' + runner.wse + '\n' + runner.host; }
} // namespace

void rememberDevices(const Runner &runner, const QStringList &devices, const QString &summary)
{
    devicesByRunner()[machineKey(runner)] = {devices, summary};
}

namespace {
// A Slurm job has what it asks for: its GPUs per node (each task uses cuda:<its local rank>).
KnownDevices slurmDevices(const Runner &runner)
{
    KnownDevices devices{{"cpu"}, runner.slurm.gpusPerNode > 0 ? QObject::tr("what the job asks Slurm for: %1 GPUs per node").arg(runner.slurm.gpusPerNode)
                                                     : QObject::tr("the nodes' CPUs (the job asks Slurm for no GPU)")};
    for (int gpu = 0; gpu < runner.slurm.gpusPerNode; ++gpu)
        devices.names << "cuda:" + QString::number(gpu);
    return devices;
}
} // namespace

QStringList knownDevices(const Runner &runner)
{
    if (runner.kind == Runner::Kind::Slurm)
        return slurmDevices(runner).names;
    return devicesByRunner().value(machineKey(runner)).names;
}

QString knownDevicesSummary(const Runner &runner)
{
    if (runner.kind == Runner::Kind::Slurm)
        return slurmDevices(runner).summary;
    return devicesByRunner().value(machineKey(runner)).summary;
}

QString deviceRefusal(const Runner &runner, const QString &device)
{
    const QStringList devices = knownDevices(runner);
    if (devices.isEmpty() || !device.startsWith("cuda"))
        return {};
    const QString wanted = device == "cuda" ? QStringLiteral("cuda:0") : device;
    if (devices.contains(wanted))
        return {};
    const bool anyCuda = std::any_of(devices.begin(), devices.end(), [](const QString &d) { return d.startsWith("cuda"); });
    return QObject::tr("The job would run on %1, which has %2: choose cpu or auto, or another runner.")
        .arg(runner.describe(), anyCuda ? QObject::tr("no device %1 (it has %2)").arg(wanted, devices.join(", "))
                                        : QObject::tr("no CUDA device"));
}

Runner defaultRunner()
{
    return Runner::fromText(savedRunner.get());
}

void setDefaultRunner(const Runner &runner)
{
    savedRunner.set(runner.toText());
}

} // namespace wse
