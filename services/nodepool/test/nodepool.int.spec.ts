import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../../cli/src/main.js';
import { reportError } from '../../../cli/src/client.js';
import { fieldViolationsOf } from '@edgeplane/proto';
import { eventually } from '@edgeplane/testing';
import {
  NodepoolHarness,
  nodeJoined,
  nodeLabelsChanged,
  nodeRemoved,
  seedCluster,
  verdictChanged,
} from './support/nodepool-harness.js';

const UNIT = 'nodeunits.superedge.io';
const h = new NodepoolHarness();

beforeAll(() => h.start());
afterAll(() => h.stop());

const unitSpec = (nodes: string[], extra: Record<string, unknown> = {}) => ({
  type: 'edge',
  nodes,
  ...extra,
});

async function memberships(
  cluster: string,
): Promise<Map<string, { labels: Record<string, string>; units: string[] }>> {
  const res = await h.call('NodeMembershipService', 'ListNodeMemberships', { cluster });
  return new Map(res.memberships.map((m: any) => [m.node, m]));
}

/** Waits until the relay has published a NodeMembershipChanged whose labels match for every listed node. */
async function publishedLabels(clusterId: string, expected: Record<string, Record<string, string>>) {
  await eventually(() => {
    const latest = h.latestMembership(clusterId);
    return Object.entries(expected).every(([node, labels]) => {
      const got = latest.get(node)?.labels;
      return got && JSON.stringify(sortKeys(got)) === JSON.stringify(sortKeys(labels));
    });
  }, 15_000);
}

function sortKeys(m: Record<string, string>) {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('nodepool over real gRPC, PostgreSQL and JetStream: the guide example', () => {
  let c: { clusterId: string; name: string };
  const nodes = ['bj-1', 'bj-2', 'gz-1', 'gz-2', 'gz-3'];

  beforeAll(async () => {
    c = await seedCluster(h, nodes);
  });

  it('units beijing + guangzhou and group location label every node (events on JetStream and read model)', async () => {
    await h.call('NodeUnitService', 'CreateNodeUnit', {
      cluster: c.name,
      name: 'beijing',
      spec: unitSpec(['bj-1', 'bj-2']),
    });
    const gz = await h.call('NodeUnitService', 'CreateNodeUnit', {
      cluster: c.clusterId, // by id as well as by name
      name: 'guangzhou',
      spec: unitSpec(['gz-1', 'gz-2', 'gz-3']),
    });
    expect(gz.members).toEqual(['gz-1', 'gz-2', 'gz-3']);
    const group = await h.call('NodeGroupService', 'CreateNodeGroup', {
      cluster: c.name,
      name: 'location',
      spec: { nodeUnits: ['beijing', 'guangzhou'] },
    });
    expect(group.units).toEqual(['beijing', 'guangzhou']);

    const expected = (site: string) => ({ [site]: UNIT, location: site, 'unit-node-all': UNIT });
    const want = {
      'bj-1': expected('beijing'),
      'bj-2': expected('beijing'),
      'gz-1': expected('guangzhou'),
      'gz-2': expected('guangzhou'),
      'gz-3': expected('guangzhou'),
    };
    await publishedLabels(c.clusterId, want);
    const latest = h.latestMembership(c.clusterId);
    expect(latest.get('bj-1').groups).toEqual({ location: 'beijing' });
    expect(latest.get('gz-2').units).toEqual(['guangzhou', 'unit-node-all']);

    const read = await memberships(c.name);
    for (const [node, labels] of Object.entries(want))
      expect(read.get(node)?.labels).toEqual(sortKeys(labels));

    const unit = await h.call('NodeUnitService', 'GetNodeUnit', { cluster: c.name, name: 'beijing' });
    expect(unit).toMatchObject({
      members: ['bj-1', 'bj-2'],
      groups: ['location'],
      kinsPhase: 'none',
      isDefault: false,
    });
    const list = await h.call('NodeUnitService', 'ListNodeUnits', { cluster: c.name });
    expect(list.units.map((u: any) => u.name)).toEqual(['beijing', 'guangzhou', 'unit-node-all']);
  });

  it('refuses a change that puts a node in two units of one group, naming node and both units; stores nothing', async () => {
    const before = await h.eventCount();
    const err = await h
      .call('NodeUnitService', 'UpdateNodeUnit', {
        cluster: c.name,
        name: 'beijing',
        spec: unitSpec(['bj-1', 'bj-2', 'gz-1']),
      })
      .catch((e) => e);
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toContain('"gz-1"');
    expect(err.details).toContain('"beijing"');
    expect(err.details).toContain('"guangzhou"');
    expect(err.details).toContain('"location"');
    expect(fieldViolationsOf(err)[0]?.field).toBe('spec');
    expect(await h.eventCount()).toBe(before);
    const unit = await h.call('NodeUnitService', 'GetNodeUnit', { cluster: c.name, name: 'beijing' });
    expect(unit.spec.nodes).toEqual(['bj-1', 'bj-2']);
  });

  it('moving a node between units moves its labels', async () => {
    await h.call('NodeUnitService', 'UpdateNodeUnit', {
      cluster: c.name,
      name: 'guangzhou',
      spec: unitSpec(['gz-1', 'gz-2']),
    });
    await h.call('NodeUnitService', 'UpdateNodeUnit', {
      cluster: c.name,
      name: 'beijing',
      spec: unitSpec(['bj-1', 'bj-2', 'gz-3']),
    });
    const want = { beijing: UNIT, location: 'beijing', 'unit-node-all': UNIT };
    await publishedLabels(c.clusterId, { 'gz-3': want });
    const changes = h.publishedOf(c.clusterId, 'NodeMembershipChanged').filter((d) => d.node === 'gz-3');
    expect(changes.some((d) => d.labelsRemoved.includes('guangzhou'))).toBe(true);
    expect(changes.at(-1).labelsSet).toMatchObject({ beijing: UNIT, location: 'beijing' });
    expect((await memberships(c.name)).get('gz-3')?.labels).toEqual(sortKeys(want));
  });

  it('an operator label pulls a node into a selector unit; deleting that selector-only unit strips its labels', async () => {
    await h.call('NodeUnitService', 'CreateNodeUnit', {
      cluster: c.name,
      name: 'hz-edge',
      spec: {
        type: 'edge',
        selector: { matchLabels: { site: 'hz' } },
        setNode: { labels: { zone: 'east' }, annotations: { owner: 'ops' }, taints: [] },
      },
    });
    await h.publishEvent(
      'NodeLabelsChanged',
      `node-${c.clusterId}-gz-1`,
      nodeLabelsChanged(c.clusterId, 'gz-1', { site: 'hz' }),
    );
    await publishedLabels(c.clusterId, {
      'gz-1': {
        guangzhou: UNIT,
        'hz-edge': UNIT,
        location: 'guangzhou',
        'unit-node-all': UNIT,
        zone: 'east',
      },
    });
    expect(h.latestMembership(c.clusterId).get('gz-1').annotations).toEqual({ owner: 'ops' });

    await h.call('NodeUnitService', 'DeleteNodeUnit', { cluster: c.name, name: 'hz-edge' });
    await publishedLabels(c.clusterId, {
      'gz-1': { guangzhou: UNIT, location: 'guangzhou', 'unit-node-all': UNIT },
    });
    const last = h.latestMembership(c.clusterId).get('gz-1');
    expect(last.labelsRemoved).toEqual(['hz-edge', 'zone']);
    expect(last.annotationsRemoved).toEqual(['owner']);
    expect((await memberships(c.name)).get('gz-1')?.labels).not.toHaveProperty('zone');
  });

  it('a redelivered cluster event changes nothing', async () => {
    await h.clusterEventsSettled();
    const before = await h.eventCount();
    const original = await h.publishEvent(
      'NodeLabelsChanged',
      `node-${c.clusterId}-bj-2`,
      nodeLabelsChanged(c.clusterId, 'bj-2', { site: 'bj' }),
    );
    await h.clusterEventsSettled();
    const afterFirst = await h.eventCount();
    expect(afterFirst).toBe(before); // no unit selects site=bj: nodepool's layer is unchanged
    // The same event again under a new Msg-Id (past the stream's dedupe): the inbox drops it.
    await h.republish(original, `${original.id}-again`);
    // And a NodeJoined for a node already known (redelivered join): the layer is recomputed identically.
    await h.publishEvent('NodeJoined', `node-${c.clusterId}-bj-1`, nodeJoined(c.clusterId, 'bj-1'));
    await h.clusterEventsSettled();
    expect(await h.eventCount()).toBe(afterFirst);
    const inbox = await h.svc.db
      .withSchema(h.schema)
      .selectFrom('inbox')
      .select('message_id')
      .where('message_id', '=', original.id)
      .execute();
    expect(inbox).toHaveLength(1);
  });

  it('unit status follows health verdicts (ready / not ready / rate)', async () => {
    await h.publishEvent(
      'NodeVerdictChanged',
      `health-verdict:${c.clusterId}:bj-1`,
      verdictChanged(c.clusterId, 'bj-1', 'Ready'),
    );
    await h.publishEvent(
      'NodeVerdictChanged',
      `health-verdict:${c.clusterId}:bj-2`,
      verdictChanged(c.clusterId, 'bj-2', 'NotReadyNoExecute'),
    );
    await h.publishEvent(
      'NodeVerdictChanged',
      `health-verdict:${c.clusterId}:gz-3`,
      verdictChanged(c.clusterId, 'gz-3', 'Ready'),
    );
    const status = await eventually(async () => {
      const s = await h.call('NodeUnitService', 'GetUnitStatus', { cluster: c.name, name: 'beijing' });
      return s.readyRate === '2/3' ? s : undefined;
    });
    expect(status).toMatchObject({ readyNodes: ['bj-1', 'gz-3'], notReadyNodes: ['bj-2'] });
    expect(status.readyRatio).toBeCloseTo(2 / 3);
    await h.publishEvent(
      'NodeVerdictChanged',
      `health-verdict:${c.clusterId}:bj-2`,
      verdictChanged(c.clusterId, 'bj-2', 'Ready'),
    );
    await eventually(
      async () =>
        (await h.call('NodeUnitService', 'GetNodeUnit', { cluster: c.name, name: 'beijing' })).status
          .readyRate === '3/3',
    );
  });

  it('a removed node loses its layer and leaves its units', async () => {
    await h.publishEvent('NodeRemoved', `node-${c.clusterId}-bj-2`, nodeRemoved(c.clusterId, 'bj-2'));
    await eventually(() => {
      const d = h.latestMembership(c.clusterId).get('bj-2');
      return d && d.units.length === 0 && Object.keys(d.labels).length === 0;
    }, 15_000);
    const beijing = await h.call('NodeUnitService', 'GetNodeUnit', { cluster: c.name, name: 'beijing' });
    expect(beijing.members).toEqual(['bj-1', 'gz-3']);
  });

  it('apply -f of SuperEdge YAML creates, configures and leaves unchanged', async () => {
    const yaml = `
apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata: { name: gz-south }
spec:
  type: edge
  nodes: [gz-1]
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeGroup
metadata: { name: region }
spec:
  nodeUnits: [gz-south, beijing]
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata: { name: guangzhou }
spec:
  type: edge
  nodes: [gz-1, gz-2]
`;
    const dry = await h.call('ApplyService', 'Apply', { cluster: c.name, yaml, dryRun: true });
    expect(dry.changes.map((x: any) => `${x.kind}/${x.name} ${x.action}`)).toEqual([
      'NodeUnit/gz-south created',
      'NodeUnit/guangzhou unchanged',
      'NodeGroup/region created',
    ]);
    await expect(
      h.call('NodeGroupService', 'GetNodeGroup', { cluster: c.name, name: 'region' }),
    ).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    const res = await h.call('ApplyService', 'Apply', { cluster: c.name, yaml });
    expect(res.changes.map((x: any) => x.action)).toEqual(['created', 'unchanged', 'created']);
    await publishedLabels(c.clusterId, {
      'gz-1': {
        guangzhou: UNIT,
        'gz-south': UNIT,
        location: 'guangzhou',
        region: 'gz-south',
        'unit-node-all': UNIT,
      },
    });
    const again = await h.call('ApplyService', 'Apply', {
      cluster: c.name,
      yaml: yaml.replace('nodes: [gz-1]', 'nodes: [gz-1, gz-2]'),
    });
    expect(again.changes[0]).toMatchObject({ action: 'updated', changes: ['nodes: +gz-2'] });
  });

  it('replaying the projections from zero gives the same tables', async () => {
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const t of ['proj_units', 'proj_groups', 'proj_node_membership']) {
        const key = t === 'proj_node_membership' ? 'node' : 'name';
        out[t] = (
          await sql`SELECT * FROM ${sql.id(h.schema, t)} ORDER BY cluster_id, ${sql.ref(key)}`.execute(
            h.svc.db,
          )
        ).rows;
      }
      return out;
    };
    const before = await snapshot();
    expect(before.proj_units!.length).toBeGreaterThan(3);
    await h.svc.store.rebuildProjections();
    expect(await snapshot()).toEqual(before);
    // and applying the log again over existing rows is a no-op (last_position guard)
    const trxReplay = await h.svc.store.readAllAfter(0, 100_000);
    await h.svc.db.transaction().execute(async (trx) => {
      for (const e of trxReplay)
        for (const p of h.svc.store.inlineProjections) if (p.handles.includes(e.type)) await p.apply(trx, e);
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe('Kins over gRPC', () => {
  let c: { clusterId: string; name: string };
  const promote = (unit: string, mode: string, extra: Record<string, unknown> = {}) =>
    h.call('KinsService', 'Promote', { cluster: c.name, unit, mode, ...extra });

  beforeAll(async () => {
    c = await seedCluster(h, ['a1', 'b1', 'b2', 'c1', 'c2', 'c3', 'd1', 'd2', 'd3', 'd4', 'd5']);
    const units = {
      one: ['a1'],
      two: ['b1', 'b2'],
      three: ['c1', 'c2', 'c3'],
      four: ['d1', 'd2', 'd3', 'd4'],
    };
    for (const [name, nodes] of Object.entries(units)) {
      await h.call('NodeUnitService', 'CreateNodeUnit', { cluster: c.name, name, spec: unitSpec(nodes) });
    }
  });

  it('1 and 2 nodes: single master only', async () => {
    for (const unit of ['one', 'two']) {
      const err = await promote(unit, 'ha').catch((e) => e);
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(err.details).toContain('3-master HA needs at least 3 nodes');
    }
    const one = await promote('one', 'single');
    expect(one).toMatchObject({
      phase: 'promoting',
      mode: 'single',
      generation: 1,
      nodes: [{ name: 'a1', role: 'server' }],
    });
    const two = await promote('two', 'single');
    expect(two.nodes).toEqual([
      { name: 'b1', role: 'server' },
      { name: 'b2', role: 'agent' },
    ]);
    expect(two.serviceCidr).not.toBe(one.serviceCidr);
    expect(two.nodePortRange).not.toEqual(one.nodePortRange);
  });

  it('3 and 4 nodes: single or 3-master HA, ranges never overlap', async () => {
    const three = await promote('three', 'ha');
    expect(three.nodes.filter((n: any) => n.role === 'server')).toHaveLength(3);
    const four = await promote('four', 'ha', { servers: ['d2', 'd3', 'd4'] });
    expect(four.nodes).toEqual([
      { name: 'd1', role: 'agent' },
      { name: 'd2', role: 'server' },
      { name: 'd3', role: 'server' },
      { name: 'd4', role: 'server' },
    ]);
    const all = await Promise.all(
      ['one', 'two', 'three', 'four'].map((u) =>
        h.call('KinsService', 'GetKins', { cluster: c.name, unit: u }),
      ),
    );
    expect(new Set(all.map((k) => k.serviceCidr)).size).toBe(4);
    expect(new Set(all.map((k) => k.nodePortRange.from)).size).toBe(4);
    const promoted = h.svc.db
      .withSchema(h.schema)
      .selectFrom('events')
      .select('data')
      .where('type', '=', 'KinsPromotionRequested');
    expect((await promoted.execute()).length).toBe(4);
  });

  it('a node added to a K3s unit is asked to join its K3s cluster', async () => {
    await h.call('NodeUnitService', 'UpdateNodeUnit', {
      cluster: c.name,
      name: 'four',
      spec: unitSpec(['d1', 'd2', 'd3', 'd4', 'd5']),
    });
    await eventually(() =>
      h
        .publishedOf(c.clusterId, 'KinsNodeJoinRequested')
        .some((d) => d.unit === 'four' && d.node === 'd5' && d.role === 'agent'),
    );
    const err = await h
      .call('NodeUnitService', 'UpdateNodeUnit', {
        cluster: c.name,
        name: 'four',
        spec: unitSpec(['d1', 'd3', 'd4', 'd5']),
      })
      .catch((e) => e);
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toContain('"d2" is a K3s server');
  });

  it('agents report running; public access needs a password and stores only its hash', async () => {
    await h.call('KinsService', 'ReportKinsStatus', {
      cluster: c.name,
      unit: 'four',
      generation: 1,
      phase: 'running',
      k3sVersion: 'v1.22.5+k3s1',
    });
    const noPassword = await h
      .call('KinsService', 'SetPublicAccess', { cluster: c.name, unit: 'four', enabled: true })
      .catch((e) => e);
    expect(noPassword.code).toBe(grpc.status.INVALID_ARGUMENT);
    const password = 'proxy-secret-123';
    const k = await h.call('KinsService', 'SetPublicAccess', {
      cluster: c.name,
      unit: 'four',
      enabled: true,
      password,
    });
    expect(k).toMatchObject({ phase: 'independent', publicAccess: true, k3sVersion: 'v1.22.5+k3s1' });
    expect(k.publicKubeconfigRef).toMatch(/\/public$/);
    const rows = await sql<{ t: string }>`SELECT data::text AS t FROM ${sql.id(h.schema, 'events')}`.execute(
      h.svc.db,
    );
    expect(rows.rows.some((r) => r.t.includes(password))).toBe(false);
    const hashes = rows.rows
      .map((r) => JSON.parse(r.t) as { passwordHash?: string })
      .filter((d) => d.passwordHash);
    expect(hashes).toHaveLength(1);
    expect(hashes[0]!.passwordHash).toMatch(/^\$2[aby]\$10\$/);
  });

  it('an independent unit cannot be deleted; demote, agents report uninstalled, then delete', async () => {
    const err = await h
      .call('NodeUnitService', 'DeleteNodeUnit', { cluster: c.name, name: 'four' })
      .catch((e) => e);
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toContain('demote first');
    const demoting = await h.call('KinsService', 'Demote', { cluster: c.name, unit: 'four' });
    expect(demoting).toMatchObject({ phase: 'demoting', publicAccess: false });
    const still = await h
      .call('NodeUnitService', 'DeleteNodeUnit', { cluster: c.name, name: 'four' })
      .catch((e) => e);
    expect(still.code).toBe(grpc.status.FAILED_PRECONDITION);
    await h.call('KinsService', 'ReportKinsStatus', {
      cluster: c.name,
      unit: 'four',
      generation: 1,
      phase: 'uninstalled',
    });
    expect((await h.call('KinsService', 'GetKins', { cluster: c.name, unit: 'four' })).phase).toBe('none');
    await h.call('NodeUnitService', 'DeleteNodeUnit', { cluster: c.name, name: 'four' });
    await expect(
      h.call('NodeUnitService', 'GetNodeUnit', { cluster: c.name, name: 'four' }),
    ).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  it('the freed ranges are handed out again (lowest free slot)', async () => {
    await eventually(() => h.publishedOf(c.clusterId, 'KinsPromotionRequested').length === 4);
    const freed = h.publishedOf(c.clusterId, 'KinsPromotionRequested').find((d) => d.unit === 'four');
    expect(freed).toBeDefined();
    await h.call('NodeUnitService', 'CreateNodeUnit', {
      cluster: c.name,
      name: 'five',
      spec: unitSpec(['d1']),
    });
    const five = await promote('five', 'single');
    expect(five.serviceCidr).toBe(freed.serviceCidr);
    expect(five.nodePortRange).toEqual(freed.nodePortRange);
    expect(five.generation).toBe(1);
  });

  it('wrong Kubernetes version or runtime is refused', async () => {
    for (const [version, runtime, text] of [
      ['1.20.6', 'containerd', 'Kubernetes 1.20.6'],
      ['1.22.5', 'docker', 'runtime docker'],
    ] as const) {
      const other = await seedCluster(h, ['n1'], { version, runtime });
      await h.call('NodeUnitService', 'CreateNodeUnit', {
        cluster: other.name,
        name: 'site',
        spec: unitSpec(['n1']),
      });
      const err = await h
        .call('KinsService', 'Promote', { cluster: other.name, unit: 'site', mode: 'single' })
        .catch((e) => e);
      expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
      expect(err.details).toContain(text);
      expect((await h.call('KinsService', 'GetKins', { cluster: other.name, unit: 'site' })).phase).toBe(
        'none',
      );
    }
  });

  it('an unknown cluster is NOT_FOUND', async () => {
    const err = await h
      .call('NodeUnitService', 'ListNodeUnits', { cluster: 'no-such-cluster' })
      .catch((e) => e);
    expect(err.code).toBe(grpc.status.NOT_FOUND);
  });
});

describe('CLI: edgeplane unit|group|apply against the running service', () => {
  let c: { clusterId: string; name: string };
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    let code = 0;
    try {
      await buildProgram()
        .exitOverride()
        .parseAsync(['node', 'edgeplane', ...args]);
    } catch (error) {
      code = reportError(error);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    return { out: out.join(''), err: err.join(''), code };
  };

  beforeAll(async () => {
    c = await seedCluster(h, ['bj-1', 'bj-2', 'gz-1']);
    process.env.EDGEPLANE_NODEPOOL_ADDR = h.svc.grpcAddress;
  });
  afterAll(() => {
    delete process.env.EDGEPLANE_NODEPOOL_ADDR;
  });

  it('apply -f prints what changed, unit list prints a table, a refusal prints the reason and fails', async () => {
    const file = path.join(os.tmpdir(), `${c.name}.yaml`);
    writeFileSync(
      file,
      ['beijing:[bj-1, bj-2]', 'guangzhou:[gz-1]']
        .map((s) => s.split(':'))
        .map(
          ([n, nodes]) =>
            `apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: ${n}}\nspec: {type: edge, nodes: ${nodes}}\n`,
        )
        .join('---\n') +
        '---\napiVersion: site.superedge.io/v1alpha2\nkind: NodeGroup\nmetadata: {name: location}\nspec: {nodeUnits: [beijing, guangzhou]}\n',
    );
    const applied = await run('apply', '-f', file, '-c', c.name);
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.out).toBe(
      'nodeunit.site.superedge.io/beijing created\nnodeunit.site.superedge.io/guangzhou created\nnodegroup.site.superedge.io/location created\n',
    );
    const again = await run('apply', '-f', file, '-c', c.name);
    expect(again.out).toContain('nodeunit.site.superedge.io/beijing unchanged');

    const table = await run('unit', 'list', '-c', c.name);
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+NODES\s+READY\s+GROUPS\s+KINS\s+AGE$/);
    expect(lines.find((l) => l.startsWith('beijing'))).toMatch(/^beijing\s+edge\s+2\s+0\/2\s+location\s+-/);

    const yaml = await run('group', 'get', 'location', '-c', c.name, '-o', 'yaml');
    expect(yaml.out).toContain('units:\n  - beijing\n  - guangzhou');

    const refused = await run('unit', 'update', 'guangzhou', '-c', c.name, '--nodes', 'gz-1,bj-1');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('INVALID_ARGUMENT');
    expect(refused.err).toContain(
      'node "bj-1" would be in units "beijing" and "guangzhou" of group "location"',
    );

    const created = await run(
      'unit',
      'create',
      'solo',
      '-c',
      c.name,
      '--nodes',
      'gz-1',
      '--set-label',
      'tier=edge',
    );
    expect(created.out).toBe('nodeunit/solo created\n');
    const promoted = await run('unit', 'promote', 'solo', '-c', c.name, '--mode', 'ha');
    expect(promoted.code).toBe(1);
    expect(promoted.err).toContain('3-master HA needs at least 3 nodes');
  });
});
