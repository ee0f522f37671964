import { randomBytes } from 'node:crypto';
import https from 'node:https';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redeemJoinToken } from '@edgeplane/edge';
import { createDatabase } from '@edgeplane/eventstore';
import { createNodeCsr } from '@edgeplane/k8s';
import { checkHealth, PROTO_ROOT, protoFilesOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService, type ServiceDefinition } from '@edgeplane/service-kit';
import { eventually, freePort, testGrpcCredentials, testServices, uniqueName } from '@edgeplane/testing';
import { clusterServiceDefinition } from '../services/cluster/src/index.js';
import { createClusterCa, signNodeCertificate } from '../services/cluster/src/pki/pki.js';
import { tunnelService } from '../services/tunnel/src/service.js';

/**
 * Fuzz of the agents' mTLS ports (what e2e/fuzz.int.spec.ts cannot reach with plain gRPC):
 * TunnelService.Control and .Stream on the tunnel port, TunnelPeerService.Forward on the peer
 * port. The cluster and tunnel services run in-process on real PostgreSQL, JetStream and gRPC;
 * two nodes join through the tunnel's join endpoint with real tokens and CSRs. With node gz-1's
 * valid certificate the test sends undecodable, oversized, wrong-node and out-of-order frames
 * (bytes encoded by hand); without a client certificate, and with a certificate of a cluster CA
 * the gateway never trusted. Asserted: never INTERNAL or UNKNOWN, every refusal is a clear status,
 * the gateway stays SERVING and still admits gz-1, node bj-2's control stream (open throughout)
 * is untouched, and the dropped frames are counted in tunnel_dropped_frames_total.
 */

const BAD = new Set([grpc.status.INTERNAL, grpc.status.UNKNOWN]);

interface CallResult {
  /** the call's status, or undefined when it was still open after `holdMs` */
  status?: { code: number; details: string };
  received: Buffer[];
}

describe('fuzz: the tunnel ports refuse hostile frames cleanly and the gateway stays up', () => {
  const ownEnv = !process.env.EDGEPLANE_ENV;
  const env = process.env.EDGEPLANE_ENV || `fzt${Date.now().toString(36).slice(-6)}`;
  const services: RunningService<never>[] = [];
  let root: protobuf.Root;
  let tunnelAddress: string;
  let peerAddress: string;
  let metricsUrl: string;
  let tunnelGrpc: string;
  let gatewayCaPem: string;
  const nodes = new Map<string, { keyPem: string; certPem: string }>();
  const clients: grpc.Client[] = [];
  let honest: { call: grpc.ClientDuplexStream<Buffer, Buffer>; received: Buffer[]; ended?: string };

  const agentFrame = (value: Record<string, unknown>): Buffer => {
    const t = root.lookupType('edgeplane.tunnel.v1.AgentFrame');
    return Buffer.from(t.encode(t.fromObject(value)).finish());
  };
  const hello = (nodeName: string, extra: Record<string, unknown> = {}) =>
    agentFrame({
      hello: {
        node_name: nodeName,
        agent_version: 'fuzz',
        ips: ['127.0.0.1'],
        probe_port: 0,
        desired_version: '',
        proxy_port: 0,
        ...extra,
      },
    });
  const gatewayFrameKind = (b: Buffer): string | undefined =>
    (
      root
        .lookupType('edgeplane.tunnel.v1.GatewayFrame')
        .toObject(root.lookupType('edgeplane.tunnel.v1.GatewayFrame').decode(b), { oneofs: true }) as {
        frame?: string;
      }
    ).frame;

  function client(address: string, credentials: grpc.ChannelCredentials): grpc.Client {
    const c = new grpc.Client(address, credentials, { 'grpc.max_send_message_length': 16 * 1024 * 1024 });
    clients.push(c);
    return c;
  }
  const as = (node: string, address = tunnelAddress) => {
    const n = nodes.get(node)!;
    return client(
      address,
      grpc.credentials.createSsl(Buffer.from(gatewayCaPem), Buffer.from(n.keyPem), Buffer.from(n.certPem)),
    );
  };

  /** A raw bidi call: writes `frames`, collects what comes back; its status, or none after `holdMs`. */
  function bidi(
    c: grpc.Client,
    method: string,
    frames: Buffer[],
    options: { metadata?: Record<string, string>; holdMs?: number; end?: boolean } = {},
  ): Promise<CallResult> {
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(options.metadata ?? {})) md.set(k, v);
    const call = c.makeBidiStreamRequest(
      method,
      (b: Buffer) => b,
      (b: Buffer) => b,
      md,
      { deadline: Date.now() + 30_000 },
    );
    const received: Buffer[] = [];
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        call.cancel();
        resolve({ received });
      }, options.holdMs ?? 3_000);
      call.on('data', (b: Buffer) => received.push(b));
      call.on('error', () => undefined);
      call.on('status', (s: grpc.StatusObject) => {
        clearTimeout(timer);
        resolve({ status: { code: s.code, details: s.details }, received });
      });
      for (const f of frames) call.write(f);
      if (options.end) call.end();
    });
  }

  const control = (node: string, frames: Buffer[], holdMs?: number) =>
    bidi(as(node), '/edgeplane.tunnel.v1.TunnelService/Control', frames, { holdMs });

  async function dropped(reason: string): Promise<number> {
    const text = await (await fetch(metricsUrl)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`tunnel_dropped_frames_total{`) && l.includes(`reason="${reason}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  /** A refusal: a status that is not OK and not INTERNAL/UNKNOWN, with a short message. */
  function refused(r: CallResult, expected?: number): void {
    expect(r.status, 'the call must end with a status').toBeDefined();
    expect(BAD.has(r.status!.code), `${r.status!.code} ${r.status!.details}`).toBe(false);
    expect(r.status!.code).not.toBe(grpc.status.OK);
    if (expected !== undefined) expect(r.status!.code, r.status!.details).toBe(expected);
    expect(r.status!.details.length).toBeLessThan(1100);
  }

  beforeAll(async () => {
    if (ownEnv) process.env.EDGEPLANE_ENV = env;
    const { databaseUrl, natsUrl } = await testServices();
    const base = async () => ({
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'fatal',
      CONSUMER_START: 'new',
      EDGEPLANE_ENV: env,
    });
    const clusterSvc = await bootstrapService(
      {
        ...(clusterServiceDefinition() as ServiceDefinition<never>),
        schema: uniqueName('fzt_cluster').slice(0, 40),
      },
      await base(),
    );
    services.push(clusterSvc);
    const ports = { join: await freePort(), tunnel: await freePort(), peer: await freePort() };
    const tunnelEnv = {
      ...(await base()),
      TUNNEL_HOST: '127.0.0.1',
      TUNNEL_JOIN_PORT: String(ports.join),
      TUNNEL_PORT: String(ports.tunnel),
      TUNNEL_PEER_PORT: String(ports.peer),
      TUNNEL_REPLICA_ID: `fuzz-${env}`.slice(0, 60),
      TUNNEL_CLUSTER_ADDR: clusterSvc.grpcAddress,
    };
    const tunnel = await bootstrapService(
      { ...(tunnelService as ServiceDefinition<never>), schema: uniqueName('fzt_tunnel').slice(0, 40) },
      tunnelEnv,
    );
    services.push(tunnel);
    tunnelGrpc = tunnel.grpcAddress;
    tunnelAddress = `127.0.0.1:${ports.tunnel}`;
    peerAddress = `127.0.0.1:${ports.peer}`;
    metricsUrl = `http://127.0.0.1:${tunnelEnv.METRICS_PORT}/metrics`;
    const joinUrl = `https://127.0.0.1:${ports.join}`;

    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => path.join(PROTO_ROOT, target);
    root.loadSync([...protoFilesOf('cluster'), ...protoFilesOf('tunnel')], { keepCase: true });
    root.resolveAll();

    const api = client(clusterSvc.grpcAddress, testGrpcCredentials());
    const call = (method: string, typeName: string, value: Record<string, unknown>, answer: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const t = root.lookupType(typeName);
        api.makeUnaryRequest(
          method,
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from(t.encode(t.fromObject(value)).finish()),
          (err, res) =>
            err
              ? reject(new Error(`${method}: ${err.details}`))
              : resolve(
                  root.lookupType(answer).toObject(root.lookupType(answer).decode(res!)) as Record<
                    string,
                    unknown
                  >,
                ),
        );
      });
    const created = await call(
      '/edgeplane.cluster.v1.ClusterService/CreateCluster',
      'edgeplane.cluster.v1.CreateClusterRequest',
      {
        name: `fzt-${randomBytes(3).toString('hex')}`,
        kubernetes_version: '1.22.5',
        runtime: 'containerd',
        region: 'ap-guangzhou',
        vpc_cidr: '10.0.0.0/16',
        pod_cidr: '172.16.0.0/16',
        service_cidr: '172.17.0.0/20',
      },
      'edgeplane.cluster.v1.Cluster',
    );
    await call(
      '/edgeplane.cluster.v1.ClusterService/SetAccess',
      'edgeplane.cluster.v1.SetAccessRequest',
      { cluster: { id: created.id }, public_access: true },
      'edgeplane.cluster.v1.Cluster',
    );
    const token = await call(
      '/edgeplane.cluster.v1.JoinTokenService/CreateJoinToken',
      'edgeplane.cluster.v1.CreateJoinTokenRequest',
      { cluster: { id: created.id } },
      'edgeplane.cluster.v1.CreateJoinTokenResponse',
    );
    // the test trusts its own local gateway's CA (a join command would carry its pin)
    gatewayCaPem = await new Promise<string>((resolve, reject) =>
      https
        .get(`${joinUrl}/v1/join/ca`, { rejectUnauthorized: false, agent: false }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve(Buffer.concat(parts).toString()));
        })
        .on('error', reject),
    );
    for (const name of ['gz-1', 'bj-2']) {
      const csr = await createNodeCsr(name);
      const identity = await eventually(
        () =>
          redeemJoinToken(joinUrl, gatewayCaPem, {
            token: String(token.token_secret_text),
            nodeName: name,
            csrPem: csr.csrPem,
            arch: 'x86_64',
            os: 'Debian 12',
            interface: 'lo',
            ips: ['127.0.0.1'],
          }),
        60_000,
        500,
      );
      nodes.set(name, { keyPem: csr.privateKeyPem, certPem: identity!.certificatePem });
    }
    // the gateway learns of the cluster's CA and the nodes from the bus: wait until it welcomes them
    for (const name of nodes.keys()) {
      await eventually(
        async () => {
          const r = await control(name, [hello(name)], 1_500);
          return r.received.length > 0 && gatewayFrameKind(r.received[0]!) === 'welcome';
        },
        60_000,
        300,
      );
    }
    // bj-2 holds a control stream through the whole fuzz
    const received: Buffer[] = [];
    const c = as('bj-2');
    const honestCall = c.makeBidiStreamRequest(
      '/edgeplane.tunnel.v1.TunnelService/Control',
      (b: Buffer) => b,
      (b: Buffer) => b,
    );
    honest = { call: honestCall, received };
    honestCall.on('data', (b: Buffer) => received.push(b));
    honestCall.on('error', () => undefined);
    honestCall.on('status', (s: grpc.StatusObject) => (honest.ended = `${s.code} ${s.details}`));
    honestCall.write(hello('bj-2'));
    await eventually(() => received.length > 0, 30_000, 100);
    expect(gatewayFrameKind(received[0]!)).toBe('welcome');
  }, 180_000);

  afterAll(async () => {
    honest?.call.cancel();
    for (const c of clients) c.close();
    for (const svc of [...services].reverse()) await svc.stop().catch(() => undefined);
    const { databaseUrl } = await testServices();
    const db = createDatabase({ url: databaseUrl, max: 1 });
    for (const svc of services)
      await sql`DROP SCHEMA IF EXISTS ${sql.id(svc.store.schema)} CASCADE`.execute(db).catch(() => undefined);
    await db.destroy();
    if (ownEnv) delete process.env.EDGEPLANE_ENV;
  }, 120_000);

  it('Control: empty and oversized first frames are refused and counted, never INTERNAL', async () => {
    const invalidBefore = await dropped('invalid-frame');
    // an AgentFrame with no frame set
    refused(await control('gz-1', [agentFrame({})]), grpc.status.INVALID_ARGUMENT);
    // every string and list of Hello past its bound
    refused(await control('gz-1', [hello('x'.repeat(100_000))]), grpc.status.INVALID_ARGUMENT);
    refused(
      await control('gz-1', [
        hello('gz-1', { ips: Array.from({ length: 5000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`) }),
      ]),
      grpc.status.INVALID_ARGUMENT,
    );
    refused(
      await control('gz-1', [hello('gz-1', { agent_version: 'v'.repeat(10_000) })]),
      grpc.status.INVALID_ARGUMENT,
    );
    refused(await control('gz-1', [hello('gz-1', { probe_port: 70_000 })]), grpc.status.INVALID_ARGUMENT);
    expect(await dropped('invalid-frame')).toBeGreaterThanOrEqual(invalidBefore + 5);
    // larger than the port's 4 MiB message limit: refused by gRPC before the gateway reads it
    refused(
      await control('gz-1', [
        agentFrame({ hello: { node_name: 'gz-1', agent_version: 'a'.repeat(5 * 1024 * 1024) } }),
      ]),
      grpc.status.RESOURCE_EXHAUSTED,
    );
  }, 120_000);

  // found by this suite: grpc-js used to end Control with INTERNAL "Error deserializing request"
  it('Control: undecodable bytes are refused as INVALID_ARGUMENT and counted, never INTERNAL', async () => {
    const invalidBefore = await dropped('invalid-frame');
    refused(
      await control('gz-1', [Buffer.from([0x0f, 0xff, 0xff, 0xff, 0xff, 0xff])]),
      grpc.status.INVALID_ARGUMENT,
    );
    refused(await control('gz-1', [randomBytes(512)]));
    const mid = await control('gz-1', [hello('gz-1'), Buffer.from([0x0f, 0xff, 0xff, 0xff])], 3_000);
    if (mid.status) refused(mid);
    expect(await dropped('invalid-frame')).toBeGreaterThanOrEqual(invalidBefore + 3);
  }, 60_000);

  it('Control: frames of another node are refused or dropped and counted; the stream is not taken over', async () => {
    const before = await dropped('claims-other-node');
    // a Hello claiming bj-2 with gz-1's certificate
    refused(await control('gz-1', [hello('bj-2')]), grpc.status.PERMISSION_DENIED);
    // a valid session, then heartbeats, probe reports and statuses naming bj-2: dropped, the stream stays
    const r = await control(
      'gz-1',
      [
        hello('gz-1'),
        agentFrame({ heartbeat: { node_name: 'bj-2', seq: 1, sent_at: new Date().toISOString() } }),
        agentFrame({ probe_report: { reporter: 'bj-2', sent_at: new Date().toISOString(), results: [] } }),
        agentFrame({
          node_status: { node_name: 'bj-2', desired_version: 'x', serving_cached: false, pods: [] },
        }),
      ],
      2_000,
    );
    expect(r.status, r.status?.details).toBeUndefined();
    expect(gatewayFrameKind(r.received[0]!)).toBe('welcome');
    expect(await dropped('claims-other-node')).toBeGreaterThanOrEqual(before + 4);
  }, 60_000);

  it('Control: out-of-order frames — anything before Hello is refused, a second Hello or a stray StreamFailed is dropped', async () => {
    const invalidBefore = await dropped('invalid-frame');
    const unexpectedBefore = await dropped('unexpected-frame');
    for (const first of [
      agentFrame({ heartbeat: { seq: 1, sent_at: 'now' } }),
      agentFrame({ probe_report: { sent_at: 'now', results: [] } }),
      agentFrame({ node_status: { desired_version: 'x' } }),
      agentFrame({ stream_failed: { stream_id: 's', code: 'NOT_FOUND', message: 'no' } }),
    ])
      refused(await control('gz-1', [first, hello('gz-1')]), grpc.status.INVALID_ARGUMENT);
    expect(await dropped('invalid-frame')).toBeGreaterThanOrEqual(invalidBefore + 4);

    const r = await control(
      'gz-1',
      [
        hello('gz-1'),
        hello('gz-1'),
        agentFrame({ stream_failed: { stream_id: 'never-opened', code: 'NOT_FOUND', message: 'x' } }),
        agentFrame({ stream_failed: { stream_id: 'y'.repeat(5000), code: 'z'.repeat(5000), message: '' } }),
        agentFrame({
          probe_report: {
            sent_at: 'now',
            results: Array.from({ length: 50 }, (_, i) => ({ peer: `ghost-${i}`, healthy: true })),
          },
        }),
      ],
      2_000,
    );
    expect(r.status, r.status?.details).toBeUndefined();
    expect((await dropped('unexpected-frame')) + (await dropped('invalid-frame'))).toBeGreaterThan(
      unexpectedBefore + invalidBefore + 4,
    );
  }, 120_000);

  it('Stream: missing, unknown, oversized and foreign sub-stream ids are refused', async () => {
    const stream = (metadata: Record<string, string>, frames: Buffer[] = []) =>
      bidi(as('gz-1'), '/edgeplane.tunnel.v1.TunnelService/Stream', frames, { metadata });
    refused(await stream({}), grpc.status.INVALID_ARGUMENT);
    refused(await stream({ 'x-edgeplane-stream-id': 'no-such-stream' }), grpc.status.NOT_FOUND);
    refused(await stream({ 'x-edgeplane-stream-id': 's'.repeat(4000) }), grpc.status.INVALID_ARGUMENT);
    refused(
      await stream({ 'x-edgeplane-stream-id': 'no-such-stream' }, [randomBytes(64)]),
      grpc.status.NOT_FOUND,
    );
    refused(await stream({ 'x-edgeplane-target': 'nowhere' }));
    refused(await stream({ 'x-edgeplane-target': 'bj-2:22', 'x-edgeplane-target-node': 'n'.repeat(300) }));
    refused(await stream({ 'x-edgeplane-target': 'gz-1:22', 'x-edgeplane-target-node': 'gz-1' }));
  }, 60_000);

  it('TunnelPeerService.Forward takes no node certificate; Control takes no call without one or from a CA it never trusted', async () => {
    // the peer port trusts the gateway's own certificate only
    refused(
      await bidi(as('gz-1', peerAddress), '/edgeplane.tunnel.v1.TunnelPeerService/Forward', [
        randomBytes(32),
      ]),
    );
    // no client certificate
    const anonymous = client(tunnelAddress, grpc.credentials.createSsl(Buffer.from(gatewayCaPem)));
    const r = await bidi(anonymous, '/edgeplane.tunnel.v1.TunnelService/Control', [hello('gz-1')]);
    refused(r);
    expect(r.received).toHaveLength(0);
    // node gz-1 of another cluster (a CA this gateway never learned of)
    const now = new Date().toISOString();
    const ca = await createClusterCa({ clusterId: 'cls-foreign', clusterName: 'foreign', now });
    const csr = await createNodeCsr('gz-1');
    const cert = await signNodeCertificate({ ca, csrPem: csr.csrPem, nodeName: 'gz-1', now });
    const foreign = client(
      tunnelAddress,
      grpc.credentials.createSsl(
        Buffer.from(gatewayCaPem),
        Buffer.from(csr.privateKeyPem),
        Buffer.from(cert.certPem),
      ),
    );
    for (const method of ['Control', 'Stream']) {
      const f = await bidi(foreign, `/edgeplane.tunnel.v1.TunnelService/${method}`, [hello('gz-1')], {
        metadata: { 'x-edgeplane-target': 'bj-2:22' },
      });
      refused(f);
      expect(f.received).toHaveLength(0);
    }
  }, 60_000);

  it('afterwards: the gateway is SERVING, still admits gz-1, and bj-2’s stream was never disturbed', async () => {
    expect((await checkHealth(tunnelGrpc, { timeoutMs: 5_000 })).status).toBe('SERVING');
    const r = await control('gz-1', [hello('gz-1')], 1_500);
    expect(gatewayFrameKind(r.received[0]!)).toBe('welcome');
    expect(honest.ended).toBeUndefined();
    // bj-2 got its Welcome and desired state, nothing ended it
    expect(honest.received.length).toBeGreaterThanOrEqual(1);
    honest.call.write(
      agentFrame({ heartbeat: { node_name: 'bj-2', seq: 2, sent_at: new Date().toISOString() } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(honest.ended).toBeUndefined();
  }, 60_000);
});
