/**
 * The container path of @edgeplane/testing: PostgreSQL 15 and NATS JetStream started by
 * Testcontainers from the local images (scripts/containers/build-images.sh) on the engine it finds
 * (in CI: podman's Docker-compatible API, scripts/containers/podman-setup.sh). Skipped, saying why,
 * when no container engine answers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDatabase } from '@edgeplane/eventstore';
import { connectBus } from '@edgeplane/messaging';
import { containerEngine, startContainerServices, type ContainerServices } from '../src/containers.js';

const engine = await containerEngine();
const unavailable = engine.ok ? undefined : engine.reason;
if (unavailable) console.warn(`containers.int.spec: skipped: ${unavailable}`);

describe.skipIf(unavailable)(
  `PostgreSQL and NATS in containers${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let services: ContainerServices | undefined;
    afterAll(async () => {
      await services?.stop();
    }, 60_000);

    it('starts both from the local images and they serve: SQL on PostgreSQL 15, a JetStream publish acked and read back', async () => {
      services = await startContainerServices();
      // not the host's own servers
      expect(services.databaseUrl).not.toMatch(/:5432\//);
      expect(services.natsUrl).not.toMatch(/:4222$/);

      const db = createDatabase({ url: services.databaseUrl, max: 2 });
      try {
        const { rows } = await sql<{
          v: string;
          db: string;
        }>`SELECT version() AS v, current_database() AS db`.execute(db);
        expect(rows[0]?.v).toMatch(/^PostgreSQL 15\./);
        expect(rows[0]?.db).toBe('test');
        await sql`CREATE TABLE t (id int PRIMARY KEY)`.execute(db);
        await sql`INSERT INTO t VALUES (1), (2)`.execute(db);
        const count = await sql<{ n: string }>`SELECT count(*) AS n FROM t`.execute(db);
        expect(Number(count.rows[0]?.n)).toBe(2);
      } finally {
        await db.destroy();
      }

      const bus = await connectBus({ url: services.natsUrl, name: 'containers-test' });
      try {
        await bus.jsm.streams.add({ name: 'CONTAINERS_TEST', subjects: ['containers.test.>'] });
        const ack = await bus.js.publish('containers.test.a', new TextEncoder().encode('hello'));
        expect(ack.stream).toBe('CONTAINERS_TEST');
        expect(ack.seq).toBe(1);
        const msg = await bus.jsm.streams.getMessage('CONTAINERS_TEST', { seq: 1 });
        expect(new TextDecoder().decode(msg?.data)).toBe('hello');
      } finally {
        await bus.close();
      }
    }, 240_000);

    it('refuses to fall back or pull when an image is missing, and says which and how to build it', async () => {
      await expect(startContainerServices({ postgres: 'localhost/edgeplane/absent:0' })).rejects.toThrow(
        /image localhost\/edgeplane\/absent:0 is not on .*build-images\.sh/,
      );
    }, 60_000);
  },
);
