#pragma once
// The dialogs that ask where a runner is: an SSH host, a Slurm cluster. Each edits `runner` in
// place and returns false when the user cancelled.
#include "jobs/runner.h"

class QWidget;

namespace wse {

// [user@]host, wse's path there, where copies go, whether always to copy.
bool askSshHost(QWidget *parent, Runner &runner);
// Where sbatch runs (here or a login host), wse there, what the job asks for (nodes, GPUs and CPUs,
// partition, time limit, more sbatch options) and setup lines run before it.
bool askSlurm(QWidget *parent, Runner &runner);

} // namespace wse
