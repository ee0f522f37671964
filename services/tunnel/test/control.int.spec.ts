import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import {
  busSubject,
  parseSignalSubject,
  type HeartbeatData,
  type ProbeReportData,
} from '@edgeplane/contracts';
import { tunnelClient, type CallError, type TunnelClient } from '@edgeplane/edge';
import { eventually } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentStatus,
  joinNode,
  readState,
  startAgent,
  waitConnected,
  type AgentProc,
  type JoinedNode,
} from './fixtures/agents.js';
import { restartService } from './fixtures/processes.js';
import { metricValue, startTunnelStack, type TunnelStack } from './fixtures/stack.js';

interface Envelope {
  type: string;
  data: {
    clusterId: string;
    nodeName: string;
    reason?: string;
    sessionId: string;
    replacesSessionId?: string | null;
  };
}

/**
 * Control streams end to end: the cluster service, the health-arbiter and the tunnel service as
 * real processes, agents (edge/src/agent/main.ts) as real processes with certificates redeemed
 * through POST /v1/join/redeem; heartbeats and probe reports on the signal subjects.
 */
describe('tunnel control streams', () => {
  let stack: TunnelStack;
  let clusterId: string;
  let token: string;
  const nodes: JoinedNode[] = [];
  const agents = new Map<string, AgentProc>();
  const heartbeats: HeartbeatData[] = [];
  const reports: ProbeReportData[] = [];
  const events: Envelope[] = [];

  const tunnel = () => stack.tunnels[0]!;
  const ours = <T extends { clusterId: string }>(list: T[]) => list.filter((x) => x.clusterId === clusterId);
  const eventsOf = (type: string, node: string) =>
    events.filter((e) => e.type === type && e.data.clusterId === clusterId && e.data.nodeName === node);

  beforeAll(async () => {
    stack = await startTunnelStack({ arbiter: true });
    ({ clusterId, token } = await stack.newCluster('tctl'));
    stack.nc.subscribe(busSubject('edgeplane.signal.>'), {
      callback: (_e, m) => {
        const kind = parseSignalSubject(m.subject)?.kind;
        if (kind === 'heartbeat') heartbeats.push(m.json<HeartbeatData>());
        if (kind === 'probe') reports.push(m.json<ProbeReportData>());
      },
    });
    stack.nc.subscribe(busSubject('edgeplane.tunnel.node.>'), {
      callback: (_e, m) => void events.push(m.json<Envelope>()),
    });
    for (const [name, ip] of [
      ['edge-a', '127.0.0.11'],
      ['edge-b', '127.0.0.12'],
      ['edge-c', '127.0.0.13'],
    ] as const) {
      const node = await joinNode({
        server: tunnel().joinUrl,
        gatewayCaPem: stack.gatewayCaPem,
        token,
        name,
        ip,
      });
      nodes.push(node);
    }
    for (const node of nodes.slice(0, 2)) agents.set(node.name, startAgent(node));
  });

  afterAll(async () => {
    await Promise.all([...agents.values()].map((a) => a.stop()));
    await stack?.stop();
  });

  const a = () => nodes[0]!;
  const b = () => nodes[1]!;
  const c = () => nodes[2]!;

  it('connects agents whose certificates came from /v1/join/redeem, and records NodeConnected', async () => {
    await waitConnected(a());
    await waitConnected(b());
    await eventually(
      () =>
        eventsOf('NodeConnected', 'edge-a').length === 1 && eventsOf('NodeConnected', 'edge-b').length === 1,
    );
  });

  it('publishes heartbeats on the signal subject, naming the node its certificate names', async () => {
    await eventually(
      () =>
        ours(heartbeats).some((h) => h.node === 'edge-a') &&
        ours(heartbeats).some((h) => h.node === 'edge-b'),
    );
    expect(new Set(ours(heartbeats).map((h) => h.node))).toEqual(new Set(['edge-a', 'edge-b']));
  });

  it('sends each node its peers; probe reports about them reach the signal subject', async () => {
    const status = await eventually(async () => {
      const s = await agentStatus(a());
      // edge-b's probe port is known once its NodeConnected is recorded
      return s.desired?.peers.some((p) => p.address === `127.0.0.12:${b().ports.probe}`) ? s : undefined;
    });
    // edge-c joined but never connected: it is a peer at its join address and the default probe port
    expect(status!.desired!.peers).toEqual([
      { name: 'edge-b', address: `127.0.0.12:${b().ports.probe}` },
      { name: 'edge-c', address: '127.0.0.13:51005' },
    ]);
    const report = await eventually(() =>
      ours(reports).find(
        (r) => r.reporter === 'edge-a' && r.results.some((x) => x.peer === 'edge-b' && x.healthy),
      ),
    );
    expect(report!.results.find((x) => x.peer === 'edge-c')?.healthy).toBe(false);
  });

  it('turns the nodes Ready through the health-arbiter', async () => {
    await eventually(
      async () => (await stack.api.getNode(clusterId, 'edge-a')).node?.ready === 'True',
      30_000,
      250,
    );
    await eventually(
      async () => (await stack.api.getNode(clusterId, 'edge-b')).node?.ready === 'True',
      30_000,
      250,
    );
  });

  it('pushes a changed desired state (remote login) and the agent caches it', async () => {
    await stack.api.setRemoteLogin(clusterId, true);
    await eventually(async () => (await agentStatus(a())).desired?.remoteLogin === true);
    const cached = readState(a(), 'desired.json') as { desired: { remoteLogin: boolean } };
    expect(cached.desired.remoteLogin).toBe(true);
  });

  it("refuses node X's certificate claiming node Y", async () => {
    const client = clientFor(a(), stack.gatewayCaPem);
    const call = client.Control();
    const outcome = new Promise<CallError>((resolve) => call.on('error', resolve));
    call.on('data', () => undefined);
    call.write({
      hello: {
        nodeName: 'edge-b',
        agentVersion: 'x',
        ips: [],
        probePort: 1,
        desiredVersion: '',
        proxyPort: 0,
      },
    });
    const error = await outcome;
    expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(error.details).toMatch(/edge-a.*cannot speak for edge-b/);
    client.close();
    expect(
      await metricValue(tunnel().metricsUrl, 'tunnel_dropped_frames_total', 'reason="claims-other-node"'),
    ).toBeGreaterThan(0);
  });

  it('drops frames naming another node and probe results about nodes outside the sender set', async () => {
    // edge-c speaks for itself, but claims a heartbeat for edge-a and reports on a stranger
    const client = clientFor(c(), stack.gatewayCaPem);
    const call = client.Control();
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    call.write({
      hello: {
        nodeName: 'edge-c',
        agentVersion: 'x',
        ips: ['127.0.0.13'],
        probePort: 1,
        desiredVersion: '',
        proxyPort: 0,
      },
    });
    await eventually(() => eventsOf('NodeConnected', 'edge-c').length > 0);
    const claimsBefore = await metricValue(
      tunnel().metricsUrl,
      'tunnel_dropped_frames_total',
      'reason="claims-other-node"',
    );
    const droppedBefore = await metricValue(
      tunnel().metricsUrl,
      'tunnel_dropped_frames_total',
      'reason="probe-outside-peer-set"',
    );
    call.write({ heartbeat: { nodeName: 'edge-a', seq: 424242, sentAt: new Date().toISOString() } });
    call.write({
      probeReport: {
        reporter: 'edge-c',
        sentAt: new Date().toISOString(),
        results: [
          { peer: 'edge-a', healthy: false, probedAt: '', latencyMs: 1 },
          { peer: 'no-such-node', healthy: false, probedAt: '', latencyMs: 1 },
          { peer: 'edge-c', healthy: true, probedAt: '', latencyMs: 1 },
        ],
      },
    });
    const report = await eventually(() => ours(reports).find((r) => r.reporter === 'edge-c'));
    expect(report!.results).toEqual([{ peer: 'edge-a', healthy: false }]);
    expect(
      (await metricValue(
        tunnel().metricsUrl,
        'tunnel_dropped_frames_total',
        'reason="probe-outside-peer-set"',
      )) - droppedBefore,
    ).toBe(2);
    // the heartbeat claiming edge-a was dropped, not published
    expect(
      (await metricValue(tunnel().metricsUrl, 'tunnel_dropped_frames_total', 'reason="claims-other-node"')) -
        claimsBefore,
    ).toBe(1);
    expect(ours(heartbeats).some((h) => h.seq === 424242)).toBe(false);
    call.end();
    client.close();
  });

  it('brings every agent back within 5 s of a killed gateway being restarted', async () => {
    const before = new Map(nodes.slice(0, 2).map((n) => [n.name, eventsOf('NodeConnected', n.name).length]));
    await stack.tunnels[0]!.stop('SIGKILL');
    await eventually(async () => !(await agentStatus(a())).connected && !(await agentStatus(b())).connected);
    stack.tunnels[0] = Object.assign(await restartService(stack.tunnels[0]!, 'tunnel'), {
      joinUrl: tunnel().joinUrl,
      tunnelPort: tunnel().tunnelPort,
      metricsUrl: tunnel().metricsUrl,
    });
    const serving = Date.now();
    await Promise.all(nodes.slice(0, 2).map((n) => waitConnected(n, 5_000)));
    const took = Date.now() - serving;
    expect(took).toBeLessThan(5_000);
    // the sessions its previous life held are recorded closed; the new ones connected
    for (const n of nodes.slice(0, 2)) {
      await eventually(() => eventsOf('NodeConnected', n.name).length === before.get(n.name)! + 1);
      expect(eventsOf('NodeDisconnected', n.name).some((e) => e.data.reason === 'gateway-restart')).toBe(
        true,
      );
    }
  });

  it('serves the cached desired state when restarted while the gateway is down', async () => {
    const expected = (await agentStatus(a())).desired!;
    await tunnel().stop('SIGKILL');
    const agent = agents.get('edge-a')!;
    await agent.stop();
    const again = startAgent(a());
    agents.set('edge-a', again);
    const status = await eventually(async () => agentStatus(a()).catch(() => undefined));
    expect(status!.connected).toBe(false);
    expect(status!.desired).toMatchObject({ source: 'cache', version: expected.version, remoteLogin: true });
    expect(status!.desired!.peers).toEqual(expected.peers);
    // it keeps probing its cached peers while the cloud is away
    await eventually(async () =>
      (await agentStatus(a())).lastProbe?.results.some((r) => r.peer === 'edge-b' && r.healthy),
    );
    stack.tunnels[0] = Object.assign(await restartService(stack.tunnels[0]!, 'tunnel'), {
      joinUrl: tunnel().joinUrl,
      tunnelPort: tunnel().tunnelPort,
      metricsUrl: tunnel().metricsUrl,
    });
    // reconciled on reconnect: the cloud's state replaces the cache
    await eventually(async () => (await agentStatus(a())).desired?.source === 'cloud', 10_000);
  });

  it("closes a removed node's stream within seconds, and refuses it from then on", async () => {
    await waitConnected(b());
    const removedAt = Date.now();
    await stack.api.removeNode(clusterId, 'edge-b');
    await eventually(
      () => eventsOf('NodeDisconnected', 'edge-b').some((e) => e.data.reason === 'revoked'),
      10_000,
    );
    expect(Date.now() - removedAt).toBeLessThan(5_000);
    const client = clientFor(b(), stack.gatewayCaPem);
    const call = client.Control();
    const error = await new Promise<CallError>((resolve) => {
      call.on('error', resolve);
      call.on('data', () => undefined);
      call.write({
        hello: {
          nodeName: 'edge-b',
          agentVersion: 'x',
          ips: [],
          probePort: 1,
          desiredVersion: '',
          proxyPort: 0,
        },
      });
    });
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    client.close();
    expect((await agentStatus(b())).connected).toBe(false);
    // and edge-a's peers no longer include it
    await eventually(async () => !(await agentStatus(a())).desired?.peers.some((p) => p.name === 'edge-b'));
  });
});

function clientFor(node: JoinedNode, gatewayCaPem: string): TunnelClient {
  return tunnelClient({
    address: node.identity.tunnelAddress,
    gatewayCaPem,
    keyPem: node.keyPem,
    certPem: readFileSync(`${node.home}/node.crt`, 'utf8'),
  });
}
