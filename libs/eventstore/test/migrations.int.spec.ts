import { testServices, uniqueSchema } from '@edgeplane/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateSchema, type Db } from '../src/index.js';

/**
 * Kysely's migrator introspects the tables of every schema of the database; other tenants (test
 * files running in parallel, side-by-side instances) create and drop schemas meanwhile. A schema
 * dropped during that introspection must not fail this schema's migration (it failed a service's
 * start in CI: `schema "…" does not exist` from PostgresIntrospector.getTables).
 */
describe('migrateSchema while other schemas come and go', () => {
  let db: Db;
  let churn: Db;
  const mine: string[] = [];

  beforeAll(async () => {
    const { databaseUrl } = await testServices();
    db = createDatabase({ url: databaseUrl, max: 4 });
    churn = createDatabase({ url: databaseUrl, max: 4 });
  });
  afterAll(async () => {
    for (const s of mine)
      await sql`DROP SCHEMA IF EXISTS ${sql.id(s)} CASCADE`.execute(db).catch(() => undefined);
    await db?.destroy();
    await churn?.destroy();
  });

  it('migrates every schema although others are dropped during its introspection', async () => {
    let stop = false;
    let churned = 0;
    const churner = async () => {
      while (!stop) {
        const other = uniqueSchema('churn');
        await sql`CREATE SCHEMA ${sql.id(other)}`.execute(churn);
        for (let t = 0; t < 20; t++)
          await sql`CREATE TABLE ${sql.id(other, `t${t}`)} (id int PRIMARY KEY, v text)`.execute(churn);
        await sql`DROP SCHEMA ${sql.id(other)} CASCADE`.execute(churn);
        churned++;
      }
    };
    const churners = [churner(), churner(), churner()];
    const failures: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const schema = uniqueSchema('mig');
        mine.push(schema);
        const applied = await migrateSchema(db, schema).catch((e: Error) => {
          failures.push(e.message);
          return [];
        });
        if (applied.length > 0) expect(applied.length).toBeGreaterThan(1);
      }
    } finally {
      stop = true;
      await Promise.all(churners);
    }
    expect(churned).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    for (const s of mine) {
      const { rows } = await sql<{ n: string }>`
        SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = ${s} AND table_name = 'events'`.execute(
        db,
      );
      expect(Number(rows[0]!.n)).toBe(1);
    }
  });
});
