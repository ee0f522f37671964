#!/usr/bin/env node
// `npm run bench -- <name> [args…]` runs bench/<name>.bench.ts (node --import tsx/esm), streams its
// output and exits with its code. A bench ends by printing one line `RESULT {json}` on stdout; the
// runner fails (exit 1) if the bench exits 0 without that being its last stdout line.
// Without a name, or with an unknown one, it lists the benches.
// Environment: a bench runs in an EDGEPLANE_ENV of its own, `bench-<name>-<random>`, so a running local
// stack (or another bench, or the tests) neither hears it nor is heard by it, and its streams, KV buckets
// and schemas are deleted when it ends (EDGEPLANE_KEEP_ENV=1 keeps them). An EDGEPLANE_ENV the caller
// set is used as it is and kept (set but empty: the default names). A bench whose file contains
// `@bench-environment caller` runs in the caller's environment (the health-arbiter bench shares the
// partitions with a running stack on purpose).
// Key-encryption key (cluster and tunnel refuse to start without one): the caller's EDGEPLANE_KEK or
// EDGEPLANE_KEK_FILE, else the local stack's .edgeplane/kek when it exists, else a random one per run.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(REPO, 'bench');
const SUFFIX = '.bench.ts';

const available = () =>
  existsSync(BENCH_DIR)
    ? readdirSync(BENCH_DIR)
        .filter((f) => f.endsWith(SUFFIX))
        .map((f) => f.slice(0, -SUFFIX.length))
        .sort()
    : [];

const [name, ...rest] = process.argv.slice(2);
const file = name ? path.join(BENCH_DIR, `${name}${SUFFIX}`) : '';
if (!name || name.startsWith('-') || !existsSync(file)) {
  if (name) console.error(`unknown bench "${name}"`);
  const list = available();
  console.error(
    list.length > 0
      ? `usage: npm run bench -- <name>\navailable benches:\n${list.map((b) => `  ${b}`).join('\n')}`
      : `usage: npm run bench -- <name>\nno benches yet (bench/<name>${SUFFIX})`,
  );
  process.exit(2);
}

const callerEnv =
  'EDGEPLANE_ENV' in process.env || readFileSync(file, 'utf8').includes('@bench-environment caller');
const slug = name
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '-')
  .slice(0, 12)
  .replace(/-+$/, '');
const environment = callerEnv
  ? (process.env.EDGEPLANE_ENV ?? '')
  : `bench-${slug}-${Math.floor(Math.random() * 36 ** 3)
      .toString(36)
      .padStart(3, '0')}`;
console.error(
  `bench ${name}: ${environment ? `EDGEPLANE_ENV=${environment}` : 'default environment (no EDGEPLANE_ENV)'}` +
    `${callerEnv ? '' : ' (its own; deleted at the end)'}`,
);
const child = spawn(process.execPath, ['--import', 'tsx/esm', file, ...rest], {
  cwd: REPO,
  env: { ...process.env, EDGEPLANE_ENV: environment, ...kekEnv() },
  stdio: ['inherit', 'pipe', 'inherit'],
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));

function kekEnv() {
  if (process.env.EDGEPLANE_KEK || process.env.EDGEPLANE_KEK_FILE) return {};
  const local = path.join(REPO, '.edgeplane', 'kek');
  if (existsSync(local)) return { EDGEPLANE_KEK_FILE: local };
  return { EDGEPLANE_KEK: `bench:${randomBytes(32).toString('base64')}` };
}

let lastLine = '';
let pending = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const l of lines) if (l.trim()) lastLine = l.trim();
});

const code = await new Promise((resolve) =>
  child.on('close', (c, signal) => resolve(c ?? (signal === 'SIGINT' ? 130 : 1))),
);
if (pending.trim()) lastLine = pending.trim();
if (!callerEnv && !process.env.EDGEPLANE_KEEP_ENV) {
  // its streams, buckets and schemas (stdout stays the bench's: RESULT is its last line)
  const drop = spawnSync(
    process.execPath,
    ['--import', 'tsx/esm', 'libs/testing/src/env-cli.ts', 'drop', environment],
    { cwd: REPO, stdio: ['ignore', 2, 2] },
  );
  if (drop.status !== 0) console.error(`bench ${name}: could not delete environment ${environment}`);
}

if (code !== 0) process.exit(code);
const match = /^RESULT (\{.*\})$/.exec(lastLine);
let ok = false;
if (match?.[1]) {
  try {
    ok = typeof JSON.parse(match[1]) === 'object';
  } catch {
    ok = false;
  }
}
if (!ok) {
  console.error(
    `bench ${name}: the last line printed was not \`RESULT {json}\` (got ${JSON.stringify(lastLine.slice(0, 200))})`,
  );
  process.exit(1);
}
process.exit(0);
