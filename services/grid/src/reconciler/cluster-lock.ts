import { Inject, Injectable } from '@nestjs/common';
import { withVersionRetry, type Db, type Trx } from '@edgeplane/eventstore';
import { DB, SCHEMA } from '@edgeplane/service-kit';
import { inSchema, type SchemaQueries } from '../db/database.js';

/** Four attempts in all, as the write path always had: a conflict here means a writer without the lock. */
const VERSION_RETRIES = 3;

/**
 * The unit of work of every change to a cluster's grids or their inputs: one transaction holding
 * the cluster's advisory lock, so commands and consumers of one cluster never decide on a world
 * another writer is changing (the lock is released at commit or rollback).
 */
@Injectable()
export class ClusterLock {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
  ) {}

  /**
   * Runs `work` in a new transaction holding the cluster's lock, or inside the caller's (a
   * consumer's) after taking the lock there. A version conflict — another process without the
   * lock — retries the whole new transaction on fresh state; the caller's is the caller's to retry.
   */
  run<T>(clusterId: string, work: (trx: Trx, db: SchemaQueries) => Promise<T>, trx?: Trx): Promise<T> {
    const locked = async (t: Trx) => {
      await t
        .selectNoFrom((eb) =>
          eb
            .fn('pg_advisory_xact_lock', [
              eb.fn('hashtextextended', [eb.val(`${this.schema}:${clusterId}`), eb.lit(0)]),
            ])
            .as('locked'),
        )
        .execute();
      return work(t, inSchema(t, this.schema));
    };
    if (trx) return locked(trx);
    return withVersionRetry(() => this.db.transaction().execute(locked), VERSION_RETRIES);
  }
}
