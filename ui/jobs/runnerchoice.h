#pragma once
// Where a job runs — this computer, another wse build (a file), an SSH host (wse's path there,
// and where copies of files go when the host does not see them) or a Slurm cluster — with the devices that runner's
// wse has (`wse devices`). At the head of the Jobs dock it sets the default for new jobs; in a job
// dialog it chooses for that job only, starting from the default.
#include "jobs/runner.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QProcess;
class QSpinBox;

namespace wse {

class RunnerChoice : public QWidget
{
    Q_OBJECT

public:
    enum class Scope { NewJobs, OneJob };
    explicit RunnerChoice(Scope scope = Scope::NewJobs, QWidget *parent = nullptr);
    ~RunnerChoice() override; // stops a question still running
    // Chooses a runner without asking (scripts, tests); for new jobs it becomes the default.
    void choose(const Runner &runner);
    const Runner &runner() const { return mRunner; }

Q_SIGNALS:
    void runnerChanged(const wse::Runner &runner);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showChoice(bool askDevices);
    void picked(int index); // asks for the build or the host
    void probeDevices(const Runner &runner);
    void stopProbe();
    void showDevices(const QString &text, bool problem);

    Scope mScope;
    Runner mRunner;
    QComboBox *mBox;
    QLabel *mNote, *mFiles;
    QSpinBox *mProcesses;
    QProcess *mProbe = nullptr;
    bool mAsked = false; // the runner's devices were asked for
};

} // namespace wse
