#!/usr/bin/env bash
# Podman with a Docker-compatible API socket, for Testcontainers and podman-compose.
# Idempotent: installs podman + runc (+ podman-compose) from Debian once, writes the settings that
# work in this sandbox (research/edge-runtime.md: crun fails here — setrlimit and hybrid cgroups —
# runc works; no default ulimits), and starts `podman system service` on a socket unless it
# already answers. Prints the DOCKER_HOST to use on its last line: `DOCKER_HOST=unix://…`.
#   scripts/containers/podman-setup.sh          set up (and start the API service)
#   scripts/containers/podman-setup.sh stop     stop the API service this script started
set -euo pipefail

SOCK=${EDGEPLANE_PODMAN_SOCK:-/run/edgeplane-podman/podman.sock}
PIDFILE=$(dirname "$SOCK")/service.pid
LOGFILE=$(dirname "$SOCK")/service.log
CONF=/etc/containers/containers.conf.d/50-edgeplane.conf

log() { printf '[podman-setup] %s\n' "$*" >&2; }

if [[ ${1:-} == stop ]]; then
  if [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")"
    log "stopped the API service (pid $(cat "$PIDFILE"))"
  fi
  rm -f "$PIDFILE"
  exit 0
fi

need=()
command -v podman >/dev/null || need+=(podman)
[[ -x /usr/sbin/runc ]] || need+=(runc)
command -v podman-compose >/dev/null || need+=(podman-compose)
command -v curl >/dev/null || need+=(curl)
if [[ ${#need[@]} -gt 0 ]]; then
  log "installing from Debian: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" slirp4netns uidmap >&2
fi

mkdir -p "$(dirname "$CONF")"
cat >"$CONF.tmp" <<'CONFEOF'
# written by scripts/containers/podman-setup.sh (Edgeplane): crun fails in this sandbox, runc works
[containers]
default_ulimits = []

[engine]
runtime = "runc"

[engine.runtimes]
runc = ["/usr/sbin/runc"]
CONFEOF
mv "$CONF.tmp" "$CONF"

# nothing is ever pulled: unqualified names resolve to localhost/ only
mkdir -p /etc/containers/registries.conf.d
printf '# Edgeplane: images are built locally, no registry is reachable\nunqualified-search-registries = []\n' \
  >/etc/containers/registries.conf.d/50-edgeplane.conf

answers() { curl -fsS --max-time 5 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }

if answers; then
  log "API service already answers on $SOCK"
else
  mkdir -p "$(dirname "$SOCK")"
  rm -f "$SOCK"
  log "starting podman system service on $SOCK ($(podman --version), runtime $(/usr/sbin/runc --version | head -n1))"
  # --time 0: no idle exit; setsid so it outlives this script's process group
  setsid podman system service --time 0 "unix://$SOCK" >"$LOGFILE" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 60); do
    answers && break
    sleep 0.5
  done
  answers || { log "the API service did not answer within 30 s; its log:"; tail -n 20 "$LOGFILE" >&2; exit 1; }
fi
echo "DOCKER_HOST=unix://$SOCK"
