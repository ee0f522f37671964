import * as grpc from '@grpc/grpc-js';
import {
  busSubject,
  clusterEvents,
  decodeEnvelope,
  durableName,
  schemaName,
  streamName,
  type Envelope,
} from '@edgeplane/contracts';
import { fieldViolationsOf } from '@edgeplane/proto';
import { createDatabase } from '@edgeplane/eventstore';
import type { Bus } from '@edgeplane/messaging';
import type { RunningService } from '@edgeplane/service-kit';
import { bootstrapService } from '@edgeplane/service-kit';
import { eventually, freePort, testBus, testServices, uniqueName } from '@edgeplane/testing';
import { sql } from 'kysely';
import { v7 } from 'uuid';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificateFingerprint,
  clusterServiceDefinition,
  createNodeCsr,
  nodeNameFromCertificate,
  nodeStreamId,
  verifyCertificateChain,
  type ClusterConfig,
} from '../src/index.js';
import { GATEWAY_CA_SUBJECT, startGatewayStandIn, type GatewayStandIn } from './gateway-stand-in.js';
import { clusterApi, failure } from './grpc-client.js';

/**
 * The cluster service over real gRPC, PostgreSQL and JetStream, booted in-process on a schema of
 * its own, with a clock the test can move (token expiry).
 */
describe('cluster service over gRPC + PostgreSQL + JetStream', () => {
  // the schema's name before EDGEPLANE_ENV (it suffixes the durables) and the schema itself
  const logicalSchema = uniqueName('t_cluster');
  const schema = schemaName(logicalSchema);
  let offsetMs = 0;
  let svc: RunningService<ClusterConfig>;
  let api: ReturnType<typeof clusterApi>;
  let bus: Bus;
  const all: Envelope[] = [];
  const ours = new Set<string>();
  // What the relay published about this file's clusters (the subject space is shared).
  const ourEvents = () => all.filter((e) => ours.has((e.data as { clusterId: string }).clusterId));
  let sub: { unsubscribe(): void } | undefined;
  let vpc = 0;
  let gateway: GatewayStandIn;

  const createRequest = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    kubernetesVersion: '1.22.5',
    runtime: 'containerd',
    region: 'ap-guangzhou',
    vpcId: `vpc-${++vpc}`,
    vpcCidr: '10.0.0.0/16',
    podCidr: '172.16.0.0/16',
    serviceCidr: '172.17.0.0/20',
    ...extra,
  });

  async function createCluster(name: string, extra: Record<string, unknown> = {}, publicAccess = true) {
    const cluster = await api.clusters('CreateCluster', createRequest(name, extra));
    ours.add(cluster.id);
    if (publicAccess) await api.clusters('SetAccess', { cluster: { id: cluster.id }, publicAccess: true });
    return cluster;
  }

  async function token(cluster: string, extra: Record<string, unknown> = {}) {
    return api.tokens('CreateJoinToken', { cluster: { name: cluster }, ...extra });
  }

  async function join(tokenText: string, nodeName: string, extra: Record<string, unknown> = {}) {
    const csr = await createNodeCsr(nodeName);
    return api.tokens('RedeemJoinToken', {
      token: tokenText,
      nodeName,
      csrPem: csr.csrPem,
      arch: 'x86_64',
      os: 'Ubuntu 22.04',
      interface: 'eth0',
      ips: ['192.168.1.10'],
      ...extra,
    });
  }

  // Other services' test instances share the streams and may judge our nodes too (a verdict, a
  // membership layer): assertions on a node's own history leave those layers out.
  const ownTimeline = (detail: { events: { type: string }[] }) =>
    detail.events.map((e) => e.type).filter((t) => !t.startsWith('NodeSystem'));
  const getNode = (cluster: string, name: string) =>
    api.nodes('GetNode', { node: { cluster: { name: cluster }, name } });
  /** What nodepool publishes: its FULL layer for one node (the diff fields are not read by cluster). */
  const membershipChanged = (
    clusterId: string,
    node: string,
    labels: Record<string, string>,
    annotations: Record<string, string> = {},
  ) => ({
    id: v7(),
    type: 'NodeMembershipChanged',
    version: 1,
    streamId: `nodemembership:${clusterId}:${node}`,
    streamPosition: 1,
    globalPosition: 1,
    occurredAt: new Date().toISOString(),
    data: {
      clusterId,
      node,
      units: ['beijing'],
      groups: { location: 'beijing' },
      labels,
      annotations,
      taints: [],
      labelsSet: labels,
      labelsRemoved: [],
      annotationsSet: annotations,
      annotationsRemoved: [],
      taintsAdded: [],
      taintsRemoved: [],
      at: new Date().toISOString(),
    },
    metadata: {},
  });
  // Our own decisions only: layers other services' test instances apply to our nodes are left out.
  const eventCount = async () =>
    Number(
      (
        await sql<{ n: string }>`
          SELECT count(*) AS n FROM ${sql.id(schema, 'events')} WHERE type NOT LIKE 'NodeSystem%'`.execute(
          svc.db,
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    const s = bus.nc.subscribe(busSubject('edgeplane.cluster.>'), {
      callback: (_err, msg) => {
        try {
          all.push(decodeEnvelope(msg.data));
        } catch {
          // not ours to judge
        }
      },
    });
    sub = s;
    gateway = await startGatewayStandIn();
    const grpcPort = await freePort();
    svc = await bootstrapService(
      clusterServiceDefinition({ schema, clock: () => new Date(Date.now() + offsetMs) }),
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        CONSUMER_START: 'new',
        JOIN_SERVER_URL: gateway.url,
      },
    );
    api = clusterApi(`127.0.0.1:${grpcPort}`);
  });

  afterAll(async () => {
    sub?.unsubscribe();
    api?.close();
    // The test instance's durable consumers go with it.
    for (const d of [
      'cluster__reactors',
      'cluster__nodepool-membership',
      'cluster__health-verdicts',
      'cluster__gateway-ca',
    ]) {
      const suffix = `-${logicalSchema.replace(/_/g, '-')}`;
      for (const stream of [
        'EDGEPLANE_CLUSTER',
        'EDGEPLANE_NODEPOOL',
        'EDGEPLANE_HEALTH',
        'EDGEPLANE_TUNNEL',
      ]) {
        await bus.jsm.consumers.delete(streamName(stream), durableName(d + suffix)).catch(() => undefined);
      }
    }
    await svc?.stop();
    await bus?.close();
    gateway?.close();
    // Dropped after the stop, so the relay never looks for a vanished table.
    const db = createDatabase({ url: (await testServices()).databaseUrl });
    await db.schema
      .dropSchema(schema)
      .ifExists()
      .cascade()
      .execute()
      .catch(() => undefined);
    await db.destroy();
  });

  it('creates a cluster with every F-CL-1 field, readable by name and id, listed', async () => {
    const c = await createCluster(
      'factory-gz',
      {
        description: 'Guangzhou factories',
        kubeProxyMode: 'ipvs',
        nodeCidrs: ['192.168.1.0/24'],
        tier: 'L5',
      },
      false,
    );
    expect(c).toMatchObject({
      name: 'factory-gz',
      kubernetesVersion: '1.22.5',
      runtime: 'containerd',
      region: 'ap-guangzhou',
      kubeProxyMode: 'ipvs',
      vpcCidr: '10.0.0.0/16',
      podCidr: '172.16.0.0/16',
      serviceCidr: '172.17.0.0/20',
      nodeCidrs: ['192.168.1.0/24'],
      tier: { name: 'L5', nodes: 5 },
      access: { publicAccess: false, privateAccess: false },
      status: 'active',
    });
    expect(c.caFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await api.clusters('GetCluster', { cluster: { id: c.id } })).name).toBe('factory-gz');
    expect((await api.clusters('GetCluster', { cluster: { name: 'factory-gz' } })).id).toBe(c.id);
    const list = await api.clusters('ListClusters', {});
    expect(list.clusters.map((x: { name: string }) => x.name)).toContain('factory-gz');
    const dup = await failure(
      api.clusters('CreateCluster', createRequest('factory-gz', { vpcCidr: '10.9.0.0/16' })),
    );
    expect(dup.code).toBe(grpc.status.ALREADY_EXISTS);
  });

  it('overlapping Pod/Service/VPC CIDRs → INVALID_ARGUMENT naming the field and both ranges, nothing stored', async () => {
    const before = await eventCount();
    const keysBefore = (await sql`SELECT 1 FROM ${sql.id(schema, 'cluster_keys')}`.execute(svc.db)).rows
      .length;
    const cases: [Record<string, unknown>, string, string, string][] = [
      [
        { podCidr: '172.16.0.0/16', serviceCidr: '172.16.8.0/21' },
        'podCidr',
        '172.16.0.0/16',
        '172.16.8.0/21',
      ],
      [{ podCidr: '10.0.128.0/17' }, 'podCidr', '10.0.128.0/17', '10.0.0.0/16'],
      [{ serviceCidr: '10.0.16.0/20' }, 'serviceCidr', '10.0.16.0/20', '10.0.0.0/16'],
      [{ nodeCidrs: ['172.17.0.0/24'] }, 'serviceCidr', '172.17.0.0/20', '172.17.0.0/24'],
    ];
    for (const [fields, field, mine, theirs] of cases) {
      const err = await failure(api.clusters('CreateCluster', createRequest(uniqueName('bad'), fields)));
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
      const v = fieldViolationsOf(err).find((x) => x.field === field && x.description.includes(theirs));
      expect(v, JSON.stringify(fieldViolationsOf(err))).toBeDefined();
      expect(v!.description).toContain(mine);
      expect(err.details).toContain(theirs);
    }
    // Another cluster's ranges in the same VPC.
    await createCluster(
      'vpc-a',
      { vpcId: 'vpc-shared', podCidr: '172.20.0.0/16', serviceCidr: '172.21.0.0/20' },
      false,
    );
    const afterA = await eventCount();
    const err = await failure(
      api.clusters(
        'CreateCluster',
        createRequest('vpc-b', {
          vpcId: 'vpc-shared',
          podCidr: '172.20.128.0/17',
          serviceCidr: '172.22.0.0/20',
        }),
      ),
    );
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolationsOf(err)[0]).toMatchObject({ field: 'podCidr' });
    expect(fieldViolationsOf(err)[0]!.description).toMatch(
      /172\.20\.128\.0\/17 overlaps Pod CIDR of cluster "vpc-a".*172\.20\.0\.0\/16/,
    );
    expect(await eventCount()).toBe(afterA);
    expect(afterA - before).toBe(2); // only vpc-a's ClusterCreated + ClusterAdminCredentialIssued
    const keysAfter = (await sql`SELECT 1 FROM ${sql.id(schema, 'cluster_keys')}`.execute(svc.db)).rows
      .length;
    expect(keysAfter).toBe(keysBefore + 1);
    const names = (await api.clusters('ListClusters', {})).clusters.map((c: { name: string }) => c.name);
    expect(names).not.toContain('vpc-b');
  });

  it('dry_run: every check (incl. another cluster of the VPC and a taken name) without an event, a key or a row', async () => {
    const before = await eventCount();
    const keysBefore = (await sql`SELECT 1 FROM ${sql.id(schema, 'cluster_keys')}`.execute(svc.db)).rows
      .length;
    await createCluster(
      'dry-peer',
      { vpcId: 'vpc-dry', podCidr: '172.24.0.0/16', serviceCidr: '172.25.0.0/20' },
      false,
    );
    const afterPeer = await eventCount();
    // the peer's pod CIDR: refused exactly as a real creation is
    const err = await failure(
      api.clusters('CreateCluster', {
        ...createRequest('dry-b', {
          vpcId: 'vpc-dry',
          podCidr: '172.24.0.0/17',
          serviceCidr: '172.26.0.0/20',
        }),
        dryRun: true,
      }),
    );
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolationsOf(err)[0]).toMatchObject({ field: 'podCidr' });
    expect(fieldViolationsOf(err)[0]!.description).toMatch(/overlaps Pod CIDR of cluster "dry-peer"/);
    // a taken name: ALREADY_EXISTS, as a real creation
    const taken = await failure(
      api.clusters('CreateCluster', { ...createRequest('dry-peer', { vpcId: 'vpc-other' }), dryRun: true }),
    );
    expect(taken.code).toBe(grpc.status.ALREADY_EXISTS);
    // a valid one answers the cluster it would be, and stores nothing
    const ok = await api.clusters('CreateCluster', {
      ...createRequest('dry-ok', {
        vpcId: 'vpc-dry',
        podCidr: '172.27.0.0/16',
        serviceCidr: '172.28.0.0/20',
      }),
      dryRun: true,
    });
    expect(ok).toMatchObject({ name: 'dry-ok', podCidr: '172.27.0.0/16', status: 'active' });
    expect(await eventCount()).toBe(afterPeer);
    expect(afterPeer - before).toBe(2); // the peer's ClusterCreated + ClusterAdminCredentialIssued only
    const keysAfter = (await sql`SELECT 1 FROM ${sql.id(schema, 'cluster_keys')}`.execute(svc.db)).rows
      .length;
    expect(keysAfter).toBe(keysBefore + 1);
    const names = (await api.clusters('ListClusters', {})).clusters.map((c: { name: string }) => c.name);
    expect(names).toContain('dry-peer');
    expect(names).not.toContain('dry-ok');
    // the name is still free: a real creation of it works
    await createCluster(
      'dry-ok',
      { vpcId: 'vpc-dry', podCidr: '172.27.0.0/16', serviceCidr: '172.28.0.0/20' },
      false,
    );
  });

  it('the join command pins the gateway CA the tunnel published, and only once one is published', async () => {
    await createCluster('pins');
    // Before our CA is published the join server's certificate matches no published CA: no command.
    const before = await token('pins');
    expect(before.joinCommand).toBe('');
    expect(before.instructions).toMatch(/^# No join command yet: /);
    const published = gateway.published;
    await bus.js.publish(GATEWAY_CA_SUBJECT, JSON.stringify(published), {
      msgID: published.id,
    });
    const t = await eventually(async () => {
      const r = await token('pins', { containerDir: '/data/edge' });
      return r.joinCommand ? r : undefined;
    }, 10_000);
    expect(t.joinCommand).toBe(
      `curl -fsSLk --pinnedpubkey '${gateway.servingKeyPin}' -o edgectl '${gateway.url}/v1/join/edgectl' && chmod +x edgectl && ` +
        `EDGEPLANE_SERVER='${gateway.url}' EDGEPLANE_CA_HASH='${gateway.caHash}' EDGEPLANE_JOIN_TOKEN='${t.tokenSecretText}' ` +
        `EDGEPLANE_CONTAINER_DIR='/data/edge' ./edgectl install -n <NODE_NAME>`,
    );
    expect(t.instructions).toContain(t.joinCommand);
    // A redelivery under another message id keeps one row.
    await bus.js.publish(GATEWAY_CA_SUBJECT, JSON.stringify(published), {
      msgID: v7(),
    });
    await new Promise((r) => setTimeout(r, 500));
    const rows = await sql<{ n: string }>`
      SELECT count(*) AS n FROM ${sql.id(schema, 'gateway_cas')} WHERE ca_hash = ${gateway.caHash}`.execute(
      svc.db,
    );
    expect(Number(rows.rows[0]!.n)).toBe(1);
  });

  it('no join while both access modes are off; private access adds the VPC pre-install lines', async () => {
    await createCluster('closed', {}, false);
    const err = await failure(token('closed'));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toMatch(/neither public nor private/);
    await api.clusters('SetAccess', {
      cluster: { name: 'closed' },
      privateAccess: true,
      privateSubnetId: 'subnet-1',
    });
    const t = await token('closed', {
      ttlSeconds: 7200,
      containerDir: '/data/containerd',
      preInstallScript: 'echo pre',
    });
    expect(t.privateAccessPreInstall.length).toBeGreaterThan(0);
    expect(t.instructions).toContain('/etc/hosts');
    expect(t.joinCommand).toContain(t.tokenSecretText);
    expect(t.joinCommand).toContain('/data/containerd');
    expect(t.token).toMatchObject({
      status: 'active',
      ttlSeconds: 7200,
      hasPreInstallScript: true,
      hasPostInstallScript: false,
    });
    expect(Date.parse(t.token.expiresAt) - Date.parse(t.token.createdAt)).toBe(7200_000);
    const tooLong = await failure(token('closed', { ttlSeconds: 86_401 }));
    expect(tooLong.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('redeems a token: node certificate verifies against the cluster CA, names the node, and is good only for that node', async () => {
    await createCluster('joins');
    const t = await token('joins');
    const r = await join(t.tokenSecretText, 'edge-1', {
      arch: 'arm64',
      gpuModel: 'Tesla T4',
      ips: ['10.8.0.2', 'fd00::2'],
    });
    expect(r.nodeName).toBe('edge-1');
    expect(r.cordoned).toBe(false);
    expect(await verifyCertificateChain(r.certificatePem, r.caCertificatePem)).toBe(true);
    expect(nodeNameFromCertificate(r.certificatePem)).toBe('edge-1');
    const cluster = await api.clusters('GetCluster', { cluster: { name: 'joins' } });
    expect(certificateFingerprint(r.caCertificatePem)).toBe(cluster.caFingerprint);
    const own = await api.clusters('VerifyCredential', {
      cluster: { name: 'joins' },
      certificatePem: r.certificatePem,
      targetNode: 'edge-1',
    });
    expect(own).toMatchObject({ valid: true, kind: 'node', nodeName: 'edge-1', authorized: true });
    const other = await api.clusters('VerifyCredential', {
      cluster: { name: 'joins' },
      certificatePem: r.certificatePem,
      targetNode: 'edge-2',
    });
    expect(other).toMatchObject({ valid: true, kind: 'node', authorized: false });
    const detail = await getNode('joins', 'edge-1');
    expect(detail.node.inventory).toMatchObject({
      arch: 'arm64',
      os: 'Ubuntu 22.04',
      interface: 'eth0',
      ips: ['10.8.0.2', 'fd00::2'],
      gpuModel: 'Tesla T4',
    });
    expect(detail.node.labels).toMatchObject({
      'kubernetes.io/arch': 'arm64',
      'kubernetes.io/hostname': 'edge-1',
    });
    expect(detail.node.credentialSerial).toMatch(/^[0-9a-f]+$/);
    expect(ownTimeline(detail)).toEqual(['NodeJoined', 'NodeCredentialIssued']);
    const tokens = await api.tokens('ListJoinTokens', { cluster: { name: 'joins' } });
    expect(tokens.tokens[0].redeemedBy).toEqual(['edge-1']);
    // The same token is reusable for another node.
    await join(t.tokenSecretText, 'edge-2');
  });

  it('refuses a duplicate node name (ALREADY_EXISTS), an IP as name (INVALID_ARGUMENT), a CSR for another name', async () => {
    const t = await token('joins');
    const before = await eventCount();
    const dup = await failure(join(t.tokenSecretText, 'edge-1'));
    expect(dup.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(dup.details).toContain('edge-1');
    const ip = await failure(join(t.tokenSecretText, '10.0.0.7'));
    expect(ip.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolationsOf(ip)[0]!.field).toBe('nodeName');
    const csr = await createNodeCsr('someone-else');
    const wrong = await failure(
      api.tokens('RedeemJoinToken', {
        token: t.tokenSecretText,
        nodeName: 'edge-9',
        csrPem: csr.csrPem,
        arch: 'x86_64',
        os: 'Linux',
        interface: 'eth0',
        ips: ['10.1.1.1'],
      }),
    );
    expect(wrong.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await eventCount()).toBe(before);
    // The first edge-1 is untouched: no flapping.
    expect((await getNode('joins', 'edge-1')).node.inventory.arch).toBe('arm64');
  });

  it('refuses a revoked token and an expired one with a clear message', async () => {
    const revoked = await token('joins');
    const r = await api.tokens('RevokeJoinToken', { tokenId: revoked.token.id });
    expect(r.status).toBe('revoked');
    const err = await failure(join(revoked.tokenSecretText, 'edge-r'));
    expect(err.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(err.details).toMatch(/revoked/);

    const short = await token('joins', { ttlSeconds: 60 });
    offsetMs = 61_000;
    try {
      const expired = await failure(join(short.tokenSecretText, 'edge-x'));
      expect(expired.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(expired.details).toMatch(/expired at/);
      const listed = await api.tokens('ListJoinTokens', { cluster: { name: 'joins' } });
      expect(listed.tokens.find((x: { id: string }) => x.id === short.token.id).status).toBe('expired');
    } finally {
      offsetMs = 0;
    }
    const bad = await failure(join(`${short.token.id}.not-the-secret`, 'edge-y'));
    expect(bad.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('auto-upgrade off: a node beyond the cap is cordoned with a reason and recovers by itself after a manual tier raise', async () => {
    await createCluster('capped', { tier: 'L5' });
    const t = await token('capped');
    for (let i = 1; i <= 5; i++) expect((await join(t.tokenSecretText, `n${i}`)).cordoned).toBe(false);
    const sixth = await join(t.tokenSecretText, 'n6');
    expect(sixth.cordoned).toBe(true);
    expect(sixth.cordonReason).toMatch(/L5 allows 5 nodes/);
    const n6 = (await getNode('capped', 'n6')).node;
    expect(n6.schedulable).toBe(false);
    expect(n6.cordons).toEqual([expect.objectContaining({ holder: 'tier-capacity' })]);
    expect(n6.taints).toContainEqual(
      expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
    );
    const uncordon = await failure(
      api.nodes('UncordonNode', { node: { cluster: { name: 'capped' }, name: 'n6' } }),
    );
    expect(uncordon.code).toBe(grpc.status.FAILED_PRECONDITION);
    const c = await api.clusters('GetCluster', { cluster: { name: 'capped' } });
    expect(c).toMatchObject({ tier: { name: 'L5' }, overCapacityNodes: 1, usage: { nodes: 6 } });
    const raised = await api.clusters('SetTier', { cluster: { name: 'capped' }, tier: 'L20' });
    expect(raised.tier.name).toBe('L20');
    await eventually(async () => (await getNode('capped', 'n6')).node.schedulable === true, 10_000);
    // A manual downgrade only when usage fits: 6 nodes do not fit L5.
    const down = await failure(api.clusters('SetTier', { cluster: { name: 'capped' }, tier: 'L5' }));
    expect(down.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(down.details).toMatch(/6 nodes exceed its cap of 5/);
    await eventually(async () => (await getNode('capped', 'n6')).node.schedulable === true, 10_000);
    const after = await api.clusters('GetCluster', { cluster: { name: 'capped' } });
    expect(after).toMatchObject({ tier: { name: 'L20' }, overCapacityNodes: 0 });
  });

  it('a whole site joins at once with one token: twelve concurrent redemptions all succeed, counted exactly', async () => {
    await createCluster('site', { tier: 'L20' });
    const t = await token('site');
    const names = Array.from({ length: 12 }, (_, i) => `site-${i + 1}`);
    const results = await Promise.allSettled(names.map((n) => join(t.tokenSecretText, n)));
    const failed = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason?.details);
    expect(failed).toEqual([]);
    const c = await api.clusters('GetCluster', { cluster: { name: 'site' } });
    expect(c.usage.nodes).toBe(12);
  });

  it('auto-upgrade on: exceeding the cap raises the tier one step, nobody is cordoned', async () => {
    await createCluster('auto', { tier: 'L5', autoUpgrade: true });
    const t = await token('auto');
    for (let i = 1; i <= 6; i++) expect((await join(t.tokenSecretText, `a${i}`)).cordoned).toBe(false);
    const c = await api.clusters('GetCluster', { cluster: { name: 'auto' } });
    expect(c).toMatchObject({
      tier: { name: 'L20' },
      autoUpgrade: true,
      overCapacityNodes: 0,
      usage: { nodes: 6 },
    });
    // Pods beyond L20's quota raise it again; turning auto-upgrade off is its own change.
    const raised = await api.clusters('ReportUsage', {
      cluster: { name: 'auto' },
      pods: 700,
      configMaps: 1,
      crds: 1,
    });
    expect(raised.tier.name).toBe('L50');
    const off = await api.clusters('SetTier', { cluster: { name: 'auto' }, autoUpgrade: false });
    expect(off.autoUpgrade).toBe(false);
  });

  it('admin kubeconfig: downloadable, verifies; after rotation the old one stops working', async () => {
    const k1 = await api.clusters('GetKubeconfig', { cluster: { name: 'joins' } });
    const cert = (k: { kubeconfigYaml: string }) =>
      Buffer.from(parseYaml(k.kubeconfigYaml).users[0].user['client-certificate-data'], 'base64').toString(
        'utf8',
      );
    const old = cert(k1);
    expect(parseYaml(k1.kubeconfigYaml).clusters[0].cluster['certificate-authority-data']).toBeTruthy();
    expect(
      await api.clusters('VerifyCredential', { cluster: { name: 'joins' }, certificatePem: old }),
    ).toMatchObject({
      valid: true,
      kind: 'admin',
      authorized: true,
    });
    const k2 = await api.clusters('RotateKubeconfig', { cluster: { name: 'joins' } });
    expect(k2.revokedSerial).toBe(k1.credentialSerial);
    expect(k2.credentialSerial).not.toBe(k1.credentialSerial);
    const stale = await api.clusters('VerifyCredential', { cluster: { name: 'joins' }, certificatePem: old });
    expect(stale).toMatchObject({ valid: false, authorized: false });
    expect(stale.reason).toMatch(/rotated/);
    expect(
      (await api.clusters('VerifyCredential', { cluster: { name: 'joins' }, certificatePem: cert(k2) }))
        .valid,
    ).toBe(true);
    const again = await api.clusters('GetKubeconfig', { cluster: { name: 'joins' } });
    expect(cert(again)).toBe(cert(k2));
    // A certificate of another cluster's CA is not accepted.
    const foreign = await api.clusters('GetKubeconfig', { cluster: { name: 'capped' } });
    expect(
      (await api.clusters('VerifyCredential', { cluster: { name: 'joins' }, certificatePem: cert(foreign) }))
        .valid,
    ).toBe(false);
  });

  it('restricted credentials: issued with a role (key returned once, not in events or the key table), listed, verified by certificate and fingerprint, revoked', async () => {
    const ref = { name: 'joins' };
    const data = (k: { kubeconfigYaml: string }, field: string) =>
      Buffer.from(parseYaml(k.kubeconfigYaml).users[0].user[field], 'base64').toString('utf8');
    const view = await api.clusters('IssueCredential', {
      cluster: ref,
      user: 'bob',
      role: 'view',
      ttlSeconds: 3600,
    });
    expect(view).toMatchObject({ user: 'bob', role: 'view', revokedSerial: '' });
    const viewCert = data(view, 'client-certificate-data');
    const viewKey = data(view, 'client-key-data');
    expect(viewKey).toMatch(/BEGIN PRIVATE KEY/);
    const x = new (await import('node:crypto')).X509Certificate(viewCert);
    expect(x.subject).toBe('CN=bob\nO=edgeplane:view');
    // valid for the hour asked (plus the 5 minutes of back-dating for skew)
    expect(Date.parse(x.validTo) - Date.now()).toBeGreaterThan(3500_000);
    expect(Date.parse(x.validTo) - Date.now()).toBeLessThan(3700_000);
    const edit = await api.clusters('IssueCredential', { cluster: ref, user: 'carol', role: 'edit' });
    const editCert = data(edit, 'client-certificate-data');
    expect(await api.clusters('VerifyCredential', { cluster: ref, certificatePem: viewCert })).toMatchObject({
      valid: true,
      kind: 'user',
      user: 'bob',
      groups: ['edgeplane:view'],
      serial: view.credentialSerial,
    });
    expect(
      await api.clusters('VerifyCredential', {
        cluster: ref,
        credentialFingerprint: edit.credentialFingerprint,
      }),
    ).toMatchObject({ valid: true, kind: 'user', user: 'carol', groups: ['edgeplane:edit'] });
    const listed = await api.clusters('ListCredentials', { cluster: ref });
    expect(listed.credentials.map((c: { user: string; role: string }) => `${c.user}/${c.role}`)).toEqual([
      'bob/view',
      'carol/edit',
    ]);
    // bad input: field named, nothing issued
    for (const [req, field] of [
      [{ user: 'system:node:x', role: 'view' }, 'user'],
      [{ user: 'dave', role: 'owner' }, 'role'],
      [{ user: 'dave', role: 'view', ttlSeconds: 5 }, 'ttlSeconds'],
      [{ user: '', role: 'view' }, 'user'],
    ] as const) {
      const e = await failure(api.clusters('IssueCredential', { cluster: ref, ...req }));
      expect(e.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(fieldViolationsOf(e).map((v) => v.field)).toContain(field);
    }
    expect((await api.clusters('ListCredentials', { cluster: ref })).credentials).toHaveLength(2);
    // the private key is nowhere: not in a published event, not in the key table
    await eventually(() =>
      expect(ourEvents().filter((e) => e.type === 'ClusterUserCredentialIssued')).toHaveLength(2),
    );
    const issued = ourEvents().filter((e) => e.type === 'ClusterUserCredentialIssued');
    expect(issued[0]!.data).toMatchObject({ user: 'bob', role: 'view', groups: ['edgeplane:view'] });
    const keyBody = viewKey.split('\n')[1]!;
    expect(JSON.stringify(issued)).not.toContain(keyBody);
    const keyRows = await sql<{ t: string }>`
      SELECT row_to_json(k)::text AS t FROM ${sql.id(schema, 'cluster_keys')} k`.execute(svc.db);
    expect(keyRows.rows.map((r) => r.t).join()).not.toContain(keyBody);
    const stored = await sql<{ t: string }>`
      SELECT data::text AS t FROM ${sql.id(schema, 'events')} WHERE type = 'ClusterUserCredentialIssued'`.execute(
      svc.db,
    );
    expect(stored.rows).toHaveLength(2);
    expect(stored.rows.map((r) => r.t).join()).not.toContain(keyBody);
    // revoke by serial: bob's stops verifying, carol's still does
    const r1 = await api.clusters('RevokeCredential', { cluster: ref, serial: view.credentialSerial });
    expect(r1.revoked.map((c: { user: string }) => c.user)).toEqual(['bob']);
    expect(await api.clusters('VerifyCredential', { cluster: ref, certificatePem: viewCert })).toMatchObject({
      valid: false,
    });
    expect(
      await api.clusters('VerifyCredential', {
        cluster: ref,
        credentialFingerprint: view.credentialFingerprint,
      }),
    ).toMatchObject({ valid: false });
    expect((await api.clusters('VerifyCredential', { cluster: ref, certificatePem: editCert })).valid).toBe(
      true,
    );
    const again = await failure(
      api.clusters('RevokeCredential', { cluster: ref, serial: view.credentialSerial }),
    );
    expect(again.code).toBe(grpc.status.NOT_FOUND);
    const neither = await failure(api.clusters('RevokeCredential', { cluster: ref }));
    expect(neither.code).toBe(grpc.status.INVALID_ARGUMENT);
    // revoke by user; the admin credential is not touched
    await api.clusters('IssueCredential', { cluster: ref, user: 'carol', role: 'cluster-admin' });
    const r2 = await api.clusters('RevokeCredential', { cluster: ref, user: 'carol' });
    expect(r2.revoked).toHaveLength(2);
    expect((await api.clusters('VerifyCredential', { cluster: ref, certificatePem: editCert })).valid).toBe(
      false,
    );
    expect((await api.clusters('ListCredentials', { cluster: ref })).credentials).toEqual([]);
    const admin = await api.clusters('GetKubeconfig', { cluster: ref });
    expect(
      await api.clusters('VerifyCredential', {
        cluster: ref,
        certificatePem: data(admin, 'client-certificate-data'),
      }),
    ).toMatchObject({ valid: true, kind: 'admin', groups: ['system:masters'] });
  });

  it('node lifecycle: labels (GPU), taints, cordon, drain, uncordon; system-owned keys are refused', async () => {
    const ref = { cluster: { name: 'joins' }, name: 'edge-2' };
    const labelled = await api.nodes('LabelNode', {
      node: ref,
      set: { env: 'prod', 'nvidia-device-enable': 'enable' },
    });
    expect(labelled.operatorLabels).toEqual({ env: 'prod', 'nvidia-device-enable': 'enable' });
    expect(labelled.gpuDevicePlugin).toBe(true);
    const owned = await failure(api.nodes('LabelNode', { node: ref, set: { 'kubernetes.io/arch': 'arm' } }));
    expect(owned.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(owned.details).toMatch(/managed by the cluster service/);
    const badKey = await failure(api.nodes('LabelNode', { node: ref, set: { 'bad key': 'x' } }));
    expect(badKey.code).toBe(grpc.status.INVALID_ARGUMENT);
    const tainted = await api.nodes('TaintNode', {
      node: ref,
      set: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    });
    expect(tainted.taints).toContainEqual({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' });
    const cordoned = await api.nodes('CordonNode', { node: ref, reason: 'maintenance' });
    expect(cordoned.schedulable).toBe(false);
    const drained = await api.nodes('DrainNode', { node: ref, gracePeriodSeconds: 10 });
    expect(drained.draining).toBe(true);
    const uncordoned = await api.nodes('UncordonNode', { node: ref });
    expect(uncordoned).toMatchObject({ schedulable: true, draining: false });
    await api.nodes('LabelNode', { node: ref, remove: ['nvidia-device-enable'] });
    const listed = await api.nodes('ListNodes', { cluster: { name: 'joins' }, labelSelector: 'env=prod' });
    expect(listed.nodes.map((n: { name: string }) => n.name)).toEqual(['edge-2']);
    const detail = await getNode('joins', 'edge-2');
    expect(ownTimeline(detail)).toEqual([
      'NodeJoined',
      'NodeCredentialIssued',
      'NodeLabelsChanged',
      'NodeGpuDevicePluginChanged',
      'NodeTaintsChanged',
      'NodeCordoned',
      'NodeDrainRequested',
      'NodeUncordoned',
      'NodeLabelsChanged',
      'NodeGpuDevicePluginChanged',
    ]);
    expect(parseYaml(detail.yaml)).toMatchObject({
      kind: 'Node',
      metadata: { name: 'edge-2', labels: { env: 'prod' } },
    });
  });

  it('NodeMembershipChanged from nodepool shows up as owned labels in GetNode; a redelivery changes nothing', async () => {
    const cluster = await api.clusters('GetCluster', { cluster: { name: 'joins' } });
    const membership = (labels: Record<string, string>) => membershipChanged(cluster.id, 'edge-1', labels);
    const first = membership({
      beijing: 'nodeunits.superedge.io',
      'unit-node-all': 'nodeunits.superedge.io',
      location: 'beijing',
    });
    const subject = busSubject('edgeplane.nodepool.node-membership.changed');
    await bus.js.publish(subject, JSON.stringify(first), { msgID: first.id });
    const node = await eventually(async () => {
      const n = (await getNode('joins', 'edge-1')).node;
      return n.labels.location === 'beijing' ? n : undefined;
    }, 10_000);
    expect(node.systemLabels.find((l: { owner: string }) => l.owner === 'nodepool').labels).toMatchObject({
      beijing: 'nodeunits.superedge.io',
      'unit-node-all': 'nodeunits.superedge.io',
      location: 'beijing',
    });
    expect(node.operatorLabels).not.toHaveProperty('location');
    const refused = await failure(
      api.nodes('LabelNode', {
        node: { cluster: { name: 'joins' }, name: 'edge-1' },
        set: { location: 'x' },
      }),
    );
    expect(refused.details).toMatch(/managed by the nodepool service/);

    // Effects of one message carry its id as causation: counted after a redelivery, still one.
    const effectsOf = async (id: string) =>
      (await svc.store.readStream(nodeStreamId(cluster.id, 'edge-1'))).filter(
        (e) => e.metadata.causationId === id,
      ).length;
    expect(await effectsOf(first.id)).toBe(1);
    // The same message again (a different Msg-Id, so JetStream delivers it): the inbox drops it.
    await bus.js.publish(subject, JSON.stringify(first), { msgID: v7() });
    // The next layer drops the unit: its labels go, and the earlier copy had no second effect.
    const second = membership({ 'unit-node-all': 'nodeunits.superedge.io' });
    await bus.js.publish(subject, JSON.stringify(second), { msgID: second.id });
    await eventually(async () => !('location' in (await getNode('joins', 'edge-1')).node.labels), 10_000);
    expect(await effectsOf(first.id)).toBe(1);
    expect(await effectsOf(second.id)).toBe(1);
    // Events about a node this instance does not hold are acked without effect.
    const stranger = {
      ...membership({ a: 'b' }),
      data: { ...membership({ a: 'b' }).data, clusterId: 'cls-unknown' },
    };
    await bus.js.publish(subject, JSON.stringify(stranger), { msgID: stranger.id });
  });

  it('NodeMembershipChanged annotations show in GetNode (effective + nodepool layer) and the YAML; a later layer without them removes them', async () => {
    const cluster = await api.clusters('GetCluster', { cluster: { name: 'joins' } });
    const subject = busSubject('edgeplane.nodepool.node-membership.changed');
    const labels = { 'unit-node-all': 'nodeunits.superedge.io' }; // unchanged from the previous test
    const annotations = {
      'superedge.io/site': 'beijing-dc1',
      description: 'rack 4, row B\nsecond line: any text, even {json}',
    };
    const effectsOf = async (id: string) =>
      (await svc.store.readStream(nodeStreamId(cluster.id, 'edge-1'))).filter(
        (e) => e.metadata.causationId === id,
      );

    const first = membershipChanged(cluster.id, 'edge-1', labels, annotations);
    await bus.js.publish(subject, JSON.stringify(first), { msgID: first.id });
    const detail = await eventually(async () => {
      const d = await getNode('joins', 'edge-1');
      return d.node.annotations?.['superedge.io/site'] ? d : undefined;
    }, 10_000);
    expect(detail.node.annotations).toEqual(annotations);
    expect(detail.node.systemAnnotations).toEqual([{ owner: 'nodepool', labels: annotations }]);
    expect(detail.node.labels).not.toHaveProperty('superedge.io/site');
    const yaml = parseYaml(detail.yaml);
    expect(yaml.metadata.annotations).toEqual({ ...annotations, 'edgeplane.io/cluster-id': cluster.id });
    expect(detail.events).toContainEqual(
      expect.objectContaining({
        type: 'NodeSystemAnnotationsChanged',
        message: expect.stringContaining('nodepool'),
      }),
    );
    // The labels did not change, so the one effect is the annotation layer, applied as a whole.
    expect((await effectsOf(first.id)).map((e) => e.type)).toEqual(['NodeSystemAnnotationsChanged']);

    // Redelivered (a new Msg-Id, so JetStream delivers it): no second effect.
    await bus.js.publish(subject, JSON.stringify(first), { msgID: v7() });
    // A layer that changes one value and drops the other key: set what changed, remove what is gone.
    const second = membershipChanged(cluster.id, 'edge-1', labels, { 'superedge.io/site': 'beijing-dc2' });
    await bus.js.publish(subject, JSON.stringify(second), { msgID: second.id });
    await eventually(
      async () =>
        (await getNode('joins', 'edge-1')).node.annotations?.['superedge.io/site'] === 'beijing-dc2',
      10_000,
    );
    expect(await effectsOf(first.id)).toHaveLength(1);
    const [change] = await effectsOf(second.id);
    expect(change?.data).toMatchObject({
      owner: 'nodepool',
      set: { 'superedge.io/site': 'beijing-dc2' },
      removed: ['description'],
    });

    // The same layer again in a new message: nothing changes, so nothing is appended.
    const again = membershipChanged(cluster.id, 'edge-1', labels, { 'superedge.io/site': 'beijing-dc2' });
    await bus.js.publish(subject, JSON.stringify(again), { msgID: again.id });

    // The next layer has no annotations: they all go, from the node and from its YAML.
    const third = membershipChanged(cluster.id, 'edge-1', labels);
    await bus.js.publish(subject, JSON.stringify(third), { msgID: third.id });
    const cleared = await eventually(async () => {
      const d = await getNode('joins', 'edge-1');
      return Object.keys(d.node.annotations ?? {}).length === 0 ? d : undefined;
    }, 10_000);
    expect(cleared.node.systemAnnotations ?? []).toEqual([]);
    expect(parseYaml(cleared.yaml).metadata.annotations).toEqual({ 'edgeplane.io/cluster-id': cluster.id });
    expect(cleared.node.labels).toMatchObject(labels);
    expect(await effectsOf(third.id)).toHaveLength(1);
    expect(await effectsOf(again.id)).toHaveLength(0); // handled in order, before `third`
  });

  it('NodeVerdictChanged from the health-arbiter sets its taints and the Ready condition', async () => {
    const cluster = await api.clusters('GetCluster', { cluster: { name: 'joins' } });
    const at = new Date().toISOString();
    const verdict = {
      id: v7(),
      type: 'NodeVerdictChanged',
      version: 1,
      streamId: `health-verdict:${cluster.id}:edge-1`,
      streamPosition: 1,
      globalPosition: 1,
      occurredAt: at,
      data: {
        clusterId: cluster.id,
        node: 'edge-1',
        verdict: 'NotReadyNoSchedule',
        previous: 'Ready',
        taints: [{ key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoSchedule' }],
        condition: {
          type: 'Ready',
          status: 'False',
          reason: 'PeersVouch',
          message: 'cloud lost; peers vouch',
        },
        rule: 'peers-vouch',
        evidence: {
          cloudLastSeen: null,
          cloudLost: true,
          scope: 'cluster',
          units: [],
          peers: [],
          peersOmitted: 0,
          quorum: { peerSetSize: 1, needed: 1, fresh: 1, healthyVotes: 1, unhealthyVotes: 0, abstained: 0 },
          frozen: false,
          darkUnits: [],
        },
        at,
      },
      metadata: {},
    };
    await bus.js.publish(busSubject('edgeplane.health.node.verdict-changed'), JSON.stringify(verdict), {
      msgID: verdict.id,
    });
    const detail = await eventually(async () => {
      const d = await getNode('joins', 'edge-1');
      const ready = d.conditions.find((c: { type: string }) => c.type === 'Ready');
      return ready?.reason === 'PeersVouch' ? d : undefined;
    }, 10_000);
    expect(detail.node.taints).toContainEqual({
      key: 'node.kubernetes.io/unreachable',
      value: '',
      effect: 'NoSchedule',
    });
    expect(detail.node.ready).toBe('False');
    expect(detail.node.systemTaints).toContainEqual({
      owner: 'health-arbiter',
      taints: [{ key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoSchedule' }],
    });
    expect(detail.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'False', reason: 'PeersVouch' }),
    );
    const operator = await failure(
      api.nodes('TaintNode', {
        node: { cluster: { name: 'joins' }, name: 'edge-1' },
        remove: [{ key: 'node.kubernetes.io/unreachable' }],
      }),
    );
    expect(operator.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('remove: the node leaves, its credential stops verifying, the tier count follows; the name can join again', async () => {
    const t = await token('capped');
    const r = await join(t.tokenSecretText, 'n7');
    expect(r.cordoned).toBe(false); // L20 now
    const removed = await api.nodes('RemoveNode', { node: { cluster: { name: 'capped' }, name: 'n7' } });
    expect(removed).toMatchObject({
      name: 'n7',
      machineReleased: false,
      revokedCredentialSerial: expect.stringMatching(/^[0-9a-f]+$/),
    });
    expect((await failure(getNode('capped', 'n7'))).code).toBe(grpc.status.NOT_FOUND);
    const check = await api.clusters('VerifyCredential', {
      cluster: { name: 'capped' },
      certificatePem: r.certificatePem,
    });
    expect(check.valid).toBe(false);
    await eventually(
      async () => (await api.clusters('GetCluster', { cluster: { name: 'capped' } })).usage.nodes === 6,
      10_000,
    );
    const again = await join(t.tokenSecretText, 'n7');
    expect(again.nodeName).toBe('n7');
  });

  it('deleting a cluster removes its nodes and projections and revokes every identity', async () => {
    await api.clusters('SetRemoteLogin', { cluster: { name: 'capped' }, enabled: true });
    // Removed just before: whether or not its release reaction ran yet, it is not revoked twice.
    await api.nodes('RemoveNode', { node: { cluster: { name: 'capped' }, name: 'n7' } });
    const del = await api.clusters('DeleteCluster', { cluster: { name: 'capped' } });
    expect(del.revokedNodeIdentities.sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
    expect((await failure(api.clusters('GetCluster', { cluster: { name: 'capped' } }))).code).toBe(
      grpc.status.NOT_FOUND,
    );
    const cid = del.clusterId;
    const left = async (table: string) =>
      (await sql`SELECT 1 FROM ${sql.id(schema, table)} WHERE cluster_id = ${cid}`.execute(svc.db)).rows
        .length;
    expect(await left('proj_nodes')).toBe(0);
    expect(await left('proj_join_tokens')).toBe(0);
    expect(await left('cluster_keys')).toBe(0);
    await eventually(async () => {
      const removed = ourEvents().filter(
        (e) => e.type === 'NodeRemoved' && (e.data as { clusterId: string }).clusterId === cid,
      );
      return removed.filter((e) => (e.data as { reason: string }).reason === 'cluster-deleted').length === 6;
    }, 10_000);
  });

  it('the read models rebuild from the log to the same rows, twice (replay is idempotent)', async () => {
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const [table, key] of [
        ['proj_clusters', 'cluster_id'],
        ['proj_join_tokens', 'token_id'],
        ['proj_nodes', 'cluster_id, node_name'],
      ] as const) {
        const rows = await sql`SELECT * FROM ${sql.id(schema, table)} ORDER BY ${sql.raw(key)}`.execute(
          svc.db,
        );
        out[table] = rows.rows.map((r) => ({ ...(r as object), last_position: undefined }));
      }
      return out;
    };
    // A consumer may append (another service's verdict on one of our nodes) between two
    // snapshots; then the comparison is simply repeated.
    await eventually(async () => {
      const before = await snapshot();
      expect(before.proj_nodes!.length).toBeGreaterThan(0);
      await svc.store.rebuildProjections();
      const once = await snapshot();
      await svc.store.rebuildProjections();
      const twice = await snapshot();
      expect(once).toEqual(before);
      expect(twice).toEqual(before);
      return true;
    }, 10_000);
  });

  it('every state change reached JetStream as a catalogue event', async () => {
    // one entry per type (a superseded version, e.g. JoinTokenCreated@v1, is never appended)
    const expected = [...new Set(clusterEvents.map((d) => d.type))].sort();
    await eventually(() => expected.every((t) => ourEvents().some((e) => e.type === t)), 10_000).catch(
      () => undefined,
    );
    const published = ourEvents();
    const seen = [...new Set(published.map((e) => e.type))].sort();
    expect(seen).toEqual(expected);
    const subjects = new Map(clusterEvents.map((d) => [d.type, d.subject]));
    for (const e of published) expect(subjects.get(e.type)).toBeDefined();
    // Every appended event of our clusters was published exactly once (the relay's Msg-Id dedupe).
    const stored = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(schema, 'events')}`.execute(
      svc.db,
    );
    await eventually(() => new Set(ourEvents().map((e) => e.id)).size === Number(stored.rows[0]!.n), 10_000);
    expect(ourEvents().length).toBe(Number(stored.rows[0]!.n));
  });
});
