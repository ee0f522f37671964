import { z } from 'zod';
import type { NodeGroupSpecInput } from '../model/node-group.model.js';
import { selectorInput, SelectorMessage, selectorMessage, Strings } from '../grpc/request.mapping.js';
import type { ActiveGroupState } from './node-group.state.js';

/** Proto ↔ domain for NodeGroupService. */
export const GroupSpecMessage = z
  .object({ nodeUnits: Strings, selector: SelectorMessage, autoFindNodeKeys: Strings })
  .nullish();

export function groupSpecInput(spec: z.infer<typeof GroupSpecMessage>): NodeGroupSpecInput {
  if (!spec) return {};
  const selector = selectorInput(spec.selector);
  return {
    nodeUnits: spec.nodeUnits,
    ...(selector ? { selector } : {}),
    autoFindNodeKeys: spec.autoFindNodeKeys,
  };
}

export function groupMessage(group: ActiveGroupState) {
  return {
    clusterId: group.clusterId,
    name: group.name,
    spec: {
      nodeUnits: group.spec.nodeUnits,
      selector: selectorMessage(group.spec.selector),
      autoFindNodeKeys: group.spec.autoFindNodeKeys,
    },
    units: group.units,
    createdAt: group.createdAt,
  };
}
