#pragma once
// A job as a Slurm batch job. Where sbatch runs (here, or a login host through SSH) a small bash
// script — the follower — writes the batch script into the job's folder (beside its output:
// job.sbatch, job-id, out, err, exit-status), submits it with sbatch, and then forwards the job's
// output files as they grow: the batch job's stderr carries wse's JSON progress events, so the
// Jobs dock follows a Slurm job exactly like a local one. The job's processes are Slurm tasks
// started by srun; wse takes its rank and rendezvous from Slurm's variables (docs/distributed.md).
//
// The follower never cancels: when the explorer closes or the connection drops the Slurm job goes
// on, and the next start of the same job finds it (job-id, still queued or running) and follows it
// again instead of submitting another (one that finished meanwhile is reported as it ended). Cancel is an explicit scancel (slurmCancelCommand). A job
// Slurm ends by itself (time limit, node failure, out of memory) fails with Slurm's reason.
#include "jobs/runner.h"

#include <QString>
#include <QStringList>

namespace wse {

struct JobSpec;

// "Slurm on login1, 4 tasks on 2 nodes, 4 GPUs per node, partition gpu".
QString describeSlurm(const Runner &runner);
// What runs the job by hand from the login host: "srun --ntasks=4 --nodes=2 ... wse".
QString slurmRunPrefix(const Runner &runner);
// The #SBATCH lines of a job (the follower adds its output files).
QString slurmBatchOptions(const Runner &runner, const QString &jobName);
// bash's arguments that submit (or find again) the job in `jobFolder` and follow it.
QStringList slurmFollowArguments(const Runner &runner, const QString &jobFolder, const QStringList &wseArguments);
// The job's folder where sbatch runs: beside its output, named after it.
QString slurmJobFolder(const JobSpec &spec);
// The program and arguments that cancel the job of `jobFolder` (scancel, through SSH when remote).
QStringList slurmCancelCommand(const Runner &runner, const QString &jobFolder);

} // namespace wse
