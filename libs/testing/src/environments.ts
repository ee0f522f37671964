import { randomBytes } from 'node:crypto';
import { environmentResources, fnv1a32, validateEnvironmentName } from '@edgeplane/contracts';
import { connectBus } from '@edgeplane/messaging';
import pg from 'pg';
import { testServices } from './services.js';

/**
 * Environments of test runs (EDGEPLANE_ENV, see libs/contracts/src/naming.ts): each integration
 * test file runs in its own, `vt<run>-<file>-<hash>`, so files run in parallel on one NATS and one
 * PostgreSQL without hearing each other; what an environment created (streams, KV buckets and
 * their durables, schemas) is deleted when the file ends, and a janitor removes what crashed runs
 * left behind.
 *
 *   vt  mx0b1  k3  -  nodepo  -  1a2
 *       |      |      |           fnv-1a of the file's path (two files with one name differ)
 *       |      |      the file's name (≤ 6 characters)
 *       |      random (two runs started in the same minute differ)
 *       minutes since the epoch, base 36: lets the janitor tell how old a run is
 *
 * At most 20 characters: a schema is `<env>__<name>` and must leave `_events` (a NOTIFY channel)
 * within PostgreSQL's 63, so the tests' unique schema names (up to 34 characters) still fit.
 */
export const TEST_ENV_PREFIX = 'vt';
const RUN_ID = /^[0-9a-z]{7}$/;
const TEST_ENV = /^vt([0-9a-z]{5})[0-9a-z]{2}-/;
const TEST_SCHEMA = /^vt([0-9a-z]{5})[0-9a-z]{2}_/;

/** A new run id: 5 characters of time (minutes, base 36) + 2 random. */
export function newTestRunId(now = Date.now()): string {
  const minutes = Math.floor(now / 60_000)
    .toString(36)
    .padStart(5, '0')
    .slice(-5);
  const random = (randomBytes(2).readUInt16BE(0) % 36 ** 2).toString(36).padStart(2, '0');
  return `${minutes}${random}`;
}

/** The environment of one test file in one run (deterministic: the same file and run give the same name). */
export function testEnvironmentName(runId: string, filePath: string): string {
  if (!RUN_ID.test(runId)) throw new Error(`test run id must be 7 of [0-9a-z], got "${runId}"`);
  const base = filePath.split(/[\\/]/).pop() ?? filePath;
  const slug =
    base
      .replace(/\.(unit|int|e2e)\.spec\.ts$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 6) || 'file';
  const hash = (fnv1a32(filePath.replace(/\\/g, '/')) % 36 ** 3).toString(36).padStart(3, '0');
  return validateEnvironmentName(`${TEST_ENV_PREFIX}${runId}-${slug}-${hash}`);
}

/** What an environment prefix matched and deleted. */
export interface DropReport {
  streams: string[];
  schemas: string[];
}

/** Deletes everything of one environment: its streams (KV buckets and durables with them) and schemas. */
export function dropEnvironment(env: string): Promise<DropReport> {
  return dropMatching(environmentResources(env));
}

/** Deletes everything of every environment of one test run (`vt<run>-…`). */
export function dropTestRun(runId: string): Promise<DropReport> {
  if (!RUN_ID.test(runId)) throw new Error(`test run id must be 7 of [0-9a-z], got "${runId}"`);
  const env = `${TEST_ENV_PREFIX}${runId}-`;
  return dropMatching({ streamPrefixes: [env, `KV_${env}`], schemaPrefix: env.replace(/-/g, '_') });
}

/**
 * Removes what test runs that ended without cleaning up (killed, crashed) left behind: streams,
 * buckets and schemas of `vt…` environments whose run started more than `maxAgeMs` ago.
 */
export function dropStaleTestEnvironments(maxAgeMs = 6 * 3600_000, now = Date.now()): Promise<DropReport> {
  const stale = (name: string) => {
    const m = TEST_ENV.exec(name.replace(/^KV_/, '')) ?? TEST_SCHEMA.exec(name);
    return !!m && now - parseInt(m[1]!, 36) * 60_000 > maxAgeMs;
  };
  return dropMatching(
    { streamPrefixes: [TEST_ENV_PREFIX, `KV_${TEST_ENV_PREFIX}`], schemaPrefix: TEST_ENV_PREFIX },
    stale,
  );
}

/**
 * Deletes the streams and schemas whose names start with one of the prefixes (and pass `only`).
 * Schemas are dropped with a short lock timeout: one a process still holds is left for the janitor.
 */
async function dropMatching(
  prefixes: { streamPrefixes: string[]; schemaPrefix: string },
  only: (name: string) => boolean = () => true,
): Promise<DropReport> {
  const report: DropReport = { streams: [], schemas: [] };
  const { databaseUrl, natsUrl } = await testServices();

  const bus = await connectBus({ url: natsUrl, name: 'env-cleanup' });
  try {
    for await (const info of bus.jsm.streams.list()) {
      const name = info.config.name;
      if (!prefixes.streamPrefixes.some((p) => name.startsWith(p)) || !only(name)) continue;
      if (await bus.jsm.streams.delete(name).catch(() => false)) report.streams.push(name);
    }
  } finally {
    await bus.close();
  }

  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'env-cleanup' });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = '5s'`);
    const { rows } = await client.query<{ nspname: string }>(
      'SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1) ORDER BY nspname',
      [prefixes.schemaPrefix],
    );
    for (const { nspname } of rows) {
      if (!only(nspname)) continue;
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${nspname.replace(/"/g, '""')}" CASCADE`);
        report.schemas.push(nspname);
      } catch {
        /* held by a process still running: the janitor takes it next time */
      }
    }
  } finally {
    await client.end();
  }
  return report;
}
