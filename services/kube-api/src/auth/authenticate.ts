import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { EdgeplaneClusterV1 } from '@edgeplane/proto';
import { ApiError, unauthorized } from '../http/status.js';
import { UpstreamError, type Upstream } from '../upstream/upstream.js';
import type { Identity } from './identity.js';
import type { PlatformVerifier } from './platform.js';
import { PLATFORM_AUDIENCE, type TokenSigner } from './tokens.js';

export type { Identity } from './identity.js';

interface Cached {
  identity: Identity;
  until: number;
}

type Verdict = EdgeplaneClusterV1.VerifyCredentialResponse__Output;

const BEARER = /^Bearer\s+(\S{1,4096})\s*$/i;
export const WS_BEARER_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/**
 * The bearer token a WebSocket upgrade carries in `Sec-WebSocket-Protocol` (Kubernetes'
 * convention: `base64url.bearer.authorization.k8s.io.<base64url, unpadded>`), undefined when none.
 * Two such protocols, or one that is not base64url, are refused (401).
 */
export function websocketBearer(req: IncomingMessage): string | undefined {
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return undefined;
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.startsWith(WS_BEARER_PREFIX));
  if (offered.length === 0) return undefined;
  const encoded = (offered[0] as string).slice(WS_BEARER_PREFIX.length);
  if (offered.length > 1 || !/^[A-Za-z0-9_-]{1,5464}$/.test(encoded))
    throw unauthorized(
      `Unauthorized: the WebSocket subprotocol ${WS_BEARER_PREFIX}<token> must be sent once, base64url without padding`,
    );
  return Buffer.from(encoded, 'base64url').toString('utf8');
}

/**
 * Client-certificate and bearer-token authentication against the cluster named by the path. The
 * TLS layer asks for a certificate but accepts any (the cluster is not known during the
 * handshake); here the certificate's dates are checked, then the cluster service decides
 * (VerifyCredential: signed by this cluster's CA and the holder's active credential, so a rotated
 * or revoked one is refused). A bearer token (auth/tokens.ts) is checked for its signature,
 * cluster and expiry here, and the credential it was made from is asked for the same way (by
 * fingerprint). Answers are cached for a short while per certificate / credential: a revocation
 * takes effect within that window.
 */
export class Authenticator {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly upstream: Upstream,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
    private readonly tokens?: TokenSigner,
    /** the platform CA: its client certificates are platform credentials (auth/platform.ts) */
    private readonly platform?: PlatformVerifier,
  ) {}

  /**
   * The management API (`/apis/management.edgeplane.io/…`, `/edgeplane/v1/tokens` at the root):
   * platform credentials only — a client certificate of the platform CA, or a platform token.
   */
  async authenticatePlatformRequest(req: IncomingMessage): Promise<Identity> {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = BEARER.exec(header);
      if (!m) throw unauthorized('Unauthorized: the Authorization header must be "Bearer <token>"');
      return this.authenticateToken(m[1] as string, PLATFORM_AUDIENCE);
    }
    const cert = this.peerCertificate(req.socket as TLSSocket);
    const identity = this.platform?.identify(cert);
    if (!identity)
      throw unauthorized(
        'Unauthorized: the management API takes a platform credential (a client certificate of the platform CA, as in .edgeplane/credentials/admin.yaml, or a token made from one)',
      );
    return identity;
  }

  /**
   * The request's identity: `Authorization: Bearer <token>` when sent; else, on a WebSocket upgrade
   * (a browser cannot set headers there), the token in the subprotocol
   * `base64url.bearer.authorization.k8s.io.<base64url(token)>` as kube-apiserver reads it; else
   * the client certificate.
   */
  async authenticateRequest(req: IncomingMessage, clusterId: string): Promise<Identity> {
    const header = req.headers.authorization;
    if (header === undefined) {
      const token = websocketBearer(req);
      if (token !== undefined) return this.authenticateToken(token, clusterId);
      return this.authenticate(req.socket as TLSSocket, clusterId);
    }
    const m = BEARER.exec(header);
    if (!m) throw unauthorized('Unauthorized: the Authorization header must be "Bearer <token>"');
    return this.authenticateToken(m[1] as string, clusterId);
  }

  async authenticateToken(token: string, clusterId: string): Promise<Identity> {
    if (!this.tokens) throw unauthorized('Unauthorized: bearer tokens are not accepted here');
    const t = this.now();
    const claims = this.tokens.verify(token, clusterId, t);
    if (claims.scp === 'platform')
      // the platform CA has no revocation list: a platform token lives until its expiry (≤ 8 h)
      return {
        user: claims.sub,
        groups: claims.grp,
        kind: claims.knd === 'admin' ? 'admin' : 'user',
        via: 'token',
        fingerprint: claims.fp,
        serial: claims.ser,
        validUntil: claims.exp * 1000,
        scope: 'platform',
        clusters: claims.clu ?? [],
      };
    const key = `token:${clusterId}/${claims.fp}`;
    const hit = this.cache.get(key);
    if (!hit || hit.until <= t) {
      const verdict = await this.ask({ cluster: { id: clusterId }, credentialFingerprint: claims.fp });
      if (!verdict.valid)
        throw unauthorized(
          'Unauthorized: the credential this token was made from was revoked or rotated, or has expired',
        );
      this.remember(key, { user: verdict.user, groups: verdict.groups, kind: 'user' }, t);
    }
    return {
      user: claims.sub,
      groups: claims.grp,
      kind: claims.knd === 'admin' ? 'admin' : 'user',
      via: 'token',
      fingerprint: claims.fp,
      serial: claims.ser,
      validUntil: claims.exp * 1000,
    };
  }

  /** The client certificate, within its dates; else 401. */
  private peerCertificate(socket: TLSSocket): X509Certificate {
    const peer = socket.getPeerCertificate(false);
    if (!peer || !peer.raw) throw unauthorized('Unauthorized: no client certificate');
    const cert = new X509Certificate(peer.raw);
    const t = this.now();
    if (t < Date.parse(cert.validFrom) || t > Date.parse(cert.validTo)) {
      throw unauthorized(
        `Unauthorized: the client certificate has expired or is not yet valid (valid until ${new Date(cert.validTo).toISOString()})`,
      );
    }
    return cert;
  }

  async authenticate(socket: TLSSocket, clusterId: string): Promise<Identity> {
    const cert = this.peerCertificate(socket);
    const t = this.now();
    // a platform credential is good under every cluster's path (or those its OU names)
    const platform = this.platform?.identify(cert);
    if (platform) {
      if (platform.clusters?.length && !platform.clusters.includes(clusterId))
        throw new ApiError(
          403,
          'Forbidden',
          `the platform credential of "${platform.user}" is limited to cluster${platform.clusters.length > 1 ? 's' : ''} ${platform.clusters.join(', ')}`,
        );
      return platform;
    }
    const fingerprint = cert.fingerprint256.replaceAll(':', '').toLowerCase();
    const key = `${clusterId}/${fingerprint}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > t) return hit.identity;
    const verdict = await this.ask({ cluster: { id: clusterId }, certificatePem: cert.toString() });
    if (!verdict.valid)
      throw unauthorized(
        `Unauthorized: ${verdict.reason || 'the certificate is not a credential of this cluster'}`,
      );
    const subject = parseSubject(cert.subject);
    const identity: Identity = {
      // the cluster service's word on who it is; the certificate's subject when it says nothing
      user: verdict.user || subject.CN[0] || '',
      groups: verdict.groups?.length ? verdict.groups : subject.O,
      kind: verdict.kind === 'node' ? 'node' : verdict.kind === 'user' ? 'user' : 'admin',
      ...(verdict.nodeName ? { nodeName: verdict.nodeName } : {}),
      via: 'certificate',
      fingerprint,
      serial: verdict.serial || cert.serialNumber.toLowerCase(),
      validUntil: Date.parse(cert.validTo),
    };
    this.remember(key, identity, t);
    return identity;
  }

  private remember(key: string, identity: Identity, t: number): void {
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { identity, until: t + this.cacheMs });
  }

  private async ask(req: EdgeplaneClusterV1.VerifyCredentialRequest): Promise<Verdict> {
    try {
      return await this.upstream.verifyCredential(req);
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
