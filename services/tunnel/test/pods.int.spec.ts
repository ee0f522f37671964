import { readFileSync } from 'node:fs';
import http from 'node:http';
import { busSubject, type NodePodsAssignedData, type NodePodsStatusReportedData } from '@edgeplane/contracts';
import { tunnelClient } from '@edgeplane/edge';
import type { Bus } from '@edgeplane/messaging';
import { eventually, freePort, publishEvent, testBus } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentStatus,
  joinNode,
  startAgent,
  waitConnected,
  type AgentProc,
  type JoinedNode,
} from './fixtures/agents.js';
import { restartService } from './fixtures/processes.js';
import { metricValue, startTunnelStack, type TunnelStack } from './fixtures/stack.js';

interface Reported {
  type: string;
  data: NodePodsStatusReportedData;
}

/**
 * Pods from the grid to a real agent and their status back, end to end: the cluster and tunnel
 * services as real processes, NodePodsAssigned published on the real bus (as services/grid emits
 * it), a real agent process with the `process` driver running the pod's command (a small HTTP
 * server), its PodStatusReport turned into NodePodsStatusReported on the bus.
 */
describe('pods: grid → tunnel → agent → runtime → tunnel → bus', () => {
  let stack: TunnelStack;
  let bus: Bus;
  let clusterId: string;
  let node: JoinedNode;
  let stranger: JoinedNode;
  let agent: AgentProc | undefined;
  let podPort: number;
  const reported: NodePodsStatusReportedData[] = [];

  const ours = (n: string) => reported.filter((r) => r.clusterId === clusterId && r.node === n);
  const assign = (streamVersion: number, pods: NodePodsAssignedData['pods']) =>
    publishEvent(bus, 'NodePodsAssigned', `nodepods:${clusterId}:${node.name}`, {
      clusterId,
      node: node.name,
      pods,
      streamVersion,
      at: new Date().toISOString(),
    } satisfies NodePodsAssignedData);
  const webPod = (revision: string): NodePodsAssignedData['pods'][number] => ({
    grid: 'web',
    kind: 'DeploymentGrid',
    child: 'web-beijing',
    unit: 'beijing',
    pod: 'web-beijing-0',
    revision,
    spec: {
      restartPolicy: 'Always',
      containers: [
        {
          name: 'web',
          image: 'localhost/edgeplane/busybox-httpd:1',
          command: [
            process.execPath,
            '-e',
            `require('node:http').createServer((q, s) => s.end('pod=' + process.env.POD_NAME)).listen(${podPort}, '127.0.0.1')`,
          ],
          ports: [{ containerPort: podPort, name: 'http' }],
          readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 },
          resources: { requests: { cpu: '10m' } },
        },
      ],
    },
  });

  beforeAll(async () => {
    stack = await startTunnelStack();
    bus = await testBus();
    let token: string;
    ({ clusterId, token } = await stack.newCluster('tpods'));
    podPort = await freePort();
    stack.nc.subscribe(busSubject('edgeplane.tunnel.node.pods-status-reported'), {
      callback: (_e, m) => void reported.push(m.json<Reported>().data),
    });
    node = await joinNode({
      server: stack.tunnels[0]!.joinUrl,
      gatewayCaPem: stack.gatewayCaPem,
      token,
      name: 'edge-p',
      ip: '127.0.0.31',
      config: { runtime: { driver: 'process', periodMs: 300 } },
    });
    stranger = await joinNode({
      server: stack.tunnels[0]!.joinUrl,
      gatewayCaPem: stack.gatewayCaPem,
      token,
      name: 'edge-q',
      ip: '127.0.0.32',
    });
    agent = startAgent(node);
    await waitConnected(node, 60_000);
  }, 180_000);

  afterAll(async () => {
    await agent?.stop();
    await bus?.close();
    await stack?.stop();
  }, 60_000);

  it('runs an assigned pod and reports it Running and ready on the bus', async () => {
    await assign(1, [webPod('r1')]);
    const running = await eventually(
      () =>
        ours('edge-p').find((r) =>
          r.pods.some((p) => p.name === 'web-beijing-0' && p.phase === 'Running' && p.ready),
        ),
      60_000,
    );
    const pod = running!.pods[0]!;
    expect(pod).toMatchObject({
      namespace: 'default',
      grid: 'web',
      unit: 'beijing',
      revision: 'r1',
      restarts: 0,
      containers: [{ name: 'web', state: 'running', ready: true, restartCount: 0 }],
    });
    expect(running!.runtime).toBe('process');
    expect(running!.podsStreamVersion).toBe(1);
    expect(await get(podPort)).toBe('pod=web-beijing-0');
    // only changes go up: no second report while nothing changes (rounds every 300 ms)
    const count = ours('edge-p').length;
    await sleep(3000);
    expect(ours('edge-p').length).toBe(count);
  }, 90_000);

  it('drops a report about pods not assigned to the sender, and counts it', async () => {
    const before = await metricValue(
      stack.tunnels[0]!.metricsUrl,
      'tunnel_dropped_frames_total',
      'reason="pod-not-assigned"',
    );
    const client = tunnelClient({
      address: stranger.identity.tunnelAddress,
      gatewayCaPem: stack.gatewayCaPem,
      keyPem: stranger.keyPem,
      certPem: readFileSync(`${stranger.home}/node.crt`, 'utf8'),
    });
    const call = client.Control();
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    call.write({
      hello: {
        nodeName: 'edge-q',
        agentVersion: 'x',
        ips: [],
        probePort: 1,
        desiredVersion: '',
        proxyPort: 0,
      },
    });
    // edge-q claims edge-p's pod (and one nobody has)
    const uid = ours('edge-p').at(-1)!.pods[0]!.uid;
    call.write({
      podStatusReport: {
        nodeName: 'edge-q',
        sentAt: new Date().toISOString(),
        desiredVersion: '',
        runtime: 'process',
        pods: [
          { uid, name: 'web-beijing-0', namespace: 'default', phase: 'Failed', ready: false, containers: [] },
          { uid: 'nobody', name: 'x', namespace: 'default', phase: 'Running', ready: true, containers: [] },
        ],
      },
    });
    await eventually(
      async () =>
        (await metricValue(
          stack.tunnels[0]!.metricsUrl,
          'tunnel_dropped_frames_total',
          'reason="pod-not-assigned"',
        )) >=
        before + 2,
      20_000,
    );
    await sleep(1000);
    // nothing about edge-q reaches the bus: it was told to run nothing, so it has nothing to report
    expect(ours('edge-q')).toEqual([]);
    expect(ours('edge-p').at(-1)!.pods[0]!.phase).toBe('Running');
    call.end();
    client.close();
  }, 60_000);

  it('stops the pod when a newer assignment no longer has it; an older one delivered late changes nothing', async () => {
    await assign(3, []);
    await eventually(() => ours('edge-p').at(-1)?.pods.length === 0, 30_000);
    await eventually(async () => (await get(podPort).catch(() => 'refused')) === 'refused', 30_000);
    // v2 arrives after v3: ignored (the projection keeps the highest streamVersion)
    await assign(2, [webPod('r2')]);
    await sleep(4000);
    expect(await get(podPort).catch(() => 'refused')).toBe('refused');
    expect((await agentStatus(node)) as unknown as { pods: unknown[] }).toMatchObject({ pods: [] });
  }, 90_000);

  it('keeps running the cached pod when the gateway is down and the agent restarts', async () => {
    await assign(4, [webPod('r4')]);
    await eventually(
      () =>
        ours('edge-p').find(
          (r) => r.podsStreamVersion === 4 && r.pods[0]?.phase === 'Running' && r.pods[0].ready,
        ),
      60_000,
    );
    expect(await get(podPort)).toBe('pod=web-beijing-0');
    const tunnel = stack.tunnels[0]!;
    await tunnel.stop();
    await agent!.stop();
    // the process driver's pods live as long as the agent: gone now
    expect(await get(podPort).catch(() => 'refused')).toBe('refused');
    agent = startAgent(node);
    await eventually(async () => (await get(podPort).catch(() => 'refused')) === 'pod=web-beijing-0', 60_000);
    const status = (await agentStatus(node)) as unknown as {
      connected: boolean;
      desired: { source: string };
      pods: { phase: string; ready: boolean }[];
    };
    expect(status.connected).toBe(false);
    expect(status.desired.source).toBe('cache');
    // the cloud comes back: the agent reconnects and reports its pods again
    const count = ours('edge-p').length;
    stack.tunnels[0] = Object.assign(await restartService(tunnel, 'tunnel'), {
      joinUrl: tunnel.joinUrl,
      tunnelPort: tunnel.tunnelPort,
      metricsUrl: tunnel.metricsUrl,
    });
    await waitConnected(node, 60_000);
    await eventually(() => ours('edge-p').length > count, 30_000);
  }, 180_000);

  it('reports why a pod does not run: a container the runtime cannot start, a spec the agent refuses', async () => {
    const broken = (
      pod: string,
      container: Record<string, unknown>,
    ): NodePodsAssignedData['pods'][number] => ({
      ...webPod('r5'),
      pod,
      spec: { containers: [{ name: 'web', image: 'localhost/nope:1', ...container }] },
    });
    await assign(5, [
      // the process driver runs a container's command: without one it cannot start it
      broken('no-command-0', {}),
      // an env name the runtime refuses (PodSpecError naming the field): reported, not run
      broken('bad-env-0', { command: ['true'], env: [{ name: '1-not-a-name', value: 'x' }] }),
    ]);
    const report = await eventually(
      () => ours('edge-p').find((r) => r.podsStreamVersion === 5 && r.pods.length === 2),
      60_000,
    );
    const byName = new Map(report!.pods.map((p) => [p.name, p]));
    expect(byName.get('no-command-0')).toMatchObject({
      phase: 'Pending',
      ready: false,
      containers: [{ name: 'web', state: 'waiting', reason: 'CreateContainerConfigError' }],
    });
    expect(byName.get('bad-env-0')).toMatchObject({ phase: 'Failed', reason: 'InvalidPodSpec' });
    expect(byName.get('bad-env-0')!.message).toMatch(/containers\[0\]\.env\[0\]\.name/);
  }, 90_000);
});

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve(Buffer.concat(parts).toString()));
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
