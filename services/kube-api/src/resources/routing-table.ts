import { selfSubjectAccessReviewsResource, selfSubjectRulesReviewsResource } from './access-reviews.js';
import { namespacesResource } from './core-static.js';
import { eventsResource, eventsV1Resource } from './events.js';
import { deploymentGridsResource, serviceGridsResource, statefulSetGridsResource } from './grids.js';
import { nodeHealthsResource } from './node-healths.js';
import { nodesResource } from './nodes.js';
import { podsResource } from './pods.js';
import type { ResourceDef } from './resource.js';
import { nodeGroupsResource, nodeUnitsResource } from './site-superedge.js';

/** Every resource the API serves, in discovery order. */
export const RESOURCES: readonly ResourceDef[] = [
  nodesResource,
  namespacesResource,
  eventsResource,
  podsResource,
  nodeUnitsResource,
  nodeGroupsResource,
  deploymentGridsResource,
  statefulSetGridsResource,
  serviceGridsResource,
  eventsV1Resource,
  nodeHealthsResource,
  selfSubjectAccessReviewsResource,
  selfSubjectRulesReviewsResource,
];
