import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';

/**
 * The node side of the join API (docs/tunnel.md "Join over HTTPS"), for edgectl and tests:
 * fetch the gateway CA and accept it only if its hash is the one the join command carried
 * (`EDGEPLANE_CA_HASH`, as kubeadm's --discovery-token-ca-cert-hash), then talk to the server
 * only through that CA.
 */

/** `sha256:<hex>` over a certificate's SubjectPublicKeyInfo (the tunnel service computes the same). */
export function caHashOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

export class JoinError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    readonly field: string | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * GET /v1/join/ca without trusting anything yet, then refuse unless (1) the CA's hash is `caHash`
 * and (2) the server that answered presented a certificate that CA issued. From then on the
 * caller verifies the server against the returned CA.
 */
export async function fetchPinnedGatewayCa(serverUrl: string, caHash: string): Promise<string> {
  const { status, body, peer } = await request(`${serverUrl}/v1/join/ca`, { rejectUnauthorized: false });
  if (status !== 200) throw new JoinError(status, 'UNAVAILABLE', null, `GET /v1/join/ca answered ${status}`);
  const caPem = body.toString('utf8');
  let actual: string;
  try {
    actual = caHashOf(caPem);
  } catch {
    throw new JoinError(status, 'INVALID_CA', null, 'the server did not send a PEM certificate as its CA');
  }
  if (actual !== caHash.toLowerCase()) {
    throw new JoinError(
      status,
      'CA_HASH_MISMATCH',
      null,
      `the server's CA hash is ${actual}, not ${caHash}: refusing to trust it`,
    );
  }
  if (!peer || !peer.checkIssued(new X509Certificate(caPem))) {
    throw new JoinError(
      status,
      'CA_HASH_MISMATCH',
      null,
      "the server's certificate was not issued by the pinned CA",
    );
  }
  return caPem;
}

export interface RedeemBody {
  token: string;
  nodeName: string;
  csrPem: string;
  arch: string;
  os: string;
  interface: string;
  ips: string[];
  gpuModel?: string;
}

export interface JoinIdentity {
  clusterId: string;
  nodeName: string;
  certificatePem: string;
  caCertificatePem: string;
  tunnelAddress: string;
  containerDir: string;
  preInstallScript: string;
  postInstallScript: string;
  cordoned: boolean;
  cordonReason: string;
}

/** POST /v1/join/redeem, verifying the server against the pinned gateway CA. */
export async function redeemJoinToken(
  serverUrl: string,
  gatewayCaPem: string,
  body: RedeemBody,
): Promise<JoinIdentity> {
  const payload = Buffer.from(JSON.stringify(body));
  const { status, body: answer } = await request(`${serverUrl}/v1/join/redeem`, {
    method: 'POST',
    ca: gatewayCaPem,
    headers: { 'content-type': 'application/json', 'content-length': String(payload.length) },
    payload,
  });
  let json: unknown;
  try {
    json = JSON.parse(answer.toString('utf8'));
  } catch {
    throw new JoinError(status, 'INTERNAL', null, `the join server answered ${status} without JSON`);
  }
  if (status !== 200) {
    const e = (json as { error?: { code?: string; field?: string | null; message?: string } }).error ?? {};
    throw new JoinError(status, e.code ?? 'UNKNOWN', e.field ?? null, e.message ?? `HTTP ${status}`);
  }
  return json as JoinIdentity;
}

/** GET a bundle (/v1/join/edgectl or /v1/join/agent) through the pinned CA. */
export async function downloadBundle(
  serverUrl: string,
  gatewayCaPem: string,
  which: 'edgectl' | 'agent',
): Promise<Buffer> {
  const { status, body } = await request(`${serverUrl}/v1/join/${which}`, { ca: gatewayCaPem });
  if (status !== 200) {
    let message = `HTTP ${status}`;
    try {
      message = (JSON.parse(body.toString('utf8')) as { error: { message: string } }).error.message;
    } catch {
      /* not JSON */
    }
    throw new JoinError(status, status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE', null, message);
  }
  return body;
}

function request(
  url: string,
  options: {
    method?: string;
    ca?: string;
    rejectUnauthorized?: boolean;
    headers?: Record<string, string>;
    payload?: Buffer;
  },
): Promise<{ status: number; body: Buffer; peer?: X509Certificate }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: options.method ?? 'GET',
        ca: options.ca,
        rejectUnauthorized: options.rejectUnauthorized ?? true,
        headers: options.headers,
        timeout: 30_000,
        agent: false,
      },
      (res) => {
        const raw = (res.socket as TLSSocket).getPeerCertificate?.()?.raw;
        const peer = raw ? new X509Certificate(raw) : undefined;
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), peer }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(options.payload);
  });
}
