/**
 * globalSetup of the int project (vitest.config.ts), in vitest's main process: removes what
 * earlier test runs that never cleaned up left behind (environments older than 6 h), and at the
 * end of the run deletes every environment of this run that a file did not delete itself (a file
 * that crashed before its afterAll). EDGEPLANE_KEEP_ENV=1 keeps them for a post-mortem.
 */
import { dropStaleTestEnvironments, dropTestRun } from '../environments.js';
import { stopTestContainers } from '../services.js';

export default async function setup(): Promise<() => Promise<void>> {
  const run = process.env.EDGEPLANE_TEST_RUN;
  const stale = await dropStaleTestEnvironments().catch((err: Error) => {
    console.warn(`test environment janitor: ${err.message}`);
    return undefined;
  });
  if (stale && stale.streams.length + stale.schemas.length > 0) {
    console.log(
      `test environment janitor: removed ${stale.streams.length} stream(s) and ${stale.schemas.length} schema(s) of runs older than 6 h`,
    );
  }
  return async () => {
    // PostgreSQL/NATS containers the janitor's testServices() started (none when they were given)
    if (!run || process.env.EDGEPLANE_KEEP_ENV) return stopTestContainers();
    const left = await dropTestRun(run).catch((err: Error) => {
      console.warn(`test environment clean-up: ${err.message}`);
      return undefined;
    });
    if (left && left.streams.length + left.schemas.length > 0) {
      console.log(
        `test environment clean-up: removed ${left.streams.length} stream(s) and ${left.schemas.length} schema(s) files left behind`,
      );
    }
    await stopTestContainers();
  };
}
