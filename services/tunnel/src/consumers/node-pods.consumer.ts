import { Inject, Injectable } from '@nestjs/common';
import { NodePodsAssigned, type EnvelopeOf } from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import { podsDigest, podSpecsOf } from '../gateway/pod-specs.js';
import { notifyDirectory } from '../read-model/directory.queries.js';
import { setNodePods } from '../read-model/node-pods.queries.js';

/**
 * The pods the grid service assigns to each node (NodePodsAssigned: the node's FULL set), mapped
 * to the tunnel's PodSpec and kept per node; the node's desired state (pushed by the replica
 * holding its stream) then carries them. Replicas share this durable and events of one node may
 * be applied out of order: the row keeps the highest streamVersion, an older one is a no-op.
 */
@Injectable()
export class NodePodsConsumer {
  constructor(@Inject(SCHEMA) private readonly schema: string) {}

  @JetStreamHandler({ durable: 'tunnel__node-pods', events: [NodePodsAssigned] })
  async onNodePods(envelope: EnvelopeOf<typeof NodePodsAssigned>, ctx: HandlerContext): Promise<void> {
    const d = envelope.data;
    const pods = podSpecsOf(d.clusterId, d.node, d.pods);
    const applied = await setNodePods(ctx.trx, this.schema, {
      clusterId: d.clusterId,
      node: d.node,
      pods,
      digest: podsDigest(pods),
      streamVersion: d.streamVersion,
    });
    if (applied)
      ctx.afterBatch(`notify:${d.clusterId}:${d.node}`, (t) =>
        notifyDirectory(t, this.schema, d.clusterId, [d.node]),
      );
  }
}
