#pragma once
// The head of the Jobs dock: where new jobs run — this computer, another wse build (a file), or an
// SSH host (and wse's path there) — kept as the user's default (jobs/runner.h), with the devices
// that runner's wse has (`wse devices`).
#include "jobs/runner.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QProcess;

namespace wse {

class RunnerChoice : public QWidget
{
    Q_OBJECT

public:
    explicit RunnerChoice(QWidget *parent = nullptr);
    ~RunnerChoice() override; // stops a question still running
    // Chooses a runner without asking (scripts, tests) and makes it the default.
    void choose(const Runner &runner);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showChoice(bool askDevices);
    void picked(int index); // asks for the build or the host
    void probeDevices(const Runner &runner);
    void stopProbe();

    QComboBox *mBox;
    QLabel *mNote;
    QProcess *mProbe = nullptr;
    bool mAsked = false; // the runner's devices were asked for
};

} // namespace wse
