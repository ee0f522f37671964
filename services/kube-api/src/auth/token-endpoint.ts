import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from '../http/status.js';
import type { Identity } from './authenticate.js';
import { mayRequestToken } from './authorize.js';
import { PLATFORM_AUDIENCE, TOKEN_TTL, type TokenSigner } from './tokens.js';

/**
 * The path (under /k8s/clusters/<id>, and at the root for platform credentials) where a client
 * certificate is exchanged for a bearer token.
 */
export const TOKENS_PATH = '/edgeplane/v1/tokens';
const MAX_BODY_BYTES = 4096;

/**
 * `POST /k8s/clusters/<id>/edgeplane/v1/tokens` with the kubeconfig's client certificate, body
 * optional `{"expirationSeconds": N}` (60 – 43200, default 3600) → a TokenRequest-like answer
 * carrying `status.token` (use as `Authorization: Bearer <token>`) and its expiry. A token never
 * outlives the certificate it was made from and carries its roles, nothing more.
 */
export async function issueToken(
  req: IncomingMessage,
  identity: Identity,
  clusterId: string,
  signer: TokenSigner,
  nowMs: number,
): Promise<Record<string, unknown>> {
  if (req.method !== 'POST')
    throw new ApiError(405, 'MethodNotAllowed', `${TOKENS_PATH} takes POST only, not ${req.method ?? ''}`);
  const denied = mayRequestToken(identity);
  if (denied) throw denied;
  const body = await readSmallJson(req);
  const asked = body.expirationSeconds ?? TOKEN_TTL.default;
  if (typeof asked !== 'number' || !Number.isInteger(asked) || asked < TOKEN_TTL.min || asked > TOKEN_TTL.max)
    throw badRequest(
      `expirationSeconds must be a whole number of seconds between ${TOKEN_TTL.min} and ${TOKEN_TTL.max}`,
    );
  const iat = Math.floor(nowMs / 1000);
  const certificateEnd = Math.floor((identity.validUntil ?? nowMs) / 1000);
  const exp = Math.min(iat + asked, certificateEnd);
  if (exp <= iat) throw badRequest('the client certificate expires before any token could');
  // a platform credential (at the root, or under a cluster's path) makes a platform token: good
  // for the management API and every cluster its OU allows, as the certificate is
  const platform = identity.scope === 'platform';
  const token = signer.sign({
    sub: identity.user,
    grp: identity.groups,
    cls: platform ? PLATFORM_AUDIENCE : clusterId,
    knd: identity.kind === 'admin' ? 'admin' : 'user',
    fp: identity.fingerprint ?? '',
    ser: identity.serial ?? '',
    iat,
    exp,
    ...(platform ? { scp: 'platform' as const, clu: identity.clusters ?? [] } : {}),
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'edgeplane.io/v1',
    metadata: { creationTimestamp: new Date(iat * 1000).toISOString() },
    spec: {
      expirationSeconds: exp - iat,
      audiences: platform
        ? identity.clusters?.length
          ? identity.clusters
          : [PLATFORM_AUDIENCE]
        : [clusterId],
    },
    ...(platform ? { scope: 'platform' } : { scope: 'cluster' }),
    status: { token, expirationTimestamp: new Date(exp * 1000).toISOString() },
    user: {
      username: identity.user,
      groups: identity.groups,
      serial: identity.serial ?? '',
      ...(platform ? { clusters: identity.clusters ?? [] } : {}),
    },
  };
}

async function readSmallJson(req: IncomingMessage): Promise<{ expirationSeconds?: unknown }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'RequestEntityTooLarge', `a token request is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('the token request body must be JSON, e.g. {"expirationSeconds": 3600}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('the token request body must be a JSON object');
  const { spec, expirationSeconds } = parsed as {
    spec?: { expirationSeconds?: unknown };
    expirationSeconds?: unknown;
  };
  return { expirationSeconds: expirationSeconds ?? spec?.expirationSeconds };
}
