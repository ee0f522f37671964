#!/usr/bin/env bash
# One containerd (with its CRI plugin) for one simulated edge host: its own root, state, socket,
# CNI configuration and IPAM store under DIR, runtime runc (crun fails in this sandbox), the local
# pause image as sandbox_image (nothing can be pulled here), and a CNI bridge with host-local IPAM
# over the host's slice of the pod CIDR. Meant to run inside the host's network namespace:
#   ip netns exec NS scripts/runtime/containerd-host.sh start --dir DIR --pod-cidr 10.244.1.0/24 \
#       [--bridge epbr0] [--route 10.244.2.0/24=10.210.0.3 …] [--no-images]
#   scripts/runtime/containerd-host.sh stop --dir DIR      every pod, shim and the daemon (any netns)
#   scripts/runtime/containerd-host.sh status --dir DIR
# `start` is idempotent (a daemon answering on DIR/containerd.sock is left as it is), enables
# ip_forward in the namespace (0 by default: pods of other hosts are reached through it), adds the
# routes to other hosts' pod slices, imports the test images (scripts/runtime/build-images.sh) and
# prints CONTAINERD_SOCKET=DIR/containerd.sock on its last line.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
log() { printf '[containerd-host] %s\n' "$*" >&2; }
usage() { sed -n '2,14p' "$0" >&2; exit 2; }

cmd=${1:-}; shift || true
dir='' cidr='' bridge=epbr0 images=1 routes=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --pod-cidr) cidr=$2; shift 2 ;;
    --bridge) bridge=$2; shift 2 ;;
    --route) routes+=("$2"); shift 2 ;;
    --no-images) images=0; shift ;;
    *) usage ;;
  esac
done
[[ -n $dir ]] || usage
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sock=$dir/containerd.sock
pidfile=$dir/containerd.pid
snapshotter=${EDGEPLANE_SNAPSHOTTER:-overlayfs}

answers() { timeout 10 ctr --address "$sock" version >/dev/null 2>&1; }

# processes whose command line names this host's socket: its daemon and its shims (nothing else)
our_pids() {
  local p c
  for p in /proc/[0-9]*; do
    [[ ${p#/proc/} == "$$" ]] && continue
    c=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    [[ $c == *"$sock "* || $c == *"$dir/config.toml"* ]] && echo "${p#/proc/}"
  done
  return 0
}

# `ip netns exec` gives the command a new mount namespace with a fresh /sys, in which no cgroup
# hierarchy is mounted (runc: "no cgroup mount found in mountinfo"). Mount the same hierarchies
# the process belongs to (/proc/self/cgroup), v1 by controller set and the v2 one if any; they go
# away with the namespace.
ensure_cgroups() {
  grep -q ' - cgroup' /proc/self/mountinfo && return 0
  log "no cgroup mounted in this mount namespace (ip netns exec): mounting the hierarchies"
  mount -t tmpfs -o mode=755 cgroup_root /sys/fs/cgroup
  local id ctrls path dir
  while IFS=: read -r id ctrls path; do
    if [[ -z $ctrls ]]; then
      mkdir -p /sys/fs/cgroup/unified
      mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified || log "cgroup2 not mounted"
    else
      dir=${ctrls#name=}
      mkdir -p "/sys/fs/cgroup/$dir"
      mount -t cgroup -o "$ctrls" cgroup "/sys/fs/cgroup/$dir" || log "cgroup $ctrls not mounted"
    fi
  done </proc/self/cgroup
}

case $cmd in
  status)
    if answers; then echo "running: $sock ($(cat "$pidfile" 2>/dev/null))"; else echo "not running: $sock"; exit 1; fi
    ;;
  start)
    [[ -n $cidr ]] || usage
    "$HERE/setup.sh" --check || { log "containerd/runc/CNI missing: run scripts/runtime/setup.sh"; exit 1; }
    if answers; then
      log "containerd already answers on $sock"
    else
      mkdir -p "$dir"/{root,state,opt,cni/net.d,cni/ipam,pods}
      cat >"$dir/config.toml" <<TOML
# written by scripts/runtime/containerd-host.sh (Edgeplane): one containerd per simulated host
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

[grpc]
  address = "$sock"

[ttrpc]
  address = "$sock.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/edgeplane/pause:1"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  disable_cgroup = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "$snapshotter"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
    max_conf_num = 1
TOML
      cat >"$dir/cni/net.d/10-edgeplane.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "edgeplane",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$cidr" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$dir/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
      ensure_cgroups
      # pods of other hosts are reached through this namespace
      sysctl -qw net.ipv4.ip_forward=1 || log "could not enable ip_forward"
      ip link set lo up 2>/dev/null || true
      rm -f "$sock"
      log "starting $(containerd --version | awk '{print $1, $3}') on $sock (pod CIDR $cidr, bridge $bridge, snapshotter $snapshotter)"
      setsid containerd --config "$dir/config.toml" >"$dir/containerd.log" 2>&1 </dev/null &
      echo $! >"$pidfile"
      for _ in $(seq 1 120); do answers && break; sleep 0.5; done
      answers || { log "containerd did not answer within 60 s; its log:"; tail -n 30 "$dir/containerd.log" >&2; exit 1; }
    fi
    for r in "${routes[@]}"; do
      ip route replace "${r%%=*}" via "${r#*=}" || log "route $r not added"
    done
    if [[ $images == 1 ]]; then
      EDGEPLANE_SNAPSHOTTER=$snapshotter "$HERE/build-images.sh" import "$sock" >/dev/null
    fi
    echo "CONTAINERD_SOCKET=$sock"
    ;;
  stop)
    if answers; then
      # the CRI way first (CNI DEL: the veth and the IP go back), then whatever is left
      node_bin=$(command -v node || true)
      [[ -x $REPO/.tools/node-v24.21.0-linux-x64/bin/node ]] && node_bin=$REPO/.tools/node-v24.21.0-linux-x64/bin/node
      if [[ -n $node_bin && -f $REPO/edge/src/runtime/cli.ts ]]; then
        (cd "$REPO" && timeout 120 "$node_bin" --import tsx edge/src/runtime/cli.ts --runtime cri --socket "$sock" remove-all >&2) ||
          log "removing the pods through CRI failed; killing their tasks"
      fi
      for id in $(ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
        ctr --address "$sock" -n k8s.io tasks kill -s SIGKILL "$id" 2>/dev/null || true
      done
    fi
    pids=$(our_pids)
    if [[ -n $pids ]]; then
      kill $pids 2>/dev/null || true
      for _ in $(seq 1 40); do [[ -z $(our_pids) ]] && break; sleep 0.25; done
      pids=$(our_pids)
      [[ -z $pids ]] || kill -9 $pids 2>/dev/null || true
    fi
    rm -f "$pidfile" "$sock" "$sock.ttrpc"
    # what the daemon mounted under its root (snapshots, shm) when it died without cleaning up
    { grep -F " $dir/" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    log "stopped the containerd of $dir"
    ;;
  *) usage ;;
esac
