import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { z } from 'zod';
import { parseRequest } from '@edgeplane/service-kit';
import { ClusterField } from '../grpc/request.mapping.js';
import { ApplyHandler } from './apply.handler.js';

const Apply = z.object({
  cluster: ClusterField,
  yaml: z.string().min(1, 'is required (one or more site.superedge.io/v1alpha2 documents)'),
  dryRun: z.boolean().default(false),
});

/** edgeplane.nodepool.v1.ApplyService: `edgeplane apply -f` of SuperEdge NodeUnit/NodeGroup YAML. */
@Controller()
export class ApplyGrpcController {
  constructor(@Inject(ApplyHandler) private readonly handler: ApplyHandler) {}

  @GrpcMethod('ApplyService', 'Apply')
  async apply(request: unknown) {
    return this.handler.apply(parseRequest(Apply, request));
  }
}
