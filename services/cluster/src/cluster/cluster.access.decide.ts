import { IllegalStateError, NotFoundError, ValidationError } from '@edgeplane/es-kit';
import { RESOURCE_ID } from './cluster.lifecycle.decide.js';
import {
  clusterEvent,
  type ActiveCluster,
  type ClusterEvent,
  type CredentialFacts,
  type CredentialRole,
  type UserCredentialState,
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

// ───────────────────────────── restricted credentials ─────────────────────────────

/** The certificate O each role is carried by (the kube API maps it back; auth-design.md). */
export const ROLE_GROUPS: Record<CredentialRole, string> = {
  view: 'edgeplane:view',
  edit: 'edgeplane:edit',
  'cluster-admin': 'system:masters',
};
export const CREDENTIAL_ROLES = Object.keys(ROLE_GROUPS) as CredentialRole[];
/** Active restricted credentials per cluster. */
export const MAX_USER_CREDENTIALS = 256;
/** A user name: the certificate's CN; `system:` names (nodes, services) cannot be asked for. */
export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function userNameViolation(user: string): string | undefined {
  if (!user) return 'name the user the credential is for';
  if (!USER_NAME.test(user))
    return `"${user.slice(0, 80)}" is not a user name: 1–64 of letters, digits, '.', '_', '@', '-', starting with a letter or digit`;
  return undefined;
}

export function roleViolation(role: string): string | undefined {
  return (CREDENTIAL_ROLES as string[]).includes(role)
    ? undefined
    : `"${role.slice(0, 40)}" is not a role; one of ${CREDENTIAL_ROLES.join(', ')}`;
}

export interface IssueUserCredential {
  type: 'IssueUserCredential';
  clusterId: string;
  user: string;
  role: CredentialRole;
  credential: CredentialFacts;
  now: string;
}

export interface RevokeUserCredentials {
  type: 'RevokeUserCredentials';
  clusterId: string;
  /** exactly one of them */
  serial?: string;
  user?: string;
  now: string;
}

/** Active (not expired at `now`) restricted credentials of the cluster, oldest first. */
export function activeUserCredentials(s: ActiveCluster, now: string): UserCredentialState[] {
  const t = Date.parse(now);
  return (s.userCredentials ?? []).filter((c) => Date.parse(c.notAfter) > t);
}

export function issueUserCredential(c: IssueUserCredential, s: ActiveCluster): ClusterEvent[] {
  const userWrong = userNameViolation(c.user);
  if (userWrong) throw ValidationError.field('user', userWrong);
  const roleWrong = roleViolation(c.role);
  if (roleWrong) throw ValidationError.field('role', roleWrong);
  if (activeUserCredentials(s, c.now).length >= MAX_USER_CREDENTIALS) {
    throw new IllegalStateError(
      `cluster ${s.spec.name} has ${MAX_USER_CREDENTIALS} active credentials; revoke some first (edgeplane cluster revoke-credential)`,
    );
  }
  return [
    clusterEvent('ClusterUserCredentialIssued', {
      clusterId: c.clusterId,
      ...c.credential,
      user: c.user,
      role: c.role,
      groups: [ROLE_GROUPS[c.role]],
      issuedAt: c.now,
    }),
  ];
}

export function revokeUserCredentials(c: RevokeUserCredentials, s: ActiveCluster): ClusterEvent[] {
  if (Boolean(c.serial) === Boolean(c.user))
    throw ValidationError.field('serial', 'give either the serial of one credential or a user');
  const serial = c.serial?.toLowerCase();
  const hit = (s.userCredentials ?? []).filter((x) => (serial ? x.serial === serial : x.user === c.user));
  if (!hit.length) {
    throw new NotFoundError(
      'credential',
      serial ? `serial ${serial}` : `of user ${c.user ?? ''} in cluster ${s.spec.name}`,
    );
  }
  return [
    clusterEvent('ClusterUserCredentialsRevoked', {
      clusterId: c.clusterId,
      credentials: hit.map((x) => ({ serial: x.serial, fingerprint: x.fingerprint, user: x.user })),
      revokedAt: c.now,
    }),
  ];
}
