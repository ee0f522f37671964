import { BaseConfigSchema, checkKekConfig, kekConfigShape } from '@edgeplane/service-kit';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const list = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1));

/** Env of the tunnel service, parsed once at start (on top of the base keys every service reads). */
export const TunnelConfigSchema = BaseConfigSchema.extend({
  /** The join HTTPS endpoint (edgectl download, CA, redeem). */
  TUNNEL_JOIN_PORT: port.default(50443),
  /** The agents' tunnel (gRPC, mutual TLS). */
  TUNNEL_PORT: port.default(50444),
  /** Replica ↔ replica forwarding (gRPC, mutual TLS with the gateway certificate). */
  TUNNEL_PEER_PORT: port.default(50445),
  /** Interface the three ports above listen on. */
  TUNNEL_HOST: z.string().default('0.0.0.0'),
  /** host:port other replicas reach this one's peer port at (default 127.0.0.1:<TUNNEL_PEER_PORT>). */
  TUNNEL_PEER_ADVERTISE: z.string().optional(),
  /** host:port agents dial, returned by /v1/join/redeem (default 127.0.0.1:<TUNNEL_PORT>). */
  TUNNEL_PUBLIC_ADDRESS: z.string().optional(),
  /** Names and addresses in the serving certificate (agents and edgectl verify one of them). */
  TUNNEL_PUBLIC_HOSTS: list.default(['127.0.0.1', 'localhost']),
  /** This replica's name in routes and events (default <hostname>-<TUNNEL_PORT>). */
  TUNNEL_REPLICA_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  /** The cluster service (RedeemJoinToken). */
  TUNNEL_CLUSTER_ADDR: z.string().default('127.0.0.1:50051'),
  /** Files served by /v1/join/edgectl and /v1/join/agent (404 until built). */
  TUNNEL_EDGECTL_PATH: z.string().default('dist/edge/edgectl.mjs'),
  TUNNEL_AGENT_PATH: z.string().default('dist/edge/agent.mjs'),
  /** What agents are told (Welcome/DesiredState). */
  TUNNEL_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  TUNNEL_PROBE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  TUNNEL_PROBE_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2000),
  /** Probe port assumed for a peer that never said which it uses. */
  TUNNEL_DEFAULT_PROBE_PORT: port.default(51005),
  /** How long the gateway waits for an agent to answer an OpenStream. */
  TUNNEL_OPEN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Age after which a route in NATS KV is gone unless its holder refreshed it. */
  TUNNEL_ROUTE_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** The key-encryption key(s) sealing the gateway CA and serving keys at rest (required). */
  ...kekConfigShape,
}).superRefine(checkKekConfig);
export type TunnelConfig = z.infer<typeof TunnelConfigSchema>;

export function replicaId(config: TunnelConfig, hostname: string): string {
  return config.TUNNEL_REPLICA_ID ?? `${hostname.replace(/[^A-Za-z0-9_.-]/g, '-')}-${config.TUNNEL_PORT}`;
}
