import { NodeMembershipChanged } from '@edgeplane/contracts';
import { defineProjection, type InlineProjection } from '@edgeplane/eventstore';
import { inSchema } from '../db/database.js';
import { layerOf } from '../node-membership/node-membership.state.js';

/** `proj_node_membership`: the layer nodepool last published per node; an older event never wins. */
export function nodeMembershipProjection(schema: string): InlineProjection {
  return defineProjection({
    name: 'nodepool.node-membership',
    tables: ['proj_node_membership'],
    events: [NodeMembershipChanged],
    async apply(trx, event) {
      const d = event.data;
      await inSchema(trx, schema)
        .insertInto('proj_node_membership')
        .values({
          cluster_id: d.clusterId,
          node: d.node,
          layer: JSON.stringify(layerOf(d)),
          last_position: event.globalPosition,
        })
        .onConflict((oc) =>
          oc
            .columns(['cluster_id', 'node'])
            .doUpdateSet((eb) => ({
              layer: eb.ref('excluded.layer'),
              last_position: eb.ref('excluded.last_position'),
            }))
            .whereRef('proj_node_membership.last_position', '<', 'excluded.last_position'),
        )
        .execute();
    },
  });
}
