import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  DeciderSpecification,
  IllegalStateError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  fold,
} from '@edgeplane/es-kit';
import {
  formatJoinToken,
  generateTokenSecret,
  hashTokenSecret,
  joinTokenDecider,
  joinTokenStatus,
  parseJoinToken,
  renderJoinCommand,
  type ClusterJoinContext,
  type CreateJoinToken,
  type IssuedJoinToken,
  type JoinTokenEvent,
  type RedeemJoinToken,
} from '../src/index.js';
import { CLUSTER_ID, NOW, expectCatalogued, hasViolation } from './fixtures.js';

const spec = DeciderSpecification(joinTokenDecider);
const TOKEN_ID = '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const SECRET = 'Zm9vYmFyYmF6cXV4cXV1eA';
const HASH = hashTokenSecret(SECRET);
const cluster: ClusterJoinContext = {
  clusterId: CLUSTER_ID,
  exists: true,
  name: 'factory-gz',
  runtime: 'containerd',
  access: { publicAccess: true, privateAccess: { enabled: false, subnetId: null } },
};
const noAccess: ClusterJoinContext = {
  ...cluster,
  access: { publicAccess: false, privateAccess: { enabled: false, subnetId: 'subnet-1' } },
};
const privateOnly: ClusterJoinContext = {
  ...cluster,
  access: { publicAccess: false, privateAccess: { enabled: true, subnetId: 'subnet-1' } },
};

function create(overrides: Partial<CreateJoinToken> = {}): CreateJoinToken {
  return {
    type: 'CreateJoinToken',
    tokenId: TOKEN_ID,
    clusterId: CLUSTER_ID,
    secretHash: HASH,
    cluster,
    now: NOW,
    ...overrides,
  };
}
function redeem(overrides: Partial<RedeemJoinToken> = {}): RedeemJoinToken {
  return {
    type: 'RedeemJoinToken',
    tokenId: TOKEN_ID,
    presentedSecretHash: HASH,
    nodeName: 'edge-01',
    cluster,
    now: '2025-03-01T20:00:00.000Z',
    ...overrides,
  };
}

const created: JoinTokenEvent = {
  type: 'JoinTokenCreated',
  data: {
    tokenId: TOKEN_ID,
    clusterId: CLUSTER_ID,
    secretHash: HASH,
    ttlSeconds: 86_400,
    expiresAt: '2025-03-02T08:00:00.000Z',
    containerDir: '/var/lib/containerd',
    preInstallScript: null,
    postInstallScript: null,
    createdAt: NOW,
  },
};
const revoked: JoinTokenEvent = {
  type: 'JoinTokenRevoked',
  data: { tokenId: TOKEN_ID, clusterId: CLUSTER_ID, revokedAt: '2025-03-01T10:00:00.000Z' },
};
const redeemed = (nodeName: string): JoinTokenEvent => ({
  type: 'JoinTokenRedeemed',
  data: { tokenId: TOKEN_ID, clusterId: CLUSTER_ID, nodeName, redeemedAt: '2025-03-01T20:00:00.000Z' },
});

describe('JoinToken decider — CreateJoinToken (F-NO-1)', () => {
  it('creates a 24-hour token by default with the runtime’s container directory', () => {
    spec.given([]).when(create()).then([created]);
  });

  it('takes expiry, container directory and pre/post-install scripts — the event names them by SHA-256 and size only', () => {
    const [event] = spec
      .given([])
      .when(
        create({
          ttlSeconds: 7200,
          containerDir: '/data/containerd',
          preInstallScript: 'swapoff -a\n',
          postInstallScript: 'echo done\n',
        }),
      )
      .events();
    expect(event?.data).toMatchObject({
      ttlSeconds: 7200,
      expiresAt: '2025-03-01T10:00:00.000Z',
      containerDir: '/data/containerd',
      preInstallScript: { sha256: createHash('sha256').update('swapoff -a\n').digest('hex'), bytes: 11 },
      postInstallScript: { sha256: createHash('sha256').update('echo done\n').digest('hex'), bytes: 10 },
    });
    expect(JSON.stringify(event)).not.toContain('swapoff');
  });

  it('uses /var/lib/docker for docker clusters; blank scripts are no scripts', () => {
    const [event] = spec
      .given([])
      .when(create({ cluster: { ...cluster, runtime: 'docker' }, preInstallScript: '  ' }))
      .events();
    expect(event?.data).toMatchObject({ containerDir: '/var/lib/docker', preInstallScript: null });
  });

  it.each([59, 86_401, 90.5])('refuses an expiry of %s seconds (1 minute to 24 hours)', (ttlSeconds) => {
    spec
      .given([])
      .when(create({ ttlSeconds }))
      .thenThrows(ValidationError, hasViolation('ttlSeconds', '1 minute and 24 hours', String(ttlSeconds)));
  });

  it('accepts the bounds 1 minute and 24 hours', () => {
    expect(
      spec
        .given([])
        .when(create({ ttlSeconds: 60 }))
        .events()[0]?.data,
    ).toMatchObject({ expiresAt: '2025-03-01T08:01:00.000Z' });
    expect(
      spec
        .given([])
        .when(create({ ttlSeconds: 86_400 }))
        .events(),
    ).toHaveLength(1);
  });

  it.each(['var/lib/docker', '/data/$(reboot)', "/data/it's", '/data/../etc'])(
    'refuses the container directory %j',
    (containerDir) => {
      spec.given([]).when(create({ containerDir })).thenThrows(ValidationError, hasViolation('containerDir'));
    },
  );

  it('refuses an oversized script and a malformed secret hash', () => {
    spec
      .given([])
      .when(create({ postInstallScript: 'x'.repeat(70_000) }))
      .thenThrows(ValidationError, hasViolation('postInstallScript', '70000'));
    spec
      .given([])
      .when(create({ secretHash: 'nope' }))
      .thenThrows(ValidationError, hasViolation('secretHash'));
  });

  it('refuses while both access modes are off, and for a missing cluster', () => {
    spec
      .given([])
      .when(create({ cluster: noAccess }))
      .thenThrows(IllegalStateError, (e) => e.message.includes('factory-gz'));
    spec
      .given([])
      .when(create({ cluster: { ...cluster, exists: false } }))
      .thenThrows(NotFoundError);
  });

  it('is idempotent for the same token and refuses another token under the same id', () => {
    spec.given([created]).when(create()).thenNothingHappens();
    spec
      .given([created])
      .when(create({ secretHash: hashTokenSecret('other') }))
      .thenThrows(AlreadyExistsError);
  });
});

describe('JoinToken decider — RevokeJoinToken', () => {
  it('revokes, once', () => {
    spec
      .given([created])
      .when({ type: 'RevokeJoinToken', tokenId: TOKEN_ID, now: '2025-03-01T10:00:00.000Z' })
      .then([revoked]);
    spec
      .given([created, revoked])
      .when({ type: 'RevokeJoinToken', tokenId: TOKEN_ID, now: '2025-03-01T11:00:00.000Z' })
      .thenNothingHappens();
  });

  it('refuses an unknown token', () => {
    spec.given([]).when({ type: 'RevokeJoinToken', tokenId: TOKEN_ID, now: NOW }).thenThrows(NotFoundError);
  });
});

describe('JoinToken decider — RedeemJoinToken', () => {
  it('records the node that redeemed it; the token is reusable by other nodes until expiry', () => {
    spec
      .given([created])
      .when(redeem())
      .then([redeemed('edge-01')]);
    spec
      .given([created, redeemed('edge-01')])
      .when(redeem({ nodeName: 'edge-02' }))
      .then([redeemed('edge-02')]);
  });

  it('the same node redeeming again changes nothing', () => {
    spec
      .given([created, redeemed('edge-01')])
      .when(redeem())
      .thenNothingHappens();
  });

  it('refuses an expired token with a clear message, from the expiry instant on', () => {
    spec
      .given([created])
      .when(redeem({ now: '2025-03-02T08:00:00.000Z' }))
      .thenThrows(UnauthenticatedError, (e) => e.message.includes('expired at 2025-03-02T08:00:00.000Z'));
    expect(
      spec
        .given([created])
        .when(redeem({ now: '2025-03-02T07:59:59.999Z' }))
        .events(),
    ).toHaveLength(1);
  });

  it('refuses a revoked token with a clear message', () => {
    spec
      .given([created, revoked])
      .when(redeem())
      .thenThrows(UnauthenticatedError, (e) => e.message.includes('revoked'));
  });

  it('refuses a wrong secret and an unknown token alike', () => {
    spec
      .given([created])
      .when(redeem({ presentedSecretHash: hashTokenSecret('guess') }))
      .thenThrows(UnauthenticatedError, (e) => e.message === 'the join token is not valid');
    spec
      .given([])
      .when(redeem())
      .thenThrows(UnauthenticatedError, (e) => e.message === 'the join token is not valid');
  });

  it('refuses while the cluster has no access on or is gone', () => {
    spec
      .given([created])
      .when(redeem({ cluster: noAccess }))
      .thenThrows(IllegalStateError);
    spec
      .given([created])
      .when(redeem({ cluster: { ...cluster, exists: false } }))
      .thenThrows(NotFoundError);
    expect(
      spec
        .given([created])
        .when(redeem({ cluster: privateOnly }))
        .events(),
    ).toHaveLength(1);
  });

  it('refuses an IP address or a non-DNS-1123 name as node name', () => {
    spec
      .given([created])
      .when(redeem({ nodeName: '10.0.0.7' }))
      .thenThrows(ValidationError, hasViolation('nodeName', 'IP address'));
    spec
      .given([created])
      .when(redeem({ nodeName: 'Edge 01' }))
      .thenThrows(ValidationError, hasViolation('nodeName', 'DNS-1123'));
  });

  it('status is computed against now', () => {
    const state = fold(joinTokenDecider, [created]) as IssuedJoinToken;
    expect(joinTokenStatus(state, NOW)).toBe('active');
    expect(joinTokenStatus(state, '2025-03-03T00:00:00.000Z')).toBe('expired');
    expect(joinTokenStatus(fold(joinTokenDecider, [created, revoked]) as IssuedJoinToken, NOW)).toBe(
      'revoked',
    );
  });

  it('every join-token event is a valid catalogue entry', () => {
    expectCatalogued([created, revoked, redeemed('edge-01')]);
  });
});

describe('Join token text and join command', () => {
  it('formats, parses and hashes the token; only the hash is comparable', () => {
    const secret = generateTokenSecret();
    const text = formatJoinToken(TOKEN_ID, secret);
    expect(parseJoinToken(text)).toEqual({ tokenId: TOKEN_ID, secret });
    expect(hashTokenSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashTokenSecret(secret)).not.toBe(hashTokenSecret(generateTokenSecret()));
    expect(parseJoinToken('no-dot')).toBeUndefined();
    expect(parseJoinToken(`${TOKEN_ID}.bad secret`)).toBeUndefined();
  });

  const PINS = {
    ok: true as const,
    pins: { caHash: `sha256:${'ab'.repeat(32)}`, servingKeyPin: `sha256//${'A'.repeat(43)}=` },
  };

  it('renders the command an operator copies: pinned download, CA hash, token and container directory', () => {
    const out = renderJoinCommand({
      server: 'https://edge.example.com:50443/',
      pins: PINS,
      token: `${TOKEN_ID}.${SECRET}`,
      containerDir: '/data/containerd',
      hasPreInstallScript: true,
      hasPostInstallScript: false,
    });
    expect(out.command).toBe(
      `curl -fsSLk --pinnedpubkey 'sha256//${'A'.repeat(43)}=' -o edgectl 'https://edge.example.com:50443/v1/join/edgectl' && chmod +x edgectl && ` +
        `EDGEPLANE_SERVER='https://edge.example.com:50443' EDGEPLANE_CA_HASH='sha256:${'ab'.repeat(32)}' ` +
        `EDGEPLANE_JOIN_TOKEN='${TOKEN_ID}.${SECRET}' EDGEPLANE_CONTAINER_DIR='/data/containerd' ./edgectl install -n <NODE_NAME>`,
    );
    expect(out.privateAccessPreInstall).toEqual([]);
    expect(out.text).toContain(out.command);
    expect(out.text).toContain('pre-install script');
    expect(out.text).not.toContain('/etc/hosts');
  });

  it('with private access on, adds the pre-install commands for the VPC path', () => {
    const out = renderJoinCommand({
      server: 'https://10.0.0.5',
      pins: PINS,
      token: `${TOKEN_ID}.${SECRET}`,
      containerDir: '/var/lib/containerd',
      hasPreInstallScript: false,
      hasPostInstallScript: false,
      privateAccess: { apiServerHost: 'cls-gz01.edgeplane.internal', vpcAddress: '10.0.0.5' },
    });
    expect(out.privateAccessPreInstall).toContain(
      "grep -q ' cls-gz01.edgeplane.internal$' /etc/hosts || echo '10.0.0.5 cls-gz01.edgeplane.internal' >> /etc/hosts",
    );
    expect(out.text).toContain('pre-install script');
    expect(out.text).toContain('10.0.0.5 cls-gz01.edgeplane.internal');
  });

  it('without the gateway pins prints no command, only why', () => {
    const out = renderJoinCommand({
      server: 'https://edge.example.com',
      pins: { ok: false, problem: 'the tunnel service has not published its gateway CA yet' },
      token: `${TOKEN_ID}.${SECRET}`,
      containerDir: '/data/containerd',
      hasPreInstallScript: false,
      hasPostInstallScript: false,
    });
    expect(out.command).toBe('');
    expect(out.text).toMatch(
      /^# No join command yet: the tunnel service has not published its gateway CA yet/,
    );
    expect(out.text).not.toContain('curl');
    expect(out.text).not.toContain(SECRET);
  });
});
