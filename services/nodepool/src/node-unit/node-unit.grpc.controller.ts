import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import type { AnyDb } from '@edgeplane/eventstore';
import { DB, parseRequest } from '@edgeplane/service-kit';
import { computeUnitStatus } from '../unit-status/unit-status.js';
import { NodepoolWriter } from '../writer/nodepool.writer.js';
import {
  ClusterField,
  NameField,
  page,
  statusMessage,
  unitSpecInput,
  UnitSpecMessage,
} from '../grpc/nodepool.mapping.js';
import { unitMessageOf, unitMessages } from '../grpc/views.js';

const Ref = z.object({ cluster: ClusterField, name: NameField });
const WithSpec = Ref.extend({ spec: UnitSpecMessage });
const List = z.object({
  cluster: ClusterField,
  pageToken: z.string().default(''),
  pageSize: z.number().int().nonnegative().default(0),
});

/** edgeplane.nodepool.v1.NodeUnitService: maps proto ↔ commands, nothing else. */
@Controller()
export class NodeUnitGrpcController {
  constructor(
    @Inject(NodepoolWriter) private readonly writer: NodepoolWriter,
    @Inject(DB) private readonly db: AnyDb,
  ) {}

  private get read() {
    return this.writer.read;
  }

  @GrpcMethod('NodeUnitService', 'CreateNodeUnit')
  async create(request: unknown) {
    return this.write('CreateNodeUnit', request);
  }

  @GrpcMethod('NodeUnitService', 'UpdateNodeUnit')
  async update(request: unknown) {
    return this.write('UpdateNodeUnit', request);
  }

  /** Create and update differ only in the command: decide against the cluster's world, reconcile, answer. */
  private async write(type: 'CreateNodeUnit' | 'UpdateNodeUnit', request: unknown) {
    const req = parseRequest(WithSpec, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const now = new Date().toISOString();
    return this.writer.inCluster(clusterId, async (trx) => {
      const world = await this.read.world(trx, clusterId);
      await this.writer.unit(trx, {
        type,
        clusterId,
        name: req.name,
        spec: unitSpecInput(req.spec),
        world,
        now,
      });
      await this.writer.reconcile(trx, clusterId, now);
      return unitMessageOf(this.read, trx, clusterId, req.name);
    });
  }

  @GrpcMethod('NodeUnitService', 'DeleteNodeUnit')
  async remove(request: unknown) {
    const req = parseRequest(Ref, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const now = new Date().toISOString();
    await this.writer.inCluster(clusterId, async (trx) => {
      await this.writer.unit(trx, { type: 'DeleteNodeUnit', clusterId, name: req.name, now });
      await this.writer.reconcile(trx, clusterId, now);
    });
    return {};
  }

  @GrpcMethod('NodeUnitService', 'GetNodeUnit')
  async get(request: unknown) {
    const req = parseRequest(Ref, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    return unitMessageOf(this.read, this.db, clusterId, req.name);
  }

  @GrpcMethod('NodeUnitService', 'ListNodeUnits')
  async list(request: unknown) {
    const req = parseRequest(List, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const { items, nextPageToken } = page(
      await this.read.units(this.db, clusterId),
      req.pageToken,
      req.pageSize,
    );
    return { units: await unitMessages(this.read, this.db, clusterId, items), nextPageToken };
  }

  @GrpcMethod('NodeUnitService', 'GetUnitStatus')
  async status(request: unknown) {
    const req = parseRequest(Ref, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const unit = await this.read.unit(this.db, clusterId, req.name);
    return statusMessage(computeUnitStatus(unit.members, await this.read.readiness(this.db, clusterId)));
  }
}
