/**
 * Deletes environments (EDGEPLANE_ENV) from the NATS and PostgreSQL of NATS_URL / DATABASE_URL:
 *   node --import tsx/esm libs/testing/src/env-cli.ts drop <env>…   (npm run env:drop -- <env>…)
 *   node --import tsx/esm libs/testing/src/env-cli.ts drop-stale     test runs' environments older than 6 h
 * Each environment's streams (KV buckets and durables with them) and schemas go; the default
 * environment (no prefix) cannot be named, so it is never touched.
 */
import { dropEnvironment, dropStaleTestEnvironments, type DropReport } from './environments.js';

const [command, ...names] = process.argv.slice(2);
const print = (what: string, r: DropReport) =>
  console.log(`${what}: deleted ${r.streams.length} stream(s), dropped ${r.schemas.length} schema(s)`);

if (command === 'drop' && names.length > 0) {
  for (const env of names) print(`environment ${env}`, await dropEnvironment(env));
} else if (command === 'drop-stale' && names.length === 0) {
  print('stale test environments', await dropStaleTestEnvironments());
} else {
  console.error('usage: env-cli.ts drop <env>… | drop-stale');
  process.exit(2);
}
