import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import type { AnyDb } from '@edgeplane/eventstore';
import { DB, parseRequest } from '@edgeplane/service-kit';
import { NodepoolWriter } from '../writer/nodepool.writer.js';
import { ClusterField, membershipMessage } from '../grpc/nodepool.mapping.js';

const List = z.object({ cluster: ClusterField, node: z.string().default('') });

/** edgeplane.nodepool.v1.NodeMembershipService: the label layer nodepool last published per node. */
@Controller()
export class NodeMembershipGrpcController {
  constructor(
    @Inject(NodepoolWriter) private readonly writer: NodepoolWriter,
    @Inject(DB) private readonly db: AnyDb,
  ) {}

  @GrpcMethod('NodeMembershipService', 'ListNodeMemberships')
  async list(request: unknown) {
    const req = parseRequest(List, request);
    const { clusterId } = await this.writer.read.resolveCluster(this.db, req.cluster);
    const layers = await this.writer.read.layers(this.db, clusterId, req.node || undefined);
    return { memberships: [...layers].map(([node, layer]) => membershipMessage(clusterId, node, layer)) };
  }
}
