#!/usr/bin/env bash
# Local images for Testcontainers and docker-compose.yml, made from Debian packages (no registry is
# reachable): a bookworm rootfs unpacked (apt-get download + dpkg -x) from the configured mirror, with
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
PACKAGES=postgresql-15,nats-server,dash,bash,coreutils,ca-certificates,wget,tzdata
MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
MIRROR=${MIRROR:-$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
NODE_VERSION=$(sed -nE 's/^EDGEPLANE_NODE_VERSION=([0-9.]+).*/\1/p' "$REPO/scripts/node24.sh" | head -n1)
NODE_DIR=${EDGEPLANE_TOOLS_DIR:-$REPO/.tools}/node-v$NODE_VERSION-linux-x64
KEY="bookworm dpkg-x $PACKAGES node-$NODE_VERSION"
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
  # the packages and everything they depend on (essential ones included), downloaded by apt from
  # the configured mirror and unpacked with dpkg -x: no maintainer scripts run (debootstrap's
  # configure stage took 25 min on the loaded machine); the few things they would do are below
  t0=$SECONDS
  mkdir -p "$work/debs" "$work/rootfs"
  # shellcheck disable=SC2046
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
    $(tr ',' ' ' <<<"$PACKAGES") | grep -E '^[a-z0-9]' | sort -u >"$work/list"
  # one provider per virtual name is enough; drop the names apt cannot download (virtual ones)
  (cd "$work/debs" && xargs -a "$work/list" apt-get download -qq 2>"$work/download.log" >/dev/null) || true
  [[ $(ls "$work/debs" | wc -l) -gt 50 ]] || { tail -n 20 "$work/download.log" >&2; exit 1; }
  for deb in "$work/debs"/*.deb; do dpkg -x "$deb" "$work/rootfs"; done
  log "$(ls "$work/debs" | wc -l) packages unpacked in $((SECONDS - t0)) s"
  r=$work/rootfs
  # merged /usr (bookworm): the links debootstrap would make
  for d in bin sbin lib lib64; do [[ -e $r/$d || ! -d $r/usr/$d ]] || ln -s "usr/$d" "$r/$d"; done
  mkdir -p "$r/etc" "$r/tmp" "$r/var/run/postgresql" "$r/var/lib/postgresql" "$r/root" "$r/proc" "$r/sys" "$r/dev"
  chmod 1777 "$r/tmp"
  printf 'root:x:0:0:root:/root:/bin/bash\npostgres:x:102:104:PostgreSQL administrator:/var/lib/postgresql:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$r/etc/passwd"
  printf 'root:x:0:\npostgres:x:104:\nnogroup:x:65534:\n' >"$r/etc/group"
  printf 'hosts: files dns\npasswd: files\ngroup: files\n' >"$r/etc/nsswitch.conf"
  # node 24 (not packaged by Debian bookworm): the release the repository pins, as in scripts/node24.sh
  mkdir -p "$r/usr/local/bin"
  cp "$NODE_DIR/bin/node" "$r/usr/local/bin/node"
  rm -rf "$r/usr/share/doc" "$r/usr/share/man" "$r/usr/share/locale"
  log "importing $BASE"
  tar -C "$work/rootfs" --owner=0 --group=0 -c . | podman import \
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
