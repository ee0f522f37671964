#!/usr/bin/env node
// The two files a node downloads from the join server (docs/tunnel.md "Join over HTTPS"), each ONE
// self-contained ESM file that runs with plain `node` and nothing else on the node:
//   dist/edge/edgectl.mjs   edge/src/edgectl/main.ts   (GET /v1/join/edgectl; `#!/usr/bin/env node`)
//   dist/edge/agent.mjs     edge/src/agent/main.ts     (GET /v1/join/agent; edgectl installs it)
// Unlike the service bundles (scripts/build.mjs), every npm dependency is bundled in, and the agent's
// .proto files are embedded: libs/proto's loader is swapped, in this bundle only, for one that builds
// the same package definitions from JSON made here (protobufjs), since no proto/ folder is beside the
// file on a node.
// Usage: node scripts/edge-bundles.mjs [--if-stale] [--out <dir>]   (also imported by scripts/fleet.mjs)
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROTO_ROOT = path.join(REPO, 'proto');
export const EDGE_OUT = path.join(REPO, 'dist', 'edge');
export const EDGE_ENTRIES = {
  'edgectl.mjs': 'edge/src/edgectl/main.ts',
  'agent.mjs': 'edge/src/agent/main.ts',
};
const SOURCE_DIRS = ['edge/src', 'libs/k8s/src', 'libs/contracts/src', 'libs/proto/src', 'proto'];

function newestSource() {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else newest = Math.max(newest, statSync(file).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(REPO, dir));
  return newest;
}

/** Bundles missing or older than any source they could include. */
export function staleEdgeBundles(outDir = EDGE_OUT) {
  const newest = newestSource();
  return Object.keys(EDGE_ENTRIES).filter((out) => {
    const file = path.join(outDir, out);
    return !existsSync(file) || statSync(file).mtimeMs < newest;
  });
}

/** The tunnel protocol (and the health protocol) as protobufjs JSON, camelCase as proto-loader loads it. */
async function embeddedProtos() {
  const { default: protobuf } = await import('protobufjs');
  const folder = 'edgeplane/tunnel/v1';
  const files = [
    ...readdirSync(path.join(PROTO_ROOT, folder))
      .filter((f) => f.endsWith('.proto'))
      .sort()
      .map((f) => `${folder}/${f}`),
    'grpc/health/v1/health.proto',
  ];
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_ROOT, target));
  root.loadSync(files, { keepCase: false });
  return { files, json: root.toJSON() };
}

/** esbuild plugin: libs/proto/src/loader.ts → a loader over the embedded JSON (same exports). */
function embeddedProtoLoader(embedded) {
  return {
    name: 'edgeplane-embedded-protos',
    setup(build) {
      build.onLoad({ filter: /libs[\\/]proto[\\/]src[\\/]loader\.ts$/ }, () => ({
        loader: 'ts',
        contents: `
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
// Embedded by scripts/edge-bundles.mjs: no proto/ folder exists beside this bundle.
const FILES: string[] = ${JSON.stringify(embedded.files)};
const JSON_ROOT = ${JSON.stringify(embedded.json)};
export const PROTO_ROOT = '(embedded)';
export const LOADER_OPTIONS = Object.freeze({ keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [] as string[] });
export const HEALTH_PROTO = 'grpc/health/v1/health.proto';
export const SERVICE_PROTO_PACKAGE = { cluster: 'cluster', nodepool: 'nodepool', grid: 'grid', 'health-arbiter': 'health', tunnel: 'tunnel', addons: 'addons' } as const;
const folderOf = (svc: string) => \`edgeplane/\${(SERVICE_PROTO_PACKAGE as Record<string, string>)[svc] ?? svc}/v1\`;
export function protoPath(svc: string, file?: string): string {
  const folder = folderOf(svc);
  return \`\${folder}/\${file ?? folder.split('/')[1]}.proto\`;
}
export function protoFilesOf(svc: string): string[] {
  return FILES.filter((f) => f.startsWith(folderOf(svc) + '/'));
}
let definition: protoLoader.PackageDefinition | undefined;
export function loadPackage<T = grpc.GrpcObject>(files: readonly string[]) {
  const missing = files.filter((f) => !FILES.includes(f));
  if (missing.length > 0) throw new Error(\`not embedded in this bundle: \${missing.join(', ')}\`);
  definition ??= protoLoader.fromJSON(JSON_ROOT, LOADER_OPTIONS);
  return { grpcObject: grpc.loadPackageDefinition(definition) as unknown as T, packageDefinition: definition };
}
`,
      }));
    },
  };
}

/** Builds the edge bundles (with ifStale: only when one is missing or older than its sources). */
export async function buildEdgeBundles({ outDir = EDGE_OUT, ifStale = false, quiet = false } = {}) {
  const stale = staleEdgeBundles(outDir);
  if (ifStale && stale.length === 0) return { built: false };
  const { build } = await import('esbuild');
  const embedded = await embeddedProtos();
  mkdirSync(outDir, { recursive: true });
  for (const [out, entry] of Object.entries(EDGE_ENTRIES)) {
    const outfile = path.join(outDir, out);
    await build({
      absWorkingDir: REPO,
      entryPoints: [path.join(REPO, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      keepNames: true,
      legalComments: 'none',
      logLevel: 'silent',
      // CommonJS dependencies bundled into ESM still call require() for Node's own modules
      banner: {
        js: `#!/usr/bin/env node\n// built by scripts/edge-bundles.mjs from ${entry}; do not edit\nimport { createRequire as __edgeplaneCreateRequire } from 'node:module';\nconst require = __edgeplaneCreateRequire(import.meta.url);`,
      },
      plugins: [embeddedProtoLoader(embedded)],
    });
    // esbuild keeps the entry's own shebang line too; one is enough, and it must come first
    const text = readFileSync(outfile, 'utf8');
    const lines = text.split('\n');
    writeFileSync(
      outfile,
      [lines[0], ...lines.slice(1).filter((l) => l !== '#!/usr/bin/env node')].join('\n'),
      { mode: 0o755 },
    );
    if (!quiet)
      console.log(
        `edge bundle: ${path.relative(REPO, outfile)} (${Math.round(statSync(outfile).size / 1024)} KiB)`,
      );
  }
  return { built: true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  try {
    const r = await buildEdgeBundles({
      outDir: at >= 0 ? path.resolve(args[at + 1]) : EDGE_OUT,
      ifStale: args.includes('--if-stale'),
    });
    if (!r.built) console.log('edge bundles: up to date');
  } catch (error) {
    console.error(`edge bundles: ${error.message}`);
    process.exit(1);
  }
}
