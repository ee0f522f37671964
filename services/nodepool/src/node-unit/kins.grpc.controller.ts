import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import type { AnyDb } from '@edgeplane/eventstore';
import { ValidationError } from '@edgeplane/es-kit';
import { DB, parseRequest } from '@edgeplane/service-kit';
import { NodepoolWriter } from '../writer/nodepool.writer.js';
import { ClusterField, kinsMessage, NameField } from '../grpc/nodepool.mapping.js';
import { hashProxyPassword } from './proxy-password.js';
import type { TakenKinsRanges } from './kins.rules.js';

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
    @Inject(NodepoolWriter) private readonly writer: NodepoolWriter,
    @Inject(DB) private readonly db: AnyDb,
  ) {}

  private get read() {
    return this.writer.read;
  }

  @GrpcMethod('KinsService', 'Promote')
  async promote(request: unknown) {
    const req = parseRequest(Promote, request);
    const cluster = await this.read.resolveCluster(this.db, req.cluster);
    const { clusterId } = cluster;
    const now = new Date().toISOString();
    const mode = (req.mode || 'single') as 'single' | 'ha';
    const range =
      req.nodePortRange && (req.nodePortRange.from || req.nodePortRange.to) ? req.nodePortRange : undefined;
    return this.writer.inCluster(clusterId, async (trx) => {
      const taken: TakenKinsRanges[] = (await this.read.units(trx, clusterId)).flatMap((u) =>
        u.kins.phase === 'none'
          ? []
          : [{ unit: u.name, serviceCidr: u.kins.serviceCidr, nodePortRange: u.kins.nodePortRange }],
      );
      const { state } = await this.writer.unit(trx, {
        type: 'PromoteNodeUnit',
        clusterId,
        name: req.unit,
        now,
        mode,
        host: this.read.hostOf(cluster),
        taken,
        ...(req.serviceCidr ? { serviceCidr: req.serviceCidr } : {}),
        ...(range ? { nodePortRange: range } : {}),
        ...(req.servers.length > 0 ? { servers: req.servers } : {}),
      });
      return kinsMessage(active(state));
    });
  }

  @GrpcMethod('KinsService', 'Demote')
  async demote(request: unknown) {
    const req = parseRequest(Ref, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const now = new Date().toISOString();
    return this.writer.inCluster(clusterId, async (trx) => {
      const { state } = await this.writer.unit(trx, {
        type: 'DemoteNodeUnit',
        clusterId,
        name: req.unit,
        now,
      });
      return kinsMessage(active(state));
    });
  }

  @GrpcMethod('KinsService', 'GetKins')
  async get(request: unknown) {
    const req = parseRequest(Ref, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    return kinsMessage(await this.read.unit(this.db, clusterId, req.unit));
  }

  /** The password is hashed here (bcrypt) before any command exists: plaintext is never stored or emitted. */
  @GrpcMethod('KinsService', 'SetPublicAccess')
  async setPublicAccess(request: unknown) {
    const req = parseRequest(PublicAccess, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    if (req.enabled && !req.password) {
      throw ValidationError.field('password', 'public access requires an operator-set proxy password');
    }
    const passwordHash = req.enabled ? await hashProxyPassword(req.password) : '';
    const now = new Date().toISOString();
    return this.writer.inCluster(clusterId, async (trx) => {
      const { state } = await this.writer.unit(
        trx,
        req.enabled
          ? { type: 'EnableKinsPublicAccess', clusterId, name: req.unit, now, passwordHash }
          : { type: 'DisableKinsPublicAccess', clusterId, name: req.unit, now },
      );
      return kinsMessage(active(state));
    });
  }

  @GrpcMethod('KinsService', 'ReportKinsStatus')
  async report(request: unknown) {
    const req = parseRequest(Report, request);
    const { clusterId } = await this.read.resolveCluster(this.db, req.cluster);
    const now = new Date().toISOString();
    await this.writer.inCluster(clusterId, async (trx) => {
      await this.writer.unit(trx, {
        type: 'ReportKinsStatus',
        clusterId,
        name: req.unit,
        now,
        generation: req.generation,
        phase: req.phase,
        ...(req.message ? { message: req.message } : {}),
        ...(req.apiServerEndpoint ? { apiServerEndpoint: req.apiServerEndpoint } : {}),
        ...(req.k3sVersion ? { k3sVersion: req.k3sVersion } : {}),
      });
    });
    return {};
  }
}

function active<S extends { status: string }>(state: S): Extract<S, { status: 'active' }> {
  return state as Extract<S, { status: 'active' }>;
}
