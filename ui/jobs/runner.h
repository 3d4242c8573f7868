#pragma once
// Where a job's `wse` runs: on this computer (the wse installed beside the explorer), with another
// wse build (e.g. one linked against a CUDA LibTorch), on an SSH host (OpenSSH with the user's
// own config and keys), or as a Slurm batch job submitted here or on a login host through SSH
// (jobs/slurmjob.h). On an SSH host a job uses its files in place when the host sees them under
// the same paths (a cluster's shared home or project folders); otherwise they are copied up to a
// folder there and the results copied back (jobs/remotestaging.h). New jobs run where their dialog
// says, by default where the Jobs dock says; a job keeps its runner when it is resumed.
#include <QString>
#include <QStringList>

namespace wse {

struct Runner
{
    enum class Kind { ThisComputer, Build, Ssh, Slurm };
    Runner(Kind kind = Kind::ThisComputer, QString wse = {}, QString host = {})
        : kind(kind), wse(std::move(wse)), host(std::move(host)) {}
    Kind kind = Kind::ThisComputer;
    QString wse;  // Build: the executable; Ssh, Slurm: the path of wse there (empty: wse on its PATH)
    QString host; // Ssh: [user@]host, or a Host of ~/.ssh/config; Slurm: the login host (empty: here)
    // Ssh: the folder on the host that copies go to (relative: to the login's home folder), and
    // whether to copy even files the host sees in place (e.g. to work on a node's fast local disk).
    QString stage = QStringLiteral("wse-jobs");
    bool alwaysCopy = false;
    // More than one: the job's wse runs as that many processes under torchrun (PyTorch's launcher,
    // python3 -m torch.distributed.run), each taking a share (docs/distributed.md).
    int processes = 1;
    // Slurm: what the batch job asks for (sbatch's options) and shell lines run before it starts
    // (e.g. `module load cuda`). Its processes are Slurm tasks, started by srun.
    struct Slurm
    {
        int nodes = 1;
        int gpusPerNode = 0;
        int cpusPerTask = 0; // 0: the cluster's default
        QString partition, timeLimit, options, setup;
    } slurm;

    bool remote() const { return !host.isEmpty() && (kind == Kind::Ssh || kind == Kind::Slurm); }

    // "this computer", "wse build /opt/wse-cuda/bin/wse", "SSH host gpu-box", each with ", 4 processes".
    QString describe() const;
    Runner alone() const; // the same place, one process (questions such as `wse devices`)
    // What runs the `wse` arguments: the program and its arguments (for SSH, one remote command
    // line, each argument quoted for the host's shell). Empty program: no wse was found.
    QString program() const;
    // Slurm: `jobFolder` holds the batch script, the job's id and its output (jobs/slurmjob.h).
    QStringList arguments(const QStringList &wseArguments, const QString &jobFolder = {}) const;
    // The same as a shell command a user can run ("ssh gpu-box wse zoo train ...", "srun -n 4 wse ...").
    QString commandPrefix() const;
    // remote(): ssh's arguments that run `commandLine` (already quoted for the host's shell) there.
    QStringList remoteShell(const QString &commandLine) const;
    // The program that runs remoteShell()'s arguments: OpenSSH's client ($WSE_SSH when set).
    static QString sshClient();

    QString toText() const;
    static Runner fromText(const QString &text); // this computer when unreadable
    bool operator==(const Runner &other) const { return toText() == other.toText(); }
};

// The runner of new jobs (a user setting).
Runner defaultRunner();
void setDefaultRunner(const Runner &runner);

// What a runner's wse said it has (`wse devices`): the device names ("cpu", "cuda:0", ...) and a
// line for people ("cpu 16 threads · cuda:0 NVIDIA H100 80GB HBM3 (79.1 GiB)"), as last heard in
// this session; empty while unknown.
void rememberDevices(const Runner &runner, const QStringList &devices, const QString &summary);
QStringList knownDevices(const Runner &runner);
QString knownDevicesSummary(const Runner &runner);
// Why a job on `runner` cannot use `device` ("cuda" where it has no CUDA device), or "".
QString deviceRefusal(const Runner &runner, const QString &device);

// A word quoted for a POSIX shell when it needs it: abc stays, a b becomes 'a b'.
QString shellQuoted(const QString &word);

} // namespace wse
