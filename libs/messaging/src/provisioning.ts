import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { busSubject, durableName, streamName, type StreamDeclaration } from '@edgeplane/contracts';

/**
 * Creates or updates a stream to match its declaration (idempotent; safe at every start), under
 * this process's EDGEPLANE_ENV: the stream `<env>_<name>` over the subjects `<env>.<subject>`.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  declared: StreamDeclaration & { storage?: 'file' | 'memory' },
): Promise<void> {
  const decl = {
    ...declared,
    name: streamName(declared.name),
    subjects: declared.subjects.map((s) => busSubject(s)),
  };
  const config = {
    name: decl.name,
    subjects: decl.subjects,
    description: decl.description,
    max_age: decl.maxAgeSeconds > 0 ? nanos(decl.maxAgeSeconds * 1000) : 0,
    duplicate_window: nanos(decl.duplicateWindowSeconds * 1000),
    storage: decl.storage === 'memory' ? StorageType.Memory : StorageType.File,
    num_replicas: streamReplicas(),
  };
  try {
    const info = await jsm.streams.info(decl.name);
    const same =
      JSON.stringify(info.config.subjects) === JSON.stringify(config.subjects) &&
      info.config.max_age === config.max_age &&
      info.config.duplicate_window === config.duplicate_window &&
      (info.config.num_replicas || 1) === config.num_replicas;
    if (!same) {
      await jsm.streams
        .update(decl.name, {
          subjects: config.subjects,
          description: config.description,
          max_age: config.max_age,
          duplicate_window: config.duplicate_window,
          num_replicas: config.num_replicas,
        })
        .catch((error: unknown) => {
          // a closed bus (scripts/nats-auth.mjs): services may not change streams; the stack
          // provisioned this one, and its configuration stands
          if (!isPermissionViolation(error)) throw error;
        });
    }
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add(config).catch((cause: unknown) => {
      if (!isPermissionViolation(cause)) throw cause;
      throw new StreamNotProvisionedError(
        `stream ${decl.name} does not exist and this credential may not create it (the stack provisions it)`,
        { cause },
      );
    });
  }
}

/**
 * A stream is missing and this process may not create it (a closed bus): transient — the start
 * waits (`untilReachable`) until whoever provisions the bus has created it.
 */
export class StreamNotProvisionedError extends Error {
  override name = 'StreamNotProvisionedError';
}

/** The server refused a publish or subscribe (or a JetStream API request) for want of permission. */
export function isPermissionViolation(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 8) return false;
  const e = error as { name?: unknown; message?: unknown; cause?: unknown };
  if (e.name === 'PermissionViolationError') return true;
  if (typeof e.message === 'string' && /permissions violation/i.test(e.message)) return true;
  return isPermissionViolation(e.cause, depth + 1);
}

/**
 * Replicas of every stream: NATS_STREAM_REPLICAS (1 on a single server, 3 on a 3-node cluster:
 * `npm start -- --nats-cluster 3`). Durable consumers inherit their stream's replicas.
 */
export function streamReplicas(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.NATS_STREAM_REPLICAS;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 5) {
    throw new Error(`NATS_STREAM_REPLICAS must be an integer 1…5 (got ${JSON.stringify(raw.slice(0, 20))})`);
  }
  return n;
}

/** Stream, durable and filter are declared names; EDGEPLANE_ENV is applied where they reach NATS. */
export interface ConsumerDeclaration {
  /** stream the consumer reads */
  stream: string;
  /** durable name `<consumer-service>__<purpose>` */
  durable: string;
  /** one subject filter (2.9 has no multi-filter consumers) */
  filterSubject?: string;
  /** deliveries that failed with a handler error before the runner dead-letters (default 5) */
  maxDeliver?: number;
  ackWaitMs?: number;
  /** start from the stream's beginning (default) or only new messages */
  deliverNew?: boolean;
  maxAckPending?: number;
  /** let the server delete the durable after this long without a client (side-by-side test instances) */
  inactiveThresholdMs?: number;
}

export async function ensureConsumer(jsm: JetStreamManager, decl: ConsumerDeclaration): Promise<void> {
  if (!/^[a-z0-9-]+__[a-z0-9-]+$/.test(decl.durable)) {
    throw new Error(`durable consumer names are <service>__<purpose>: "${decl.durable}"`);
  }
  const stream = streamName(decl.stream);
  const durable = durableName(decl.durable);
  const filterSubject = decl.filterSubject ? busSubject(decl.filterSubject) : undefined;
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: decl.deliverNew ? DeliverPolicy.New : DeliverPolicy.All,
    ...(filterSubject ? { filter_subject: filterSubject } : {}),
    // Unlimited: the runner alone decides when a message has had enough (it counts only handler
    // failures, dead-letters then and terms); a server limit would drop messages silently.
    max_deliver: -1,
    ack_wait: nanos(decl.ackWaitMs ?? 30_000),
    max_ack_pending: decl.maxAckPending ?? 1000,
    ...(decl.inactiveThresholdMs ? { inactive_threshold: nanos(decl.inactiveThresholdMs) } : {}),
  };
  try {
    await jsm.consumers.info(stream, durable);
    await jsm.consumers.update(stream, durable, {
      max_deliver: config.max_deliver,
      ack_wait: config.ack_wait,
      max_ack_pending: config.max_ack_pending,
      ...(filterSubject ? { filter_subject: filterSubject } : {}),
    });
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, config);
  }
}

/** A JetStream API error with this code (the server's error code, not its wording). */
export function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}
