#!/usr/bin/env bash
# CI's compose step (.ci/run, gate "compose"): docker-compose.yml brought up for real with
# podman-compose from Debian and locally built images (no registry is reachable), every one of the
# seven services waited for until it answers gRPC health SERVING on its published port, a table
# printed, and the stack taken down again (`podman-compose down -v`, also on failure or Ctrl-C).
#   bash scripts/containers/compose-ci.sh
# 1. podman (scripts/containers/podman-setup.sh when it is not set up yet), podman-compose and the
#    CNI dnsname plugin (service names as host names) from Debian when missing; the base, postgres
#    and nats images (build-images.sh, cached).
# 2. The service image localhost/edgeplane/service:local (deploy/Dockerfile.local, one image for the
#    seven): dist/ (`scripts/build.mjs --if-stale` first), a production node_modules (`npm ci
#    --omit=dev` of the manifests, staged once per package-lock.json under $EDGEPLANE_COMPOSE_STAGE),
#    proto/ and the entrypoint, built with --network=none; rebuilt only when the hash of those inputs
#    (label edgeplane.compose.key) changes.
# 3. The core stack (nats, postgres, the seven; the observability profile is left out) as project
#    $EDGEPLANE_COMPOSE_PROJECT, on 127.0.0.1 ports moved by one offset (the first of 11000,
#    11500, … whose ports are all free: away from the host's 5432/4222, the local stack's
#    50051-50058/9461-9478 and the ephemeral range), tracing off (EDGEPLANE_OTLP_ENDPOINT=''), the
#    containers' traffic beyond their own network dropped (iptables FORWARD) for the whole run.
# 4. `node scripts/stack.mjs status` on those ports until all seven are SERVING, at most
#    $EDGEPLANE_COMPOSE_TIMEOUT s (180); then each container's compose healthcheck (`podman
#    healthcheck run`, up to 3 tries: podman runs none by itself without systemd), so the checks in
#    docker-compose.yml are known to work with the local images too. A failure prints the last 50
#    log lines of every service that is not SERVING (or not healthy) and exits 1.
# One run at a time on a machine (flock on $EDGEPLANE_COMPOSE_STAGE/lock, waits up to 15 min).
# Env: EDGEPLANE_COMPOSE_PROJECT (edgeplane-compose-ci), EDGEPLANE_COMPOSE_TIMEOUT (180),
#      EDGEPLANE_COMPOSE_STAGE (/var/tmp/edgeplane-compose), EDGEPLANE_COMPOSE_OFFSET (a fixed port
#      offset), EDGEPLANE_OTLP_ENDPOINT (passed on when set, e.g. to check that an unreachable
#      collector does not hold a start up), FORCE=1 (rebuild the service image).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
REPO=$(cd ../.. && pwd)

PROJECT=${EDGEPLANE_COMPOSE_PROJECT:-edgeplane-compose-ci}
TIMEOUT=${EDGEPLANE_COMPOSE_TIMEOUT:-180}
STAGE=${EDGEPLANE_COMPOSE_STAGE:-/var/tmp/edgeplane-compose}
IMAGE=localhost/edgeplane/service:local
NETWORK=${PROJECT}_default
SERVICES=(cluster nodepool grid health-arbiter tunnel addons events)
# a service's gRPC port (its metrics port is 9461 + the same step): 50051… in this order, but
# events has 50058 (50057 is kube-api's, which compose does not run)
grpc_port() {
  local i=0 x
  [[ $1 == events ]] && { echo 50058; return; }
  for x in "${SERVICES[@]}"; do [[ $x == "$1" ]] && break; i=$((i + 1)); done
  echo $((50051 + i))
}
CORE=(nats postgres "${SERVICES[@]}")
FW_COMMENT="edgeplane-compose:$PROJECT"
FORCE=${FORCE:-0}

# fd 7: this script's stderr, also for the teardown when a signal lands inside a redirected command
exec 7>&2
log() { printf '[compose-ci] %s\n' "$*" >&7; }
t_start=$SECONDS
t_lap=$SECONDS
timings=()
lap() {
  timings+=("$1 $((SECONDS - t_lap)) s")
  t_lap=$SECONDS
}

mkdir -p "$STAGE"
exec 9>"$STAGE/lock"
flock -w 900 9 || { log "another compose-ci run holds $STAGE/lock"; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. tools and base images

# node 24 for the build and the health probe (.ci/run has sourced it already)
if ! node -e 'process.exit(+process.versions.node.split(".")[0] === 24 ? 0 : 1)' 2>/dev/null; then
  # shellcheck source=../node24.sh
  source "$REPO/scripts/node24.sh"
fi

api_started=0
if ! command -v podman >/dev/null || [[ ! -f /etc/containers/containers.conf.d/50-edgeplane.conf ]]; then
  # podman-setup.sh also starts the API service, which compose does not need: stopped at the end
  sock=${EDGEPLANE_PODMAN_SOCK:-/run/edgeplane-podman/podman.sock}
  curl -fsS --max-time 5 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 || api_started=1
  (exec 7>&- 9>&- && ./podman-setup.sh >/dev/null) # (no lock or log fd in the daemons it starts)
fi
need=()
command -v podman-compose >/dev/null || need+=(podman-compose)
[[ -x /usr/lib/cni/dnsname ]] || need+=(golang-github-containernetworking-plugin-dnsname)
if [[ ${#need[@]} -gt 0 ]]; then
  log "installing from Debian: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
./build-images.sh
lap tools+images

# ---------------------------------------------------------------------------------------------
# 2. the service image

node "$REPO/scripts/build.mjs" --if-stale --quiet
lock_hash=$(sha256sum "$REPO/package-lock.json" | cut -c1-16)
deps=$STAGE/deps-$lock_hash
if [[ ! -d $deps/node_modules ]]; then
  log "staging the runtime node_modules (npm ci --omit=dev) in $deps"
  rm -rf "$STAGE"/deps-* "$STAGE/deps.tmp"
  mkdir -p "$STAGE/deps.tmp"
  # the manifests only, as deploy/Dockerfile's deps stage does
  (cd "$REPO" && git ls-files -z -- package.json package-lock.json '*/package.json' |
    xargs -0 -I{} cp --parents {} "$STAGE/deps.tmp/")
  (cd "$STAGE/deps.tmp" && npm ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
  mv "$STAGE/deps.tmp" "$deps"
fi
inputs_hash() {
  (
    cd "$REPO"
    find dist proto docs/events deploy/entrypoint.sh deploy/healthcheck.mjs deploy/Dockerfile.local -type f -print0 |
      sort -z | xargs -0 sha256sum
    echo "deps $lock_hash"
    podman image inspect --format '{{.Id}}' localhost/edgeplane/base:bookworm
  ) | sha256sum | cut -c1-16
}
key=$(inputs_hash)
if [[ $FORCE != 1 ]] && podman image exists "$IMAGE" &&
  [[ $(podman image inspect --format '{{index .Labels "edgeplane.compose.key"}}' "$IMAGE") == "$key" ]]; then
  log "$IMAGE is up to date (key $key)"
else
  log "building $IMAGE (key $key)"
  ctx=$STAGE/context
  rm -rf "$ctx"
  mkdir -p "$ctx/deploy" "$ctx/docs"
  cp -al "$deps/node_modules" "$ctx/node_modules" # hard links: no copy of 130 MB
  cp -a "$REPO/dist" "$REPO/proto" "$ctx/"
  cp -a "$REPO/docs/events" "$ctx/docs/" # the events service serves its AsyncAPI catalogue
  cp -a "$REPO/deploy/entrypoint.sh" "$REPO/deploy/healthcheck.mjs" "$ctx/deploy/"
  podman build --pull=never --network=none -q --label "edgeplane.compose.key=$key" \
    -t "$IMAGE" -f "$REPO/deploy/Dockerfile.local" "$ctx" >/dev/null
  rm -rf "$ctx"
  # the previous build, now untagged
  podman image prune -f --filter label=edgeplane.compose.key >/dev/null 2>&1 || true
fi
lap 'service image'

# ---------------------------------------------------------------------------------------------
# 3. up

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
offset_free() {
  local o=$1 p
  for p in 4222 8222 5432 9461 9462 9463 9464 9465 9466 9468 9478 50051 50052 50053 50054 50055 50056 50058 50443 50444; do
    port_free $((p + o)) || return 1
  done
}
if [[ -n ${EDGEPLANE_COMPOSE_OFFSET:-} ]]; then
  OFFSET=$EDGEPLANE_COMPOSE_OFFSET
else
  OFFSET=
  for o in 11000 11500 12000 12500 13000 13500 14000 14500 15000; do
    if offset_free "$o"; then OFFSET=$o && break; fi
  done
  [[ -n $OFFSET ]] || { log "no free set of ports at any offset 11000…15000"; exit 1; }
fi
at() { printf '127.0.0.1:%s' $(($1 + OFFSET)); }
export EDGEPLANE_NATS_IMAGE=localhost/edgeplane/nats:2.9
export EDGEPLANE_POSTGRES_IMAGE=localhost/edgeplane/postgres:15
export EDGEPLANE_SERVICE_IMAGE=$IMAGE
export EDGEPLANE_OTLP_ENDPOINT=${EDGEPLANE_OTLP_ENDPOINT-}
# the services' key-encryption key (docker-compose.yml): one per run, its database goes with it
export EDGEPLANE_KEK=${EDGEPLANE_KEK:-compose-ci:$(head -c 32 /dev/urandom | base64 -w0)}
# the gRPC API's platform PKI (mTLS, docker-compose.yml mounts it at /pki): one per run, each
# service's certificate issued here, so no container needs the CA key; the keys belong to the
# image's user (nobody in Dockerfile.local, node in deploy/Dockerfile)
PKI=$STAGE/pki
rm -rf "$PKI"
image_uid=$(podman run --rm --network none --entrypoint id "$IMAGE" -u)
node "$REPO/scripts/pki.mjs" --dir "$PKI" --services "$(IFS=,; echo "${SERVICES[*]}")" --owner "$image_uid" >/dev/null
export EDGEPLANE_PKI_HOST_DIR=$PKI
EDGEPLANE_NATS_PORT=$(at 4222) EDGEPLANE_NATS_MONITOR_PORT=$(at 8222) EDGEPLANE_PG_PORT=$(at 5432)
EDGEPLANE_TUNNEL_JOIN_PORT=$(at 50443) EDGEPLANE_TUNNEL_AGENT_PORT=$(at 50444)
export EDGEPLANE_NATS_PORT EDGEPLANE_NATS_MONITOR_PORT EDGEPLANE_PG_PORT EDGEPLANE_TUNNEL_JOIN_PORT EDGEPLANE_TUNNEL_AGENT_PORT
EDGEPLANE_EVENTS_HTTP_PORT=$(at 9478)
export EDGEPLANE_EVENTS_HTTP_PORT
for s in "${SERVICES[@]}"; do
  v=$(tr 'a-z-' 'A-Z_' <<<"$s")
  g=$(grpc_port "$s")
  export "EDGEPLANE_${v}_GRPC_PORT=$(at "$g")" "EDGEPLANE_${v}_METRICS_PORT=$(at $((g - 50051 + 9461)))"
done

compose() { podman-compose --no-ansi -p "$PROJECT" -f "$REPO/docker-compose.yml" "$@"; }
# the FORWARD rules of this project (of this run, or of one killed before its teardown)
fw_clear() {
  local rule
  while rule=$(iptables -S FORWARD 2>/dev/null | grep -m1 -- "$FW_COMMENT"); do
    xargs iptables <<<"${rule/#-A /-D }" || return 0
  done
}
bridge=
teardown() {
  local rc=$?
  set +e
  log "down: podman-compose down -v, network $NETWORK"
  # stopped all at once first (podman-compose stops one after the other, each up to its timeout)
  podman ps -q --filter "label=io.podman.compose.project=$PROJECT" | xargs -r podman stop -t 5 >/dev/null 2>&1
  lap stop
  compose down -v -t 5 >/dev/null 2>&1
  lap 'compose down'
  # podman-compose 1.0.3 leaves the network (and the containers of a run killed half-way) behind
  podman ps -aq --filter "label=io.podman.compose.project=$PROJECT" | xargs -r podman rm -f -t 0 >/dev/null 2>&1
  podman volume ls -q --filter "label=io.podman.compose.project=$PROJECT" | xargs -r podman volume rm -f >/dev/null 2>&1
  podman network exists "$NETWORK" && podman network rm -f "$NETWORK" >/dev/null 2>&1
  fw_clear
  # the dnsname plugin's DNS rule for the bridge outlives the network
  if [[ -n $bridge ]]; then
    while iptables -D INPUT -i "$bridge" -p udp -m udp --dport 53 -j ACCEPT 2>/dev/null; do :; done
  fi
  [[ $api_started == 1 ]] && ./podman-setup.sh stop >/dev/null 2>&1
  lap cleanup
  log "total $((SECONDS - t_start)) s: $(printf '%s, ' "${timings[@]}" | sed 's/, $//')"
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

# what a killed earlier run left behind
compose down -v -t 0 >/dev/null 2>&1 || true
podman ps -aq --filter "label=io.podman.compose.project=$PROJECT" | xargs -r podman rm -f -t 0 >/dev/null 2>&1 || true
podman network exists "$NETWORK" && podman network rm -f "$NETWORK" >/dev/null
fw_clear

# the network first (as podman-compose would make it, which then reuses it), so its containers can
# be kept from reaching anything beyond it before one starts
podman network create --label "io.podman.compose.project=$PROJECT" --label "com.docker.compose.project=$PROJECT" \
  "$NETWORK" >/dev/null
subnet=$(podman network inspect --format '{{range .Subnets}}{{.Subnet}} {{end}}' "$NETWORK" | awk '{print $1}')
bridge=$(podman network inspect --format '{{.NetworkInterface}}' "$NETWORK")
iptables -I FORWARD 1 -s "$subnet" ! -d "$subnet" -m comment --comment "$FW_COMMENT" -j DROP
log "up: project $PROJECT, network $NETWORK ($subnet, nothing beyond it), ports +$OFFSET on 127.0.0.1"
# (no lock or log fd in the daemons it starts; closed in a subshell, so the trap keeps fd 7)
if ! (exec 7>&- 9>&- && compose up -d --no-build "${CORE[@]}") >"$STAGE/up.log" 2>&1; then
  tail -n 30 "$STAGE/up.log" >&7
  log "podman-compose up failed"
  exit 1
fi
lap up

# ---------------------------------------------------------------------------------------------
# 4. SERVING?

# only the services compose runs (stack.mjs also knows kube-api and events, which it does not)
status() { STACK_SERVICES=$(IFS=,; echo "${SERVICES[*]}") STACK_PORT_OFFSET=$OFFSET NO_COLOR=1 node "$REPO/scripts/stack.mjs" status "$@"; }
deadline=$((SECONDS + TIMEOUT))
until status >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then break; fi
  sleep 2
done
lap SERVING
json=$(status --json 2>/dev/null || true)
serving() { node -e 'const p = JSON.parse(process.argv[1]).find((x) => x.service === process.argv[2]); process.exit(p?.serving ? 0 : 1)' "$json" "$1" 2>/dev/null; }
reason() { node -e 'const p = JSON.parse(process.argv[1]).find((x) => x.service === process.argv[2]); console.log(p ? p.reason : "no answer")' "$json" "$1" 2>/dev/null || echo '?'; }

container_of() { podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -n1; }
# the compose healthchecks, all at once (each execs a probe in its container)
hcdir=$(mktemp -d)
for s in "${CORE[@]}"; do
  (
    c=$(container_of "$s")
    # up to 3 tries, as compose's `retries: 3`: a probe on the loaded machine may miss its 3 s
    for _ in 1 2 3; do podman healthcheck run "$c" >/dev/null 2>&1 && echo healthy && exit 0; done
    echo unhealthy
  ) >"$hcdir/$s" &
done
wait
failed=()
printf '\n%-16s %-22s %-28s %-10s %s\n' SERVICE ADDRESS 'gRPC HEALTH' HEALTHCHECK CONTAINER
for s in "${CORE[@]}"; do
  c=$(container_of "$s")
  hc=$(cat "$hcdir/$s")
  case $s in
    nats) addr=$(at 4222) grpc=- ;;
    postgres) addr=$(at 5432) grpc=- ;;
    *)
      addr=$(at "$(grpc_port "$s")")
      grpc=$(reason "$s")
      serving "$s" || failed+=("$s")
      ;;
  esac
  [[ $hc == healthy ]] || [[ " ${failed[*]} " == *" $s "* ]] || failed+=("$s")
  printf '%-16s %-22s %-28s %-10s %s\n' "$s" "$addr" "$grpc" "$hc" "$(podman ps -a --filter "name=^$c\$" --format '{{.Status}}')"
done
echo
rm -rf "$hcdir"
lap checks
if [[ ${#failed[@]} -gt 0 ]]; then
  for s in "${failed[@]}"; do
    printf -- '--- %s: last 50 log lines (%s) ---\n' "$s" "$(container_of "$s")"
    podman logs --tail 50 "$(container_of "$s")" 2>&1 || true
  done
  log "not SERVING/healthy within ${TIMEOUT} s: ${failed[*]}"
  exit 1
fi
log "all ${#SERVICES[@]} services SERVING (and nats, postgres healthy) through docker-compose.yml"
