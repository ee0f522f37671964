#!/usr/bin/env node
// The two files a node downloads from the join server (docs/tunnel.md "Join over HTTPS"), each ONE
// self-contained ESM file that runs with plain `node` and nothing else on the node:
//   dist/edge/edgectl.mjs   edge/src/edgectl/main.ts   (GET /v1/join/edgectl; `#!/usr/bin/env node`)
//   dist/edge/agent.mjs     edge/src/agent/main.ts     (GET /v1/join/agent; edgectl installs it)
// Unlike the service bundles (scripts/build.mjs), every npm dependency is bundled in, and nothing may
// read files beside the bundle at run time (a bundle reaching libs/proto's loader, which reads proto/,
// fails the build).
// Usage: node scripts/edge-bundles.mjs [--if-stale] [--out <dir>]   (also imported by scripts/fleet.mjs)
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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

/** Builds the edge bundles (with ifStale: only when one is missing or older than its sources). */
export async function buildEdgeBundles({ outDir = EDGE_OUT, ifStale = false, quiet = false } = {}) {
  const stale = staleEdgeBundles(outDir);
  if (ifStale && stale.length === 0) return { built: false };
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  for (const [out, entry] of Object.entries(EDGE_ENTRIES)) {
    const outfile = path.join(outDir, out);
    const result = await build({
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
      metafile: true,
    });
    // Nothing beside the file on a node: a bundle that would read proto/ (libs/proto's loader) at
    // run time cannot work there.
    const proto = Object.keys(result.metafile.inputs).find((f) => /libs\/proto\/src\/loader\.ts$/.test(f));
    if (proto) throw new Error(`${out} would load .proto files at run time (through ${proto})`);
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
