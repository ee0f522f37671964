import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  close(): Promise<void>;
}

/** Connects to NATS and checks JetStream is enabled (fails fast with a clear error otherwise). */
export async function connectBus(options: { url?: string; name?: string } = {}): Promise<Bus> {
  const url = options.url ?? process.env.NATS_URL ?? DEFAULT_NATS_URL;
  const nc = await connect({
    servers: url.split(','),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (error) {
    await nc.close();
    throw new Error(
      `NATS at ${url} has no JetStream (start nats-server with -js): ${(error as Error).message}`,
    );
  }
  const js = jetstream(nc);
  return {
    nc,
    js,
    jsm,
    async close() {
      await nc.drain().catch(() => nc.close());
    },
  };
}
