import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { ValidationError } from '@edgeplane/es-kit';
import { pageRequest, parseRequest } from '@edgeplane/service-kit';
import { z } from 'zod';
import { ClusterRefMessage } from '../cluster/cluster.grpc.mapping.js';
import { nodeDetailMessage, nodeMessage } from './node.grpc.mapping.js';
import { NodeHandler } from './node.handler.js';
import { labelViolations } from './node.layers.decide.js';

const NodeRef = z
  .object({ cluster: ClusterRefMessage, name: z.string().default('') })
  .nullable()
  .optional();
const WithNode = z.object({ node: NodeRef });
const Taint = z.object({ key: z.string(), value: z.string().default(''), effect: z.string() });
const ListNodesRequest = z.object({
  cluster: ClusterRefMessage,
  labelSelector: z.string().default(''),
  pageSize: z.number().int().default(0),
  pageToken: z.string().default(''),
});
const LabelNodeRequest = WithNode.extend({
  set: z.record(z.string(), z.string()).default({}),
  remove: z.array(z.string()).default([]),
});
const TaintNodeRequest = WithNode.extend({
  set: z.array(Taint).default([]),
  remove: z.array(z.object({ key: z.string(), effect: z.string().default('') })).default([]),
});
const CordonNodeRequest = WithNode.extend({ reason: z.string().default('') });
const DrainNodeRequest = WithNode.extend({ gracePeriodSeconds: z.number().int().optional() });

/** edgeplane.cluster.v1.NodeService: maps proto ↔ the node handler, nothing else. */
@Controller()
export class NodeGrpcController {
  constructor(@Inject(NodeHandler) private readonly nodes: NodeHandler) {}

  @GrpcMethod('NodeService', 'ListNodes')
  async listNodes(request: unknown) {
    const req = parseRequest(ListNodesRequest, request);
    const page = pageRequest(req, { list: 'nodes', cluster: req.cluster, selector: req.labelSelector });
    const { nodes, nextPageToken } = await this.nodes.list(req.cluster, req.labelSelector, page);
    return { nodes: nodes.map(nodeMessage), nextPageToken };
  }

  @GrpcMethod('NodeService', 'GetNode')
  async getNode(request: unknown) {
    return nodeDetailMessage(await this.nodes.get(parseRequest(WithNode, request).node));
  }

  @GrpcMethod('NodeService', 'LabelNode')
  async labelNode(request: unknown) {
    const req = parseRequest(LabelNodeRequest, request);
    // the change's own syntax before any database work (refused the same during an outage)
    const violations = labelViolations(req.set, req.remove);
    if (violations.length > 0) throw new ValidationError(violations);
    return nodeMessage(
      await this.nodes.change(req.node, { type: 'LabelNode', set: req.set, remove: req.remove }),
    );
  }

  @GrpcMethod('NodeService', 'TaintNode')
  async taintNode(request: unknown) {
    const req = parseRequest(TaintNodeRequest, request);
    return nodeMessage(
      await this.nodes.change(req.node, {
        type: 'TaintNode',
        set: req.set,
        remove: req.remove.map((r) => ({ key: r.key, effect: r.effect || undefined })),
      }),
    );
  }

  @GrpcMethod('NodeService', 'CordonNode')
  async cordonNode(request: unknown) {
    const req = parseRequest(CordonNodeRequest, request);
    return nodeMessage(await this.nodes.change(req.node, { type: 'CordonNode', reason: req.reason }));
  }

  @GrpcMethod('NodeService', 'UncordonNode')
  async uncordonNode(request: unknown) {
    return nodeMessage(
      await this.nodes.change(parseRequest(WithNode, request).node, { type: 'UncordonNode' }),
    );
  }

  @GrpcMethod('NodeService', 'DrainNode')
  async drainNode(request: unknown) {
    const req = parseRequest(DrainNodeRequest, request);
    return nodeMessage(
      await this.nodes.change(req.node, { type: 'DrainNode', gracePeriodSeconds: req.gracePeriodSeconds }),
    );
  }

  @GrpcMethod('NodeService', 'RemoveNode')
  async removeNode(request: unknown) {
    const r = await this.nodes.remove(parseRequest(WithNode, request).node);
    return {
      clusterId: r.clusterId,
      name: r.nodeName,
      machineReleased: r.releaseRequested,
      revokedCredentialSerial: r.revokedSerial,
    };
  }
}
