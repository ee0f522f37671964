import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import type { AnyDb } from '@edgeplane/eventstore';
import { DB, parseRequest } from '@edgeplane/service-kit';
import { NodepoolWriter } from '../writer/nodepool.writer.js';
import {
  ClusterField,
  GroupSpecMessage,
  groupMessage,
  groupSpecInput,
  NameField,
  page,
} from '../grpc/nodepool.mapping.js';

const Ref = z.object({ cluster: ClusterField, name: NameField });
const WithSpec = Ref.extend({ spec: GroupSpecMessage });
const List = z.object({
  cluster: ClusterField,
  pageToken: z.string().default(''),
  pageSize: z.number().int().nonnegative().default(0),
});

/** edgeplane.nodepool.v1.NodeGroupService: maps proto ↔ commands, nothing else. */
@Controller()
export class NodeGroupGrpcController {
  constructor(
    @Inject(NodepoolWriter) private readonly writer: NodepoolWriter,
    @Inject(DB) private readonly db: AnyDb,
  ) {}

  private get read() {
    return this.writer.read;
  }

  @GrpcMethod('NodeGroupService', 'CreateNodeGroup')
  async create(request: unknown) {
    return this.write('CreateNodeGroup', request);
  }

  @GrpcMethod('NodeGroupService', 'UpdateNodeGroup')
  async update(request: unknown) {
    return this.write('UpdateNodeGroup', request);
  }

  /** Create and update differ only in the command: decide against the cluster's world, reconcile, answer. */
  private async write(type: 'CreateNodeGroup' | 'UpdateNodeGroup', request: unknown) {
    const req = parseRequest(WithSpec, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const now = new Date().toISOString();
    return this.writer.inCluster(clusterId, async (trx) => {
      const world = await this.read.world(trx, clusterId);
      await this.writer.group(trx, {
        type,
        clusterId,
        name: req.name,
        spec: groupSpecInput(req.spec),
        world,
        now,
      });
      await this.writer.reconcile(trx, clusterId, now);
      return groupMessage(await this.read.group(trx, clusterId, req.name));
    });
  }

  @GrpcMethod('NodeGroupService', 'DeleteNodeGroup')
  async remove(request: unknown) {
    const req = parseRequest(Ref, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const now = new Date().toISOString();
    await this.writer.inCluster(clusterId, async (trx) => {
      await this.writer.group(trx, { type: 'DeleteNodeGroup', clusterId, name: req.name, now });
      await this.writer.reconcile(trx, clusterId, now);
    });
    return {};
  }

  @GrpcMethod('NodeGroupService', 'GetNodeGroup')
  async get(request: unknown) {
    const req = parseRequest(Ref, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    return groupMessage(await this.read.group(this.db, clusterId, req.name));
  }

  @GrpcMethod('NodeGroupService', 'ListNodeGroups')
  async list(request: unknown) {
    const req = parseRequest(List, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const { items, nextPageToken } = page(
      await this.read.groups(this.db, clusterId),
      req.pageToken,
      req.pageSize,
    );
    return { groups: items.map(groupMessage), nextPageToken };
  }
}
