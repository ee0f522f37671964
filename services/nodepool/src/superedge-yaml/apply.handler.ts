import { Inject, Injectable } from '@nestjs/common';
import type { SchemaQueries } from '../db/database.js';
import { NodeGroupHandler } from '../node-group/node-group.handler.js';
import { NodeUnitHandler } from '../node-unit/node-unit.handler.js';
import { unitDefOf } from '../node-unit/node-unit.views.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { listGroups } from '../read-model/groups.queries.js';
import { listUnits } from '../read-model/units.queries.js';
import { worldOf } from '../read-model/world.queries.js';
import { ClusterLock } from '../reconciler/cluster-lock.js';
import { MembershipReconciler } from '../reconciler/membership.reconciler.js';
import { CLOCK, SCHEMA_QUERIES, type Clock } from '../tokens.js';
import { planApply, type ApplyChange } from './apply-plan.js';
import { parseSuperEdgeYaml } from './superedge-yaml.parser.js';

export interface ApplyInput {
  cluster: string;
  yaml: string;
  dryRun: boolean;
}

export interface ApplyResult {
  changes: ApplyChange[];
  warnings: string[];
}

class DryRunRollback extends Error {
  constructor(readonly changes: ApplyChange[]) {
    super('dry run');
  }
}

/**
 * `edgeplane apply -f` of SuperEdge NodeUnit/NodeGroup YAML. The whole file is one transaction
 * under the cluster's lock (all documents apply or none); a dry run executes every decision, so
 * it reports the same refusals, and then rolls back.
 */
@Injectable()
export class ApplyHandler {
  constructor(
    @Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ClusterLock) private readonly lock: ClusterLock,
    @Inject(NodeUnitHandler) private readonly units: NodeUnitHandler,
    @Inject(NodeGroupHandler) private readonly groups: NodeGroupHandler,
    @Inject(MembershipReconciler) private readonly reconciler: MembershipReconciler,
  ) {}

  async apply(input: ApplyInput): Promise<ApplyResult> {
    const { clusterId } = await resolveCluster(this.db, input.cluster);
    const { resources, warnings } = parseSuperEdgeYaml(input.yaml);
    const now = this.clock().toISOString();
    try {
      const changes = await this.lock.run(clusterId, async (trx, db) => {
        const [units, groups] = await Promise.all([listUnits(db, clusterId), listGroups(db, clusterId)]);
        const plan = planApply(resources, {
          units: new Map(units.map((u) => [u.name, { ...unitDefOf(u), isDefault: u.isDefault }])),
          groups: new Map(groups.map((g) => [g.name, { spec: g.spec }])),
        });
        for (const command of plan.commands) {
          // Each document sees the ones before it (a group may name units created above).
          const world = await worldOf(db, clusterId);
          const base = { clusterId, now, world, name: command.name };
          if (command.type === 'CreateNodeUnit' || command.type === 'UpdateNodeUnit') {
            await this.units.decide(trx, { ...base, type: command.type, spec: command.spec });
          } else {
            await this.groups.decide(trx, { ...base, type: command.type, spec: command.spec });
          }
        }
        await this.reconciler.reconcile(trx, clusterId, now);
        if (input.dryRun) throw new DryRunRollback(plan.changes);
        return plan.changes;
      });
      return { changes, warnings };
    } catch (error) {
      if (error instanceof DryRunRollback) return { changes: error.changes, warnings };
      throw error;
    }
  }
}
