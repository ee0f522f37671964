import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeCsr } from '@edgeplane/k8s';
import {
  createPlatformCa,
  ensurePlatformPki,
  issueCredentials,
  loadPackage,
  mtlsCredentials,
  platformPkiDir,
  protoFilesOf,
} from '@edgeplane/proto';
import {
  bootstrapService,
  onBehalfOf,
  type RunningService,
  type ServiceDefinition,
} from '@edgeplane/service-kit';
import {
  eventually,
  freePort,
  testGrpcCredentials,
  testServices,
  uniqueName,
  type TestIdentity,
} from '@edgeplane/testing';
import { clusterServiceDefinition } from '../services/cluster/src/index.js';
import { nodepoolService } from '../services/nodepool/src/service.js';

/**
 * The operator gRPC API authenticated and authorized (issue 12): the cluster and nodepool services
 * booted in-process on real PostgreSQL, JetStream and gRPC over TLS sockets; callers with
 * certificates of the test run's platform PKI (users in groups → roles, a service acting on a
 * user's behalf), node certificates issued by a cluster CA at join, a foreign CA's, an expired
 * one, none at all, and a plaintext client.
 */
type Unary = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r: unknown) => void,
) => void;

describe('operator gRPC API: identity and roles', () => {
  const services: RunningService<never>[] = [];
  let clusterAddr = '';
  let nodepoolAddr = '';
  const clients: grpc.Client[] = [];
  let clusterId = '';
  let otherClusterId = '';
  const clusterName = uniqueName('auth').replace(/_/g, '-').toLowerCase().slice(0, 30);
  const otherName = uniqueName('other').replace(/_/g, '-').toLowerCase().slice(0, 30);
  const nodeCreds = new Map<string, grpc.ChannelCredentials>();

  const pkg = (name: 'cluster' | 'nodepool') =>
    (loadPackage(protoFilesOf(name)).grpcObject as any).edgeplane[name].v1;

  /** One call of `Service/Method` with the given credentials; resolves to the answer or the error. */
  function call(
    address: string,
    service: string,
    method: string,
    request: unknown,
    credentials: grpc.ChannelCredentials,
    md = new grpc.Metadata(),
  ): Promise<{ ok: true; res: any } | { ok: false; err: grpc.ServiceError }> {
    const [pkgName, svcName] = service.split('.') as ['cluster' | 'nodepool', string];
    const c = new (pkg(pkgName)[svcName] as typeof grpc.Client)(address, credentials) as grpc.Client &
      Record<string, Unary>;
    clients.push(c);
    return new Promise((resolve) =>
      c[method]!.call(c, request, md, { deadline: Date.now() + 20_000 }, (err, res) => {
        c.close();
        resolve(err ? { ok: false, err } : { ok: true, res });
      }),
    );
  }
  const as = (who: TestIdentity) => testGrpcCredentials(who);
  const admin = testGrpcCredentials();
  const viewer = as({ user: 'vera', groups: ['edgeplane:view'] });
  const editor = as({ user: 'alice', groups: ['edgeplane:edit'] });
  const service = as({ user: 'system:service:kube-api', groups: ['edgeplane:services'] });
  const c = (svc: string, method: string, req: unknown, creds: grpc.ChannelCredentials, md?: grpc.Metadata) =>
    call(clusterAddr, `cluster.${svc}`, method, req, creds, md);
  const n = (svc: string, method: string, req: unknown, creds: grpc.ChannelCredentials) =>
    call(nodepoolAddr, `nodepool.${svc}`, method, req, creds);
  const ok = async (p: Promise<{ ok: true; res: any } | { ok: false; err: grpc.ServiceError }>) => {
    const r = await p;
    if (!r.ok) throw new Error(`expected success, got ${grpc.status[r.err.code]}: ${r.err.details}`);
    return r.res;
  };
  const refused = async (p: Promise<{ ok: true; res: any } | { ok: false; err: grpc.ServiceError }>) => {
    const r = await p;
    if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.res).slice(0, 200)}`);
    return r.err;
  };
  /** The events of the cluster service's store (type, actor), newest last. */
  const clusterEvents = async () =>
    (
      await sql<{ type: string; actor: string | null; data: string }>`
        SELECT type, metadata->>'actor' AS actor, data::text AS data
        FROM ${sql.id(services[0]!.store.schema, 'events')} ORDER BY global_position`.execute(services[0]!.db)
    ).rows;

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    const base = async () => ({
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'fatal',
      CONSUMER_START: 'new',
    });
    const clusterEnv = await base();
    clusterAddr = `127.0.0.1:${clusterEnv.GRPC_PORT}`;
    services.push(
      await bootstrapService(
        clusterServiceDefinition({ schema: uniqueName('au_cluster') }) as ServiceDefinition<never>,
        clusterEnv,
      ),
    );
    const nodepoolEnv = { ...(await base()), EDGEPLANE_CLUSTER_ADDR: clusterAddr };
    nodepoolAddr = `127.0.0.1:${nodepoolEnv.GRPC_PORT}`;
    services.push(
      await bootstrapService(
        { ...(nodepoolService as ServiceDefinition<never>), schema: uniqueName('au_nodepool') },
        nodepoolEnv,
      ),
    );

    // two clusters; nodes n1, n2 joined to the first (their certificates from its CA)
    const create = (name: string, i: number) =>
      ok(
        c(
          'ClusterService',
          'CreateCluster',
          {
            name,
            kubernetesVersion: '1.22.5',
            runtime: 'containerd',
            region: 'ap-guangzhou',
            vpcId: `vpc-auth-${i}-${Date.now()}`,
            vpcCidr: '10.0.0.0/16',
            podCidr: `172.${16 + i * 2}.0.0/16`,
            serviceCidr: `172.${17 + i * 2}.0.0/20`,
          },
          admin,
        ),
      );
    clusterId = (await create(clusterName, 0)).id;
    otherClusterId = (await create(otherName, 1)).id;
    await ok(c('ClusterService', 'SetAccess', { cluster: { id: clusterId }, publicAccess: true }, admin));
    const ca = ensurePlatformPki(platformPkiDir());
    for (const node of ['n1', 'n2']) {
      const t = await ok(c('JoinTokenService', 'CreateJoinToken', { cluster: { id: clusterId } }, admin));
      const csr = await createNodeCsr(node);
      const joined = await ok(
        c(
          'JoinTokenService',
          'RedeemJoinToken',
          {
            token: t.tokenSecretText,
            nodeName: node,
            csrPem: csr.csrPem,
            arch: 'x86_64',
            os: 'Ubuntu 22.04',
            interface: 'eth0',
            ips: ['192.168.1.10'],
          },
          service,
        ),
      );
      nodeCreds.set(node, mtlsCredentials(ca.certPem, joined.certificatePem, csr.privateKeyPem));
    }
    // unit u1 holds n1 only
    await ok(
      n(
        'NodeUnitService',
        'CreateNodeUnit',
        { cluster: clusterId, name: 'u1', spec: { type: 'edge', nodes: ['n1'] } },
        admin,
      ),
    );
    await eventually(async () => {
      const r = await n('NodeMembershipService', 'ListNodeMemberships', { cluster: clusterId }, admin);
      return (
        r.ok &&
        r.res.memberships?.some(
          (m: { node: string; units: string[] }) => m.node === 'n1' && m.units.includes('u1'),
        )
      );
    }, 30_000);
  });

  afterAll(async () => {
    for (const cl of clients) cl.close();
    for (const s of services.reverse()) await s.stop();
  });

  it('no client certificate: every API method is UNAUTHENTICATED (the anonymous attacks of the issue fail); health stays open', async () => {
    const anonymous = grpc.credentials.createSsl(Buffer.from(ensurePlatformPki(platformPkiDir()).certPem));
    const before = await ok(c('ClusterService', 'GetKubeconfig', { cluster: { id: clusterId } }, admin));
    for (const [svc, method, req] of [
      ['ClusterService', 'GetCluster', { cluster: { id: clusterId } }],
      ['ClusterService', 'RotateKubeconfig', { cluster: { id: clusterId } }],
      ['ClusterService', 'ReportUsage', { cluster: { id: clusterId }, pods: 1 }],
    ] as const) {
      const err = await refused(c(svc, method, req, anonymous));
      expect(err.code, err.details).toBe(grpc.status.UNAUTHENTICATED);
      expect(err.details).toContain('client certificate is required');
    }
    const kins = await refused(
      n(
        'KinsService',
        'ReportKinsStatus',
        {
          cluster: clusterId,
          unit: 'u1',
          generation: 1,
          phase: 'running',
          apiServerEndpoint: 'https://attacker.example:6443',
        },
        anonymous,
      ),
    );
    expect(kins.code).toBe(grpc.status.UNAUTHENTICATED);
    // the rotation did not happen: the admin kubeconfig is the one it was
    const after = await ok(c('ClusterService', 'GetKubeconfig', { cluster: { id: clusterId } }, admin));
    expect(after.credentialFingerprint).toBe(before.credentialFingerprint);
    expect(before.credentialFingerprint).toMatch(/^[0-9a-f]{64}$/);
    // a plaintext client does not get a gRPC answer at all: the port speaks TLS only
    const plain = await refused(
      c('ClusterService', 'GetCluster', { cluster: { id: clusterId } }, grpc.credentials.createInsecure()),
    );
    expect(plain.code).toBe(grpc.status.UNAVAILABLE);
  });

  it('a view credential reads but cannot label (PERMISSION_DENIED naming role and method) nor read secrets', async () => {
    const got = await ok(c('ClusterService', 'GetCluster', { cluster: { id: clusterId } }, viewer));
    expect(got.id).toBe(clusterId);
    const nodes = await ok(c('NodeService', 'ListNodes', { cluster: { id: clusterId } }, viewer));
    expect(nodes.nodes.map((x: { name: string }) => x.name).sort()).toEqual(['n1', 'n2']);
    const label = await refused(
      c(
        'NodeService',
        'LabelNode',
        { node: { cluster: { id: clusterId }, name: 'n1' }, set: { team: 'a' } },
        viewer,
      ),
    );
    expect(label.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(label.details).toContain('requires role edit (method edgeplane.cluster.v1.NodeService/LabelNode)');
    const secret = await refused(
      c('ClusterService', 'GetKubeconfig', { cluster: { id: clusterId } }, viewer),
    );
    expect(secret.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(secret.details).toContain('requires role cluster-admin');
    const unit = await refused(
      n(
        'NodeUnitService',
        'CreateNodeUnit',
        { cluster: clusterId, name: 'u2', spec: { type: 'edge', nodes: [] } },
        viewer,
      ),
    );
    expect(unit.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(unit.details).toContain(
      'requires role edit (method edgeplane.nodepool.v1.NodeUnitService/CreateNodeUnit)',
    );
    // an edit credential may label, not rotate credentials
    const rotate = await refused(
      c('ClusterService', 'RotateKubeconfig', { cluster: { id: clusterId } }, editor),
    );
    expect(rotate.code).toBe(grpc.status.PERMISSION_DENIED);
    // a credential in no known group has no role at all
    const nobody = await refused(
      c('ClusterService', 'ListClusters', {}, as({ user: 'nobody', groups: ['staff'] })),
    );
    expect(nobody.code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it('events carry the authenticated actor; on-behalf-of is honoured from a service only', async () => {
    await ok(
      c(
        'NodeService',
        'LabelNode',
        { node: { cluster: { id: clusterId }, name: 'n1' }, set: { team: 'a' } },
        editor,
      ),
    );
    // a user sending on-behalf-of metadata stays itself
    await ok(
      c(
        'NodeService',
        'LabelNode',
        { node: { cluster: { id: clusterId }, name: 'n1' }, set: { team: 'b' } },
        editor,
        onBehalfOf('mallory', ['system:masters']),
      ),
    );
    // a service acting for bob: bob's rights, and the actor says both
    await ok(
      c(
        'NodeService',
        'LabelNode',
        { node: { cluster: { id: clusterId }, name: 'n1' }, set: { team: 'c' } },
        service,
        onBehalfOf('bob', ['edgeplane:edit']),
      ),
    );
    const forViewer = await refused(
      c(
        'NodeService',
        'LabelNode',
        { node: { cluster: { id: clusterId }, name: 'n1' }, set: { team: 'd' } },
        service,
        onBehalfOf('vera', ['edgeplane:view']),
      ),
    );
    expect(forViewer.code).toBe(grpc.status.PERMISSION_DENIED);
    const labelled = (await clusterEvents()).filter(
      (e) => e.type === 'NodeLabelsChanged' || e.data.includes('"team"'),
    );
    const actors = labelled.map((e) => e.actor);
    expect(actors).toContain('user:alice');
    expect(actors).toContain('service:kube-api(on behalf of user:bob)');
    expect(actors.some((a) => a?.includes('mallory'))).toBe(false);
    expect(actors.some((a) => a?.includes('vera'))).toBe(false);
    // every event written through the API names who: the creation was the test admin's
    const created = (await clusterEvents()).find((e) => e.type === 'ClusterCreated');
    expect(created?.actor).toBe('user:test-admin');
  });

  it('node certificates: node-facing calls only, about themselves (ReportKinsStatus of another unit refused)', async () => {
    const report = (creds: grpc.ChannelCredentials) =>
      n(
        'KinsService',
        'ReportKinsStatus',
        {
          cluster: clusterId,
          unit: 'u1',
          generation: 1,
          phase: 'running',
          apiServerEndpoint: 'https://attacker.example:6443',
        },
        creds,
      );
    const foreign = await refused(report(nodeCreds.get('n2')!));
    expect(foreign.code, foreign.details).toBe(grpc.status.PERMISSION_DENIED);
    expect(foreign.details).toContain('node n2 is not in unit u1');
    // n1 is in u1: authenticated and authorized; the unit is no Kins unit, so the domain refuses
    const own = await report(nodeCreds.get('n1')!);
    if (!own.ok) {
      expect(own.err.code, own.err.details).not.toBe(grpc.status.PERMISSION_DENIED);
      expect(own.err.code).not.toBe(grpc.status.UNAUTHENTICATED);
    }
    // ReportUsage: a node of this cluster yes; of another cluster no
    const usage = await ok(
      c('ClusterService', 'ReportUsage', { cluster: { id: clusterId }, pods: 3 }, nodeCreds.get('n1')!),
    );
    expect(usage.id).toBe(clusterId);
    const elsewhere = await refused(
      c('ClusterService', 'ReportUsage', { cluster: { id: otherClusterId }, pods: 3 }, nodeCreds.get('n1')!),
    );
    expect(elsewhere.code, elsewhere.details).toBe(grpc.status.UNAUTHENTICATED);
    // a node certificate is no operator: label, read others, rotate → refused
    const label = await refused(
      c(
        'NodeService',
        'LabelNode',
        { node: { cluster: { id: clusterId }, name: 'n1' }, set: { x: 'y' } },
        nodeCreds.get('n1')!,
      ),
    );
    expect(label.code).toBe(grpc.status.PERMISSION_DENIED);
    const rotate = await refused(
      c('ClusterService', 'RotateKubeconfig', { cluster: { id: clusterId } }, nodeCreds.get('n1')!),
    );
    expect(rotate.code).toBe(grpc.status.PERMISSION_DENIED);
    // the usage event names the node as its actor
    const usageEvents = (await clusterEvents()).filter((e) => e.actor?.startsWith('node:'));
    expect(usageEvents.map((e) => e.actor)).toContain(`node:${clusterId}/n1`);
  });

  it('a foreign CA, an expired certificate and a cluster-scoped one', async () => {
    const foreignCa = createPlatformCa();
    const { createPrivateKey } = await import('node:crypto');
    const forged = issueCredentials(
      { dir: '', certPem: foreignCa.certPem, key: createPrivateKey(foreignCa.keyPem) },
      { user: 'mallory', groups: ['system:masters'] },
    );
    const ca = ensurePlatformPki(platformPkiDir());
    const forgedErr = await refused(
      c(
        'ClusterService',
        'RotateKubeconfig',
        { cluster: { id: clusterId } },
        mtlsCredentials(ca.certPem, forged.certificate, forged.key),
      ),
    );
    expect(forgedErr.code).toBe(grpc.status.UNAUTHENTICATED);
    const noCluster = await refused(
      c('ClusterService', 'ListClusters', {}, mtlsCredentials(ca.certPem, forged.certificate, forged.key)),
    );
    expect(noCluster.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(noCluster.details).toContain('not issued by the platform CA');

    const expired = as({
      user: 'old-admin',
      groups: ['system:masters'],
      notBefore: new Date(Date.now() - 3 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const expiredErr = await refused(c('ClusterService', 'ListClusters', {}, expired));
    expect(expiredErr.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(expiredErr.details).toContain('expired');

    const scoped = as({ user: 'carol', groups: ['edgeplane:edit'], clusters: [clusterId] });
    expect((await ok(c('ClusterService', 'GetCluster', { cluster: { id: clusterId } }, scoped))).id).toBe(
      clusterId,
    );
    const outside = await refused(
      c('ClusterService', 'GetCluster', { cluster: { id: otherClusterId } }, scoped),
    );
    expect(outside.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(outside.details).toContain(`limited to cluster ${clusterId}`);
    // the certificate really carries the scope
    const cert = new X509Certificate(forged.certificate);
    expect(cert.issuer).toContain('edgeplane-platform-ca');
  });
});
