#include "jobs/slurmjob.h"

#include "jobs/jobspec.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace wse {

namespace {

// The follower (see slurmjob.h). Arguments: the job's folder, its #SBATCH lines, the setup lines,
// then the wse command's words. It prints the job's stdout on its stdout and the job's stderr
// (wse's events) on its stderr; its exit status is srun's. It uses sbatch and squeue, never scancel.
const char *const FollowerScript = R"BASH(
set -u
folder=$1 options=$2 setup=$3
shift 3
mkdir -p "$folder" && cd "$folder" || exit 1
say() { printf '%s\n' "$1" >&2; }
event() { printf '{"event":"%s","fraction":0,"stage":"%s","message":"%s"}\n' "$1" "$2" "$2" >&2; }
# The job's state and reason ("RUNNING|None"); fails when Slurm no longer knows the job.
state_of() { squeue -h -t all -j "$1" -o '%T|%r' 2>&1; }
ended() { case ${1%%|*} in ""|PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|REQUEUE_*|RESIZING|SIGNALING|STAGE_OUT) return 1;; esac; }

id=
if [ -s job-id ]; then
    previous=$(cat job-id)
    if state=$(state_of "$previous") && [ -n "$state" ] && ! ended "$state"; then
        id=$previous
        event progress "following Slurm job $id again (${state%%|*})"
    elif [ "$(cat exit-status 2>/dev/null)" = 0 ]; then # it finished while nobody followed it
        cat out
        cat err >&2
        exit 0
    fi
fi
if [ -z "$id" ]; then
    rm -f job-id exit-status out err
    {
        printf '#!/bin/bash\n%s\n' "$options"
        printf '%s\n' "$setup"
        # Threads per task: what Slurm gave it (torch would otherwise count the whole node's cores).
        printf 'export OMP_NUM_THREADS=${OMP_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}\n'
        printf 'srun --kill-on-bad-exit=1 ${SLURM_CPUS_PER_TASK:+--cpus-per-task=$SLURM_CPUS_PER_TASK}'
        printf ' %q' "$@"
        printf '\nstatus=$?\necho $status > %q/exit-status.part && mv %q/exit-status.part %q/exit-status\nexit $status\n' "$PWD" "$PWD" "$PWD"
    } > job.sbatch.part && mv job.sbatch.part job.sbatch || exit 1
    : > out; : > err
    # The output files on sbatch's command line (an #SBATCH line ends at a space in a path), with
    # each % doubled (it would start one of Slurm's filename patterns).
    id=$(sbatch --parsable --chdir="$PWD" --output="${PWD//%/%%}/out" --error="${PWD//%/%%}/err" job.sbatch) || exit 1
    id=${id%%;*}
    echo "$id" > job-id
    event progress "submitted as Slurm job $id"
fi

declare -A sent=([out]=0 [err]=0)
forward() { # what $1 gained since last time
    local size
    size=$(stat -c %s "$1" 2>/dev/null) || return 0
    if [ "$size" -gt "${sent[$1]}" ]; then
        tail -c +$((sent[$1] + 1)) "$1" | head -c $((size - sent[$1]))
        sent[$1]=$size
    fi
}
last= state= silent=0 tick=0
while :; do
    forward out
    forward err >&2
    [ -f exit-status ] && break
    if [ $((tick % 5)) -eq 0 ]; then # Slurm is asked every 5 s, the files read every second
        if state=$(state_of "$id"); then
            silent=0
            [ -n "$state" ] || state="GONE|"
            ended "$state" && break
            case $state in PENDING*|CONFIGURING*) [ "$state" != "$last" ] && event progress "Slurm job $id ${state%%|*} (${state#*|})";; esac
            last=$state
        elif [[ $state == *"Invalid job id"* ]]; then
            state="GONE|"
            break
        elif [ $((silent += 1)) -ge 24 ]; then
            say "squeue has not answered for 2 minutes: $state"
            exit 1
        fi
    fi
    tick=$((tick + 1))
    printf '\n' >&2 # a closed connection ends the follower here (the job goes on)
    sleep 1
done
# A shared file system may show the last words a little later than Slurm says the job ended.
for wait in 1 2 3 4 5; do [ -f exit-status ] && break; case ${state%%|*} in COMPLETED|FAILED|GONE) sleep 1;; *) break;; esac; done
forward out
forward err >&2
[ -f exit-status ] && exit "$(cat exit-status)"
case ${state%%|*} in
    CANCELLED) printf '{"event":"cancelled"}\n' >&2; exit 143;;
    TIMEOUT) event error "Slurm stopped job $id at its time limit: what was finished is kept, Resume continues (a longer time limit helps)";;
    OUT_OF_MEMORY) event error "Slurm stopped job $id: out of memory (ask for more with --mem in the sbatch options)";;
    GONE) event error "Slurm no longer knows job $id and it left no exit status in $PWD";;
    *) reason=${state#*|}; case $reason in ""|None) reason=;; *) reason=" ($reason)";; esac
       event error "Slurm job $id ended ${state%%|*}$reason";;
esac
exit 1
)BASH";

} // namespace

QString describeSlurm(const Runner &runner)
{
    const Runner::Slurm &slurm = runner.slurm;
    QString text = runner.remote() ? QObject::tr("Slurm on %1").arg(runner.host) : QObject::tr("Slurm");
    text += runner.processes == 1 ? QObject::tr(", 1 task") : QObject::tr(", %1 tasks").arg(runner.processes);
    if (slurm.nodes > 1)
        text += QObject::tr(" on %1 nodes").arg(slurm.nodes);
    if (slurm.gpusPerNode > 0)
        text += slurm.gpusPerNode == 1 ? QObject::tr(", 1 GPU per node") : QObject::tr(", %1 GPUs per node").arg(slurm.gpusPerNode);
    if (!slurm.partition.isEmpty())
        text += QObject::tr(", partition %1").arg(slurm.partition);
    return text;
}

namespace {
// sbatch's and srun's options for what the job asks for.
QStringList resourceOptions(const Runner &runner)
{
    const Runner::Slurm &slurm = runner.slurm;
    QStringList options{"--ntasks=" + QString::number(runner.processes), "--nodes=" + QString::number(slurm.nodes)};
    if (slurm.cpusPerTask > 0)
        options << "--cpus-per-task=" + QString::number(slurm.cpusPerTask);
    if (slurm.gpusPerNode > 0)
        options << "--gpus-per-node=" + QString::number(slurm.gpusPerNode);
    if (!slurm.partition.isEmpty())
        options << "--partition=" + slurm.partition;
    if (!slurm.timeLimit.isEmpty())
        options << "--time=" + slurm.timeLimit;
    for (const QString &option : slurm.options.split(QRegularExpression("\\s+"), Qt::SkipEmptyParts))
        options << option;
    return options;
}
} // namespace

QString slurmRunPrefix(const Runner &runner)
{
    QStringList words{"srun"};
    for (const QString &option : resourceOptions(runner))
        words << shellQuoted(option);
    words << (runner.wse.isEmpty() ? QStringLiteral("wse") : shellQuoted(runner.wse));
    return words.join(' ');
}

QString slurmBatchOptions(const Runner &runner, const QString &jobName)
{
    QStringList lines{"#SBATCH --job-name=" + jobName};
    for (const QString &option : resourceOptions(runner))
        lines << "#SBATCH " + option;
    return lines.join('\n');
}

QStringList slurmFollowArguments(const Runner &runner, const QString &jobFolder, const QStringList &wseArguments)
{
    const QString name = "wse-" + (wseArguments.isEmpty() ? QStringLiteral("job") : wseArguments.first());
    return QStringList{"-c", FollowerScript, "wse-slurm", jobFolder, slurmBatchOptions(runner, name), runner.slurm.setup,
                       runner.wse.isEmpty() ? QStringLiteral("wse") : runner.wse} +
           wseArguments;
}

QString slurmJobFolder(const JobSpec &spec)
{
    const QFileInfo output(spec.output);
    const QString folder = output.path() == "." && !spec.output.startsWith("./") ? QString() : output.path() + "/";
    return folder + ".wse-slurm-" + output.fileName();
}

QStringList slurmCancelCommand(const Runner &runner, const QString &jobFolder)
{
    const QString script = QStringLiteral("cd %1 && scancel \"$(cat job-id)\"").arg(shellQuoted(jobFolder));
    if (runner.remote())
        return QStringList{Runner::sshClient()} + runner.remoteShell(script);
    return {"bash", "-c", script};
}

} // namespace wse
