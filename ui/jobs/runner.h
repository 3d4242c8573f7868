#pragma once
// Where a job's `wse` runs: on this computer (the wse installed beside the explorer), with another
// wse build (e.g. one linked against a CUDA LibTorch), or on an SSH host (OpenSSH with the user's
// own config and keys; the job's files must be on a file system that both computers see under the
// same paths, as a cluster's home or project folders are). New jobs run where the Jobs dock says;
// a job keeps its runner when it is resumed.
#include <QString>
#include <QStringList>

namespace wse {

struct Runner
{
    enum class Kind { ThisComputer, Build, Ssh };
    Kind kind = Kind::ThisComputer;
    QString wse;  // Build: the executable; Ssh: the path of wse on the host (empty: wse on its PATH)
    QString host; // Ssh: [user@]host, or a Host of ~/.ssh/config

    QString describe() const; // "this computer", "wse build /opt/wse-cuda/bin/wse", "SSH host gpu-box"
    // What runs the `wse` arguments: the program and its arguments (for SSH, one remote command
    // line, each argument quoted for the host's shell). Empty program: no wse was found.
    QString program() const;
    QStringList arguments(const QStringList &wseArguments) const;
    // The same as a shell command a user can run ("ssh gpu-box wse zoo train ...").
    QString commandPrefix() const;

    QString toText() const;
    static Runner fromText(const QString &text); // this computer when unreadable
    bool operator==(const Runner &other) const { return kind == other.kind && wse == other.wse && host == other.host; }
};

// The runner of new jobs (a user setting).
Runner defaultRunner();
void setDefaultRunner(const Runner &runner);

// What a runner's wse said it has ("cpu", "cuda:0", ...: `wse devices`), as the Jobs dock last
// heard it; empty while unknown.
void rememberDevices(const Runner &runner, const QStringList &devices);
QStringList knownDevices(const Runner &runner);
// Why a job on the default runner cannot use `device` ("cuda" where it has no CUDA device), or "".
QString deviceRefusal(const QString &device);

// A word quoted for a POSIX shell when it needs it: abc stays, a b becomes 'a b'.
QString shellQuoted(const QString &word);

} // namespace wse
