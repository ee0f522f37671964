#!/bin/sh
# Starts one Edgeplane service the way scripts/stack.mjs does: its bundle (scripts/build.mjs) with
# plain node, after the OpenTelemetry preload (it must run before Nest, grpc-js and pg are imported).
set -eu
cd /app
: "${SERVICE:?SERVICE is not set}"
# One image may serve all six (deploy/Dockerfile.local: SERVICE comes from the container's env).
: "${SERVICE_NAME:=$SERVICE}" "${OTEL_SERVICE_NAME:=edgeplane-$SERVICE}"
export SERVICE_NAME OTEL_SERVICE_NAME
# Compose passes an empty endpoint when tracing is off; the services read "set" as "export there"
# (and reject an empty URL), so empty means unset.
if [ -z "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]; then unset OTEL_EXPORTER_OTLP_ENDPOINT; fi
if [ ! -f "dist/services/$SERVICE.mjs" ]; then
  echo "dist/services/$SERVICE.mjs is missing: the image was built without scripts/build.mjs" >&2
  exit 1
fi
# Stack traces name the bundle's lines; NODE_OPTIONS=--enable-source-maps maps them to the
# TypeScript sources (the .map files are in dist/), for about 8 MB more memory.
exec node --import ./dist/preload.mjs "dist/services/$SERVICE.mjs" "$@"
