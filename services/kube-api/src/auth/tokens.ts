import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, unauthorized } from '../http/status.js';

/** What a bearer token says: who, in which cluster, made from which credential, until when. */
export interface TokenClaims {
  /** the user (certificate CN) */
  sub: string;
  /** the groups (certificate O): the roles */
  grp: string[];
  /** the cluster it is good for (the path's cluster) */
  cls: string;
  /** admin or user: the kind of credential it was made from (nodes get no tokens) */
  knd: 'admin' | 'user';
  /** SHA-256 fingerprint of the certificate it was made from: revoking that revokes the token */
  fp: string;
  /** that certificate's serial */
  ser: string;
  /** issued at / expires at, seconds since the epoch */
  iat: number;
  exp: number;
  /**
   * `platform`: made from a platform credential (a client certificate of the platform CA) at
   * `POST /edgeplane/v1/tokens`; `cls` is then `*` and the token is good for the management API and
   * under every cluster's path — or only those of `clu` (the certificate's OU `cluster:<id>`)
   */
  scp?: 'platform';
  clu?: string[];
}

/** The `cls` of a platform token (every cluster, unless `clu` limits it). */
export const PLATFORM_AUDIENCE = '*';

const PREFIX = 'ep1';
const MAX_TOKEN_CHARS = 4096;
export const TOKEN_TTL = { default: 3600, min: 60, max: 12 * 3600 };

/**
 * Bearer tokens for the console (issue 13): `ep1.<claims>.<HMAC-SHA256>` (base64url), signed with
 * a 256-bit key the kube API keeps beside its serving CA (`token-signing.key`, mode 600, made on
 * first start). Short-lived (1 h unless asked, at most 12 h and never beyond the certificate they
 * were made from), bound to one cluster, and checked on every use against the credential they were
 * made from (revoked → refused, within the authenticator's cache window).
 */
export class TokenSigner {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): TokenSigner {
    if (key.length < 32) throw new Error('the token signing key must have at least 32 bytes');
    return new TokenSigner(key);
  }

  /** The key in `dir/token-signing.key`, created (random, mode 600) when absent. */
  static async load(dir: string): Promise<TokenSigner> {
    const file = path.join(dir, 'token-signing.key');
    try {
      return TokenSigner.fromKey(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    try {
      await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // another process made it first: use theirs
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return TokenSigner.load(dir);
      throw error;
    }
    await chmod(file, 0o600);
    return new TokenSigner(key);
  }

  sign(claims: TokenClaims): string {
    const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return `${PREFIX}.${body}.${this.mac(body)}`;
  }

  /**
   * The claims of a token this key signed, for this cluster, not expired at `nowMs`; else 401. A
   * platform token is for every cluster its `clu` allows (403 for another: the credential is good,
   * its reach is not). `clusterId` PLATFORM_AUDIENCE (the management API): platform tokens only.
   */
  verify(token: string, clusterId: string, nowMs: number): TokenClaims {
    const claims = this.decode(token, nowMs);
    if (claims.scp === 'platform') {
      if (claims.cls !== PLATFORM_AUDIENCE)
        throw unauthorized('Unauthorized: not a bearer token of this API');
      if (clusterId !== PLATFORM_AUDIENCE && claims.clu?.length && !claims.clu.includes(clusterId))
        throw new ApiError(
          403,
          'Forbidden',
          `the platform credential of "${claims.sub}" is limited to cluster${claims.clu.length > 1 ? 's' : ''} ${claims.clu.join(', ')}`,
        );
      return claims;
    }
    if (claims.cls !== clusterId)
      throw unauthorized(
        clusterId === PLATFORM_AUDIENCE
          ? 'Unauthorized: a cluster bearer token is not accepted here; log in with a platform credential'
          : 'Unauthorized: the bearer token is for another cluster',
      );
    return claims;
  }

  /** A token this key signed and not expired at `nowMs`, whatever it is for; else 401. */
  private decode(token: string, nowMs: number): TokenClaims {
    if (token.length > MAX_TOKEN_CHARS) throw unauthorized('Unauthorized: the bearer token is too long');
    const [prefix, body, mac, extra] = token.split('.');
    if (prefix !== PREFIX || !body || !mac || extra !== undefined)
      throw unauthorized('Unauthorized: not a bearer token of this API');
    const want = Buffer.from(this.mac(body), 'utf8');
    const got = Buffer.from(mac, 'utf8');
    if (want.length !== got.length || !timingSafeEqual(want, got))
      throw unauthorized('Unauthorized: the bearer token signature does not verify');
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      throw unauthorized('Unauthorized: the bearer token cannot be read');
    }
    if (!(typeof claims.exp === 'number' && claims.exp * 1000 > nowMs))
      throw unauthorized('Unauthorized: the bearer token has expired');
    return claims;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(`${PREFIX}.${body}`).digest('base64url');
  }
}
