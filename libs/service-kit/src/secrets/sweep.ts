import { sql, type Kysely, type Transaction } from 'kysely';
import { SealedSecretSchema, SecretsError, type Keyring } from './keyring.js';

/** One secret column pair of a table: the legacy plaintext column and its sealed (jsonb) twin. */
export interface SealedColumn {
  /** legacy plaintext column, NULL once sealed (the sweep seals what is left in it); none for new tables */
  plain?: string;
  /** jsonb column holding the SealedSecret */
  sealed: string;
  /** the AEAD context of a row's secret, from its key columns (binds a ciphertext to its record) */
  context(key: Record<string, string>): string;
}

export interface SealTableSpec {
  schema: string;
  table: string;
  /** primary-key columns (text) */
  key: string[];
  columns: SealedColumn[];
}

export interface SweepResult {
  /** plaintext secrets encrypted */
  sealed: number;
  /** data keys re-wrapped under the current KEK */
  rewrapped: number;
  /** secrets whose data key was checked to open */
  verified: number;
}

/**
 * The start-up sweep of one table, in one transaction (rows locked): plaintext left by an older
 * version is sealed and its column cleared; data keys under an older KEK are re-wrapped under the
 * current one; every other record's data key is unwrapped once, so a wrong or missing KEK fails the
 * start with a SecretsError naming the table — not the first request that needs a key. Idempotent.
 */
export async function sweepSealedTable<DB>(
  db: Kysely<DB>,
  keyring: Keyring,
  spec: SealTableSpec,
): Promise<SweepResult> {
  const run = async (trx: Transaction<DB>): Promise<SweepResult> => {
    const result: SweepResult = { sealed: 0, rewrapped: 0, verified: 0 };
    const table = sql.id(spec.schema, spec.table);
    const cols = [...spec.key, ...spec.columns.flatMap((c) => (c.plain ? [c.plain, c.sealed] : [c.sealed]))];
    const { rows } = await sql<Record<string, unknown>>`
      SELECT ${sql.join(cols.map((c) => sql.id(c)))} FROM ${table} FOR UPDATE`.execute(trx);
    for (const row of rows) {
      const key = Object.fromEntries(spec.key.map((k) => [k, String(row[k])]));
      const updates: Record<string, unknown> = {};
      for (const col of spec.columns) {
        const context = col.context(key);
        const plain = col.plain ? row[col.plain] : null;
        if (col.plain && typeof plain === 'string') {
          updates[col.sealed] = JSON.stringify(keyring.seal(plain, context));
          updates[col.plain] = null;
          result.sealed++;
          continue;
        }
        if (row[col.sealed] === null || row[col.sealed] === undefined) continue;
        const parsed = SealedSecretSchema.safeParse(row[col.sealed]);
        if (!parsed.success)
          throw new SecretsError(`${spec.table}.${col.sealed} (${context}) is no sealed secret`);
        try {
          if (keyring.isCurrent(parsed.data)) {
            keyring.verify(parsed.data);
            result.verified++;
          } else {
            updates[col.sealed] = JSON.stringify(keyring.rewrap(parsed.data));
            result.rewrapped++;
          }
        } catch (error) {
          if (error instanceof SecretsError)
            throw new SecretsError(`${spec.schema}.${spec.table} (${context}): ${error.message}`);
          throw error;
        }
      }
      const sets = Object.entries(updates);
      if (sets.length === 0) continue;
      await sql`
        UPDATE ${table} SET ${sql.join(sets.map(([c, v]) => (v === null ? sql`${sql.id(c)} = NULL` : sql`${sql.id(c)} = ${v}::jsonb`)))}
        WHERE ${sql.join(
          spec.key.map((k) => sql`${sql.id(k)} = ${key[k]}`),
          sql` AND `,
        )}`.execute(trx);
    }
    return result;
  };
  return db.transaction().execute(run);
}
