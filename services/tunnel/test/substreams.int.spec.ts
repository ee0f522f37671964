import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type net from 'node:net';
import { eventually } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentStatus,
  joinNode,
  startAgent,
  waitConnected,
  type AgentProc,
  type JoinedNode,
} from './fixtures/agents.js';
import {
  exchangeServer,
  getViaConnect,
  getViaProxy,
  pattern,
  receiveAll,
  relayOpen,
  remoteAccess,
  sendAll,
  stalledServer,
  whoAmIServer,
} from './fixtures/remote-access.js';
import { metricValue, startTunnelStack, type TunnelStack } from './fixtures/stack.js';

const MiB = 1024 * 1024;
const A_IP = '127.0.0.31';
const B_IP = '127.0.0.32';

/**
 * Sub-streams end to end (real cluster, tunnel and agent processes): an operator's TCP relay to a
 * node's relay target — 10 MiB both ways, intact and not slowed by a stalled neighbour on the
 * same node — only while remote login is on; and agent A's proxy reaching a server in B's site.
 */
describe('tunnel sub-streams', () => {
  let stack: TunnelStack;
  let clusterId: string;
  let a: JoinedNode;
  let b: JoinedNode;
  const agents: AgentProc[] = [];
  const servers: (net.Server | http.Server)[] = [];
  let api: ReturnType<typeof remoteAccess>;
  const payload = pattern(10 * MiB, 7);
  let exchange: Awaited<ReturnType<typeof exchangeServer>>;
  let stall: Awaited<ReturnType<typeof stalledServer>>;

  beforeAll(async () => {
    stack = await startTunnelStack();
    const created = await stack.newCluster('tsub');
    clusterId = created.clusterId;
    exchange = await exchangeServer(B_IP, payload);
    stall = await stalledServer(B_IP);
    servers.push(exchange.server, stall.server);
    const join = (name: string, ip: string, relayTargets: Record<string, string> = {}) =>
      joinNode({
        server: stack.tunnels[0]!.joinUrl,
        gatewayCaPem: stack.gatewayCaPem,
        token: created.token,
        name,
        ip,
        config: { relayTargets },
      });
    a = await join('site-a', A_IP);
    b = await join('site-b', B_IP, {
      exchange: `${B_IP}:${exchange.port}`,
      stall: `${B_IP}:${stall.port}`,
      gone: `${B_IP}:1`,
    });
    agents.push(startAgent(a), startAgent(b));
    await waitConnected(a);
    await waitConnected(b);
    api = remoteAccess(stack.tunnels[0]!.grpcAddress);
  });

  afterAll(async () => {
    api?.client.close();
    for (const s of stall?.sockets ?? []) s.destroy();
    for (const s of servers) s.close();
    await Promise.all(agents.map((x) => x.stop()));
    await stack?.stop();
  });

  it('lists the connected nodes', async () => {
    const list = (await eventually(async () => {
      const l = await api.listConnections(clusterId);
      return l.connections.length === 2 ? l : undefined;
    }))!;
    expect(list.connections.map((c) => c.nodeName).sort()).toEqual(['site-a', 'site-b']);
    expect(list.connections.every((c) => c.replica === 'replica-1')).toBe(true);
  });

  it('refuses remote login while the cluster switch is off', async () => {
    const error = (await relayOpen(api.relay(clusterId, 'site-b', 'exchange')).catch(
      (e: unknown) => e,
    )) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(error.details).toMatch(/remote login is off/);
  });

  it('carries 10 MiB intact both ways while a stalled sub-stream on the same node does not slow it', async () => {
    await stack.api.setRemoteLogin(clusterId, true);
    await eventually(async () => (await agentStatus(b)).desired?.remoteLogin === true);

    // baseline: the same exchange alone
    const alone = await exchangeOnce();

    // a neighbour whose receiver never reads: its writer is held by back-pressure
    const stalled = api.relay(clusterId, 'site-b', 'stall');
    await relayOpen(stalled);
    // its writer keeps pushing, waiting for 'drain' whenever back-pressure says so
    let stalledBytes = 0;
    let stalledBlocked = false;
    let stopPump = false;
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    const junk = Buffer.alloc(64 * 1024, 1);
    const pumping = (async () => {
      while (!stopPump) {
        stalledBytes += junk.length;
        if (!stalled.write({ data: junk })) {
          stalledBlocked = true;
          await Promise.race([new Promise((r) => stalled.once('drain', r)), stopped]);
        }
      }
    })();
    await eventually(() => stall.sockets.length === 1);
    // let the stalled stream fill every window and buffer on its path: its writer stops advancing
    // (how long that takes depends on the machine's load, not on a fixed wait)
    await eventually(
      async () => {
        const before = stalledBytes;
        await new Promise((r) => setTimeout(r, 1000));
        return stalledBytes === before;
      },
      60_000,
      0,
    );
    const heldAt = stalledBytes;

    const beside = await exchangeOnce();
    stopPump = true;
    stop();
    await pumping;
    expect(stalledBlocked).toBe(true);
    // nothing was read at the far end, so the writer is held by the windows and buffers on its path:
    // it got no further while the neighbour moved 20 MiB
    expect(stalledBytes - heldAt).toBeLessThanOrEqual(64 * 1024);
    expect(stalledBytes).toBeLessThan(64 * MiB);
    console.log(
      `10 MiB each way: alone ${Math.round(alone.ms)} ms, beside a stalled sub-stream ${Math.round(beside.ms)} ms (stalled writer held at ${(stalledBytes / MiB).toFixed(1)} MiB)`,
    );
    expect(beside.ms).toBeLessThan(Math.max(3 * alone.ms, alone.ms + 3000));
    stalled.cancel();

    async function exchangeOnce() {
      const call = api.relay(clusterId, 'site-b', 'exchange');
      await relayOpen(call);
      const started = performance.now();
      const [sentHash, got] = await Promise.all([sendAll(call, 10 * MiB, 3), receiveAll(call)]);
      const ms = performance.now() - started;
      // what the node's side sent arrived intact, and what we sent arrived intact there
      expect(got).toEqual({ hash: createHash('sha256').update(payload).digest('hex'), bytes: 10 * MiB });
      await eventually(() => exchange.received.some((r) => r.hash === sentHash && r.bytes === 10 * MiB));
      return { ms };
    }
  });

  it('refuses a relay target the agent does not offer, and one it cannot reach', async () => {
    const unknown = (await relayOpen(api.relay(clusterId, 'site-b', 'telnet')).catch(
      (e: unknown) => e,
    )) as grpc.ServiceError;
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    const gone = (await relayOpen(api.relay(clusterId, 'site-b', 'gone')).catch(
      (e: unknown) => e,
    )) as grpc.ServiceError;
    expect(gone.code).toBe(grpc.status.UNAVAILABLE);
  });

  it('refuses again once remote login is switched off', async () => {
    await stack.api.setRemoteLogin(clusterId, false);
    await eventually(async () => (await agentStatus(b)).desired?.remoteLogin === false);
    const error = (await relayOpen(api.relay(clusterId, 'site-b', 'exchange')).catch(
      (e: unknown) => e,
    )) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
  });

  it("proxies a plain HTTP request from A's site to a server in B's site through the tunnel", async () => {
    const web = await whoAmIServer(B_IP);
    servers.push(web.server);
    const before = await metricValue(
      stack.tunnels[0]!.metricsUrl,
      'tunnel_substreams_total',
      'kind="proxy",outcome="OK"',
    );
    const r = await getViaProxy({ host: A_IP, port: a.ports.proxy }, `http://${B_IP}:${web.port}/hello?x=1`);
    expect(r.status).toBe(200);
    // B's agent dialled it (from B's address), not A's
    expect(JSON.parse(r.body)).toMatchObject({ from: B_IP, path: '/hello?x=1' });
    expect(
      await metricValue(stack.tunnels[0]!.metricsUrl, 'tunnel_substreams_total', 'kind="proxy",outcome="OK"'),
    ).toBe(before + 1);
  });

  it('keeps plain-HTTP upstream connections alive: consecutive requests to one server share a sub-stream', async () => {
    const web = await whoAmIServer(B_IP);
    servers.push(web.server);
    let connections = 0;
    web.server.on('connection', () => connections++);
    const count = () =>
      metricValue(stack.tunnels[0]!.metricsUrl, 'tunnel_substreams_total', 'kind="proxy",outcome="OK"');
    const before = await count();
    for (let i = 0; i < 5; i++) {
      const r = await getViaProxy({ host: A_IP, port: a.ports.proxy }, `http://${B_IP}:${web.port}/n${i}`);
      expect(JSON.parse(r.body)).toMatchObject({ from: B_IP, path: `/n${i}` });
    }
    // without reuse: 5 sub-streams through the gateway and 5 connections at the server
    expect(await count()).toBe(before + 1);
    expect(connections).toBe(1);
  });

  it('proxies CONNECT the same way, and by node name', async () => {
    const web = await whoAmIServer(B_IP);
    servers.push(web.server);
    const text = await getViaConnect(
      { host: A_IP, port: a.ports.proxy },
      `${B_IP}:${web.port}`,
      '/tls-would-go-here',
    );
    expect(text).toMatch(/^HTTP\/1.1 200/);
    expect(text).toContain(`"from":"${B_IP}"`);
    const byName = await getViaConnect({ host: A_IP, port: a.ports.proxy }, `site-b:${web.port}`, '/by-name');
    expect(byName).toContain(`"from":"${B_IP}"`);
  });

  it('dials addresses no other site has directly', async () => {
    const web = await whoAmIServer('127.0.0.39');
    servers.push(web.server);
    const r = await getViaProxy({ host: A_IP, port: a.ports.proxy }, `http://127.0.0.39:${web.port}/direct`);
    expect(JSON.parse(r.body)).toMatchObject({ from: A_IP });
  });
});
