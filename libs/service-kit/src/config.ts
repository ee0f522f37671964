import { currentEnvironment, environmentNameProblem, schemaName, schemaPrefix } from '@edgeplane/contracts';
import { z } from 'zod';

/** Env every service reads; a service extends it with its own keys. Parsed once, at start. */
export const BaseConfigSchema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/test'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** a closed bus (scripts/nats-auth.mjs): this service's NKEY seed file, or user + password */
  NATS_NKEY_SEED_FILE: z.string().optional(),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_PASSWORD_FILE: z.string().optional(),
  /** the inbox prefix the bus lets this service subscribe to (`_INBOX_<user>`) */
  NATS_INBOX_PREFIX: z.string().optional(),
  /** the gRPC port's address: loopback unless told (a container sets 0.0.0.0) */
  GRPC_HOST: z.string().default('127.0.0.1'),
  /** the cluster service, asked to verify certificates of a cluster CA (nodes, kubeconfigs) */
  EDGEPLANE_CLUSTER_ADDR: z.string().default('127.0.0.1:50051'),
  GRPC_PORT: z.coerce.number().int().min(0).max(65535),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /**
   * The environment: prefixes every stream, subject, durable, KV bucket and schema (see
   * libs/contracts/src/naming.ts) so environments sharing NATS and PostgreSQL cannot hear each
   * other. Empty = the default names. An env object without it (tests) takes the process's.
   */
  EDGEPLANE_ENV: z
    .string()
    .default(() => process.env.EDGEPLANE_ENV ?? '')
    .transform((v) => v.trim())
    .superRefine((v, ctx) => {
      const problem = environmentNameProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** PostgreSQL schema override for a side-by-side instance (tests); its consumers get their own durables */
  SERVICE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  /** where a NEW durable consumer starts: the stream's beginning (production) or its end (tests) */
  CONSUMER_START: z.enum(['all', 'new']).default('all'),
  /** on SIGTERM, how long running gRPC calls may take to finish before they are cancelled */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(8000),
  /** run the outbox relay in this process (one leader per schema is elected anyway) */
  RELAY_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});
export type BaseConfig = z.infer<typeof BaseConfigSchema>;

export class ConfigError extends Error {}

/**
 * The PostgreSQL schema a service runs on: SERVICE_SCHEMA or its declared one, in its environment
 * (`<env>__<schema>`); `logical` is the name before the environment, which picks the durables.
 */
export function serviceSchema(declared: string, config: BaseConfig): { logical: string; schema: string } {
  const env = config.EDGEPLANE_ENV;
  // Streams, subjects and durables follow the process's environment (libs/contracts naming), so
  // the schema must not be in another one.
  if (env !== currentEnvironment()) {
    throw new ConfigError(
      `invalid configuration:\n  EDGEPLANE_ENV: "${env}" differs from this process's "${currentEnvironment()}"`,
    );
  }
  const given = config.SERVICE_SCHEMA ?? declared;
  const prefix = schemaPrefix(env);
  const logical = prefix && given.startsWith(prefix) ? given.slice(prefix.length) : given;
  try {
    return { logical, schema: schemaName(logical, env) };
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  SERVICE_SCHEMA: ${(error as Error).message}`);
  }
}

export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
