import { NodePodsAssigned } from '@edgeplane/contracts';
import { defineProjection, type InlineProjection } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';

/** `proj_node_pods`: each node's latest pod set; an older stream version never wins. */
export function nodePodsProjection(schema: string): InlineProjection {
  return defineProjection({
    name: 'grid.node-pods',
    tables: ['proj_node_pods'],
    events: [NodePodsAssigned],
    async apply(trx, event) {
      const d = event.data;
      await inSchema(trx, schema)
        .insertInto('proj_node_pods')
        .values({
          cluster_id: d.clusterId,
          node: d.node,
          pods: JSON.stringify(d.pods),
          stream_version: d.streamVersion,
        })
        .onConflict((oc) =>
          oc
            .columns(['cluster_id', 'node'])
            .doUpdateSet((eb) => ({
              pods: eb.ref('excluded.pods'),
              stream_version: eb.ref('excluded.stream_version'),
            }))
            .whereRef('proj_node_pods.stream_version', '<', 'excluded.stream_version'),
        )
        .execute();
    },
  });
}
