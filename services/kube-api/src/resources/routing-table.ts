import { eventsResource, namespacesResource } from './core-static.js';
import { nodesResource } from './nodes.js';
import type { ResourceDef } from './resource.js';
import { nodeGroupsResource, nodeUnitsResource } from './site-superedge.js';

/**
 * Every resource the API serves, in discovery order. Pods (v1) and the grids (superedge.io/v1)
 * are rows to add here once the grid service offers them.
 */
export const RESOURCES: readonly ResourceDef[] = [
  nodesResource,
  namespacesResource,
  eventsResource,
  nodeUnitsResource,
  nodeGroupsResource,
];
