import type { Metadata } from '@grpc/grpc-js';
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { EdgeplaneHealthV1 } from '@edgeplane/proto';
import { parseRequest } from '@edgeplane/service-kit';
import { z } from 'zod';
import { ClusterRef, actorOf, healthConfigMessage, present } from './settings.grpc.mapping.js';
import { HealthSettingsHandler } from './settings.handler.js';

type HealthConfigPb = EdgeplaneHealthV1.HealthConfig;

const GetConfigRequest = z.object({ cluster: ClusterRef });
const SetConfigRequest = z.object({
  cluster: ClusterRef,
  multiRegion: z.boolean().optional(),
  noEviction: z.boolean().optional(),
  graceSeconds: z.number().int().optional(),
  voteTtlSeconds: z.number().int().optional(),
  actor: z.string().default(''),
});
const SetUnitHealthCheckRequest = z.object({
  cluster: ClusterRef,
  unit: z.string(),
  enabled: z.boolean(),
  actor: z.string().default(''),
});

/**
 * edgeplane.health.v1.HealthService, its settings methods (GetConfig, SetConfig,
 * SetUnitHealthCheck): maps proto ↔ the settings handler, nothing else.
 */
@Controller()
export class HealthSettingsGrpcController {
  constructor(@Inject(HealthSettingsHandler) private readonly settings: HealthSettingsHandler) {}

  @GrpcMethod('HealthService', 'GetConfig')
  async getConfig(request: unknown): Promise<HealthConfigPb> {
    const req = parseRequest(GetConfigRequest, request);
    return healthConfigMessage(await this.settings.config(req.cluster));
  }

  @GrpcMethod('HealthService', 'SetConfig')
  async setConfig(request: Record<string, unknown>, metadata?: Metadata): Promise<HealthConfigPb> {
    const req = parseRequest(SetConfigRequest, {
      cluster: request.cluster,
      multiRegion: present(request, 'multiRegion'),
      noEviction: present(request, 'noEviction'),
      graceSeconds: present(request, 'graceSeconds'),
      voteTtlSeconds: present(request, 'voteTtlSeconds'),
      actor: request.actor,
    });
    const config = await this.settings.configure(req.cluster, {
      multiRegion: req.multiRegion,
      noEviction: req.noEviction,
      graceSeconds: req.graceSeconds,
      voteTtlSeconds: req.voteTtlSeconds,
      actor: actorOf(req.actor, metadata),
    });
    return healthConfigMessage(config);
  }

  @GrpcMethod('HealthService', 'SetUnitHealthCheck')
  async setUnitHealthCheck(request: unknown, metadata?: Metadata): Promise<HealthConfigPb> {
    const req = parseRequest(SetUnitHealthCheckRequest, request);
    const config = await this.settings.switchUnitCheck(req.cluster, {
      unit: req.unit.trim(),
      enabled: req.enabled,
      actor: actorOf(req.actor, metadata),
    });
    return healthConfigMessage(config);
  }
}
