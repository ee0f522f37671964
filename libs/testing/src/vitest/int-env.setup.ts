/**
 * setupFiles of the int project (vitest.config.ts): runs before each test FILE is imported, and
 * puts the file in an environment of its own (EDGEPLANE_ENV, see ../environments.ts), derived from
 * the run id (EDGEPLANE_TEST_RUN, set once per vitest run) and the file's path. Everything the file
 * starts in-process, and every child process it spawns (they inherit process.env), names its
 * streams, subjects, durables, KV buckets and schemas under it; so files run in parallel on one
 * NATS and one PostgreSQL without reacting to each other's clusters. When the file is done, its
 * environment is deleted.
 */
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { dropEnvironment, newTestRunId, testEnvironmentName } from '../environments.js';

const file = expect.getState().testPath;
if (!file) throw new Error('int-env.setup: vitest did not say which test file is starting');
const run = (process.env.EDGEPLANE_TEST_RUN ||= newTestRunId());
const env = testEnvironmentName(run, path.relative(process.cwd(), file));
process.env.EDGEPLANE_ENV = env;

afterAll(async () => {
  // after the file's own afterAll hooks (vitest runs after-hooks in reverse order of registration)
  if (process.env.EDGEPLANE_KEEP_ENV) return;
  await dropEnvironment(env);
}, 60_000);
