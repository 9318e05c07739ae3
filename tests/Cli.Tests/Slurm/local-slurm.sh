#!/bin/bash
# A private Slurm on localhost for SlurmTests: `local-slurm.sh start DIR` starts munged, slurmctld and slurmd with
# their own configuration, key, spool, state and logs under DIR (ports 16817/16818) and waits until the node is idle;
# `local-slurm.sh stop DIR` cancels every job and stops the three daemons. Needs root and Debian's slurm-wlm + munge.
set -euo pipefail
ACTION=$1
DIR=$2
export SLURM_CONF=$DIR/slurm.conf
if [ "$ACTION" = stop ]; then
  scancel --quiet --user=root 2>/dev/null || true
  for d in slurmd slurmctld munged; do
    if [ -f "$DIR/run/$d.pid" ]; then
      pid=$(cat "$DIR/run/$d.pid")
      kill "$pid" 2>/dev/null || true
      for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
  done
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "the local Slurm needs root (slurmd runs jobs as their user)"; exit 1; }
for p in slurmctld slurmd munged sbatch; do
  command -v $p >/dev/null || { echo "$p is missing: apt-get install slurm-wlm munge (./build.sh bootstrap does)"; exit 1; }
done
mkdir -p $DIR/{spool,state,log,munge,run}
HOST=$(hostname -s)
MEM=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
cat > $DIR/slurm.conf <<CONF
ClusterName=seiscat-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$MEM State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
# munge: a fresh key, its own socket
dd if=/dev/urandom of=$DIR/munge/munge.key bs=1024 count=1 2>/dev/null
chmod 400 $DIR/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
munged --key-file=$DIR/munge/munge.key --socket=/run/munge/munge.socket.2 --pid-file=$DIR/run/munged.pid \
  --log-file=$DIR/log/munged.log --force
slurmctld -f $DIR/slurm.conf || { echo "slurmctld did not start:"; tail -5 $DIR/log/slurmctld.log; exit 1; }
slurmd -f $DIR/slurm.conf || { echo "slurmd did not start:"; tail -5 $DIR/log/slurmd.log; exit 1; }
for i in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -q idle; then exit 0; fi
  sleep 1
done
echo "the node did not become idle in 60 s: $(sinfo 2>&1 | tail -1)"; tail -5 $DIR/log/slurmctld.log; tail -5 $DIR/log/slurmd.log
exit 1
