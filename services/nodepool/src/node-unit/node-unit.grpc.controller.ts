import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { pageRequest, parseRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import { normalizeUnitSpec, type NodeUnitSpecInput } from '../model/node-unit.model.js';
import { ListRequest, RefRequest } from '../grpc/request.mapping.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { listUnitsPage, unitStatus, unitView, unitViews } from '../read-model/units.queries.js';
import { SCHEMA_QUERIES } from '../tokens.js';
import { NodeUnitHandler } from './node-unit.handler.js';
import { statusMessage, unitMessage, UnitSpecMessage, unitSpecInput } from './node-unit.grpc.mapping.js';

const WithSpec = RefRequest.extend({ spec: UnitSpecMessage });

/**
 * The spec's own rules (selector operators, label syntax, taints; pure) before any database work,
 * so a bad spec is INVALID_ARGUMENT even while the database is away. The decider checks them again.
 */
function checkedSpec(name: string, spec: NodeUnitSpecInput): NodeUnitSpecInput {
  const violations: FieldViolation[] = [];
  normalizeUnitSpec(name, spec, violations);
  if (violations.length > 0) throw new ValidationError(violations);
  return spec;
}

/** edgeplane.nodepool.v1.NodeUnitService: maps proto ↔ commands and queries, nothing else. */
@Controller()
export class NodeUnitGrpcController {
  constructor(
    @Inject(NodeUnitHandler) private readonly units: NodeUnitHandler,
    @Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries,
  ) {}

  @GrpcMethod('NodeUnitService', 'CreateNodeUnit')
  async create(request: unknown) {
    const { spec, ...ref } = parseRequest(WithSpec, request);
    return unitMessage(await this.units.create(ref, checkedSpec(ref.name, unitSpecInput(spec))));
  }

  @GrpcMethod('NodeUnitService', 'UpdateNodeUnit')
  async update(request: unknown) {
    const { spec, ...ref } = parseRequest(WithSpec, request);
    return unitMessage(await this.units.update(ref, checkedSpec(ref.name, unitSpecInput(spec))));
  }

  @GrpcMethod('NodeUnitService', 'DeleteNodeUnit')
  async remove(request: unknown) {
    await this.units.delete(parseRequest(RefRequest, request));
    return {};
  }

  @GrpcMethod('NodeUnitService', 'GetNodeUnit')
  async get(request: unknown) {
    const req = parseRequest(RefRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    return unitMessage(await unitView(this.db, clusterId, req.name));
  }

  @GrpcMethod('NodeUnitService', 'ListNodeUnits')
  async list(request: unknown) {
    const req = parseRequest(ListRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    const page = pageRequest(req, { list: 'units', cluster: req.cluster });
    const { items, nextPageToken } = await listUnitsPage(this.db, clusterId, page);
    return { units: (await unitViews(this.db, clusterId, items)).map(unitMessage), nextPageToken };
  }

  @GrpcMethod('NodeUnitService', 'GetUnitStatus')
  async status(request: unknown) {
    const req = parseRequest(RefRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    return statusMessage(await unitStatus(this.db, clusterId, req.name));
  }
}
