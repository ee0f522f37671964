import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Authenticator, type Identity } from '../src/auth/authenticate.js';
import { authorize, authorizeObject, roleOf, type RequestAttributes } from '../src/auth/authorize.js';
import { issueToken } from '../src/auth/token-endpoint.js';
import { TokenSigner, type TokenClaims } from '../src/auth/tokens.js';
import type { Upstream } from '../src/upstream/upstream.js';

const who = (groups: string[], user = 'bob'): Identity => ({ user, groups, kind: 'user' });
const node = (name: string): Identity => ({
  user: `system:node:${name}`,
  groups: ['system:nodes'],
  kind: 'node',
  nodeName: name,
});
const nodes = (verb: RequestAttributes['verb'], name?: string, extra: Partial<RequestAttributes> = {}) => ({
  verb,
  group: '',
  resource: 'nodes',
  ...(name ? { name } : {}),
  ...extra,
});

describe('roles (cluster-admin, edit, view) from the certificate O', () => {
  it('maps groups to the strongest role; unknown groups have none', () => {
    expect(roleOf(who(['system:masters']))).toBe('cluster-admin');
    expect(roleOf(who(['edgeplane:view', 'edgeplane:edit']))).toBe('edit');
    expect(roleOf(who(['edgeplane:view']))).toBe('view');
    expect(roleOf(who(['edgeplane:subscribers']))).toBeUndefined();
    expect(roleOf(node('a'))).toBeUndefined();
  });

  it('view reads (get/list/watch, pods/log) but writes nothing, in kube-apiserver words', () => {
    const view = who(['edgeplane:view']);
    for (const verb of ['get', 'list', 'watch'] as const)
      expect(authorize(view, nodes(verb, verb === 'get' ? 'x' : undefined))).toBeUndefined();
    const patch = authorize(view, nodes('patch', 'x'));
    expect(patch).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(patch?.message).toBe(
      'nodes "x" is forbidden: User "bob" cannot patch resource "nodes" in API group "" at the cluster scope',
    );
    expect(
      authorize(view, {
        verb: 'create',
        group: 'superedge.io',
        resource: 'deploymentgrids',
        namespace: 'default',
      })?.message,
    ).toBe(
      'deploymentgrids.superedge.io is forbidden: User "bob" cannot create resource "deploymentgrids" in API group "superedge.io" in the namespace "default"',
    );
    for (const verb of ['create', 'update', 'delete'] as const)
      expect(
        authorize(view, { verb, group: 'site.superedge.io', resource: 'nodeunits', name: 'u' }),
      ).toBeDefined();
    const pod = { group: '', resource: 'pods', name: 'p', namespace: 'default' };
    expect(authorize(view, { verb: 'get', ...pod, subresource: 'log' })).toBeUndefined();
    expect(authorize(view, { verb: 'get', ...pod, subresource: 'exec' })?.message).toMatch(
      /cannot get resource "pods\/exec"/,
    );
    expect(authorize(view, { verb: 'create', ...pod, subresource: 'exec' })).toBeDefined();
  });

  it('edit and cluster-admin write; a credential without a role is refused everything', () => {
    for (const g of ['edgeplane:edit', 'system:masters']) {
      expect(authorize(who([g]), nodes('patch', 'x'))).toBeUndefined();
      expect(
        authorize(who([g]), { verb: 'create', group: '', resource: 'pods', name: 'p', subresource: 'exec' }),
      ).toBeUndefined();
    }
    expect(authorize(who(['edgeplane:subscribers']), nodes('get', 'x'))).toMatchObject({ code: 403 });
    expect(authorize(who([]), nodes('list'))).toMatchObject({ code: 403 });
  });
});

describe('node credentials (Node authorizer)', () => {
  const bj1 = node('bj-1');
  it('its own Node: get, list/watch pinned to its name, its status; nothing else', () => {
    expect(authorize(bj1, nodes('get', 'bj-1'))).toBeUndefined();
    expect(authorize(bj1, nodes('list', undefined, { fieldSelector: 'metadata.name=bj-1' }))).toBeUndefined();
    expect(
      authorize(bj1, nodes('watch', undefined, { fieldSelector: 'metadata.name==bj-1' })),
    ).toBeUndefined();
    expect(authorize(bj1, nodes('patch', 'bj-1', { subresource: 'status' }))).toBeUndefined();
    expect(authorize(bj1, nodes('list'))).toMatchObject({ code: 403 });
    expect(authorize(bj1, nodes('list', undefined, { fieldSelector: 'metadata.name=gz-1' }))).toBeDefined();
    expect(authorize(bj1, nodes('get', 'gz-1'))?.message).toBe(
      `nodes "gz-1" is forbidden: User "system:node:bj-1" cannot get resource "nodes" in API group "" at the cluster scope: no relationship found between node 'bj-1' and this object`,
    );
    expect(authorize(bj1, nodes('patch', 'bj-1'))).toBeDefined(); // labels: not the node's to change
    expect(authorize(bj1, nodes('patch', 'gz-1', { subresource: 'status' }))).toBeDefined();
    expect(
      authorize(bj1, { verb: 'get', group: 'site.superedge.io', resource: 'nodeunits', name: 'u' }),
    ).toBeDefined();
  });

  it('pods bound to it: list/watch with spec.nodeName=<self>, a get decided on the pod read', () => {
    const pods = (verb: RequestAttributes['verb'], extra: Partial<RequestAttributes> = {}) => ({
      verb,
      group: '',
      resource: 'pods',
      namespace: 'default',
      ...extra,
    });
    expect(authorize(bj1, pods('list', { fieldSelector: 'spec.nodeName=bj-1' }))).toBeUndefined();
    expect(
      authorize(bj1, pods('watch', { fieldSelector: 'status.phase=Running,spec.nodeName=bj-1' })),
    ).toBeUndefined();
    expect(authorize(bj1, pods('list'))).toMatchObject({ code: 403 });
    expect(authorize(bj1, pods('list', { fieldSelector: 'spec.nodeName=gz-1' }))).toMatchObject({
      code: 403,
    });
    expect(authorize(bj1, pods('delete', { name: 'p' }))).toMatchObject({ code: 403 });
    const get = pods('get', { name: 'web-1' });
    expect(authorize(bj1, get)).toBeUndefined();
    expect(authorizeObject(bj1, get, { spec: { nodeName: 'bj-1' } })).toBeUndefined();
    const other = authorizeObject(bj1, get, { spec: { nodeName: 'gz-1' } });
    expect(other?.message).toBe(
      `pods "web-1" is forbidden: User "system:node:bj-1" cannot get resource "pods" in API group "" in the namespace "default": no relationship found between node 'bj-1' and this object`,
    );
    expect(authorizeObject(bj1, get, { spec: {} })).toBeDefined();
    expect(authorizeObject(who(['edgeplane:view']), get, { spec: { nodeName: 'gz-1' } })).toBeUndefined();
  });
});

describe('bearer tokens', () => {
  const claims = (over: Partial<TokenClaims> = {}): TokenClaims => ({
    sub: 'bob',
    grp: ['edgeplane:view'],
    cls: 'c1',
    knd: 'user',
    fp: 'a'.repeat(64),
    ser: '0a',
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 600,
    ...over,
  });

  it('a signing key is made once (mode 600) and reused; tokens verify only with it, for their cluster, until they expire', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kube-api-tokens-'));
    const a = await TokenSigner.load(dir);
    const file = path.join(dir, 'token-signing.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const keyText = readFileSync(file, 'utf8');
    const b = await TokenSigner.load(dir);
    expect(readFileSync(file, 'utf8')).toBe(keyText);
    const token = a.sign(claims());
    expect(b.verify(token, 'c1', Date.now())).toMatchObject({ sub: 'bob', grp: ['edgeplane:view'] });
    const other = await TokenSigner.load(mkdtempSync(path.join(tmpdir(), 'kube-api-tokens-')));
    expect(() => other.verify(token, 'c1', Date.now())).toThrow(/signature/);
    expect(() => a.verify(token, 'c2', Date.now())).toThrow(/another cluster/);
    expect(() => a.verify(token, 'c1', Date.now() + 601_000)).toThrow(/expired/);
    // a changed claim (more groups) breaks the signature
    const [p, , mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify(claims({ grp: ['system:masters'] }))).toString('base64url');
    expect(() => a.verify(`${p}.${forged}.${mac}`, 'c1', Date.now())).toThrow(/signature/);
    expect(() => a.verify('ep1.x', 'c1', Date.now())).toThrow(/not a bearer token/);
    expect(() => a.verify(`ep1.${'x'.repeat(5000)}.y`, 'c1', Date.now())).toThrow(/too long/);
  });

  it('the credential a token was made from is asked for (cached); revoked → 401', async () => {
    const signer = TokenSigner.fromKey(Buffer.alloc(32, 7));
    let valid = true;
    const asked: unknown[] = [];
    const upstream = {
      verifyCredential: async (req: unknown) => {
        asked.push(req);
        return { valid, kind: 'user', user: 'bob', groups: ['edgeplane:view'], reason: '', serial: '0a' };
      },
    } as unknown as Upstream;
    let now = Date.now();
    const auth = new Authenticator(upstream, 5_000, () => now, signer);
    const req = (authorization: string) => ({ headers: { authorization } }) as unknown as IncomingMessage;
    const token = signer.sign(claims());
    await expect(auth.authenticateRequest(req(`Bearer ${token}`), 'c1')).resolves.toMatchObject({
      user: 'bob',
      groups: ['edgeplane:view'],
      kind: 'user',
      via: 'token',
    });
    expect(asked).toEqual([{ cluster: { id: 'c1' }, credentialFingerprint: 'a'.repeat(64) }]);
    valid = false;
    await auth.authenticateRequest(req(`Bearer ${token}`), 'c1'); // within the cache window
    expect(asked).toHaveLength(1);
    now += 5_001;
    await expect(auth.authenticateRequest(req(`Bearer ${token}`), 'c1')).rejects.toMatchObject({
      code: 401,
      message: /revoked/,
    });
    await expect(auth.authenticateRequest(req('Basic abc'), 'c1')).rejects.toMatchObject({ code: 401 });
    const without = new Authenticator(upstream, 5_000);
    await expect(without.authenticateRequest(req(`Bearer ${token}`), 'c1')).rejects.toMatchObject({
      code: 401,
    });
  });

  it('POST tokens: roles carried, lifetime bounded by the request and the certificate; nodes and tokens get none', async () => {
    const signer = TokenSigner.fromKey(Buffer.alloc(32, 9));
    const now = Date.now();
    const post = (body: string) =>
      Object.assign(Readable.from(body ? [Buffer.from(body)] : []), {
        method: 'POST',
      }) as unknown as IncomingMessage;
    const carol: Identity = {
      user: 'carol',
      groups: ['edgeplane:edit'],
      kind: 'user',
      via: 'certificate',
      fingerprint: 'b'.repeat(64),
      serial: '0b',
      validUntil: now + 1800_000,
    };
    const r = (await issueToken(post(''), carol, 'c1', signer, now)) as {
      status: { token: string; expirationTimestamp: string };
      spec: { expirationSeconds: number };
    };
    // asked 1 h by default, but the certificate ends in 30 min
    expect(r.spec.expirationSeconds).toBeLessThanOrEqual(1800);
    expect(r.spec.expirationSeconds).toBeGreaterThan(1790);
    expect(signer.verify(r.status.token, 'c1', now)).toMatchObject({
      sub: 'carol',
      grp: ['edgeplane:edit'],
      fp: 'b'.repeat(64),
      knd: 'user',
    });
    const short = (await issueToken(post('{"expirationSeconds":120}'), carol, 'c1', signer, now)) as {
      spec: { expirationSeconds: number };
    };
    expect(short.spec.expirationSeconds).toBe(120);
    await expect(issueToken(post('{"expirationSeconds":5}'), carol, 'c1', signer, now)).rejects.toMatchObject(
      {
        code: 400,
      },
    );
    await expect(issueToken(post('not json'), carol, 'c1', signer, now)).rejects.toMatchObject({ code: 400 });
    await expect(issueToken(post(''), node('bj-1'), 'c1', signer, now)).rejects.toMatchObject({ code: 403 });
    await expect(issueToken(post(''), { ...carol, via: 'token' }, 'c1', signer, now)).rejects.toMatchObject({
      code: 403,
      message: /cannot be exchanged/,
    });
    const get = Object.assign(Readable.from([]), { method: 'GET' }) as unknown as IncomingMessage;
    await expect(issueToken(get, carol, 'c1', signer, now)).rejects.toMatchObject({ code: 405 });
  });
});
