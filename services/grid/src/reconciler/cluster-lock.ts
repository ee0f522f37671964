import { Injectable } from '@nestjs/common';
import type { Trx } from '@edgeplane/eventstore';
import { ClusterLockBase } from '@edgeplane/service-kit';
import { inSchema, type SchemaQueries } from '../db/database.js';

/** Every change to a cluster's grids or their inputs runs under the cluster's lock (ClusterLockBase). */
@Injectable()
export class ClusterLock extends ClusterLockBase<SchemaQueries> {
  protected queries(trx: Trx): SchemaQueries {
    return inSchema(trx, this.schema);
  }
}
