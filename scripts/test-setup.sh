#!/usr/bin/env bash
# Installs what the test suite needs beyond Java 17 and Maven, on Debian or Ubuntu. Idempotent: it
# installs only what is missing, so it can run before every build. Run it as root (or with sudo);
# as another user it only reports what is missing. Tests whose prerequisite is missing skip with a
# message that names this script.
#
# One line per prerequisite below: the Debian packages, then what needs them. Add lines; keep the
# array's form (one quoted group of packages per line).
set -euo pipefail

packages=(
  "chromium"              # report: ReportBrowserTest opens the generated page in headless Chromium
  "fonts-dejavu-core"     # report: the charts' text (Java's headless AWT needs at least one font)
  "slurm-wlm munge"       # sweep: SlurmSweepTest brings up a one-node Slurm (scripts/slurm-test-cluster.sh)
)

missing=()
for line in "${packages[@]}"; do
  for pkg in $line; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "test-setup: all test prerequisites are installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "test-setup: missing: ${missing[*]}; run 'sudo $0' to install them (tests that need them will skip)" >&2
  exit 1
fi

echo "test-setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# the package lists may be stale or absent on a fresh machine: refresh them once if the install fails
if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
echo "test-setup: done"
