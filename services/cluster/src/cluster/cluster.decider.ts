import type { Decider } from '@edgeplane/es-kit';
import { defaultReferenceData, type ReferenceData } from '../reference-data/reference-data.js';
import {
  issueUserCredential,
  revokeUserCredentials,
  rotateAdminCredential,
  setAccess,
  setRemoteLogin,
  type IssueUserCredential,
  type RevokeUserCredentials,
  type RotateAdminCredential,
  type SetAccess,
  type SetRemoteLogin,
} from './cluster.access.decide.js';
import {
  admitNode,
  recordNodeRemoved,
  recordUsage,
  setAutoUpgrade,
  setTier,
  type AdmitNode,
  type RecordNodeRemoved,
  type RecordUsage,
  type SetAutoUpgrade,
  type SetTier,
} from './cluster.capacity.decide.js';
import {
  createCluster,
  deleteCluster,
  type CreateCluster,
  type DeleteCluster,
} from './cluster.lifecycle.decide.js';
import {
  evolveCluster,
  initialClusterState,
  requireActive,
  type ClusterEvent,
  type ClusterState,
} from './cluster.state.js';

/**
 * The Cluster aggregate (`cluster-<clusterId>`): its commands, and the decider that routes each
 * to its decision (lifecycle, access, capacity) over the state `evolveCluster` folds.
 */

export type ClusterCommand =
  | CreateCluster
  | SetAccess
  | SetTier
  | SetAutoUpgrade
  | SetRemoteLogin
  | RotateAdminCredential
  | IssueUserCredential
  | RevokeUserCredentials
  | AdmitNode
  | RecordNodeRemoved
  | RecordUsage
  | DeleteCluster;

export function makeClusterDecider(
  ref: ReferenceData = defaultReferenceData,
): Decider<ClusterState, ClusterCommand, ClusterEvent> {
  function decide(command: ClusterCommand, state: ClusterState): ClusterEvent[] {
    switch (command.type) {
      case 'CreateCluster':
        return createCluster(ref, command, state);
      case 'DeleteCluster':
        if (state.status === 'deleted') return [];
        return deleteCluster(command, requireActive(state, command.clusterId));
      case 'SetAccess':
        return setAccess(command, requireActive(state, command.clusterId));
      case 'SetTier':
        return setTier(ref, command, requireActive(state, command.clusterId));
      case 'SetAutoUpgrade':
        return setAutoUpgrade(command, requireActive(state, command.clusterId));
      case 'SetRemoteLogin':
        return setRemoteLogin(command, requireActive(state, command.clusterId));
      case 'RotateAdminCredential':
        return rotateAdminCredential(command, requireActive(state, command.clusterId));
      case 'IssueUserCredential':
        return issueUserCredential(command, requireActive(state, command.clusterId));
      case 'RevokeUserCredentials':
        return revokeUserCredentials(command, requireActive(state, command.clusterId));
      case 'AdmitNode':
        return admitNode(ref, command, requireActive(state, command.clusterId));
      case 'RecordNodeRemoved':
        // A late reaction for a deleted cluster has nothing left to count.
        if (state.status === 'deleted') return [];
        return recordNodeRemoved(ref, command, requireActive(state, command.clusterId));
      case 'RecordUsage':
        return recordUsage(ref, command, requireActive(state, command.clusterId));
    }
  }

  return { decide, evolve: evolveCluster, initialState: initialClusterState };
}

/** The decider over the default reference tables. */
export const clusterDecider = makeClusterDecider();

export function clusterStreamId(clusterId: string): string {
  return `cluster-${clusterId}`;
}
