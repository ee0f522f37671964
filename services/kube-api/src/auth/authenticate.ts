import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { ApiError, unauthorized } from '../http/status.js';
import { UpstreamError, type Upstream } from '../upstream/upstream.js';

/** Who is calling: from the client certificate (CN = user, O = groups), as kube-apiserver reads it. */
export interface Identity {
  user: string;
  groups: string[];
  /** what the cluster service says the credential is: the admin's, or a node's */
  kind: 'admin' | 'node';
  nodeName?: string;
}

interface Cached {
  identity: Identity;
  until: number;
}

/**
 * Client-certificate authentication against the cluster named by the path. The TLS layer asks for
 * a certificate but accepts any (the cluster is not known during the handshake); here the
 * certificate's dates are checked, then the cluster service decides (VerifyCredential: signed by
 * this cluster's CA and the holder's active credential, so a rotated or revoked one is refused).
 * Answers are cached for a short while per certificate.
 */
export class Authenticator {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly upstream: Upstream,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(socket: TLSSocket, clusterId: string): Promise<Identity> {
    const peer = socket.getPeerCertificate(false);
    if (!peer || !peer.raw) throw unauthorized('Unauthorized: no client certificate');
    const cert = new X509Certificate(peer.raw);
    const t = this.now();
    if (t < Date.parse(cert.validFrom) || t > Date.parse(cert.validTo)) {
      throw unauthorized(
        `Unauthorized: the client certificate has expired or is not yet valid (valid until ${new Date(cert.validTo).toISOString()})`,
      );
    }
    const key = `${clusterId}/${cert.fingerprint256}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > t) return hit.identity;
    let verdict;
    try {
      verdict = await this.upstream.verifyCredential({
        cluster: { id: clusterId },
        certificatePem: cert.toString(),
      });
    } catch (error) {
      // an unknown cluster is refused the same way as a foreign certificate: nothing is learnt
      if (
        error instanceof UpstreamError &&
        (error.code === grpc.status.NOT_FOUND || error.code === grpc.status.INVALID_ARGUMENT)
      ) {
        throw unauthorized();
      }
      throw new ApiError(
        503,
        'ServiceUnavailable',
        `credentials cannot be checked now: ${(error as Error).message}`,
      );
    }
    if (!verdict.valid)
      throw unauthorized(
        `Unauthorized: ${verdict.reason || 'the certificate is not a credential of this cluster'}`,
      );
    const subject = parseSubject(cert.subject);
    const identity: Identity = {
      user: subject.CN[0] ?? '',
      groups: subject.O,
      kind: verdict.kind === 'node' ? 'node' : 'admin',
      ...(verdict.nodeName ? { nodeName: verdict.nodeName } : {}),
    };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { identity, until: t + this.cacheMs });
    return identity;
  }
}

function parseSubject(subject: string): { CN: string[]; O: string[] } {
  const out = { CN: [] as string[], O: [] as string[] };
  for (const line of subject.split('\n')) {
    const i = line.indexOf('=');
    const k = line.slice(0, i);
    if (k === 'CN' || k === 'O') out[k].push(line.slice(i + 1));
  }
  return out;
}
