import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { busCredentialsFromEnv, natsAuthOptions, type BusCredentials } from './credentials.js';
import { isTransientError } from './transient.js';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  close(): Promise<void>;
}

export interface BusOptions {
  url?: string;
  name?: string;
  /**
   * Told when the connection drops and when it is back (the client reconnects by itself, for as
   * long as it takes; subscriptions and consumers carry on once it is back).
   */
  onConnectionChange?: (change: { type: 'disconnect' | 'reconnect'; server: string }) => void;
  /**
   * Who this process is on a closed bus (NKEY seed file or user/password, and its inbox prefix);
   * default: from the environment (`busCredentialsFromEnv`: NATS_NKEY_SEED_FILE, NATS_USER +
   * NATS_PASSWORD[_FILE], NATS_INBOX_PREFIX). None on an open bus.
   */
  credentials?: BusCredentials;
}

/**
 * Connects to NATS and checks JetStream is enabled (fails fast with a clear error otherwise). A
 * NATS that cannot be reached throws a transient error (`isTransientError`): at start, callers
 * wait for it with `untilReachable`; once connected, the client reconnects by itself.
 */
export async function connectBus(options: BusOptions = {}): Promise<Bus> {
  const url = options.url ?? process.env.NATS_URL ?? DEFAULT_NATS_URL;
  const nc = await connect({
    servers: url.split(','),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // a credential the server refuses ends the start (AuthorizationError, not transient)
    ...natsAuthOptions(options.credentials ?? busCredentialsFromEnv()),
  });
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (error) {
    await nc.close();
    // NATS lost or slow between the connect and the check: the caller may try again (untilReachable).
    // No responders is JetStream switched off (the class is not exported: matched by its name).
    if (isTransientError(error) && (error as Error).name !== 'JetStreamNotEnabled') throw error;
    throw new Error(
      `NATS at ${url.replace(/\/\/[^/@\s]*@/g, '//***@')} has no JetStream (start nats-server with -js): ${(error as Error).message}`,
    );
  }
  const js = jetstream(nc);
  const onChange = options.onConnectionChange;
  if (onChange) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect')
          onChange({ type: status.type, server: status.server });
      }
    })();
  }
  return {
    nc,
    js,
    jsm,
    async close() {
      await nc.drain().catch(() => nc.close());
    },
  };
}
