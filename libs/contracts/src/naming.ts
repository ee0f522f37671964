/**
 * Environments: `EDGEPLANE_ENV` puts everything a process names on NATS and in PostgreSQL under
 * one prefix, so several environments (a local stack, each integration test file, a benchmark)
 * share one NATS and one PostgreSQL without hearing each other. Unset or empty: today's names,
 * so an existing deployment is unchanged.
 *
 *   kind          declared (logical)          on the wire with EDGEPLANE_ENV=dev-1
 *   stream        EDGEPLANE_CLUSTER           dev-1_EDGEPLANE_CLUSTER
 *   subject       edgeplane.cluster.node.x    dev-1.edgeplane.cluster.node.x
 *   durable       cluster__reactors           dev-1_cluster__reactors
 *   KV bucket     tunnel_routes               dev-1_tunnel_routes   (its stream KV_dev-1_tunnel_routes)
 *   schema        cluster                     dev_1__cluster        (SERVICE_SCHEMA alike)
 *
 * Declarations (STREAMS, catalogue subjects, `@JetStreamHandler` durables, bucket and schema
 * names) stay logical; libs/messaging (streams, consumers, publisher, dead letters) and the
 * service kit (schema) translate them here, once. Helpers that compute a concrete subject for a
 * direct NATS call (`signalSubject`, `signalPartitionFilter`, `deadLetterSubject`) return the
 * subject on the wire. `streamName`, `busSubject` and `schemaName` are idempotent (a name already
 * in this environment is returned as it is), so a value may pass through them twice.
 *
 * The value is read from `process.env.EDGEPLANE_ENV` at each call (child processes inherit it);
 * every helper also takes an explicit environment.
 */

/** Longest environment name: keeps `<env>__<schema>_events` (a NOTIFY channel) under PostgreSQL's 63. */
export const MAX_ENV_LENGTH = 24;
const ENV_PATTERN = /^[a-z][a-z0-9-]*$/;
/** Longest schema name with an environment: pg_notify channels `<schema>_events` must fit 63 bytes. */
const MAX_SCHEMA_LENGTH = 63 - '_events'.length;

export class EnvironmentNameError extends Error {}

/** Why `value` is not a usable environment name, or undefined if it is one ('' = none). */
export function environmentNameProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_ENV_LENGTH) return `at most ${MAX_ENV_LENGTH} characters (got ${value.length})`;
  if (!ENV_PATTERN.test(value))
    return 'lower-case letters, digits and "-" only, starting with a letter (it prefixes subjects, streams and schemas)';
  if (value.endsWith('-')) return 'must not end with "-"';
  if (value === 'edgeplane') return '"edgeplane" is reserved (subjects start with it)';
  return undefined;
}

/** Throws EnvironmentNameError naming EDGEPLANE_ENV and why, unless `value` is valid. */
export function validateEnvironmentName(value: string): string {
  const problem = environmentNameProblem(value);
  if (problem) {
    throw new EnvironmentNameError(`EDGEPLANE_ENV "${value.slice(0, 40)}" is not valid: ${problem}`);
  }
  return value;
}

let cachedRaw: string | undefined;
let cachedValue = '';

/** This process's environment ('' when EDGEPLANE_ENV is unset or empty); throws if invalid. */
export function currentEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const raw = (env.EDGEPLANE_ENV ?? '').trim();
  if (env === process.env && raw === cachedRaw) return cachedValue;
  const value = validateEnvironmentName(raw);
  if (env === process.env) {
    cachedRaw = raw;
    cachedValue = value;
  }
  return value;
}

/** A JetStream stream's name in the environment: `<env>_<NAME>`. */
export function streamName(logical: string, env = currentEnvironment()): string {
  if (!env || logical.startsWith(`${env}_`)) return logical;
  return `${env}_${logical}`;
}

/** A subject (or subject filter) on the wire: `<env>.<subject>`. */
export function busSubject(logical: string, env = currentEnvironment()): string {
  if (!env || logical.startsWith(`${env}.`)) return logical;
  return `${env}.${logical}`;
}

/** The declared subject of a subject on the wire (inverse of `busSubject`). */
export function logicalSubject(subject: string, env = currentEnvironment()): string {
  return env && subject.startsWith(`${env}.`) ? subject.slice(env.length + 1) : subject;
}

/** A durable consumer's name on the server: `<env>_<durable>` (not idempotent: apply once). */
export function durableName(logical: string, env = currentEnvironment()): string {
  return env ? `${env}_${logical}` : logical;
}

/** A NATS KV bucket's name: `<env>_<bucket>` (its stream is `KV_<env>_<bucket>`). */
export function bucketName(logical: string, env = currentEnvironment()): string {
  return env ? `${env}_${logical}` : logical;
}

/** The prefix of every schema of an environment: `<env with - as _>__`. */
export function schemaPrefix(env = currentEnvironment()): string {
  return env ? `${env.replace(/-/g, '_')}__` : '';
}

/** A PostgreSQL schema in the environment: `<env>__<schema>` (`-` becomes `_`). */
export function schemaName(logical: string, env = currentEnvironment()): string {
  const prefix = schemaPrefix(env);
  if (!prefix || logical.startsWith(prefix)) return logical;
  const name = `${prefix}${logical}`;
  if (name.length > MAX_SCHEMA_LENGTH) {
    throw new EnvironmentNameError(
      `schema "${name}" (EDGEPLANE_ENV "${env}" + "${logical}") is longer than ${MAX_SCHEMA_LENGTH} characters`,
    );
  }
  return name;
}

/** What belongs to an environment on the servers, for clean-up: stream and schema name prefixes. */
export function environmentResources(env: string): { streamPrefixes: string[]; schemaPrefix: string } {
  validateEnvironmentName(env);
  if (!env) throw new EnvironmentNameError('the default environment (no EDGEPLANE_ENV) has no prefix');
  return { streamPrefixes: [`${env}_`, `KV_${env}_`], schemaPrefix: schemaPrefix(env) };
}
