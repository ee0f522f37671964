#!/usr/bin/env bash
# CI's container step (.ci/run): podman's Docker-compatible API up, the local images built (cached
# across runs on the same machine), and one container run through the API to prove the engine
# works — so the int test libs/testing/test/containers.int.spec.ts, which runs whenever an engine
# answers, runs in CI rather than skipping. Prints how long each part took.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
t0=$SECONDS
./podman-setup.sh
t1=$SECONDS
./build-images.sh
t2=$SECONDS
sock=${EDGEPLANE_PODMAN_SOCK:-/run/edgeplane-podman/podman.sock}
# through the API socket, like Testcontainers: create, start, wait, logs, remove
DOCKER_HOST=unix://$sock podman --remote --url "unix://$sock" run --rm --network none \
  localhost/edgeplane/nats:2.9 --version
t3=$SECONDS
echo "containers: podman setup $((t1 - t0)) s, images $((t2 - t1)) s, smoke run $((t3 - t2)) s"
