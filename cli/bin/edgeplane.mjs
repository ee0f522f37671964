#!/usr/bin/env node
// The `edgeplane` CLI. Runs the bundle dist/cli/edgeplane.mjs (`npm run build`) when it exists and
// is newer than every source it was built from (dist/build-meta.json lists them); otherwise, as in a
// checkout being edited, the TypeScript sources through tsx, so a stale bundle never answers.
// EDGEPLANE_CLI_FROM_SOURCE=1 always runs the sources.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const bundle = new URL('dist/cli/edgeplane.mjs', root);

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const meta = JSON.parse(readFileSync(new URL('dist/build-meta.json', root), 'utf8'));
    const inputs = meta.bundles['cli/edgeplane.mjs'].inputs;
    return inputs.length > 0 && inputs.every((file) => statSync(new URL(file, root)).mtimeMs <= built);
  } catch {
    return false; // no build, or a source was removed
  }
}

if (!process.env.EDGEPLANE_CLI_FROM_SOURCE && bundleIsFresh()) {
  await import(bundle.href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    console.error(
      'edgeplane: dist/cli/edgeplane.mjs is missing or older than its sources, and tsx is not installed: run `npm run build`',
    );
    process.exit(1);
  }
  tsx.register();
  await import('../src/main.ts');
}
