import { readFileSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  GridAppliedData,
  NodePodsAssignedData,
  NodeMembershipChangedData,
  ServiceEndpointsChangedData,
} from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { eventually, freePort, publishEvent, testBus } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinNode, startAgent, waitConnected, type AgentProc, type JoinedNode } from './fixtures/agents.js';
import { getViaConnect, getViaProxy } from './fixtures/remote-access.js';
import { metricValue, startTunnelStack, type TunnelStack } from './fixtures/stack.js';

/**
 * Service discovery inside the unit (SPEC F-GR-3), end to end: cluster and tunnel as real
 * processes, two real agents in two units, ServiceGrid events published on the real bus as the
 * grid service emits them, and small HTTP servers standing in for the pods (each answers with its
 * pod's name). A unit's agent resolves the Service only to its own unit's endpoints, dialled
 * inside the site (the gateway's sub-stream counter does not move), and answers 503 at once when
 * the unit has none.
 */
describe('ServiceGrid discovery: each unit resolves to its own ready endpoints', () => {
  let stack: TunnelStack;
  let bus: Bus;
  let clusterId: string;
  let a: JoinedNode;
  let b: JoinedNode;
  const agents: AgentProc[] = [];
  const servers: http.Server[] = [];
  let podPort: number;
  let dnsPort: number;

  const publish = (type: string, streamId: string, data: unknown, pos: number) =>
    publishEvent(bus, type, streamId, data, pos);
  const membership = (node: string, unit: string, version = 1) =>
    publish(
      'NodeMembershipChanged',
      `nodemembership:${clusterId}:${node}`,
      {
        clusterId,
        node,
        units: [unit],
        groups: { location: unit },
        labels: { [unit]: 'nodeunits.superedge.io' },
        annotations: {},
        taints: [],
        labelsSet: { [unit]: 'nodeunits.superedge.io' },
        labelsRemoved: [],
        annotationsSet: {},
        annotationsRemoved: [],
        taintsAdded: [],
        taintsRemoved: [],
        at: new Date().toISOString(),
        streamVersion: version,
      } satisfies NodeMembershipChangedData,
      version,
    );
  const serviceGrid = (name: string, namespace: string, pos: number, targetPort: number | string = podPort) =>
    publish(
      'GridApplied',
      `grid:${clusterId}:${name}`,
      {
        clusterId,
        name,
        kind: 'ServiceGrid',
        gridUniqKey: 'location',
        generation: 1,
        manifest: {
          apiVersion: 'superedge.io/v1',
          kind: 'ServiceGrid',
          metadata: { name, namespace },
          spec: {
            gridUniqKey: 'location',
            template: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort }] },
          },
        },
        at: new Date().toISOString(),
      } satisfies GridAppliedData,
      pos,
    );
  const endpoints = (
    grid: string,
    unit: string,
    list: { pod: string; node: string; ip: string }[],
    pos: number,
  ) =>
    publish(
      'ServiceEndpointsChanged',
      `grid:${clusterId}:${grid}`,
      {
        clusterId,
        name: grid,
        service: `${grid}-svc`,
        unit,
        endpoints: list,
        removed: false,
        at: new Date().toISOString(),
      } satisfies ServiceEndpointsChangedData,
      pos,
    );
  const proxyOf = (n: JoinedNode) => ({ host: n.ip, port: n.ports.proxy });
  const substreams = () => metricValue(stack.tunnels[0]!.metricsUrl, 'tunnel_substreams_total');

  /** a stand-in pod: answers every request with its name */
  const pod = async (name: string, ip: string) => {
    const server = http.createServer((_q, s) => s.end(name));
    await new Promise<void>((r) => server.listen(podPort, ip, r));
    servers.push(server);
    return (server.address() as AddressInfo).port;
  };

  beforeAll(async () => {
    stack = await startTunnelStack();
    bus = await testBus();
    let token: string;
    ({ clusterId, token } = await stack.newCluster('tsvc'));
    podPort = await freePort();
    const join = (name: string, ip: string) =>
      joinNode({ server: stack.tunnels[0]!.joinUrl, gatewayCaPem: stack.gatewayCaPem, token, name, ip });
    a = await join('edge-sa', '127.0.0.61');
    b = await join('edge-sb', '127.0.0.62');
    // a's agent also answers DNS for its unit's Services
    dnsPort = await freePort();
    const file = JSON.parse(readFileSync(a.configFile, 'utf8')) as { listen: Record<string, unknown> };
    file.listen.dnsPort = dnsPort;
    writeFileSync(a.configFile, JSON.stringify(file, null, 2));
    // pods: two in alpha (on edge-sa and a second alpha host), one in bravo (on edge-sb)
    await pod('echo-alpha-0', '127.0.0.61');
    await pod('echo-alpha-1', '127.0.0.63');
    await pod('echo-bravo-0', '127.0.0.62');
    // the pod behind a named targetPort, as the grid assigns it (its container port named "web")
    await publish(
      'NodePodsAssigned',
      `nodepods:${clusterId}:edge-sa`,
      {
        clusterId,
        node: 'edge-sa',
        streamVersion: 1,
        at: new Date().toISOString(),
        pods: [
          {
            grid: 'named-app',
            kind: 'DeploymentGrid',
            child: 'named-app-alpha',
            unit: 'alpha',
            pod: 'named-alpha-0',
            revision: 'r1',
            spec: {
              containers: [{ name: 'web', image: 'x', ports: [{ name: 'web', containerPort: podPort }] }],
            },
          },
        ],
      } satisfies NodePodsAssignedData,
      1,
    );
    await membership('edge-sa', 'alpha');
    await membership('edge-sb', 'bravo');
    await serviceGrid('echo', 'shop', 1);
    await serviceGrid('empty', 'shop', 1);
    await serviceGrid('named', 'shop', 1, 'web');
    await endpoints('named', 'alpha', [{ pod: 'named-alpha-0', node: 'edge-sa', ip: '127.0.0.61' }], 2);
    await endpoints(
      'echo',
      'alpha',
      [
        { pod: 'echo-alpha-0', node: 'edge-sa', ip: '127.0.0.61' },
        { pod: 'echo-alpha-1', node: 'edge-sa2', ip: '127.0.0.63' },
      ],
      2,
    );
    await endpoints('echo', 'bravo', [{ pod: 'echo-bravo-0', node: 'edge-sb', ip: '127.0.0.62' }], 3);
    await endpoints('empty', 'alpha', [], 2);
    agents.push(startAgent(a), startAgent(b));
    await Promise.all([waitConnected(a, 60_000), waitConnected(b, 60_000)]);
    await eventually(
      async () =>
        (await getViaProxy(proxyOf(a), 'http://echo-svc.shop/').catch(() => undefined))?.status === 200,
      30_000,
    );
    await eventually(
      async () =>
        (await getViaProxy(proxyOf(b), 'http://echo-svc.shop/').catch(() => undefined))?.status === 200,
      30_000,
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(agents.map((p) => p.stop()));
    for (const s of servers) s.close();
    await bus?.close();
    await stack?.stop();
  }, 60_000);

  it('answers unit alpha only from alpha and bravo only from bravo, 50 times each, never through the tunnel', async () => {
    const before = await substreams();
    const fromA: string[] = [];
    const fromB: string[] = [];
    for (let i = 0; i < 50; i++) {
      const [ra, rb] = await Promise.all([
        getViaProxy(proxyOf(a), 'http://echo-svc.shop.svc.cluster.local/'),
        getViaProxy(proxyOf(b), 'http://echo-svc.shop/'),
      ]);
      expect(ra.status).toBe(200);
      expect(rb.status).toBe(200);
      fromA.push(ra.body);
      fromB.push(rb.body);
    }
    expect(new Set(fromA)).toEqual(new Set(['echo-alpha-0', 'echo-alpha-1']));
    // round robin: both alpha pods take their share
    expect(fromA.filter((x) => x === 'echo-alpha-0').length).toBe(25);
    expect(new Set(fromB)).toEqual(new Set(['echo-bravo-0']));
    // the grid's name and CONNECT resolve the same way
    expect((await getViaProxy(proxyOf(b), 'http://echo.shop.svc/')).body).toBe('echo-bravo-0');
    expect(await getViaConnect(proxyOf(a), 'echo-svc.shop.svc:80', '/')).toMatch(/echo-alpha-[01]$/);
    expect(await getViaConnect(proxyOf(b), 'echo-svc.shop:80', '/')).toMatch(/echo-bravo-0$/);
    // a named targetPort resolved from the pod's container ports (port 80 → the pod's "web" port)
    expect((await getViaProxy(proxyOf(a), 'http://named-svc.shop/')).body).toBe('echo-alpha-0');
    expect(await substreams()).toBe(before);
  }, 60_000);

  it('answers DNS on the node with its own unit’s endpoints only (headless-style), refusing other names', async () => {
    const resolver = new Resolver({ timeout: 2000, tries: 2 });
    resolver.setServers([`${a.ip}:${dnsPort}`]);
    const ips = await resolver.resolve4('echo-svc.shop.svc.cluster.local');
    expect([...ips].sort()).toEqual(['127.0.0.61', '127.0.0.63']);
    await expect(resolver.resolve4('empty-svc.shop.svc.cluster.local')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
    await expect(resolver.resolve4('example.com')).rejects.toMatchObject({ code: 'EREFUSED' });
  }, 30_000);

  it('answers 503 at once, naming the service and unit, when the unit has no ready endpoint', async () => {
    const before = await substreams();
    const started = performance.now();
    const r = await getViaProxy(proxyOf(a), 'http://empty-svc.shop/x');
    const ms = performance.now() - started;
    expect(r.status).toBe(503);
    expect(r.body.trim()).toBe('service shop/empty-svc has no ready endpoint in unit alpha');
    expect(ms).toBeLessThan(100);
    // bravo has no endpoint row for it at all: a cluster name it does not know is refused too
    const unknown = await getViaProxy(proxyOf(b), 'http://empty-svc.shop.svc.cluster.local/');
    expect(unknown.status).toBe(503);
    await expect(getViaConnect(proxyOf(a), 'empty-svc.shop:80', '/')).rejects.toThrow(/503/);
    expect(await substreams()).toBe(before);
  }, 30_000);

  it('answers 503 once the unit’s endpoints are removed; an older event delivered late changes nothing', async () => {
    await endpoints('echo', 'alpha', [], 4);
    await eventually(
      async () => (await getViaProxy(proxyOf(a), 'http://echo-svc.shop/')).status === 503,
      30_000,
    );
    const r = await getViaProxy(proxyOf(a), 'http://echo-svc.shop/');
    expect(r.body.trim()).toBe('service shop/echo-svc has no ready endpoint in unit alpha');
    // bravo is untouched
    expect((await getViaProxy(proxyOf(b), 'http://echo-svc.shop/')).body).toBe('echo-bravo-0');
    // position 3 (older than 4) arrives late: ignored
    await endpoints('echo', 'alpha', [{ pod: 'echo-alpha-0', node: 'edge-sa', ip: '127.0.0.61' }], 3);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await getViaProxy(proxyOf(a), 'http://echo-svc.shop/')).status).toBe(503);
    // a newer one is applied
    await endpoints('echo', 'alpha', [{ pod: 'echo-alpha-1', node: 'edge-sa2', ip: '127.0.0.63' }], 5);
    await eventually(
      async () => (await getViaProxy(proxyOf(a), 'http://echo-svc.shop/')).body === 'echo-alpha-1',
      30_000,
    );
  }, 60_000);

  it('follows a node that moves to another unit: it resolves to its new unit’s endpoints only', async () => {
    await membership('edge-sb', 'alpha', 2);
    await eventually(
      async () => (await getViaProxy(proxyOf(b), 'http://echo-svc.shop/')).body === 'echo-alpha-1',
      30_000,
    );
    for (let i = 0; i < 10; i++)
      expect((await getViaProxy(proxyOf(b), 'http://echo-svc.shop/')).body).toBe('echo-alpha-1');
    // alpha's empty Service is now b's too
    expect((await getViaProxy(proxyOf(b), 'http://empty-svc.shop/')).body.trim()).toBe(
      'service shop/empty-svc has no ready endpoint in unit alpha',
    );
  }, 60_000);

  it('keeps resolving from the cached desired state while the cloud is away', async () => {
    await stack.tunnels[0]!.stop();
    const agentB = agents[1]!;
    await agentB.stop();
    agents[1] = startAgent(b);
    await eventually(
      async () =>
        (await getViaProxy(proxyOf(b), 'http://echo-svc.shop/').catch(() => undefined))?.body ===
        'echo-alpha-1',
      30_000,
    );
    const r = await getViaProxy(proxyOf(b), 'http://empty-svc.shop.svc/');
    expect(r.status).toBe(503);
  }, 60_000);
});
