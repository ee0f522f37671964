import * as grpc from '@grpc/grpc-js';
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod, GrpcStreamCall } from '@nestjs/microservices';
import { NotFoundError } from '@edgeplane/es-kit';
import { decodePodRequest, POD_REQUEST_KEY, type PodStreamRequest } from '@edgeplane/k8s/pod-stream';
import type { Db } from '@edgeplane/eventstore';
import { DB, pageRequest, parseRequest, SCHEMA } from '@edgeplane/service-kit';
import { z } from 'zod';
import { ServerCallEndpoint, type ServerChunkCall } from '../gateway/chunk-endpoint.js';
import { GatewayRuntime } from '../gateway/gateway.runtime.js';
import { openConnections } from '../read-model/connections.queries.js';

const RelayMetadata = z.object({
  'x-edgeplane-cluster': z.string().min(1, 'is required').max(128),
  'x-edgeplane-node': z.string().min(1, 'is required').max(253),
  'x-edgeplane-target': z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, 'must be the name of one of the node agent relay targets (e.g. ssh)'),
});
const PodMetadata = RelayMetadata.pick({ 'x-edgeplane-cluster': true, 'x-edgeplane-node': true });
const ListConnectionsRequest = z.object({
  cluster: z.string().trim().min(1, 'is required'),
  pageSize: z.number().int().default(0),
  pageToken: z.string().default(''),
});

/** edgeplane.tunnel.v1.RemoteAccessService: maps the operator's calls onto the gateway, nothing else. */
@Controller()
export class RemoteAccessGrpcController {
  constructor(
    @Inject(GatewayRuntime) private readonly runtime: GatewayRuntime,
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
  ) {}

  @GrpcStreamCall('RemoteAccessService', 'Relay')
  async relay(call: ServerChunkCall): Promise<void> {
    const md = Object.fromEntries(
      ['x-edgeplane-cluster', 'x-edgeplane-node', 'x-edgeplane-target'].map((k) => [
        k,
        call.metadata.get(k)[0],
      ]),
    );
    const parsed = RelayMetadata.safeParse(md);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return void call.emit('error', {
        code: grpc.status.INVALID_ARGUMENT,
        details: `${issue.path.join('.')}: ${issue.message}`,
      });
    }
    const ref = parsed.data['x-edgeplane-cluster'];
    const cluster = this.runtime.directory.resolveCluster(ref);
    if (!cluster)
      return void call.emit('error', { code: grpc.status.NOT_FOUND, details: `cluster "${ref}" not found` });
    await this.runtime.broker.connect(new ServerCallEndpoint(call), call, {
      clusterId: cluster.id,
      node: parsed.data['x-edgeplane-node'],
      kind: 'relay',
      target: parsed.data['x-edgeplane-target'],
      origin: 'operator',
      hops: 0,
    });
  }

  /** A container's log of a pod on the node (view). Not gated by remote login: see docs/tunnel.md. */
  @GrpcStreamCall('RemoteAccessService', 'PodLogs')
  podLogs(call: ServerChunkCall): Promise<void> {
    return this.pod(call, 'pod-logs');
  }

  /** A command in a pod's container (edit, as Kubernetes' pods/exec). Not gated by remote login either. */
  @GrpcStreamCall('RemoteAccessService', 'PodExec')
  podExec(call: ServerChunkCall): Promise<void> {
    return this.pod(call, 'pod-exec');
  }

  private async pod(call: ServerChunkCall, kind: 'pod-logs' | 'pod-exec'): Promise<void> {
    const first = (k: string) => {
      const v = call.metadata.get(k)[0];
      return typeof v === 'string' ? v : undefined;
    };
    const parsed = PodMetadata.safeParse({
      'x-edgeplane-cluster': first('x-edgeplane-cluster'),
      'x-edgeplane-node': first('x-edgeplane-node'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return void call.emit('error', {
        code: grpc.status.INVALID_ARGUMENT,
        details: `${issue.path.join('.')}: ${issue.message}`,
      });
    }
    let pod: PodStreamRequest;
    try {
      pod = decodePodRequest(kind === 'pod-logs' ? 'logs' : 'exec', first(POD_REQUEST_KEY));
    } catch (error) {
      return void call.emit('error', {
        code: grpc.status.INVALID_ARGUMENT,
        details: (error as Error).message,
      });
    }
    const ref = parsed.data['x-edgeplane-cluster'];
    const cluster = this.runtime.directory.resolveCluster(ref);
    if (!cluster)
      return void call.emit('error', { code: grpc.status.NOT_FOUND, details: `cluster "${ref}" not found` });
    await this.runtime.broker.connect(new ServerCallEndpoint(call), call, {
      clusterId: cluster.id,
      node: parsed.data['x-edgeplane-node'],
      kind,
      target: kind,
      origin: 'operator',
      hops: 0,
      pod,
    });
  }

  @GrpcMethod('RemoteAccessService', 'ListConnections')
  async listConnections(request: unknown) {
    const req = parseRequest(ListConnectionsRequest, request);
    const cluster = this.runtime.directory.resolveCluster(req.cluster);
    if (!cluster) throw new NotFoundError('cluster', req.cluster);
    const page = pageRequest(req, { list: 'connections', cluster: req.cluster });
    const { items, nextPageToken } = await openConnections(this.db, this.schema, cluster.id, page);
    return {
      clusterId: cluster.id,
      nextPageToken,
      connections: items.map((r) => ({
        nodeName: r.node,
        replica: r.replica,
        sessionId: r.session_id,
        connectedAt: r.since.toISOString(),
        agentVersion: r.agent_version,
        ips: r.ips,
      })),
    };
  }
}
