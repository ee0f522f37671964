#!/usr/bin/env node
// `npm run build`: one ESM bundle per entry point with esbuild, in dist/ (git-ignored). What runs
// outside development (npm start, the container image, the CLI) is this JavaScript, not tsx.
//   dist/services/<svc>.mjs    services/<svc>/src/main.ts, for the six services
//   dist/preload.mjs           libs/observability/src/preload.ts (node --import it before a service)
//   dist/cli/edgeplane.mjs     cli/src/main.ts (cli/bin/edgeplane.mjs runs it when it is fresh)
//   dist/stack/health-client.mjs  libs/proto/src/health-client.ts (scripts/stack.mjs status)
//   dist/build-meta.json       the source files of every bundle (for the freshness checks here, in
//                              scripts/stack.mjs and in cli/bin/edgeplane.mjs)
//   dist/edge/*.mjs            edgectl and the agent, by scripts/edge-bundles.mjs (called from here)
//   console/dist/              the web console (Vite, console/vite.config.ts), after the bundles
// Usage: node scripts/build.mjs [--if-stale] [--quiet] [--clean]
//   --if-stale  build only when a bundle is missing or one of its sources is newer than it
//   --clean     remove this script's outputs first
// (The edge agent and edgectl are bundled differently, every dependency included, by
// scripts/edge-bundles.mjs; `build` runs it after the bundles below.)
//
// How the bundles are made:
// - The workspace packages (@edgeplane/*, TypeScript) are bundled; every npm dependency stays an
//   external import resolved from node_modules at run time. That keeps OpenTelemetry working: the
//   preload's loader hook (import-in-the-middle) and require hook can only patch @grpc/grpc-js and
//   pg when Node itself loads them. It also keeps optional/native modules (pg-native…) where npm
//   put them and needs no `require` shim, since no CommonJS code is bundled.
// - Decorators: esbuild applies tsconfig's experimentalDecorators but emits no
//   `design:paramtypes` metadata (as tsx did); services inject by token (`@Inject(TOKEN)`).
// - Class and function names are kept (keepNames): Nest and the logs use them.
// - `import.meta.url` in a source file is rewritten to that file's own URL, relative to the
//   bundle (`new URL('../../libs/proto/src/loader.ts', import.meta.url).href`), so paths computed
//   from it (proto/ for the gRPC loader, the preload's hook registration) resolve as before. The
//   repository layout around dist/ (proto/, node_modules/) must therefore be kept at run time.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(REPO, 'dist');
const META = path.join(DIST, 'build-meta.json');
export const SERVICES = [
  'cluster',
  'nodepool',
  'grid',
  'health-arbiter',
  'tunnel',
  'addons',
  'kube-api',
  'events',
];

/** out (relative to dist/) → entry (relative to the repo). */
export const ENTRIES = {
  ...Object.fromEntries(SERVICES.map((s) => [`services/${s}.mjs`, `services/${s}/src/main.ts`])),
  'preload.mjs': 'libs/observability/src/preload.ts',
  'cli/edgeplane.mjs': 'cli/src/main.ts',
  'stack/health-client.mjs': 'libs/proto/src/health-client.ts',
};
/** Files that make every bundle stale when they change (listed among each bundle's inputs). */
const GLOBAL_INPUTS = ['scripts/build.mjs', 'tsconfig.json', 'tsconfig.base.json', 'package-lock.json'];

const mtime = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/** Bundles that are missing or older than one of their sources (all of them if never built). */
export function staleBundles() {
  let meta;
  try {
    meta = JSON.parse(readFileSync(META, 'utf8'));
  } catch {
    return Object.keys(ENTRIES);
  }
  return Object.keys(ENTRIES).filter((out) => {
    const built = mtime(path.join(DIST, out));
    const inputs = meta.bundles?.[out]?.inputs;
    if (built === undefined || !Array.isArray(inputs) || meta.bundles[out].entry !== ENTRIES[out])
      return true;
    return inputs.some((f) => {
      const m = mtime(path.join(REPO, f));
      return m === undefined || m > built;
    });
  });
}

/** Rewrites `import.meta.url` in workspace sources to the source file's own URL (see the header). */
function importMetaPlugin(outfile) {
  return {
    name: 'edgeplane-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)\b/.test(source)) {
          return {
            errors: [
              {
                text: 'import.meta.dirname/filename are not supported by scripts/build.mjs; derive paths from import.meta.url',
              },
            ],
          };
        }
        if (!source.includes('import.meta.url')) return undefined;
        const rel = path.relative(path.dirname(outfile), args.path).split(path.sep).join('/');
        const own = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
        const loader = path.extname(args.path).replace(/^\.[cm]?/, '');
        return { contents: source.replaceAll('import.meta.url', own), loader: loader === 'js' ? 'js' : 'ts' };
      });
    },
  };
}

/** npm dependencies stay external; workspace packages (@edgeplane/*) are bundled. */
const externalsPlugin = {
  name: 'edgeplane-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@edgeplane/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * Builds every bundle (or, with ifStale, only when one is stale), then the edge bundles the tunnel
 * service hands out at join (scripts/edge-bundles.mjs, same rule). Returns whether it built.
 */
export async function build({ ifStale = false, quiet = false } = {}) {
  const own = await buildServiceBundles({ ifStale, quiet });
  let edge = { built: false };
  if (existsSync(path.join(REPO, 'scripts/edge-bundles.mjs'))) {
    const { buildEdgeBundles } = await import('./edge-bundles.mjs');
    edge = await buildEdgeBundles({ ifStale, quiet });
  }
  const web = await buildConsole({ ifStale, quiet });
  return { built: own.built || edge.built || web.built };
}

/** The web console (console/, Vite) into console/dist; with ifStale only when a source is newer. */
async function buildConsole({ ifStale, quiet }) {
  const root = path.join(REPO, 'console');
  if (!existsSync(path.join(root, 'vite.config.ts'))) return { built: false };
  const built = mtime(path.join(root, 'dist', 'index.html'));
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const f = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(f) : (mtime(f) ?? 0));
    }, 0);
  const sources = Math.max(
    newest(path.join(root, 'src')),
    ...['index.html', 'vite.config.ts', 'package.json'].map((f) => mtime(path.join(root, f)) ?? 0),
    mtime(path.join(REPO, 'package-lock.json')) ?? 0,
  );
  if (ifStale && built !== undefined && built >= sources) return { built: false };
  const { build: vite } = await import('vite');
  const t0 = performance.now();
  await vite({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  if (!quiet) console.log(`build: console/dist (Vite) in ${Math.round(performance.now() - t0)} ms`);
  return { built: true };
}

async function buildServiceBundles({ ifStale, quiet }) {
  const stale = staleBundles();
  if (ifStale && stale.length === 0) return { built: false, ms: 0 };
  const { build: esbuild, version } = await import('esbuild');
  const t0 = performance.now();
  mkdirSync(DIST, { recursive: true });
  const outs = Object.keys(ENTRIES);
  const results = await Promise.all(
    outs.map((out) => {
      const outfile = path.join(DIST, out);
      return esbuild({
        absWorkingDir: REPO,
        entryPoints: [path.join(REPO, ENTRIES[out])],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        keepNames: true,
        sourcemap: 'linked',
        sourcesContent: false,
        legalComments: 'none',
        metafile: true,
        logLevel: 'silent',
        banner: { js: `// built by scripts/build.mjs from ${ENTRIES[out]}; do not edit` },
        plugins: [externalsPlugin, importMetaPlugin(outfile)],
      }).then(
        (r) => ({ out, result: r }),
        (error) => ({ out, error }),
      );
    }),
  );
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) {
    for (const f of failed) {
      const messages = f.error.errors ?? [];
      console.error(`build: ${f.out} (${ENTRIES[f.out]}) failed:`);
      for (const m of messages.length ? messages : [{ text: f.error.message }]) {
        const at = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : '';
        console.error(`  ${at}${m.text}`);
      }
    }
    throw new Error(`build failed: ${failed.map((f) => f.out).join(', ')}`);
  }
  const bundles = {};
  for (const { out, result } of results) {
    const inputs = [
      ...GLOBAL_INPUTS,
      ...Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/')),
    ];
    const bytes = statSync(path.join(DIST, out)).size;
    bundles[out] = { entry: ENTRIES[out], bytes, inputs };
    for (const w of result.warnings) console.warn(`build: ${out}: warning: ${w.text}`);
  }
  writeFileSync(META, JSON.stringify({ esbuild: version, node: process.version, bundles }, null, 2) + '\n');
  const ms = Math.round(performance.now() - t0);
  if (!quiet) {
    const kb = Object.values(bundles).reduce((a, b) => a + b.bytes, 0) / 1024;
    console.log(
      `build: ${outs.length} bundles in dist/ (${Math.round(kb)} KiB) in ${ms} ms (esbuild ${version})`,
    );
  }
  return { built: true, ms };
}

// CLI
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--if-stale', '--quiet', '--clean'].includes(a));
  if (unknown.length > 0) {
    console.error(
      `usage: node scripts/build.mjs [--if-stale] [--quiet] [--clean]  (unknown: ${unknown.join(' ')})`,
    );
    process.exit(2);
  }
  if (args.includes('--clean')) {
    // only what this script writes (dist/edge/ belongs to scripts/edge-bundles.mjs)
    for (const out of [...Object.keys(ENTRIES), 'build-meta.json']) {
      for (const f of [out, `${out}.map`]) rmSync(path.join(DIST, f), { force: true });
    }
  }
  try {
    const r = await build({ ifStale: args.includes('--if-stale'), quiet: args.includes('--quiet') });
    if (!r.built && !args.includes('--quiet')) console.log('build: dist/ is up to date');
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
