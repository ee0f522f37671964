import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import { parseRequest } from '@edgeplane/service-kit';
import type { SchemaQueries } from '../db/database.js';
import { ClusterField, NameField } from '../grpc/request.mapping.js';
import { resolveCluster } from '../read-model/clusters.queries.js';
import { getUnit } from '../read-model/units.queries.js';
import { SCHEMA_QUERIES } from '../tokens.js';
import { NodeUnitHandler } from './node-unit.handler.js';
import { kinsMessage } from './node-unit.grpc.mapping.js';

const Ref = z.object({ cluster: ClusterField, unit: NameField });
const Promote = Ref.extend({
  mode: z.string().default(''),
  servers: z.array(z.string()).default([]),
  serviceCidr: z.string().default(''),
  nodePortRange: z.object({ from: z.number().int(), to: z.number().int() }).nullish(),
});
const PublicAccess = Ref.extend({ enabled: z.boolean().default(false), password: z.string().default('') });
const Report = Ref.extend({
  generation: z.number().int().positive('must be the promotion generation (≥ 1)'),
  phase: z.enum(['running', 'failed', 'uninstalled'], { message: 'must be running, failed or uninstalled' }),
  message: z.string().default(''),
  apiServerEndpoint: z.string().default(''),
  k3sVersion: z.string().default(''),
});

/** edgeplane.nodepool.v1.KinsService: promote/demote a unit to/from an independent K3s cluster. */
@Controller()
export class KinsGrpcController {
  constructor(
    @Inject(NodeUnitHandler) private readonly units: NodeUnitHandler,
    @Inject(SCHEMA_QUERIES) private readonly db: SchemaQueries,
  ) {}

  @GrpcMethod('KinsService', 'Promote')
  async promote(request: unknown) {
    const req = parseRequest(Promote, request);
    // proto3 defaults (empty string, zero range, no servers) mean "not given"
    const range =
      req.nodePortRange && (req.nodePortRange.from || req.nodePortRange.to) ? req.nodePortRange : undefined;
    const unit = await this.units.promote({
      cluster: req.cluster,
      name: req.unit,
      mode: req.mode || 'single',
      ...(req.serviceCidr ? { serviceCidr: req.serviceCidr } : {}),
      ...(range ? { nodePortRange: range } : {}),
      ...(req.servers.length > 0 ? { servers: req.servers } : {}),
    });
    return kinsMessage(unit);
  }

  @GrpcMethod('KinsService', 'Demote')
  async demote(request: unknown) {
    const req = parseRequest(Ref, request);
    return kinsMessage(await this.units.demote({ cluster: req.cluster, name: req.unit }));
  }

  @GrpcMethod('KinsService', 'GetKins')
  async get(request: unknown) {
    const req = parseRequest(Ref, request);
    const { clusterId } = await resolveCluster(this.db, req.cluster);
    return kinsMessage(await getUnit(this.db, clusterId, req.unit));
  }

  @GrpcMethod('KinsService', 'SetPublicAccess')
  async setPublicAccess(request: unknown) {
    const req = parseRequest(PublicAccess, request);
    const unit = await this.units.setPublicAccess({
      cluster: req.cluster,
      name: req.unit,
      enabled: req.enabled,
      password: req.password,
    });
    return kinsMessage(unit);
  }

  @GrpcMethod('KinsService', 'ReportKinsStatus')
  async report(request: unknown) {
    const req = parseRequest(Report, request);
    await this.units.reportKinsStatus({
      cluster: req.cluster,
      name: req.unit,
      generation: req.generation,
      phase: req.phase,
      ...(req.message ? { message: req.message } : {}),
      ...(req.apiServerEndpoint ? { apiServerEndpoint: req.apiServerEndpoint } : {}),
      ...(req.k3sVersion ? { k3sVersion: req.k3sVersion } : {}),
    });
    return {};
  }
}
