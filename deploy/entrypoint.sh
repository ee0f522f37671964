#!/bin/sh
# Starts one Edgeplane service the way scripts/stack.mjs does: its bundle (scripts/build.mjs) with
# plain node, after the OpenTelemetry preload (it must run before Nest, grpc-js and pg are imported).
set -eu
cd /app
: "${SERVICE:?SERVICE is not set}"
if [ ! -f "dist/services/$SERVICE.mjs" ]; then
  echo "dist/services/$SERVICE.mjs is missing: the image was built without scripts/build.mjs" >&2
  exit 1
fi
# Stack traces name the bundle's lines; NODE_OPTIONS=--enable-source-maps maps them to the
# TypeScript sources (the .map files are in dist/), for about 8 MB more memory.
exec node --import ./dist/preload.mjs "dist/services/$SERVICE.mjs" "$@"
