import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import type { AnyDb } from '@edgeplane/eventstore';
import { DB, parseRequest } from '@edgeplane/service-kit';
import { NodepoolWriter } from '../writer/nodepool.writer.js';
import { ClusterField } from '../grpc/nodepool.mapping.js';
import { parseSuperEdgeYaml } from './superedge-yaml.parser.js';
import { planApply, type ApplyChange } from './apply-plan.js';

const Apply = z.object({
  cluster: ClusterField,
  yaml: z.string().min(1, 'is required (one or more site.superedge.io/v1alpha2 documents)'),
  dryRun: z.boolean().default(false),
});

class DryRunRollback extends Error {
  constructor(readonly changes: ApplyChange[]) {
    super('dry run');
  }
}

/**
 * edgeplane.nodepool.v1.ApplyService: `edgeplane apply -f` of SuperEdge NodeUnit/NodeGroup YAML.
 * The whole file is one transaction (all documents apply or none); a dry run executes every
 * decision, so it reports the same refusals, and then rolls back.
 */
@Controller()
export class ApplyGrpcController {
  constructor(
    @Inject(NodepoolWriter) private readonly writer: NodepoolWriter,
    @Inject(DB) private readonly db: AnyDb,
  ) {}

  @GrpcMethod('ApplyService', 'Apply')
  async apply(request: unknown) {
    const req = parseRequest(Apply, request);
    const read = this.writer.read;
    const { clusterId } = await read.resolveCluster(this.db, req.cluster);
    const { resources, warnings } = parseSuperEdgeYaml(req.yaml);
    const now = new Date().toISOString();
    try {
      const changes = await this.writer.inCluster(clusterId, async (trx) => {
        const units = await read.units(trx, clusterId);
        const groups = await read.groups(trx, clusterId);
        const plan = planApply(resources, {
          units: new Map(
            units.map((u) => [
              u.name,
              { spec: u.spec, ...(u.managedBy ? { managedBy: u.managedBy } : {}), isDefault: u.isDefault },
            ]),
          ),
          groups: new Map(groups.map((g) => [g.name, { spec: g.spec }])),
        });
        for (const command of plan.commands) {
          // Each document sees the ones before it (a group may name units created above).
          const world = await read.world(trx, clusterId);
          const base = { clusterId, now, world, name: command.name };
          if (command.type === 'CreateNodeUnit' || command.type === 'UpdateNodeUnit') {
            await this.writer.unit(trx, { ...base, type: command.type, spec: command.spec });
          } else {
            await this.writer.group(trx, { ...base, type: command.type, spec: command.spec });
          }
        }
        await this.writer.reconcile(trx, clusterId, now);
        if (req.dryRun) throw new DryRunRollback(plan.changes);
        return plan.changes;
      });
      return { changes, warnings };
    } catch (error) {
      if (error instanceof DryRunRollback) return { changes: error.changes, warnings };
      throw error;
    }
  }
}
