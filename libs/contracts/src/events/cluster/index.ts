import type { EventDefinition } from '../../define-event.js';
import { ClusterAccessChanged } from './cluster-access-changed.v1.js';
import { ClusterAdminCredentialIssued } from './cluster-admin-credential-issued.v1.js';
import { ClusterAutoUpgradeChanged } from './cluster-auto-upgrade-changed.v1.js';
import { ClusterCapacityCordonsLifted } from './cluster-capacity-cordons-lifted.v1.js';
import { ClusterCreated } from './cluster-created.v1.js';
import { ClusterDeleted } from './cluster-deleted.v1.js';
import { ClusterNodeAdmitted } from './cluster-node-admitted.v1.js';
import { ClusterNodeReleased } from './cluster-node-released.v1.js';
import { ClusterRemoteLoginChanged } from './cluster-remote-login-changed.v1.js';
import { ClusterTierChanged } from './cluster-tier-changed.v1.js';
import { ClusterUsageRecorded } from './cluster-usage-recorded.v1.js';
import { ClusterUserCredentialIssued } from './cluster-user-credential-issued.v1.js';
import { ClusterUserCredentialsRevoked } from './cluster-user-credentials-revoked.v1.js';
import { JoinTokenCreatedV1 } from './join-token-created.v1.js';
import { JoinTokenCreated } from './join-token-created.v2.js';
import { JoinTokenRedeemed } from './join-token-redeemed.v1.js';
import { JoinTokenRevoked } from './join-token-revoked.v1.js';
import { NodeCordoned } from './node-cordoned.v1.js';
import { NodeCredentialIssued } from './node-credential-issued.v1.js';
import { NodeDrainRequested } from './node-drain-requested.v1.js';
import { NodeGpuDevicePluginChanged } from './node-gpu-device-plugin-changed.v1.js';
import { NodeJoined } from './node-joined.v1.js';
import { NodeLabelsChanged } from './node-labels-changed.v1.js';
import { NodeRemoved } from './node-removed.v1.js';
import { NodeSystemAnnotationsChanged } from './node-system-annotations-changed.v1.js';
import { NodeSystemLabelsChanged } from './node-system-labels-changed.v1.js';
import { NodeSystemTaintsChanged } from './node-system-taints-changed.v1.js';
import { NodeTaintsChanged } from './node-taints-changed.v1.js';
import { NodeUncordoned } from './node-uncordoned.v1.js';

export * from './cluster-access-changed.v1.js';
export * from './cluster-admin-credential-issued.v1.js';
export * from './cluster-auto-upgrade-changed.v1.js';
export * from './cluster-capacity-cordons-lifted.v1.js';
export * from './cluster-created.v1.js';
export * from './cluster-deleted.v1.js';
export * from './cluster-node-admitted.v1.js';
export * from './cluster-node-released.v1.js';
export * from './cluster-remote-login-changed.v1.js';
export * from './cluster-tier-changed.v1.js';
export * from './cluster-usage-recorded.v1.js';
export * from './cluster-user-credential-issued.v1.js';
export * from './cluster-user-credentials-revoked.v1.js';
export * from './join-token-created.v1.js';
export * from './join-token-created.v2.js';
export * from './join-token-redeemed.v1.js';
export * from './join-token-revoked.v1.js';
export * from './node-cordoned.v1.js';
export * from './node-credential-issued.v1.js';
export * from './node-drain-requested.v1.js';
export * from './node-gpu-device-plugin-changed.v1.js';
export * from './node-joined.v1.js';
export * from './node-labels-changed.v1.js';
export * from './node-removed.v1.js';
export * from './node-system-annotations-changed.v1.js';
export * from './node-system-labels-changed.v1.js';
export * from './node-system-taints-changed.v1.js';
export * from './node-taints-changed.v1.js';
export * from './node-uncordoned.v1.js';

/** Catalogue entries emitted by the cluster service. Add one file per event and version, list it here. */
export const clusterEvents: EventDefinition[] = [
  ClusterCreated,
  ClusterAdminCredentialIssued,
  ClusterUserCredentialIssued,
  ClusterUserCredentialsRevoked,
  ClusterAccessChanged,
  ClusterTierChanged,
  ClusterAutoUpgradeChanged,
  ClusterCapacityCordonsLifted,
  ClusterNodeAdmitted,
  ClusterNodeReleased,
  ClusterUsageRecorded,
  ClusterRemoteLoginChanged,
  ClusterDeleted,
  JoinTokenCreatedV1,
  JoinTokenCreated,
  JoinTokenRevoked,
  JoinTokenRedeemed,
  NodeJoined,
  NodeCredentialIssued,
  NodeLabelsChanged,
  NodeSystemLabelsChanged,
  NodeTaintsChanged,
  NodeSystemTaintsChanged,
  NodeSystemAnnotationsChanged,
  NodeCordoned,
  NodeUncordoned,
  NodeDrainRequested,
  NodeGpuDevicePluginChanged,
  NodeRemoved,
];
