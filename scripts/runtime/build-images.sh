#!/usr/bin/env bash
# The local test images of the `cri` driver, built without any registry or engine: a hand-made
# OCI image layout (one uncompressed layer: a static busybox root filesystem) packed as an OCI
# archive that `ctr image import` takes. Cached by busybox version under $CACHE; rebuilt only
# when missing.
#   localhost/edgeplane/busybox-httpd:1   /serve.sh writes an index page from NODE_NAME, UNIT_NAME,
#                                         POD_NAME and serves it with busybox httpd on $PORT (8080);
#                                         GET / answers "node=<NODE_NAME> unit=<UNIT_NAME> pod=<POD_NAME>"
#   localhost/edgeplane/pause:1           the sandbox image (containerd's sandbox_image): sleeps
#                                         until SIGTERM
#   scripts/runtime/build-images.sh                     build what is missing; prints the archives
#   scripts/runtime/build-images.sh import SOCKET       also import both into the containerd on SOCKET
#                                                       (namespace k8s.io, where its CRI looks)
set -euo pipefail

CACHE=${EDGEPLANE_RUNTIME_CACHE:-/var/cache/edgeplane-runtime}
BUSYBOX=/bin/busybox
log() { printf '[runtime-images] %s\n' "$*" >&2; }

[[ -x $BUSYBOX ]] && grep -qx httpd <<<"$("$BUSYBOX" --list)" ||
  { log "no static busybox with httpd at $BUSYBOX: run scripts/runtime/setup.sh"; exit 1; }
version=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null | tr -c 'A-Za-z0-9.\n' '_' || echo unknown)
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
mkdir -p "$CACHE"

# one layer for both images: busybox, its applets as links, a passwd, /serve.sh
layer() {
  local root=$1
  mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,www,root}
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  cat >"$root/serve.sh" <<'SERVE'
#!/bin/sh
# the test HTTP server: who answers, from the environment the pod spec gives
mkdir -p /tmp/www
echo "node=${NODE_NAME:-unknown} unit=${UNIT_NAME:-unknown} pod=${POD_NAME:-$(hostname)}" >/tmp/www/index.html
echo ok >/tmp/www/healthz
echo "serving on ${PORT:-8080}: $(cat /tmp/www/index.html)"
exec httpd -f -v -p "${PORT:-8080}" -h /tmp/www
SERVE
  chmod 755 "$root/serve.sh"
  cat >"$root/pause.sh" <<'PAUSE'
#!/bin/sh
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
PAUSE
  chmod 755 "$root/pause.sh"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

# build NAME ENTRYPOINT-JSON → $CACHE/NAME-$version.oci.tar
build() {
  local name=$1 entrypoint=$2 out="$CACHE/$1-$version.oci.tar"
  if [[ -s $out ]]; then echo "$out"; return; fi
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  layer "$work/rootfs"
  mkdir -p "$work/oci/blobs/sha256"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/rootfs" -cf "$work/layer.tar" .
  local ld ls
  ld=$(sha "$work/layer.tar"); ls=$(size "$work/layer.tar")
  mv "$work/layer.tar" "$work/oci/blobs/sha256/$ld"
  printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/bin"],"Entrypoint":%s,"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"scripts/runtime/build-images.sh"}]}' \
    "$arch" "$entrypoint" "$ld" >"$work/config.json"
  local cd cs
  cd=$(sha "$work/config.json"); cs=$(size "$work/config.json")
  mv "$work/config.json" "$work/oci/blobs/sha256/$cd"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$cd" "$cs" "$ld" "$ls" >"$work/manifest.json"
  local md ms
  md=$(sha "$work/manifest.json"); ms=$(size "$work/manifest.json")
  mv "$work/manifest.json" "$work/oci/blobs/sha256/$md"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"linux"},"annotations":{"io.containerd.image.name":"localhost/edgeplane/%s:1","org.opencontainers.image.ref.name":"1"}}]}' \
    "$md" "$ms" "$arch" "$name" >"$work/oci/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/oci" -cf "$out.tmp" oci-layout index.json blobs
  mv "$out.tmp" "$out"
  log "built localhost/edgeplane/$name:1 ($(( $(size "$out") / 1024 )) KiB, busybox $version)"
  echo "$out"
}

httpd_archive=$(build busybox-httpd '["/serve.sh"]')
pause_archive=$(build pause '["/pause.sh"]')

if [[ ${1:-} == import ]]; then
  sock=${2:?usage: build-images.sh import SOCKET}
  for archive in "$httpd_archive" "$pause_archive"; do
    # unpacked for the snapshotter the CRI plugin uses (containerd-host.sh: EDGEPLANE_SNAPSHOTTER)
    ctr --address "$sock" -n k8s.io images import --snapshotter "${EDGEPLANE_SNAPSHOTTER:-overlayfs}" "$archive" >&2
  done
  log "imported into $sock: $(ctr --address "$sock" -n k8s.io images ls -q | grep -c edgeplane) edgeplane images"
fi
echo "$httpd_archive"
echo "$pause_archive"
