import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import YAML from 'yaml';
import { pageRequest, parseRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import type { ReportedPodStatus } from '../db/proj-pod-status.table.js';
import type { ProjPodsTable } from '../db/proj-pods.table.js';
import {
  ApplyRequest,
  ListGridsRequest,
  ListPodsRequest,
  RefRequest,
  RenderRequest,
} from '../grpc/request.mapping.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { getGrid, getPod, listGridsPage, listPodsPage, podSpecOf } from '../read-model/grids.queries.js';
import { worldOf } from '../read-model/world.queries.js';
import { SCHEMA_QUERIES } from '../tokens.js';
import { GridHandler } from './grid.handler.js';
import { gridMessage, renderedObjects, rolloutMessage } from './grid.views.js';

/**
 * What the agents last reported about the pods on `nodes` (proj_pod_status), by node: a node that
 * reported without listing a pod has not started it yet.
 */
async function reportsOf(
  db: SchemaQueries,
  clusterId: string,
  nodes: (string | null)[],
): Promise<Map<string, Record<string, ReportedPodStatus>>> {
  const wanted = [...new Set(nodes.filter((n): n is string => !!n))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('proj_pod_status')
    .select(['node', 'pods'])
    .where('cluster_id', '=', clusterId)
    .where('node', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.node, r.pods]));
}

function podMessage(
  clusterId: string,
  p: ProjPodsTable,
  specYaml = '',
  reports: Map<string, Record<string, ReportedPodStatus>> = new Map(),
) {
  const node = p.node ? reports.get(p.node) : undefined;
  const report = node && Object.hasOwn(node, p.name) ? node[p.name] : undefined;
  return {
    clusterId,
    name: p.name,
    grid: p.grid,
    child: p.child,
    unit: p.unit,
    node: p.node ?? '',
    phase: p.node ? 'Scheduled' : 'Pending',
    reason: p.reason,
    revision: p.revision,
    specYaml,
    updatedAt: p.updated_at,
    reported: node !== undefined,
    ready: report?.ready ?? false,
    failed: report?.failed ?? false,
    statusReason: report?.reason ?? '',
    ip: report?.ip ?? '',
  };
}

/** edgeplane.grid.v1.GridService: maps proto ↔ commands and queries, nothing else. */
@Controller()
export class GridGrpcController {
  constructor(
    @Inject(GridHandler) private readonly grids: GridHandler,
    @Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries,
  ) {}

  @GrpcMethod('GridService', 'Apply')
  async apply(request: unknown) {
    return { grids: await this.grids.apply(parseRequest(ApplyRequest, request)) };
  }

  @GrpcMethod('GridService', 'GetGrid')
  async get(request: unknown) {
    const req = parseRequest(RefRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    return gridMessage(await getGrid(this.db, clusterId, req.name));
  }

  @GrpcMethod('GridService', 'ListGrids')
  async list(request: unknown) {
    const req = parseRequest(ListGridsRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    const page = pageRequest(req, { list: 'grids', cluster: req.cluster, kind: req.kind });
    const { items, nextPageToken } = await listGridsPage(this.db, clusterId, req.kind, page);
    return { grids: items.map(gridMessage), nextPageToken };
  }

  @GrpcMethod('GridService', 'DeleteGrid')
  async remove(request: unknown) {
    await this.grids.delete(parseRequest(RefRequest, request));
    return {};
  }

  @GrpcMethod('GridService', 'Render')
  async render(request: unknown) {
    const req = parseRequest(RenderRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    const grid = await getGrid(this.db, clusterId, req.name);
    return renderedObjects(grid, await worldOf(this.db, clusterId), req.unit);
  }

  @GrpcMethod('GridService', 'RolloutStatus')
  async rolloutStatus(request: unknown) {
    const req = parseRequest(RefRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    return rolloutMessage(await getGrid(this.db, clusterId, req.name));
  }

  @GrpcMethod('GridService', 'Pause')
  async pause(request: unknown) {
    return rolloutMessage(await this.grids.pause(parseRequest(RefRequest, request)));
  }

  @GrpcMethod('GridService', 'Resume')
  async resume(request: unknown) {
    return rolloutMessage(await this.grids.resume(parseRequest(RefRequest, request)));
  }

  @GrpcMethod('GridService', 'Undo')
  async undo(request: unknown) {
    return rolloutMessage(await this.grids.undo(parseRequest(RefRequest, request)));
  }

  @GrpcMethod('GridService', 'ListPods')
  async listPods(request: unknown) {
    const req = parseRequest(ListPodsRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    const filter = { grid: req.grid, unit: req.unit, node: req.node };
    const page = pageRequest(req, { list: 'pods', cluster: req.cluster, ...filter });
    const { items, nextPageToken } = await listPodsPage(this.db, clusterId, filter, page);
    const reports = await reportsOf(
      this.db,
      clusterId,
      items.map((p) => p.node),
    );
    return { pods: items.map((p) => podMessage(clusterId, p, '', reports)), nextPageToken };
  }

  @GrpcMethod('GridService', 'GetPod')
  async getPod(request: unknown) {
    const req = parseRequest(RefRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    const pod = await getPod(this.db, clusterId, req.name);
    const spec = pod.node ? await podSpecOf(this.db, clusterId, pod.node, pod.name) : undefined;
    const reports = await reportsOf(this.db, clusterId, [pod.node]);
    return podMessage(clusterId, pod, spec ? YAML.stringify(spec) : '', reports);
  }
}
