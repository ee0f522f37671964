import { ValidationError } from '@edgeplane/es-kit';
import { RESOURCE_ID } from './cluster.lifecycle.decide.js';
import {
  clusterEvent,
  type ActiveCluster,
  type ClusterEvent,
  type CredentialFacts,
} from './cluster.state.js';

/** Access decisions (F-CL-4, F-CL-5, F-CL-6): API server access paths, remote login, the admin credential. */

export interface SetAccess {
  type: 'SetAccess';
  clusterId: string;
  /** Omitted = leave as is; the two modes are toggled separately. */
  publicAccess?: boolean;
  privateAccess?: { enabled: boolean; subnetId?: string | null };
  now: string;
}

export interface SetRemoteLogin {
  type: 'SetRemoteLogin';
  clusterId: string;
  enabled: boolean;
  now: string;
}

export interface RotateAdminCredential {
  type: 'RotateAdminCredential';
  clusterId: string;
  credential: CredentialFacts;
  now: string;
}

export function setAccess(c: SetAccess, s: ActiveCluster): ClusterEvent[] {
  if (c.publicAccess === undefined && c.privateAccess === undefined) {
    throw ValidationError.field('access', 'give publicAccess and/or privateAccess');
  }
  const publicAccess = c.publicAccess ?? s.access.publicAccess;
  let privateAccess = s.access.privateAccess;
  if (c.privateAccess) {
    if (c.privateAccess.enabled) {
      const subnetId = c.privateAccess.subnetId ?? s.access.privateAccess.subnetId;
      if (!subnetId) {
        throw ValidationError.field(
          'privateAccess.subnetId',
          'private access needs the VPC subnet the nodes join from',
        );
      }
      if (!RESOURCE_ID.test(subnetId)) {
        throw ValidationError.field('privateAccess.subnetId', `"${subnetId}" is not a valid subnet id`);
      }
      privateAccess = { enabled: true, subnetId };
    } else {
      privateAccess = { enabled: false, subnetId: s.access.privateAccess.subnetId };
    }
  }
  if (
    publicAccess === s.access.publicAccess &&
    privateAccess.enabled === s.access.privateAccess.enabled &&
    privateAccess.subnetId === s.access.privateAccess.subnetId
  ) {
    return [];
  }
  return [
    clusterEvent('ClusterAccessChanged', {
      clusterId: c.clusterId,
      publicAccess,
      privateAccess,
      changedAt: c.now,
    }),
  ];
}

export function setRemoteLogin(c: SetRemoteLogin, s: ActiveCluster): ClusterEvent[] {
  if (s.remoteLogin === c.enabled) return [];
  return [
    clusterEvent('ClusterRemoteLoginChanged', {
      clusterId: c.clusterId,
      enabled: c.enabled,
      changedAt: c.now,
    }),
  ];
}

/** A new admin credential replaces the current one; the old one stops verifying at once. */
export function rotateAdminCredential(c: RotateAdminCredential, s: ActiveCluster): ClusterEvent[] {
  if (s.adminCredential.fingerprint === c.credential.fingerprint) return [];
  return [
    clusterEvent('ClusterAdminCredentialIssued', {
      clusterId: c.clusterId,
      ...c.credential,
      replaces: { serial: s.adminCredential.serial, fingerprint: s.adminCredential.fingerprint },
      issuedAt: c.now,
    }),
  ];
}
