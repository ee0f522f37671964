import { Inject, Injectable } from '@nestjs/common';
import {
  ClusterCreated,
  ClusterDeleted,
  ClusterRemoteLoginChanged,
  NodeCredentialIssued,
  NodeJoined,
  NodeRemoved,
  type EnvelopeOf,
} from '@edgeplane/contracts';
import { JetStreamHandler, type HandlerContext } from '@edgeplane/messaging';
import { SCHEMA } from '@edgeplane/service-kit';
import {
  clusterCreated,
  clusterDeleted,
  nodeFacts,
  notifyDirectory,
  remoteLoginChanged,
} from '../read-model/directory.queries.js';

const CLUSTER_INPUTS = [
  ClusterCreated,
  ClusterDeleted,
  ClusterRemoteLoginChanged,
  NodeJoined,
  NodeCredentialIssued,
  NodeRemoved,
] as const;

/**
 * What the gateway must know from the cluster service: which CAs to trust (ClusterCreated, until
 * ClusterDeleted), the remote-login switch, and which node may connect with which credential
 * (NodeJoined + NodeCredentialIssued, until NodeRemoved). Replicas share this durable (one of
 * them applies each event, possibly out of order with another replica: the writes are guarded by
 * stream position); the pg_notify at commit makes every replica reload what changed, and the
 * replica holding a removed node's stream closes it.
 */
@Injectable()
export class ClusterEventsConsumer {
  constructor(@Inject(SCHEMA) private readonly schema: string) {}

  @JetStreamHandler({ durable: 'tunnel__cluster-events', events: CLUSTER_INPUTS })
  async onClusterEvent(envelope: EnvelopeOf<typeof CLUSTER_INPUTS>, ctx: HandlerContext): Promise<void> {
    const { trx } = ctx;
    const notify = (clusterId: string, node?: string) =>
      ctx.afterBatch(`notify:${clusterId}:${node ?? '*'}`, (t) =>
        notifyDirectory(t, this.schema, clusterId, node === undefined ? undefined : [node]),
      );
    const pos = envelope.streamPosition;
    switch (envelope.type) {
      case 'ClusterCreated': {
        const d = envelope.data;
        await clusterCreated(trx, this.schema, {
          clusterId: d.clusterId,
          name: d.name,
          caCertPem: d.ca.certPem,
          remoteLogin: d.remoteLogin,
          pos,
        });
        return notify(d.clusterId);
      }
      case 'ClusterRemoteLoginChanged': {
        const d = envelope.data;
        await remoteLoginChanged(trx, this.schema, { clusterId: d.clusterId, enabled: d.enabled, pos });
        return notify(d.clusterId);
      }
      case 'ClusterDeleted': {
        await clusterDeleted(trx, this.schema, envelope.data.clusterId);
        return notify(envelope.data.clusterId);
      }
      case 'NodeJoined': {
        const d = envelope.data;
        // a (re)join starts without a credential: NodeCredentialIssued follows in the same stream
        await nodeFacts(trx, this.schema, {
          clusterId: d.clusterId,
          node: d.nodeName,
          presence: { present: true, ips: d.inventory.ips, pos },
          credential: { serial: null, pos },
        });
        return notify(d.clusterId, d.nodeName);
      }
      case 'NodeCredentialIssued': {
        const d = envelope.data;
        await nodeFacts(trx, this.schema, {
          clusterId: d.clusterId,
          node: d.nodeName,
          credential: { serial: d.serial, pos },
        });
        return notify(d.clusterId, d.nodeName);
      }
      case 'NodeRemoved': {
        const d = envelope.data;
        await nodeFacts(trx, this.schema, {
          clusterId: d.clusterId,
          node: d.nodeName,
          presence: { present: false, pos },
          credential: { serial: null, pos },
        });
        return notify(d.clusterId, d.nodeName);
      }
    }
  }
}
