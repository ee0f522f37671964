import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { createPlatformCa, issueCredentials, type PlatformCa } from '@edgeplane/proto';
import { describe, expect, it } from 'vitest';
import { Authenticator, type Identity } from '../src/auth/authenticate.js';
import { PlatformVerifier } from '../src/auth/platform.js';
import { issueToken } from '../src/auth/token-endpoint.js';
import { PLATFORM_AUDIENCE, TokenSigner } from '../src/auth/tokens.js';
import { ApiError } from '../src/http/status.js';
import { createRequestOf, specCauses } from '../src/management/clusters-api.js';
import type { Upstream } from '../src/upstream/upstream.js';

/** Real certificates: a platform CA, and another (a cluster's) whose certificates are not platform ones. */
function ca(): PlatformCa {
  const made = createPlatformCa();
  return { dir: '', certPem: made.certPem, key: createPrivateKey(made.keyPem) };
}
const platformCa = ca();
const foreignCa = ca();
const admin = issueCredentials(platformCa, { user: 'admin', groups: ['system:masters'] });
const viewer = issueCredentials(platformCa, { user: 'vera', groups: ['edgeplane:view'] });
const limited = issueCredentials(platformCa, {
  user: 'lim',
  groups: ['edgeplane:edit'],
  clusters: ['cls-a'],
});
const foreign = issueCredentials(foreignCa, { user: 'admin', groups: ['system:masters'] });

/** A request over TLS presenting `certPem` (what the kube API's socket answers), and/or a bearer token. */
function request(opts: {
  certPem?: string;
  token?: string;
  body?: string;
  method?: string;
}): IncomingMessage {
  const raw = opts.certPem ? new X509Certificate(opts.certPem).raw : undefined;
  return Object.assign(Readable.from(opts.body ? [Buffer.from(opts.body)] : []), {
    method: opts.method ?? 'GET',
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    socket: { getPeerCertificate: () => (raw ? { raw } : {}) },
  }) as unknown as IncomingMessage;
}

function setup() {
  const asked: unknown[] = [];
  const upstream = {
    // a cluster's VerifyCredential: none of these certificates is any cluster's credential
    verifyCredential: async (req: unknown) => {
      asked.push(req);
      return { valid: false, reason: 'not signed by the cluster CA', kind: '', user: '', groups: [] };
    },
  } as unknown as Upstream;
  const signer = TokenSigner.fromKey(Buffer.alloc(32, 3));
  const auth = new Authenticator(
    upstream,
    5_000,
    Date.now,
    signer,
    new PlatformVerifier({ caPem: platformCa.certPem }),
  );
  return { auth, signer, asked };
}

async function platformToken(signer: TokenSigner, identity: Identity): Promise<string> {
  const r = (await issueToken(
    request({ method: 'POST' }),
    identity,
    PLATFORM_AUDIENCE,
    signer,
    Date.now(),
  )) as {
    status: { token: string };
  };
  return r.status.token;
}

describe('platform credentials (client certificates of the platform CA)', () => {
  it('the management API takes a platform certificate: who from CN, roles from O, cluster limits from OU', async () => {
    const { auth, asked } = setup();
    await expect(
      auth.authenticatePlatformRequest(request({ certPem: admin.certificate })),
    ).resolves.toMatchObject({
      user: 'admin',
      groups: ['system:masters'],
      kind: 'admin',
      scope: 'platform',
      clusters: [],
    });
    await expect(
      auth.authenticatePlatformRequest(request({ certPem: limited.certificate })),
    ).resolves.toMatchObject({
      user: 'lim',
      groups: ['edgeplane:edit'],
      clusters: ['cls-a'],
    });
    // another CA's certificate claiming system:masters: refused, and no cluster is asked
    await expect(
      auth.authenticatePlatformRequest(request({ certPem: foreign.certificate })),
    ).rejects.toMatchObject({
      code: 401,
      message: /platform credential/,
    });
    await expect(auth.authenticatePlatformRequest(request({}))).rejects.toMatchObject({ code: 401 });
    expect(asked).toHaveLength(0);
  });

  it('under /k8s/clusters/<id>: a platform certificate reaches every cluster, a limited one only its own (403 for others)', async () => {
    const { auth, asked } = setup();
    for (const c of ['cls-a', 'cls-b'])
      await expect(
        auth.authenticateRequest(request({ certPem: admin.certificate }), c),
      ).resolves.toMatchObject({
        user: 'admin',
        scope: 'platform',
      });
    await expect(
      auth.authenticateRequest(request({ certPem: limited.certificate }), 'cls-a'),
    ).resolves.toMatchObject({ user: 'lim' });
    await expect(
      auth.authenticateRequest(request({ certPem: limited.certificate }), 'cls-b'),
    ).rejects.toMatchObject({
      code: 403,
      message: /limited to cluster cls-a/,
    });
    expect(asked).toHaveLength(0); // the platform CA decided, not the cluster service
    // a certificate of no platform CA goes to the cluster's VerifyCredential as before
    await expect(
      auth.authenticateRequest(request({ certPem: foreign.certificate }), 'cls-a'),
    ).rejects.toMatchObject({
      code: 401,
    });
    expect(asked).toHaveLength(1);
  });
});

describe('platform bearer tokens (POST /edgeplane/v1/tokens at the root)', () => {
  it('made from a platform certificate; good at the root and under every cluster its OU allows; a cluster token is not a platform one', async () => {
    const { auth, signer } = setup();
    const adminId = await auth.authenticatePlatformRequest(request({ certPem: admin.certificate }));
    const token = await platformToken(signer, adminId);
    expect(signer.verify(token, PLATFORM_AUDIENCE, Date.now())).toMatchObject({
      scp: 'platform',
      cls: '*',
      clu: [],
    });
    await expect(auth.authenticatePlatformRequest(request({ token }))).resolves.toMatchObject({
      user: 'admin',
      groups: ['system:masters'],
      via: 'token',
      scope: 'platform',
    });
    for (const c of ['cls-a', 'cls-b', 'cls-z'])
      await expect(auth.authenticateRequest(request({ token }), c)).resolves.toMatchObject({ user: 'admin' });

    const limId = await auth.authenticatePlatformRequest(request({ certPem: limited.certificate }));
    const limToken = await platformToken(signer, limId);
    await expect(auth.authenticateRequest(request({ token: limToken }), 'cls-a')).resolves.toMatchObject({
      user: 'lim',
      clusters: ['cls-a'],
    });
    await expect(auth.authenticateRequest(request({ token: limToken }), 'cls-b')).rejects.toMatchObject({
      code: 403,
      message: /limited to cluster cls-a/,
    });

    // a cluster's token (made from a kubeconfig) is refused at the root
    const clusterToken = signer.sign({
      sub: 'admin',
      grp: ['system:masters'],
      cls: 'cls-a',
      knd: 'admin',
      fp: 'f'.repeat(64),
      ser: '01',
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    await expect(auth.authenticatePlatformRequest(request({ token: clusterToken }))).rejects.toMatchObject({
      code: 401,
      message: /platform credential/,
    });
    // a platform token cannot buy another one; a forged scope breaks the signature
    await expect(
      issueToken(
        request({ method: 'POST' }),
        { ...adminId, via: 'token' },
        PLATFORM_AUDIENCE,
        signer,
        Date.now(),
      ),
    ).rejects.toMatchObject({ code: 403 });
    const [p, body, mac] = limToken.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const widened = Buffer.from(JSON.stringify({ ...claims, clu: [] })).toString('base64url');
    await expect(
      auth.authenticateRequest(request({ token: `${p}.${widened}.${mac}` }), 'cls-b'),
    ).rejects.toMatchObject({
      code: 401,
      message: /signature/,
    });
    // a view credential's token carries view (the owners' access tables then refuse writes)
    const veraId = await auth.authenticatePlatformRequest(request({ certPem: viewer.certificate }));
    expect(signer.verify(await platformToken(signer, veraId), PLATFORM_AUDIENCE, Date.now()).grp).toEqual([
      'edgeplane:view',
    ]);
  });
});

describe('the management API: a Cluster object ↔ CreateClusterRequest', () => {
  it('spec fields map to the cluster service; unknown and mistyped fields are 422 naming them', () => {
    expect(
      createRequestOf({
        spec: {
          displayName: 'gz',
          kubernetesVersion: '1.22.5',
          runtime: 'containerd',
          region: 'ap-guangzhou',
          vpcCidr: '10.20.0.0/16',
          podCidr: '172.16.0.0/16',
          serviceCidr: '172.17.0.0/20',
          nodeCidrs: ['192.168.0.0/24'],
          tier: 'L5',
        },
      }),
    ).toMatchObject({ name: 'gz', podCidr: '172.16.0.0/16', nodeCidrs: ['192.168.0.0/24'], tier: 'L5' });
    let e: ApiError | undefined;
    try {
      createRequestOf({ spec: { podCidr: 5, bogus: 1, nodeCidrs: 'x' } });
    } catch (error) {
      e = error as ApiError;
    }
    expect(e).toMatchObject({ code: 422, reason: 'Invalid' });
    expect((e?.details?.causes as { field: string }[]).map((c) => c.field).sort()).toEqual([
      'spec.bogus',
      'spec.nodeCidrs',
      'spec.podCidr',
    ]);
    expect(() => createRequestOf({ spec: { description: 'x'.repeat(1025) } })).toThrow(/longer than 1024/);
  });

  it("the cluster service's field names in causes become the object's (podCidr → spec.podCidr)", () => {
    const e = specCauses(
      new ApiError(422, 'Invalid', 'invalid: podCidr: Pod CIDR 10.0.0.0/16 overlaps VPC CIDR 10.0.0.0/8', {
        causes: [
          {
            reason: 'FieldValueInvalid',
            field: 'podCidr',
            message: 'Pod CIDR 10.0.0.0/16 overlaps VPC CIDR 10.0.0.0/8',
          },
          { reason: 'FieldValueInvalid', field: 'nodeCidrs[1]', message: 'x' },
          { reason: 'FieldValueInvalid', field: 'name', message: 'taken' },
        ],
      }),
    );
    expect((e.details?.causes as { field: string }[]).map((c) => c.field)).toEqual([
      'spec.podCidr',
      'spec.nodeCidrs[1]',
      'spec.displayName',
    ]);
    expect(e.message).toContain('spec.podCidr: Pod CIDR 10.0.0.0/16 overlaps VPC CIDR 10.0.0.0/8');
  });
});
