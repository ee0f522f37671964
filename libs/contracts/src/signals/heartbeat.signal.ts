import { z } from 'zod';
import { defineSignal, SubjectTokenId } from './define-signal.js';

/**
 * Heartbeat — "the cloud heard node N" (SPEC F-HE-1, cloud view). Published by the tunnel gateway
 * for every heartbeat frame an agent sends on its tunnel stream (default period 10 s), to
 * `signalSubject('heartbeat', clusterId)`. Consumed by the health-arbiter.
 * Invariants: the consumer stamps it with the JetStream receipt time (the stream timestamp of
 * the message), never with `sentAt`, which is the agent's clock and informational only (clock skew
 * between nodes and cloud must not matter); `node` is the node's name as authenticated by the
 * gateway (never a value the agent claims in the body); `units` is informational (membership is
 * taken from nodepool events, not from heartbeats).
 */
export const Heartbeat = defineSignal({
  kind: 'heartbeat',
  version: 1,
  publisher: 'tunnel',
  consumer: 'health-arbiter',
  schema: z.object({
    v: z.literal(1),
    clusterId: SubjectTokenId,
    node: z.string().min(1).max(253),
    units: z.array(z.string().min(1)).optional(),
    /** Agent clock, ISO-8601. Informational only. */
    sentAt: z.string().optional(),
    /** Agent-side sequence number since agent start (diagnostics: gaps = lost heartbeats). */
    seq: z.number().int().nonnegative().optional(),
  }),
});
export type HeartbeatData = z.infer<typeof Heartbeat.schema>;
