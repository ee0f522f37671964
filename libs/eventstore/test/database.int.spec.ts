import { testServices } from '@edgeplane/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Db } from '../src/index.js';

/**
 * A PostgreSQL connection that dies while it is checked out (inside a transaction, between two
 * queries) is reported and replaced; it must not end the process (pg emits 'error' on the client,
 * which the pool does not listen to while the client is lent out).
 */
describe('createDatabase: lost connections', () => {
  let db: Db;
  let admin: Db;
  const errors: string[] = [];

  beforeAll(async () => {
    const { databaseUrl } = await testServices();
    db = createDatabase({ url: databaseUrl, max: 2, onConnectionError: (e) => errors.push(e.message) });
    admin = createDatabase({ url: databaseUrl, max: 1 });
  });
  afterAll(async () => {
    await db?.destroy();
    await admin?.destroy();
  });

  it('a backend terminated inside a transaction fails that transaction only; the pool goes on', async () => {
    const outcome = await db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
        await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(admin);
        // the client learns of it between two queries, with no query of its own running
        const deadline = Date.now() + 5000;
        while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await sql`SELECT 1`.execute(trx);
        return 'committed';
      })
      .catch((error: Error) => `failed: ${error.message}`);
    expect(outcome).toMatch(/^failed: /);
    expect(errors.length).toBeGreaterThan(0);
    // the broken client was dropped: new work gets a live connection
    for (let i = 0; i < 4; i++) {
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      expect(rows[0]!.one).toBe(1);
    }
  });

  it('an idle pooled connection terminated by the server is reported and replaced', async () => {
    const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db);
    const before = errors.length;
    await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(admin);
    const deadline = Date.now() + 5000;
    while (errors.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors.length).toBeGreaterThan(before);
    const again = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db);
    expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
  });
});
