/**
 * Least privilege for node identities (F-CL-5, Kubernetes Node authorizer semantics): a request made
 * with a node credential may act only on that node's own objects in that node's own cluster.
 */
export interface NodeIdentity {
  clusterId: string;
  /** From the certificate: `system:node:<name>` (see pki.nodeNameFromCertificate). */
  nodeName: string;
}

export interface NodeScopedTarget {
  clusterId: string;
  nodeName: string;
}

export function authorizeNodeAction(identity: NodeIdentity, target: NodeScopedTarget): boolean {
  return identity.clusterId === target.clusterId && identity.nodeName === target.nodeName;
}
