import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import { parseRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import { ClusterField } from '../grpc/request.mapping.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { layersOf } from '../read-model/memberships.queries.js';
import { SCHEMA_QUERIES } from '../tokens.js';

const List = z.object({ cluster: ClusterField, node: z.string().default('') });

/** edgeplane.nodepool.v1.NodeMembershipService: the label layer nodepool last published per node. */
@Controller()
export class NodeMembershipGrpcController {
  constructor(@Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries) {}

  @GrpcMethod('NodeMembershipService', 'ListNodeMemberships')
  async list(request: unknown) {
    const req = parseRequest(List, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    const layers = await layersOf(this.db, clusterId, req.node || undefined);
    return { memberships: [...layers].map(([node, layer]) => ({ clusterId, node, ...layer })) };
  }
}
