#!/usr/bin/env node
// `npm test [-- <vitest args>]`: the vitest projects (tiers) unit, int, e2e, one vitest run each, in
// that order (cheap tiers first; int and e2e never compete for the 2 cores), vitest's usual output,
// then one plain summary line that CI reads, always the last line printed:
//   N passed, N failed[, N skipped]
// With `--project <name>` in the arguments, only what was asked runs (one vitest invocation).
// Exit code: non-zero if any run failed, if a file failed to load, or if no test ran at all. A run
// that fails without a failing test (unhandled error, bad config) counts as 1 failure, so the
// summary never says "0 failed" for a red run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VITEST = path.join(REPO, 'node_modules/vitest/vitest.mjs');
const TIERS = ['unit', 'int', 'e2e'];

const userArgs = process.argv.slice(2);
const explicitProject = userArgs.some((a) => a === '--project' || a.startsWith('--project='));
const runs = explicitProject
  ? [{ label: null, args: [] }]
  : TIERS.map((t) => ({ label: t, args: ['--project', t, '--passWithNoTests'] }));

const dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-test-'));
let child;
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    child?.kill(sig);
  });
}

function vitest(args, report) {
  const full = [
    VITEST,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...args,
  ];
  child = spawn(process.execPath, full, { cwd: REPO, stdio: 'inherit' });
  return new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1))));
}

/** Counts from a vitest JSON report; undefined when it is missing or unreadable. */
function readReport(report) {
  if (!existsSync(report)) return undefined;
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    let failed = r.numFailedTests ?? 0;
    // A file that failed to load (syntax error, failing beforeAll…) has no failed test of its own.
    for (const file of r.testResults ?? []) {
      const own = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
      if (file.status === 'failed' && own === 0) failed += 1;
    }
    return {
      passed: r.numPassedTests ?? 0,
      failed,
      skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
    };
  } catch (err) {
    console.error(`could not read the vitest JSON report ${report}: ${err.message}`);
    return undefined;
  }
}

const total = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
try {
  for (const [i, run] of runs.entries()) {
    if (interrupted) break;
    if (run.label) console.log(`\n── ${run.label} tests ──`);
    const report = path.join(dir, `report-${i}.json`);
    const code = await vitest([...run.args, ...userArgs], report);
    const counts = readReport(report) ?? { passed: 0, failed: 0, skipped: 0 };
    if (code !== 0 && counts.failed === 0) {
      console.error(
        `vitest${run.label ? ` (${run.label})` : ''} exited with code ${code} without a failing test: counted as 1 failure`,
      );
      counts.failed = 1;
    }
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    if (code !== 0 && exitCode === 0) exitCode = code;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (interrupted && exitCode === 0) exitCode = 130;
if (total.failed > 0 && exitCode === 0) exitCode = 1;
if (total.passed + total.failed === 0) {
  console.error('no tests ran');
  if (exitCode === 0) exitCode = 1;
}
console.log(
  `${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(exitCode);
