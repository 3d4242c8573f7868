#!/usr/bin/env bash
# A private one-node Slurm cluster for tests: munged and slurmctld/slurmd on 127.0.0.1 with free
# ports, every file under DIR, run as the current user. Prints the slurm.conf to put in SLURM_CONF.
#   slurm-cluster.sh start DIR   -> exit 77 (skip) when Slurm's daemons are not installed
#   slurm-cluster.sh stop DIR
set -euo pipefail
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
stop() {
    for daemon in slurmd slurmctld munged; do
        [ -s "$dir/$daemon.pid" ] && kill "$(cat "$dir/$daemon.pid")" 2> /dev/null || true
    done
    sleep 0.5
}
if [ "$action" = stop ]; then stop; exit 0; fi
for program in munged slurmctld slurmd sbatch squeue scancel srun; do
    command -v "$program" > /dev/null || { echo "SKIP: $program is not installed (slurmctld slurmd slurm-client munge)"; exit 77; }
done
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
chmod 755 "$dir"
# munge: a key of our own and its socket in DIR (the system's munged, if any, is not touched).
[ -f "$dir/munge.key" ] || { dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none; chmod 0400 "$dir/munge.key"; }
munged --force --socket="$dir/munge.sock" --key-file="$dir/munge.key" --log-file="$dir/log/munged.log" \
    --pid-file="$dir/munged.pid" --seed-file="$dir/munged.seed"
node=$(hostname -s)
user=$(id -un)
cat > "$dir/slurm.conf" <<CONF
ClusterName=wsetest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=10
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
    if sinfo -h -o %t 2> /dev/null | grep -qx idle; then
        echo "$SLURM_CONF"
        exit 0
    fi
    sleep 0.5
done
echo "the private Slurm cluster did not come up; its logs:" >&2
tail -n 20 "$dir"/log/*.log >&2
stop
exit 1
