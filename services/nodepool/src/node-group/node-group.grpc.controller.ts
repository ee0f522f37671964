import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ValidationError, type FieldViolation } from '@edgeplane/es-kit';
import { pageRequest, parseRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import { normalizeGroupSpec, type NodeGroupSpecInput } from '../model/node-group.model.js';
import { ListRequest, RefRequest } from '../grpc/request.mapping.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { getGroup, listGroupsPage } from '../read-model/groups.queries.js';
import { SCHEMA_QUERIES } from '../tokens.js';
import { NodeGroupHandler } from './node-group.handler.js';
import { groupMessage, GroupSpecMessage, groupSpecInput } from './node-group.grpc.mapping.js';

const WithSpec = RefRequest.extend({ spec: GroupSpecMessage });

/** The spec's own rules (pure) before any database work; the decider checks them again. */
function checkedSpec(spec: NodeGroupSpecInput): NodeGroupSpecInput {
  const violations: FieldViolation[] = [];
  normalizeGroupSpec(spec, violations);
  if (violations.length > 0) throw new ValidationError(violations);
  return spec;
}

/** edgeplane.nodepool.v1.NodeGroupService: maps proto ↔ commands and queries, nothing else. */
@Controller()
export class NodeGroupGrpcController {
  constructor(
    @Inject(NodeGroupHandler) private readonly groups: NodeGroupHandler,
    @Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries,
  ) {}

  @GrpcMethod('NodeGroupService', 'CreateNodeGroup')
  async create(request: unknown) {
    const { spec, ...ref } = parseRequest(WithSpec, request);
    return groupMessage(await this.groups.create(ref, checkedSpec(groupSpecInput(spec))));
  }

  @GrpcMethod('NodeGroupService', 'UpdateNodeGroup')
  async update(request: unknown) {
    const { spec, ...ref } = parseRequest(WithSpec, request);
    return groupMessage(await this.groups.update(ref, checkedSpec(groupSpecInput(spec))));
  }

  @GrpcMethod('NodeGroupService', 'DeleteNodeGroup')
  async remove(request: unknown) {
    await this.groups.delete(parseRequest(RefRequest, request));
    return {};
  }

  @GrpcMethod('NodeGroupService', 'GetNodeGroup')
  async get(request: unknown) {
    const req = parseRequest(RefRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    return groupMessage(await getGroup(this.db, clusterId, req.name));
  }

  @GrpcMethod('NodeGroupService', 'ListNodeGroups')
  async list(request: unknown) {
    const req = parseRequest(ListRequest, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    const page = pageRequest(req, { list: 'groups', cluster: req.cluster });
    const { items, nextPageToken } = await listGroupsPage(this.db, clusterId, page);
    return { groups: items.map(groupMessage), nextPageToken };
  }
}
