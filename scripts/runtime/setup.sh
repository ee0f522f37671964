#!/usr/bin/env bash
# Installs what the agent's `cri` runtime driver needs on this machine, from Debian only
# (research/edge-runtime.md): containerd (its CRI plugin), runc (crun fails in this sandbox),
# the CNI plugins (bridge, host-local, loopback, portmap in /usr/lib/cni) and busybox-static (the
# root filesystem of the local test images). Idempotent: installs only what is missing, never
# starts a daemon (scripts/runtime/containerd-host.sh does, one per simulated host).
#   scripts/runtime/setup.sh            install what is missing; exit 0 when all is there
#   scripts/runtime/setup.sh --check    only report; exit 1 when something is missing
set -euo pipefail

log() { printf '[runtime-setup] %s\n' "$*" >&2; }

missing() {
  local need=()
  command -v containerd >/dev/null || need+=(containerd)
  command -v runc >/dev/null || need+=(runc)
  [[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] ||
    need+=(containernetworking-plugins)
  # the applet list captured first: grep -q ending early would fail the pipeline (SIGPIPE, pipefail)
  local applets=''
  [[ -x /bin/busybox ]] && applets=$(/bin/busybox --list 2>/dev/null)
  grep -qx httpd <<<"$applets" || need+=(busybox-static)
  command -v ip >/dev/null || need+=(iproute2)
  command -v iptables >/dev/null || need+=(iptables)
  [[ ${#need[@]} -eq 0 ]] || printf '%s\n' "${need[@]}"
}

mapfile -t need < <(missing)
if [[ ${#need[@]} -eq 0 ]]; then
  log "all present: $(containerd --version | awk '{print $3}') containerd, $(runc --version | head -n1), CNI in /usr/lib/cni, busybox-static"
  exit 0
fi
if [[ ${1:-} == --check ]]; then
  log "missing: ${need[*]}"
  exit 1
fi
log "installing from Debian: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# the package lists may be stale or absent on a fresh machine
apt-get install -y -qq -o DPkg::Lock::Timeout=900 --no-install-recommends "${need[@]}" >&2 || {
  apt-get update -qq -o DPkg::Lock::Timeout=900 >&2
  apt-get install -y -qq -o DPkg::Lock::Timeout=900 --no-install-recommends "${need[@]}" >&2
}
# Debian's package starts a system containerd on /run/containerd/containerd.sock when systemd
# runs; nothing here uses that one (each simulated host has its own), and there is no systemd here.
mapfile -t still < <(missing)
if [[ ${#still[@]} -gt 0 ]]; then
  log "still missing after the install: ${still[*]}"
  exit 1
fi
log "installed: $(containerd --version | awk '{print $3}') containerd, $(runc --version | head -n1)"
