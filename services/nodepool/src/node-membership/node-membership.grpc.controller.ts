import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import { pageRequest, parseRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import { ClusterField } from '../grpc/request.mapping.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { layersPage } from '../read-model/memberships.queries.js';
import { SCHEMA_QUERIES } from '../tokens.js';

const List = z.object({
  cluster: ClusterField,
  node: z.string().default(''),
  pageToken: z.string().default(''),
  pageSize: z.number().int().default(0),
});

/** edgeplane.nodepool.v1.NodeMembershipService: the label layer nodepool last published per node. */
@Controller()
export class NodeMembershipGrpcController {
  constructor(@Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries) {}

  @GrpcMethod('NodeMembershipService', 'ListNodeMemberships')
  async list(request: unknown) {
    const req = parseRequest(List, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    const page = pageRequest(req, { list: 'memberships', cluster: req.cluster, node: req.node });
    const { items, nextPageToken } = await layersPage(this.db, clusterId, req.node || undefined, page);
    return { memberships: items.map(({ node, layer }) => ({ clusterId, node, ...layer })), nextPageToken };
  }
}
