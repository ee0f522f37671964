import type { Db } from '@edgeplane/eventstore';
import type { AccessTable, Caller } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
import { layersOf } from './memberships.queries.js';
import { resolveCluster } from './clusters.queries.js';

/**
 * The role each method of nodepool needs (docs/architecture.md, "Identity and authorization").
 * ReportKinsStatus is a node's: only a node of the unit it reports for (its published layer
 * names the unit) — a node of another unit or cluster is refused.
 */
export function nodepoolAccess({ db, schema }: { db: Db; schema: string }): AccessTable {
  const q = inSchema(db, schema);
  const nodeInUnit = async (caller: Caller, request: Record<string, unknown>) => {
    const unit = typeof request.unit === 'string' ? request.unit : '';
    const cluster = typeof request.cluster === 'string' ? request.cluster : '';
    const known = await resolveCluster(q, cluster).catch(() => undefined);
    if (!known) return `cluster ${cluster} is not known`;
    const layer = (await layersOf(q, known.clusterId, caller.name)).get(caller.name);
    return layer?.units.includes(unit)
      ? undefined
      : `node ${caller.name} is not in unit ${unit}: it may report only for its own unit`;
  };
  return {
    'edgeplane.nodepool.v1.NodeUnitService/CreateNodeUnit': 'edit',
    'edgeplane.nodepool.v1.NodeUnitService/UpdateNodeUnit': 'edit',
    'edgeplane.nodepool.v1.NodeUnitService/DeleteNodeUnit': 'edit',
    'edgeplane.nodepool.v1.NodeUnitService/GetNodeUnit': 'view',
    'edgeplane.nodepool.v1.NodeUnitService/ListNodeUnits': 'view',
    'edgeplane.nodepool.v1.NodeUnitService/GetUnitStatus': 'view',
    'edgeplane.nodepool.v1.NodeGroupService/CreateNodeGroup': 'edit',
    'edgeplane.nodepool.v1.NodeGroupService/UpdateNodeGroup': 'edit',
    'edgeplane.nodepool.v1.NodeGroupService/DeleteNodeGroup': 'edit',
    'edgeplane.nodepool.v1.NodeGroupService/GetNodeGroup': 'view',
    'edgeplane.nodepool.v1.NodeGroupService/ListNodeGroups': 'view',
    'edgeplane.nodepool.v1.KinsService/Promote': 'edit',
    'edgeplane.nodepool.v1.KinsService/Demote': 'edit',
    'edgeplane.nodepool.v1.KinsService/GetKins': 'view',
    'edgeplane.nodepool.v1.KinsService/SetPublicAccess': 'edit',
    'edgeplane.nodepool.v1.KinsService/ReportKinsStatus': { role: 'node', nodeCheck: nodeInUnit },
    'edgeplane.nodepool.v1.NodeMembershipService/ListNodeMemberships': 'view',
    'edgeplane.nodepool.v1.ApplyService/Apply': 'edit',
  };
}
