import { X509Certificate } from 'node:crypto';
import { ADMIN_GROUP, loadPlatformCa, SERVICE_GROUP, subjectOf } from '@edgeplane/proto';
import type { Identity } from './identity.js';

/**
 * Platform credentials (issue 13, clusters in the console): client certificates signed by the
 * platform CA (`.edgeplane/pki/ca.crt`, the CA of the gRPC API's credential files such as
 * `.edgeplane/credentials/admin.yaml`). Who: CN; roles: O (as in every service's access table);
 * OU `cluster:<id>` limits the credential to those clusters. They sit above any one cluster: the
 * management API (`/apis/management.edgeplane.io/v1/clusters`) takes only them, and they are
 * accepted under every `/k8s/clusters/<id>` their OU allows. The services' own certificates
 * (O edgeplane:services) are not people: they are not platform credentials here.
 */
export class PlatformVerifier {
  private ca?: X509Certificate;

  /** `caPem`: the platform CA's certificate; else read (once) from `pkiDir` / EDGEPLANE_PKI_DIR / .edgeplane/pki. */
  constructor(private readonly source: { caPem?: string; pkiDir?: string } = {}) {}

  private platformCa(): X509Certificate | undefined {
    if (this.ca) return this.ca;
    try {
      this.ca = new X509Certificate(this.source.caPem ?? loadPlatformCa(this.source.pkiDir).certPem);
    } catch {
      return undefined; // no platform CA here: no platform credentials either
    }
    return this.ca;
  }

  /** The identity of a certificate the platform CA signed (dates already checked), else undefined. */
  identify(cert: X509Certificate): Identity | undefined {
    const ca = this.platformCa();
    if (!ca || !cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return undefined;
    const subject = subjectOf(cert);
    if (subject.O.includes(SERVICE_GROUP)) return undefined;
    return {
      user: subject.CN,
      groups: subject.O,
      kind: subject.O.includes(ADMIN_GROUP) ? 'admin' : 'user',
      via: 'certificate',
      fingerprint: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
      serial: cert.serialNumber.toLowerCase(),
      validUntil: Date.parse(cert.validTo),
      scope: 'platform',
      clusters: subject.OU.filter((u) => u.startsWith('cluster:')).map((u) => u.slice('cluster:'.length)),
    };
  }
}

/** Whether a platform identity may reach a cluster (its OU limits, none = every cluster). */
export function reachesCluster(identity: Identity, clusterId: string): boolean {
  return !identity.clusters?.length || identity.clusters.includes(clusterId);
}
