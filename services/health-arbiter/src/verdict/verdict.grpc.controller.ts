import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { pageInMemory, pageRequest, parseRequest } from '@edgeplane/service-kit';
import { z } from 'zod';
import { HealthArbiter } from '../runtime/health-arbiter.runtime.js';
import { ClusterRef } from '../settings/settings.grpc.mapping.js';
import { VERDICT_FROM_PB, explanationMessage, verdictListMessage } from './verdict.grpc.mapping.js';

const ExplainNodeRequest = z.object({
  cluster: ClusterRef,
  node: z.string().trim().min(1, 'names the node'),
});
const ListVerdictsRequest = z.object({
  cluster: ClusterRef,
  verdicts: z
    .array(
      z.enum([
        'VERDICT_READY',
        'VERDICT_NOT_READY_NO_SCHEDULE',
        'VERDICT_NOT_READY_NO_EXECUTE',
        'VERDICT_UNKNOWN',
      ]),
    )
    .default([]),
  pageSize: z.number().int().default(0),
  pageToken: z.string().default(''),
});

/**
 * edgeplane.health.v1.HealthService, its verdict methods (ExplainNode, ListVerdicts): maps proto
 * ↔ the arbiter's read paths, nothing else.
 */
@Controller()
export class NodeVerdictGrpcController {
  constructor(@Inject(HealthArbiter) private readonly arbiter: HealthArbiter) {}

  @GrpcMethod('HealthService', 'ExplainNode')
  async explainNode(request: unknown) {
    const req = parseRequest(ExplainNodeRequest, request);
    return explanationMessage(await this.arbiter.explain(req.cluster, req.node));
  }

  @GrpcMethod('HealthService', 'ListVerdicts')
  async listVerdicts(request: unknown) {
    const req = parseRequest(ListVerdictsRequest, request);
    const page = pageRequest(req, { list: 'verdicts', cluster: req.cluster, verdicts: req.verdicts });
    const only = req.verdicts.map((v) => VERDICT_FROM_PB[v]);
    // the arbiter answers a cluster's verdicts from memory or its table; paged by node here
    const { items, nextPageToken } = pageInMemory(
      await this.arbiter.listVerdicts(req.cluster, only),
      page,
      (r) => [r.node],
    );
    return { ...verdictListMessage(items), nextPageToken };
  }
}
