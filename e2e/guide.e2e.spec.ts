/**
 * The guide's own walk-through, replayed against real service processes through the `edgeplane`
 * CLI: a cluster, five script-joined nodes in two sites (beijing, guangzhou) grouped by
 * `location`, the labels nodepool decides visible on the cluster service's node read model, a
 * node moved between sites, and the gz-3 health case driven by heartbeats and probe reports on
 * NATS — the verdict's taints visible on the node read model too.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { signalSubject } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { eventually, testBus, uniqueName } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_CREATE_FLAGS } from './kube-stack.js';
import { startStack, type RunningStack } from './stack.js';

const NODES = ['bj-1', 'bj-2', 'gz-1', 'gz-2', 'gz-3'];

const guideYaml = (guangzhou: string[], beijing: string[]) => `
apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata:
  name: beijing
spec:
  type: edge
  nodes: [${beijing.join(', ')}]
  setNode:
    labels:
      site-tier: flagship
    annotations:
      edgeplane.io/site-contact: ops-beijing
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata:
  name: guangzhou
spec:
  type: edge
  nodes: [${guangzhou.join(', ')}]
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeGroup
metadata:
  name: location
spec:
  nodeUnits: [beijing, guangzhou]
`;

describe('the guide, end to end: cluster + nodepool + health-arbiter processes, driven by the CLI', () => {
  let stack: RunningStack;
  let bus: Bus;
  let clusterId: string;
  const name = uniqueName('guide').replace(/_/g, '-');
  const dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-guide-'));
  let beat: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    stack = await startStack(['cluster', 'nodepool', 'health-arbiter']);
    bus = await testBus();
  }, 120_000);
  afterAll(async () => {
    if (beat) clearInterval(beat);
    await bus?.close();
    await stack?.stop();
  });

  const labelsOf = async (node: string) =>
    (
      await stack.cliJson<{ node: { labels: Record<string, string> } }>(
        'node',
        'get',
        node,
        '--cluster',
        name,
      )
    ).node.labels;
  const taintsOf = async (node: string) =>
    (
      await stack.cliJson<{ node: { taints: { key: string; effect: string }[] } }>(
        'node',
        'get',
        node,
        '--cluster',
        name,
      )
    ).node.taints.map((t) => `${t.key}:${t.effect}`);

  it('creates the cluster and joins five nodes with a token; refuses a duplicate and an IP as name', async () => {
    const created = await stack.cli('cluster', 'create', name, ...CLUSTER_CREATE_FLAGS);
    expect(created.code, created.stderr).toBe(0);
    clusterId = (await stack.cliJson<{ id: string }>('cluster', 'get', name)).id;
    expect(clusterId).toBeTruthy();
    expect((await stack.cli('cluster', 'access', name, '--public', 'on')).code).toBe(0);
    const token = await stack.cli('token', 'create', '--cluster', name, '--expires', '2h');
    expect(token.code, token.stderr).toBe(0);
    const secret = /^token: (\S+)/m.exec(token.stdout)?.[1];
    expect(secret).toBeTruthy();
    for (const n of NODES) {
      const joined = await stack.cli('node', 'join', '--token', secret!, '--name', n);
      expect(joined.code, joined.stderr).toBe(0);
    }
    const dup = await stack.cli('node', 'join', '--token', secret!, '--name', 'gz-3');
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toMatch(/ALREADY_EXISTS.*gz-3/);
    const ip = await stack.cli('node', 'join', '--token', secret!, '--name', '10.1.1.1');
    expect(ip.code).not.toBe(0);
    expect(ip.stderr).toMatch(/INVALID_ARGUMENT.*IP address/);
    const list = await stack.cli('node', 'list', '--cluster', name);
    for (const n of NODES) expect(list.stdout).toContain(n);
  });

  it('apply -f of the guide YAML labels every node by site, visible through the cluster service', async () => {
    const file = path.join(dir, 'guide.yaml');
    writeFileSync(file, guideYaml(['gz-1', 'gz-2', 'gz-3'], ['bj-1', 'bj-2']));
    const applied = await stack.cli('apply', '-f', file, '--cluster', name);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('nodeunit.site.superedge.io/beijing created');
    expect(applied.stdout).toContain('nodegroup.site.superedge.io/location created');
    await eventually(async () => (await labelsOf('gz-3')).location === 'guangzhou', 20_000, 200);
    for (const n of NODES) {
      const site = n.startsWith('bj') ? 'beijing' : 'guangzhou';
      const labels = await labelsOf(n);
      expect(labels).toMatchObject({
        location: site,
        [site]: 'nodeunits.superedge.io',
        'unit-node-all': 'nodeunits.superedge.io',
      });
    }
    expect(await labelsOf('bj-1')).not.toHaveProperty('guangzhou');
    // the unit's setNode labels and annotations land on its members only
    const bj1 = (
      await stack.cliJson<{ node: { labels: Record<string, string>; annotations: Record<string, string> } }>(
        'node',
        'get',
        'bj-1',
        '--cluster',
        name,
      )
    ).node;
    expect(bj1.labels['site-tier']).toBe('flagship');
    expect(bj1.annotations['edgeplane.io/site-contact']).toBe('ops-beijing');
    expect(await labelsOf('gz-1')).not.toHaveProperty('site-tier');
  });

  it('moving gz-3 to beijing moves its labels', async () => {
    const file = path.join(dir, 'moved.yaml');
    writeFileSync(file, guideYaml(['gz-1', 'gz-2'], ['bj-1', 'bj-2', 'gz-3']));
    const applied = await stack.cli('apply', '-f', file, '--cluster', name);
    expect(applied.code, applied.stderr).toBe(0);
    await eventually(async () => (await labelsOf('gz-3')).location === 'beijing', 20_000, 200);
    const labels = await labelsOf('gz-3');
    expect(labels.beijing).toBe('nodeunits.superedge.io');
    expect(labels).not.toHaveProperty('guangzhou');
    // and back, for the health scenario below
    writeFileSync(file, guideYaml(['gz-1', 'gz-2', 'gz-3'], ['bj-1', 'bj-2']));
    expect((await stack.cli('apply', '-f', file, '--cluster', name)).code).toBe(0);
    await eventually(async () => (await labelsOf('gz-3')).location === 'guangzhou', 20_000, 200);
  });

  it('gz-3 loses the cloud while peers vouch → NoSchedule only; peers lose it too → NoExecute', async () => {
    const set = await stack.cli(
      'health',
      'config',
      'set',
      '--cluster',
      name,
      '--grace',
      '2s',
      '--vote-ttl',
      '10s',
    );
    expect(set.code, set.stderr).toBe(0);
    let cloudHearsGz3 = true;
    let peersSeeGz3 = true;
    const publish = (kind: 'heartbeat' | 'probe', body: unknown) =>
      bus.nc.publish(signalSubject(kind, clusterId), JSON.stringify(body), { headers: natsHeaders() });
    const tick = () => {
      for (const n of NODES) {
        if (n !== 'gz-3' || cloudHearsGz3) publish('heartbeat', { v: 1, clusterId, node: n });
        const results = NODES.filter((p) => p !== n && !(n === 'gz-3')).map((p) => ({
          peer: p,
          healthy: p === 'gz-3' ? peersSeeGz3 : true,
        }));
        if (n !== 'gz-3') publish('probe', { v: 1, clusterId, reporter: n, results });
      }
    };
    tick();
    beat = setInterval(tick, 500);
    await eventually(async () => (await taintsOf('gz-3')).length === 0, 30_000, 250);

    cloudHearsGz3 = false; // the cloud link of gz-3 is cut; its peers still reach it
    await eventually(
      async () => (await taintsOf('gz-3')).includes('node.kubernetes.io/unreachable:NoSchedule'),
      30_000,
      250,
    );
    expect(await taintsOf('gz-3')).not.toContain('node.kubernetes.io/unreachable:NoExecute');
    const explained = await stack.cli('node', 'health', 'gz-3', '--cluster', name);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toMatch(/peers-vouch/);
    expect(await taintsOf('gz-1')).toEqual([]);

    peersSeeGz3 = false; // now gz-3 is really gone
    await eventually(
      async () => (await taintsOf('gz-3')).includes('node.kubernetes.io/unreachable:NoExecute'),
      30_000,
      250,
    );
    const verdicts = await stack.cli('health', 'verdicts', '--cluster', name);
    expect(verdicts.stdout).toMatch(/gz-3/);
  });
});
