import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { createDatabase, migrateSchema, type Db } from '@edgeplane/eventstore';
import { connectBus, ensureStream, type Bus } from '@edgeplane/messaging';
import { allStreams, schemaName, schemaPrefix } from '@edgeplane/contracts';
import type { Migration } from 'kysely';
import { sql } from 'kysely';
import {
  startContainerServices,
  TEST_NATS_IMAGE,
  TEST_POSTGRES_IMAGE,
  type ContainerServices,
} from './containers.js';

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_NATS = 'nats://127.0.0.1:4222';

let resolved: Promise<{ databaseUrl: string; natsUrl: string }> | undefined;
let containers: ContainerServices | undefined;

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 1000 }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * Where the tests' PostgreSQL and NATS are: from env (CI) first, then the local defaults, then
 * PostgreSQL and NATS started in containers by Testcontainers (./containers.ts, local images) —
 * announced on stderr; when that fails the error says why. Never a mock.
 */
export function testServices(): Promise<{ databaseUrl: string; natsUrl: string }> {
  resolved ??= (async () => {
    if (process.env.DATABASE_URL && process.env.NATS_URL) {
      return { databaseUrl: process.env.DATABASE_URL, natsUrl: process.env.NATS_URL };
    }
    const pgUp = await reachable('127.0.0.1', 5432);
    const natsUp = await reachable('127.0.0.1', 4222);
    if (pgUp && natsUp) {
      return {
        databaseUrl: process.env.DATABASE_URL ?? DEFAULT_PG,
        natsUrl: process.env.NATS_URL ?? DEFAULT_NATS,
      };
    }
    // Nothing given and nothing local: containers, said out loud; a failure says why.
    const missing = [!pgUp && 'PostgreSQL on 127.0.0.1:5432', !natsUp && 'NATS on 127.0.0.1:4222'].filter(
      Boolean,
    );
    console.warn(
      `@edgeplane/testing: DATABASE_URL/NATS_URL are not set and nothing answers (${missing.join(', ')}); ` +
        `starting PostgreSQL (${TEST_POSTGRES_IMAGE}) and NATS (${TEST_NATS_IMAGE}) in containers`,
    );
    const started = await startContainerServices().catch((error: Error) => {
      throw new Error(
        `integration tests need PostgreSQL and NATS JetStream: set DATABASE_URL and NATS_URL, start them on ` +
          `127.0.0.1:5432/4222, or provide a container engine — ${error.message}`,
      );
    });
    containers = started;
    console.warn(
      `@edgeplane/testing: containers on ${started.engine}: DATABASE_URL=${started.databaseUrl} NATS_URL=${started.natsUrl}`,
    );
    // processes this one starts (services under test, vitest workers after the global setup) use them too
    process.env.DATABASE_URL = started.databaseUrl;
    process.env.NATS_URL = started.natsUrl;
    return { databaseUrl: started.databaseUrl, natsUrl: started.natsUrl };
  })();
  return resolved;
}

/**
 * Stops the containers testServices() started in this process, if any (the int project's global
 * teardown calls it; ryuk is off, so nothing else would).
 */
export async function stopTestContainers(): Promise<void> {
  const c = containers;
  containers = undefined;
  if (c) await c.stop();
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * A unique schema name in this process's EDGEPLANE_ENV — the name the service kit runs a service
 * on when given it (as `schema` or SERVICE_SCHEMA), so a test can query it directly.
 */
export function uniqueSchema(prefix: string): string {
  return schemaName(
    uniqueName(prefix)
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_'),
  );
}

/**
 * The suffix the service kit appends to the durables of an instance on its own `schema` (a
 * side-by-side test instance): from the schema's name without the EDGEPLANE_ENV prefix.
 */
export function durableSuffixOf(schema: string): string {
  const prefix = schemaPrefix();
  const logical = prefix && schema.startsWith(prefix) ? schema.slice(prefix.length) : schema;
  return `-${logical.replace(/_/g, '-')}`;
}

export interface TestDatabase {
  db: Db;
  schema: string;
  databaseUrl: string;
  drop(): Promise<void>;
}

/** A fresh, migrated schema of its own for one test file (in its EDGEPLANE_ENV); dropped afterwards. */
export async function freshSchema(
  prefix: string,
  migrations: (schema: string) => Record<string, Migration> = () => ({}),
): Promise<TestDatabase> {
  const { databaseUrl } = await testServices();
  const schema = schemaName(
    uniqueName(`t_${prefix}`)
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_'),
  );
  const db = createDatabase({ url: databaseUrl, max: 8 });
  await migrateSchema(db, schema, migrations(schema));
  return {
    db,
    schema,
    databaseUrl,
    async drop() {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
      await db.destroy();
    },
  };
}

/** A bus connection with every declared stream present (in this process's EDGEPLANE_ENV). */
export async function testBus(): Promise<Bus> {
  const { natsUrl } = await testServices();
  const bus = await connectBus({ url: natsUrl, name: 'test' });
  for (const decl of allStreams()) await ensureStream(bus.jsm, decl);
  return bus;
}

/** Polls until `check` returns a truthy value or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  stepMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * A TCP port that was free a moment ago (for servers whose library hides the bound port). Taken
 * below the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by default):
 * a port from `listen(0)` comes from that range, and between our check and the server's bind any
 * outgoing connection on the machine (a database client, another test) may be given it as its
 * local port — EADDRINUSE at start, seen a few times an hour on a busy machine. Ports here are
 * never handed out implicitly, so only another explicit listener can take one; they rotate
 * through the range from a random start, so parallel test files rarely try the same one.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    // taken into a local before the await: concurrent calls move nextPort meanwhile
    const candidate = (nextPort = nextPort >= PORT_RANGE_END ? PORT_RANGE_START : nextPort + 1);
    if (await canListen(candidate)) return candidate;
  }
  return ephemeralPort();
}

const PORT_RANGE_START = 20_000;
const PORT_RANGE_END = 32_000;
let nextPort = PORT_RANGE_START + Math.floor(Math.random() * (PORT_RANGE_END - PORT_RANGE_START));

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
