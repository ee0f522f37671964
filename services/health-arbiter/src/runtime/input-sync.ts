import { sql } from 'kysely';
import pg from 'pg';
import type { Db, Trx } from '@edgeplane/eventstore';
import type { Logger } from '@edgeplane/observability';

/**
 * What changed in the shared read model, told to every replica of the schema: the domain
 * consumers (one durable per schema, so ONE replica applies each event) NOTIFY in the transaction
 * that applies it, PostgreSQL delivers it to every listener after the commit, and the replica that
 * judges the cluster re-reads the row into its engine. A barrier is a notice this replica sends
 * itself: notices arrive in commit order, so receiving it means every change committed before it
 * has been delivered.
 */
export type InputNotice =
  | { k: 'node'; c: string; n: string }
  | { k: 'settings'; c: string }
  | { k: 'cluster'; c: string }
  | { k: 'barrier'; id: string };

/** The channel of a schema's notices (`<schema>_inputs`: fits 63 bytes like `<schema>_events`). */
export function inputChannel(schema: string): string {
  return `${schema}_inputs`;
}

/** NOTIFY a change from inside the transaction that makes it (delivered on commit, deduplicated). */
export async function noticeInput(db: Db | Trx, schema: string, notice: InputNotice): Promise<void> {
  await sql`SELECT pg_notify(${inputChannel(schema)}, ${JSON.stringify(notice)})`.execute(db);
}

/**
 * LISTENs on the schema's channel on a connection of its own and hands every notice over. A lost
 * connection is re-opened (1 s apart) and `resync` is called after each reconnection: notices
 * sent meanwhile are lost, so the listener's owner reloads what it judges.
 */
export class InputListener {
  private client?: pg.Client;
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly barriers = new Map<string, () => void>();
  private nextBarrier = 0;
  private readonly instance = Math.random().toString(36).slice(2);

  constructor(
    private readonly databaseUrl: string,
    private readonly schema: string,
    private readonly onNotice: (notice: InputNotice) => void,
    private readonly resync: () => Promise<void>,
    private readonly logger?: Logger,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Resolves once every notice committed before this call has been handed over. */
  async barrier(db: Db, timeoutMs = 5000): Promise<void> {
    if (!this.client) throw new Error('input listener not connected');
    const id = `${this.instance}:${this.nextBarrier++}`;
    let arrive = () => {};
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    this.barriers.set(id, arrive);
    let timer: NodeJS.Timeout | undefined;
    try {
      await noticeInput(db, this.schema, { k: 'barrier', id });
      await Promise.race([
        arrived,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('input barrier timed out')), timeoutMs);
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
      this.barriers.delete(id);
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: `health-inputs` });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.scheduleReconnect();
    });
    client.on('notification', (msg) => {
      if (!msg.payload) return;
      let notice: InputNotice;
      try {
        notice = JSON.parse(msg.payload) as InputNotice;
      } catch {
        return;
      }
      if (notice.k === 'barrier') {
        this.barriers.get(notice.id)?.();
        this.barriers.delete(notice.id);
        return;
      }
      this.onNotice(notice);
    });
    await client.connect();
    await client.query(`LISTEN "${inputChannel(this.schema)}"`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect()
        .then(() => {
          this.logger?.info('input listener reconnected; reloading the judged clusters');
          return this.resync();
        })
        .catch((error: Error) => {
          this.logger?.warn({ err: error.message }, 'input listener reconnect failed');
          this.scheduleReconnect();
        });
    }, 1000);
  }
}
