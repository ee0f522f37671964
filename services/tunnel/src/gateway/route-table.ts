import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { bucketName } from '@edgeplane/contracts';
import { streamReplicas, untilReachable } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';

/** Where a node's control stream is held: the replica and its peer port. */
export interface Route {
  replica: string;
  peer: string;
  session: string;
  at: string;
}

export const ROUTES_BUCKET = 'tunnel_routes';

/**
 * node → replica, in the NATS KV bucket `tunnel_routes` (key `<clusterId>.<node>`), so any replica
 * can reach any node by forwarding to the one holding it (OpenYurt #1496: without this, a replica
 * that does not hold the node answers "no tunnel"). Entries age out after `ttlMs` unless their
 * holder refreshes them (every ttl/3), so a replica that dies leaves no route behind for long; a
 * reconnect elsewhere overwrites the entry at once; a close removes it only if it is still ours.
 */
export class RouteTable {
  private readonly held = new Map<string, Route>();
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly kv: KV,
    private readonly self: { replica: string; peer: string },
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  static async open(
    nc: NatsConnection,
    self: { replica: string; peer: string },
    ttlMs: number,
    logger: Logger,
  ): Promise<RouteTable> {
    // one bucket per EDGEPLANE_ENV, replicated like the streams on a NATS cluster
    // (NATS_STREAM_REPLICAS); NATS away at start is waited for, a bucket config conflict ends it
    const bucket = bucketName(ROUTES_BUCKET);
    const kv = await untilReachable(logger, 'message bus', `KV bucket ${bucket}`, () =>
      new Kvm(nc).create(bucket, { ttl: ttlMs, history: 1, replicas: streamReplicas() }),
    );
    const table = new RouteTable(kv, self, ttlMs, logger);
    table.timer = setInterval(() => void table.refresh(), Math.max(1000, Math.floor(ttlMs / 3))).unref();
    return table;
  }

  get replica(): string {
    return this.self.replica;
  }

  claim(clusterId: string, node: string, session: string): void {
    const route: Route = { ...this.self, session, at: new Date().toISOString() };
    const key = routeKey(clusterId, node);
    this.held.set(key, route);
    this.kv
      .put(key, JSON.stringify(route))
      .catch((error: Error) =>
        this.logger.warn({ err: error.message, key }, 'route not stored; the next refresh retries'),
      );
  }

  release(clusterId: string, node: string, session: string): void {
    const key = routeKey(clusterId, node);
    if (this.held.get(key)?.session === session) this.held.delete(key);
    void (async () => {
      const entry = await this.kv.get(key);
      if (!entry || entry.operation !== 'PUT') return;
      const route = entry.json<Route>();
      // another replica (or a newer session here) may hold the node by now: leave its route alone
      if (route.replica !== this.self.replica || route.session !== session) return;
      await this.kv.delete(key, { previousSeq: entry.revision });
    })().catch(() => undefined);
  }

  async lookup(clusterId: string, node: string): Promise<Route | undefined> {
    const entry = await this.kv.get(routeKey(clusterId, node));
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return undefined;
    return entry.json<Route>();
  }

  /** Re-puts every route this replica holds, paced so a large replica does not burst. */
  private async refresh(): Promise<void> {
    const routes = [...this.held.entries()];
    for (let i = 0; i < routes.length; i += 500) {
      await Promise.all(
        routes
          .slice(i, i + 500)
          .map(([key, route]) => this.kv.put(key, JSON.stringify(route)).catch(() => undefined)),
      );
    }
  }

  /** Forgets (and removes) every route this replica holds. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const keys = [...this.held.keys()];
    this.held.clear();
    await Promise.all(keys.map((k) => this.kv.delete(k).catch(() => undefined)));
  }

  get ttl(): number {
    return this.ttlMs;
  }
}

export function routeKey(clusterId: string, node: string): string {
  return `${clusterId}.${node}`;
}
