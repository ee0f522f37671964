import { BaseConfigSchema, checkKekConfig, kekConfigShape } from '@edgeplane/service-kit';
import { z } from 'zod';

const ms = (def: number) => z.coerce.number().int().min(1).default(def);

/** Env of the events service, parsed once at start (on top of the base keys every service reads). */
export const EventsConfigSchema = BaseConfigSchema.extend({
  /** HTTP port serving the catalogue (/asyncapi.yaml, /asyncapi.json); 0 = off */
  EVENTS_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9478),
  EVENTS_HTTP_HOST: z.string().default('127.0.0.1'),
  /** concurrent Subscribe calls per process (each holds one ordered JetStream consumer per stream) */
  EVENTS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(100_000).default(1000),
  /**
   * Bytes one Subscribe pulls ahead of its client per source stream (the consumer's pull size):
   * with the gRPC write buffer (written until `write` says wait), what a slow reader costs. At
   * least one largest message (NATS max_payload, 1 MiB, plus headers), or such a message would
   * never be pulled.
   */
  EVENTS_READ_AHEAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024 + 64 * 1024)
    .max(256 * 1024 * 1024)
    .default(2 * 1024 * 1024),
  /** webhook delivery: first retry delay, the cap, how long a failing head delivery is retried before it is parked */
  WEBHOOK_BACKOFF_MS: ms(1000),
  WEBHOOK_BACKOFF_MAX_MS: ms(10 * 60_000),
  WEBHOOK_MAX_AGE_MS: ms(24 * 3600_000),
  /** POSTs in flight at once over all webhooks (each webhook+source sends one at a time, in order) */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(256),
  /** one POST's timeout */
  WEBHOOK_TIMEOUT_MS: ms(10_000),
  /** how often new/deleted webhooks are picked up (a CreateWebhook on this instance starts at once) */
  WEBHOOK_POLL_MS: ms(5000),
  /** extra CA certificates (PEM file) trusted for webhook endpoints, besides the system's */
  WEBHOOK_CA_FILE: z.string().default(''),
  /**
   * Allow webhook endpoints on private/internal addresses (loopback, RFC 1918, link-local incl.
   * cloud metadata, unique-local, …): off by default (server-side request forgery); labs and tests.
   */
  EVENTS_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The key-encryption key(s) sealing webhook secrets at rest (required). */
  ...kekConfigShape,
}).superRefine(checkKekConfig);
export type EventsConfig = z.infer<typeof EventsConfigSchema>;
