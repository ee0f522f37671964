import type { EventDefinition } from '../../define-event.js';
import { KinsClusterFailed } from './kins-cluster-failed.v1.js';
import { KinsDemotionRequested } from './kins-demotion-requested.v1.js';
import { KinsNodeJoinRequested } from './kins-node-join-requested.v1.js';
import { KinsNodeLeaveRequested } from './kins-node-leave-requested.v1.js';
import { KinsPromotionRequested } from './kins-promotion-requested.v1.js';
import { KinsPublicAccessDisabled } from './kins-public-access-disabled.v1.js';
import { KinsPublicAccessEnabled } from './kins-public-access-enabled.v1.js';
import { NodeGroupCreated } from './node-group-created.v1.js';
import { NodeGroupDeleted } from './node-group-deleted.v1.js';
import { NodeGroupUnitsChanged } from './node-group-units-changed.v1.js';
import { NodeGroupUpdated } from './node-group-updated.v1.js';
import { NodeMembershipChanged } from './node-membership-changed.v1.js';
import { NodeUnitCreated } from './node-unit-created.v1.js';
import { NodeUnitDeleted } from './node-unit-deleted.v1.js';
import { NodeUnitDemotedFromK3s } from './node-unit-demoted-from-k3s.v1.js';
import { NodeUnitMembersChanged } from './node-unit-members-changed.v1.js';
import { NodeUnitUpdated } from './node-unit-updated.v1.js';
import { NodeUnitUpgradedToK3s } from './node-unit-upgraded-to-k3s.v1.js';

/** Shared nodepool shapes, namespaced so they cannot clash with other services' exports. */
export * as nodepoolSchemas from './common.js';
export * from './kins-cluster-failed.v1.js';
export * from './kins-demotion-requested.v1.js';
export * from './kins-node-join-requested.v1.js';
export * from './kins-node-leave-requested.v1.js';
export * from './kins-promotion-requested.v1.js';
export * from './kins-public-access-disabled.v1.js';
export * from './kins-public-access-enabled.v1.js';
export * from './node-group-created.v1.js';
export * from './node-group-deleted.v1.js';
export * from './node-group-units-changed.v1.js';
export * from './node-group-updated.v1.js';
export * from './node-membership-changed.v1.js';
export * from './node-unit-created.v1.js';
export * from './node-unit-deleted.v1.js';
export * from './node-unit-demoted-from-k3s.v1.js';
export * from './node-unit-members-changed.v1.js';
export * from './node-unit-updated.v1.js';
export * from './node-unit-upgraded-to-k3s.v1.js';

/** Catalogue entries emitted by the nodepool service. Add one file per event and version, list it here. */
export const nodepoolEvents: EventDefinition[] = [
  NodeUnitCreated,
  NodeUnitUpdated,
  NodeUnitDeleted,
  NodeUnitMembersChanged,
  NodeGroupCreated,
  NodeGroupUpdated,
  NodeGroupDeleted,
  NodeGroupUnitsChanged,
  NodeMembershipChanged,
  KinsPromotionRequested,
  NodeUnitUpgradedToK3s,
  KinsClusterFailed,
  KinsNodeJoinRequested,
  KinsNodeLeaveRequested,
  KinsPublicAccessEnabled,
  KinsPublicAccessDisabled,
  KinsDemotionRequested,
  NodeUnitDemotedFromK3s,
];
