import { createHash } from 'node:crypto';
import type http from 'node:http';
import type net from 'node:net';
import { fetchPinnedGatewayCa } from '@edgeplane/edge';
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
  getViaProxy,
  pattern,
  receiveAll,
  relayOpen,
  remoteAccess,
  sendAll,
  whoAmIServer,
} from './fixtures/remote-access.js';
import { metricValue, startTunnelStack, type TunnelStack } from './fixtures/stack.js';

const A_IP = '127.0.0.51';
const B_IP = '127.0.0.52';

/**
 * Two gateway replicas sharing one schema (the deployed shape), each a real process: node A holds
 * its stream on replica 1, node B on replica 2. A sub-stream asked of the replica that does not
 * hold the node is forwarded to the one that does (NATS KV route), both for an operator's relay
 * and for A's proxy reaching B's site.
 */
describe('two gateway replicas', () => {
  let stack: TunnelStack;
  let clusterId: string;
  let a: JoinedNode;
  let b: JoinedNode;
  const agents: AgentProc[] = [];
  const servers: (net.Server | http.Server)[] = [];
  const payload = pattern(4 * 1024 * 1024, 11);
  let exchange: Awaited<ReturnType<typeof exchangeServer>>;
  const r = (i: 1 | 2) => stack.tunnels[i - 1]!;

  beforeAll(async () => {
    stack = await startTunnelStack({ replicas: 2 });
    const created = await stack.newCluster('trep');
    clusterId = created.clusterId;
    exchange = await exchangeServer(B_IP, payload);
    servers.push(exchange.server);
    a = await joinNode({
      server: r(1).joinUrl,
      gatewayCaPem: stack.gatewayCaPem,
      token: created.token,
      name: 'rep-a',
      ip: A_IP,
    });
    b = await joinNode({
      server: r(2).joinUrl,
      gatewayCaPem: stack.gatewayCaPem,
      token: created.token,
      name: 'rep-b',
      ip: B_IP,
      config: { relayTargets: { exchange: `${B_IP}:${exchange.port}` } },
    });
    agents.push(startAgent(a), startAgent(b));
    await waitConnected(a);
    await waitConnected(b);
  });

  afterAll(async () => {
    for (const s of servers) s.close();
    await Promise.all(agents.map((x) => x.stop()));
    await stack?.stop();
  });

  it('serve one gateway CA, and each node is held by the replica it dialled', async () => {
    expect(await fetchPinnedGatewayCa(r(2).joinUrl, stack.caHash)).toBe(stack.gatewayCaPem);
    expect((await agentStatus(a)).replica).toBe('replica-1');
    expect((await agentStatus(b)).replica).toBe('replica-2');
  });

  it("reach node B through replica 1, which forwards to replica 2 (an operator's relay)", async () => {
    await stack.api.setRemoteLogin(clusterId, true);
    await eventually(async () => (await agentStatus(b)).desired?.remoteLogin === true);
    const outBefore = await metricValue(r(1).metricsUrl, 'tunnel_forwarding_hops_total', 'direction="out"');
    const inBefore = await metricValue(r(2).metricsUrl, 'tunnel_forwarding_hops_total', 'direction="in"');
    const api = remoteAccess(r(1).grpcAddress);
    const call = api.relay(clusterId, 'rep-b', 'exchange');
    await relayOpen(call);
    const [sent, got] = await Promise.all([sendAll(call, 4 * 1024 * 1024, 5), receiveAll(call)]);
    expect(got.hash).toBe(createHash('sha256').update(payload).digest('hex'));
    await eventually(() => exchange.received.some((x) => x.hash === sent));
    api.client.close();
    expect(await metricValue(r(1).metricsUrl, 'tunnel_forwarding_hops_total', 'direction="out"')).toBe(
      outBefore + 1,
    );
    expect(await metricValue(r(2).metricsUrl, 'tunnel_forwarding_hops_total', 'direction="in"')).toBe(
      inBefore + 1,
    );
  });

  it("A's proxy (on replica 1) reaches a server in B's site (on replica 2)", async () => {
    const web = await whoAmIServer(B_IP);
    servers.push(web.server);
    const res = await getViaProxy({ host: A_IP, port: a.ports.proxy }, `http://${B_IP}:${web.port}/across`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ from: B_IP, path: '/across' });
  });

  it('lists connections with the replica that holds each', async () => {
    const list = await remoteAccess(r(2).grpcAddress).listConnections(clusterId);
    expect(Object.fromEntries(list.connections.map((c) => [c.nodeName, c.replica]))).toEqual({
      'rep-a': 'replica-1',
      'rep-b': 'replica-2',
    });
  });

  it("closes a removed node's stream on the replica that holds it, whichever consumed the event", async () => {
    await stack.api.removeNode(clusterId, 'rep-b');
    await eventually(async () => !(await agentStatus(b)).connected, 10_000);
    // and forwarding to it now finds nothing
    const api = remoteAccess(r(1).grpcAddress);
    const error = await relayOpen(api.relay(clusterId, 'rep-b', 'exchange')).catch(
      (e: { code: number }) => e,
    );
    expect((error as { code: number }).code).toBe(5); // NOT_FOUND: no such node any more
    api.client.close();
  });
});
