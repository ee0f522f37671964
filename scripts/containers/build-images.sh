#!/usr/bin/env bash
# Local images for Testcontainers and docker-compose.yml, made from Debian packages (no registry is
# reachable): a bookworm rootfs by debootstrap from the configured Debian mirror, with
# postgresql-15, nats-server and node 24 (the release scripts/node24.sh pins), imported as
# localhost/edgeplane/base:bookworm; then localhost/edgeplane/postgres:15 and
# localhost/edgeplane/nats:2.9 built on it (scripts/containers/images/*).
# Idempotent and cached: an image that exists is not built again (FORCE=1 rebuilds). The base
# image's label edgeplane.base.key names its inputs; a change of the package list rebuilds it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
HERE=$PWD
REPO=$(cd ../.. && pwd)

BASE=localhost/edgeplane/base:bookworm
PG=localhost/edgeplane/postgres:15
NATS=localhost/edgeplane/nats:2.9
PACKAGES=postgresql-15,nats-server,ca-certificates,wget,xz-utils
MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
MIRROR=${MIRROR:-$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
NODE_VERSION=$(sed -nE 's/^EDGEPLANE_NODE_VERSION=([0-9.]+).*/\1/p' "$REPO/scripts/node24.sh" | head -n1)
NODE_DIR=${EDGEPLANE_TOOLS_DIR:-$REPO/.tools}/node-v$NODE_VERSION-linux-x64
KEY="bookworm minbase $PACKAGES node-$NODE_VERSION"
FORCE=${FORCE:-0}

log() { printf '[build-images] %s\n' "$*" >&2; }
has_image() { podman image exists "$1"; }

if [[ $FORCE != 1 ]] && has_image "$BASE" &&
  [[ $(podman image inspect --format '{{index .Labels "edgeplane.base.key"}}' "$BASE") == "$KEY" ]]; then
  log "$BASE is cached"
else
  [[ -x $NODE_DIR/bin/node ]] || { log "node $NODE_VERSION is not at $NODE_DIR (source scripts/node24.sh first)"; exit 1; }
  [[ -n $MIRROR ]] || { log "no Debian mirror found in /etc/apt/sources.list*"; exit 1; }
  work=$(mktemp -d /var/tmp/edgeplane-rootfs.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  log "debootstrap bookworm (minbase + $PACKAGES) from $MIRROR"
  t0=$SECONDS
  debootstrap --variant=minbase --include="$PACKAGES" bookworm "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  log "debootstrap took $((SECONDS - t0)) s"
  # node 24 (not packaged by Debian bookworm): the release the repository pins, as in scripts/node24.sh
  mkdir -p "$work/rootfs/usr/local"
  cp -a "$NODE_DIR/bin" "$NODE_DIR/lib" "$NODE_DIR/include" "$NODE_DIR/share" "$work/rootfs/usr/local/"
  # no cluster, no running services in the image; a smaller layer
  chroot "$work/rootfs" sh -c 'pg_dropcluster --stop 15 main 2>/dev/null || true'
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/usr/share/doc" \
    "$work/rootfs/usr/share/man"
  log "importing $BASE"
  tar -C "$work/rootfs" -c . | podman import \
    --change "LABEL edgeplane.base.key=\"$KEY\"" \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
  rm -rf "$work"
  trap - EXIT
  FORCE=1
fi

build() {
  local tag=$1 dir=$2
  if [[ $FORCE != 1 ]] && has_image "$tag"; then
    log "$tag is cached"
    return 0
  fi
  log "building $tag"
  podman build --pull=never --network=none -q -t "$tag" -f "$HERE/images/$dir/Containerfile" "$HERE/images/$dir" >/dev/null
}
build "$PG" postgres
build "$NATS" nats
log "images: $(podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep edgeplane/ | tr '\n' ' ')"
