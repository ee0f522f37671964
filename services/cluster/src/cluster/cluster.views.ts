import type { ContainerRuntime } from '../reference-data/reference-data.js';
import type { AccessState, ClusterState } from './cluster.state.js';

/** What read paths and other aggregates see of a cluster (pure, over its state). */

/**
 * True when `fingerprint` (SHA-256 of the presented admin certificate, see pki) is the cluster's
 * active admin credential. A rotated or deleted cluster's old credential answers false.
 */
export function verifyAdminCredential(state: ClusterState, fingerprint: string): boolean {
  return (
    state.status === 'active' &&
    state.adminCredential.fingerprint !== '' &&
    state.adminCredential.fingerprint === fingerprint.toLowerCase()
  );
}

/** What the JoinToken decider needs to know about the token's cluster. */
export interface ClusterJoinContext {
  clusterId: string;
  exists: boolean;
  name: string;
  runtime: ContainerRuntime;
  access: AccessState;
}

export function joinContextOf(state: ClusterState, clusterId: string): ClusterJoinContext {
  if (state.status !== 'active') {
    return {
      clusterId,
      exists: false,
      name: state.status === 'deleted' ? state.name : '',
      runtime: 'containerd',
      access: { publicAccess: false, privateAccess: { enabled: false, subnetId: null } },
    };
  }
  return {
    clusterId,
    exists: true,
    name: state.spec.name,
    runtime: state.spec.runtime,
    access: state.access,
  };
}

/** A downloaded admin kubeconfig and the credential in it. */
export interface KubeconfigView {
  clusterId: string;
  kubeconfigYaml: string;
  credentialSerial: string;
  credentialFingerprint: string;
  notAfter: string;
  /** the serial a rotation revoked ('' for a download) */
  revokedSerial: string;
  /** a restricted credential's user ('' for the admin's) and role */
  user: string;
  role: string;
}

/** The verdict on a presented client certificate (VerifyCredential). */
export interface CredentialCheck {
  valid: boolean;
  kind: 'admin' | 'node' | 'user' | '';
  nodeName: string;
  authorized: boolean;
  reason: string;
  serial: string;
  /** who the credential names, and its groups (for admin and user credentials: the roles) */
  user: string;
  groups: string[];
}
