#!/bin/sh
# Starts one Edgeplane service the same way scripts/stack.mjs does: TypeScript through tsx, with the
# OpenTelemetry preload when it exists (it must run before Nest and grpc-js are imported).
set -eu
cd /app
: "${SERVICE:?SERVICE is not set}"
if [ -f libs/observability/src/preload.ts ]; then
  exec node --import tsx/esm --import ./libs/observability/src/preload.ts "services/$SERVICE/src/main.ts" "$@"
fi
exec node --import tsx/esm "services/$SERVICE/src/main.ts" "$@"
