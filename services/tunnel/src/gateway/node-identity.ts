import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { Directory } from './directory.js';

export interface NodeIdentity {
  clusterId: string;
  nodeName: string;
  serial: string;
}

export type IdentityResult = { ok: true; identity: NodeIdentity } | { ok: false; reason: string };

const NODE_PREFIX = 'system:node:';

/**
 * Who is on the other end of a tunnel call: the node named by its client certificate (CN
 * `system:node:<name>`, O `system:nodes`), in the cluster whose CA signed it — never a value
 * the agent sent. TLS already checked the chain against the trust bundle; this maps the issuer
 * to its cluster, checks that CA's signature itself, and admits the node only while the
 * certificate is its active credential (not removed, not replaced, cluster not deleted).
 */
export function identifyNode(peer: PeerCertificate | undefined, directory: Directory): IdentityResult {
  if (!peer?.raw) return { ok: false, reason: 'no client certificate' };
  // Parsing and verifying the certificate is the same work for every sub-stream of a node; what
  // it yields depends only on the certificate and its cluster's CA, so it is kept per certificate
  // (and per cluster CA object: a CA reloaded into the directory is checked again). Whether the
  // node is still admitted is asked every time.
  const key = peer.fingerprint256;
  const known = key ? verified.get(key) : undefined;
  if (known && directory.cluster(known.identity.clusterId)?.ca === known.ca)
    return admitted(known.identity, directory);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(peer.raw);
  } catch {
    return { ok: false, reason: 'unreadable client certificate' };
  }
  const cluster = directory.clusterByCaSubject(cert.issuer);
  if (!cluster || cluster.deleted || !cert.checkIssued(cluster.ca) || !cert.verify(cluster.ca.publicKey)) {
    return { ok: false, reason: 'certificate not issued by a known cluster CA' };
  }
  const fields = subjectFields(cert.subject);
  const cn = fields.get('CN')?.[0] ?? '';
  if (!cn.startsWith(NODE_PREFIX) || !(fields.get('O') ?? []).includes('system:nodes')) {
    return { ok: false, reason: 'not a node certificate' };
  }
  const nodeName = cn.slice(NODE_PREFIX.length);
  const serial = cert.serialNumber.toLowerCase();
  const identity = { clusterId: cluster.id, nodeName, serial };
  if (key) {
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(key, { identity, ca: cluster.ca });
  }
  return admitted(identity, directory);
}

/** Certificates already parsed and verified: SHA-256 fingerprint → identity and the CA it chains to. */
const verified = new Map<string, { identity: NodeIdentity; ca: X509Certificate }>();
const VERIFIED_MAX = 50_000;

/** Is this identity still admitted (re-checked when the directory changes: revocation)? */
export function admitted(identity: NodeIdentity, directory: Directory): IdentityResult {
  const cluster = directory.cluster(identity.clusterId);
  if (!cluster || cluster.deleted) return { ok: false, reason: 'cluster deleted' };
  const node = directory.node(identity.clusterId, identity.nodeName);
  if (!node?.present)
    return { ok: false, reason: `node ${identity.nodeName} is not (or no longer) in the cluster` };
  if (node.serial !== identity.serial) {
    return {
      ok: false,
      reason: `certificate ${identity.serial} is not node ${identity.nodeName}'s active credential`,
    };
  }
  return { ok: true, identity };
}

/** `CN=a\nO=b\nO=c` (Node's X509Certificate.subject) → field → values. */
function subjectFields(subject: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    out.set(key, [...(out.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}
