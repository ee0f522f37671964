import { createDatabase, type Db } from '@edgeplane/eventstore';
import { freePort, testServices, uniqueName } from '@edgeplane/testing';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransientError } from '../src/index.js';

/**
 * The errors a real PostgreSQL gives while it refuses connections are transient: the chaos bench
 * dead-lettered messages on "database … is not currently accepting connections" (SQLSTATE 55000).
 * A scratch database with ALLOW_CONNECTIONS false, through the pool the services use (Kysely over
 * pg.Pool), then allowed again; a closed port for ECONNREFUSED.
 */
describe('transient: a database refusing connections (real PostgreSQL)', () => {
  let admin: pg.Client;
  let scratchUrl: string;
  const dbName = uniqueName('hard_refuse').replace(/-/g, '_').toLowerCase();
  const pools: Db[] = [];

  beforeAll(async () => {
    const { databaseUrl } = await testServices();
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${dbName}`;
    scratchUrl = url.toString();
  });

  afterAll(async () => {
    for (const db of pools) await db.destroy().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });

  it('55000 "not currently accepting connections" is transient, and the same work succeeds once allowed', async () => {
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
    const db = createDatabase({ url: scratchUrl, max: 1, connectionTimeoutMs: 5_000 });
    pools.push(db);
    const refused = await sql`SELECT 1 AS one`
      .execute(db)
      .then(
        () => undefined,
        (error: unknown) => error,
      )
      .finally(() => admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`));
    expect(refused).toMatchObject({ code: '55000' });
    expect(String((refused as Error).message)).toContain('is not currently accepting connections');
    expect(isTransientError(refused)).toBe(true);

    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
    expect(rows[0]?.one).toBe(1);
  });

  it('a 55000 about the statement itself is not transient', async () => {
    // a real 55000 from a statement (currval before nextval) fails again however often it is retried
    const db = createDatabase({ url: scratchUrl, max: 1 });
    pools.push(db);
    await sql`CREATE SEQUENCE IF NOT EXISTS s`.execute(db);
    const error = await sql`SELECT currval('s')`.execute(db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: '55000' });
    expect(isTransientError(error)).toBe(false);
  });

  it('a refused TCP connection (nothing listening) is transient', async () => {
    const port = await freePort();
    const db = createDatabase({ url: `postgres://postgres@127.0.0.1:${port}/${dbName}`, max: 1 });
    pools.push(db);
    const error = await sql`SELECT 1`.execute(db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    expect(isTransientError(error)).toBe(true);
  });
});
