#!/usr/bin/env bash
# A throw-away single-node Slurm cluster on localhost, for the Slurm integration test of
# 'scalinglab sweep --executor slurm' (src/test/java/org/scalinglab/sweep/SlurmSweepTest.java).
#
#   scripts/slurm-test-cluster.sh up <state-dir>     start it; prints SLURM_CONF=<state-dir>/slurm.conf
#   scripts/slurm-test-cluster.sh down <state-dir>   cancel its jobs, stop the daemons it started
#
# 'up' installs Debian's slurm-wlm and munge when they are missing (as root), starts munged unless
# one already answers, writes a minimal slurm.conf into <state-dir> (controller and node on
# localhost, no cgroups, no accounting; ports 16817/16818 so that a real Slurm is left alone), starts
# slurmctld and slurmd, and waits until the node is idle. Nothing under /etc is changed. Clients
# reach this cluster only with SLURM_CONF set to the printed file.
#
# Exit codes: 0 done; 77 this machine cannot host it (not root, packages not installable, ports
# taken): the reason is on stderr and the test skips; 1 it should have worked and did not.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
[[ "$cmd" == up || "$cmd" == down ]] && [[ -n "$dir" ]] || { echo "usage: $0 up|down <state-dir>" >&2; exit 2; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
conf="$dir/slurm.conf"
export SLURM_CONF="$conf"

skip() { echo "slurm-test-cluster: cannot run here: $*" >&2; exit 77; }
fail() { echo "slurm-test-cluster: $*" >&2; tail -n 5 "$dir"/log/*.log >&2 2>/dev/null || true; exit 1; }

stop_pidfile() { # stop a daemon this script started, by the pid it recorded
  local f="$1"
  [[ -f "$f" ]] || return 0
  local pid
  pid="$(cat "$f")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

if [[ "$cmd" == down ]]; then
  if [[ -f "$conf" ]] && command -v scancel >/dev/null; then
    timeout 10 scancel --user="$(id -un)" 2>/dev/null || true
    sleep 1
  fi
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  if [[ -f "$dir/munged.started" ]]; then
    stop_pidfile /run/munge/munged.pid
    rm -f "$dir/munged.started"
  fi
  exit 0
fi

[[ "$(id -u)" == 0 ]] || skip "not root (the daemons and the package install need root)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  echo "slurm-test-cluster: installing slurm-wlm and munge ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends slurm-wlm munge >"$dir/apt.log" 2>&1; then
    apt-get update >>"$dir/apt.log" 2>&1 || true
    apt-get install -y --no-install-recommends slurm-wlm munge >>"$dir/apt.log" 2>&1 \
      || skip "apt-get install slurm-wlm munge failed (see $dir/apt.log)"
  fi
fi

for port in 16817 16818; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then skip "port $port is in use (another test cluster?)"; fi
done

# munge: use one that answers, else start our own
if ! munge -n >/dev/null 2>&1; then
  [[ -f /etc/munge/munge.key ]] || { mungekey --create >/dev/null 2>&1 || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; }
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  chmod 755 /run/munge
  if id munge >/dev/null 2>&1; then runuser -u munge -- munged || fail "munged did not start"
  else munged --force || fail "munged did not start"; fi
  touch "$dir/munged.started"
  for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n >/dev/null 2>&1 || fail "munged does not answer"
fi

cpus="$(nproc)"
mem_mib="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
cat >"$conf" <<EOF
# Written by scripts/slurm-test-cluster.sh: a single-node test cluster on localhost.
ClusterName=scalinglab-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
InactiveLimit=0
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mib State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -f "$conf" || fail "slurmctld did not start"
slurmd -f "$conf" -N localhost || fail "slurmd did not start"
for _ in $(seq 300); do
  state="$(sinfo -h -o %T 2>/dev/null || true)"
  [[ "$state" == idle ]] && { echo "SLURM_CONF=$conf"; exit 0; }
  sleep 0.1
done
fail "the node did not become idle within 30 s (state: ${state:-none})"
