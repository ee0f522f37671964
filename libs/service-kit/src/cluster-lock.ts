import { Inject } from '@nestjs/common';
import { withVersionRetry, type Db, type Trx } from '@edgeplane/eventstore';
import { DB, SCHEMA } from './tokens.js';

/** Four attempts in all, as the write path always had: a conflict here means a writer without the lock. */
const VERSION_RETRIES = 3;

/**
 * The unit of work of every change to one cluster's state in a service: one transaction holding
 * the cluster's advisory lock (keyed by the service's schema and the cluster id), so commands and
 * consumers of one cluster never decide on a world another writer is changing; the lock is
 * released at commit or rollback. A service subclasses it (an @Injectable with its own table
 * accessors as `Q`: `inSchema` of its db/database.ts).
 */
export abstract class ClusterLockBase<Q> {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) protected readonly schema: string,
  ) {}

  /** The service's queries bound to its schema inside `trx`. */
  protected abstract queries(trx: Trx): Q;

  /**
   * Runs `work` in a new transaction holding the cluster's lock, or inside the caller's (a
   * consumer's) after taking the lock there. A version conflict — another process without the
   * lock — retries the whole new transaction on fresh state; the caller's is the caller's to retry.
   */
  run<T>(clusterId: string, work: (trx: Trx, db: Q) => Promise<T>, trx?: Trx): Promise<T> {
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
      return work(t, this.queries(t));
    };
    if (trx) return locked(trx);
    return withVersionRetry(() => this.db.transaction().execute(locked), VERSION_RETRIES);
  }
}
