import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../../cli/src/main.js';
import { reportError } from '../../../cli/src/client.js';
import { clusterCreated, eventually, membershipChanged, nodeJoined, uniqueName } from '@edgeplane/testing';
import { GridHarness } from './support/grid-harness.js';

const h = new GridHarness();

const UNITS = { alpha: 'a-1', bravo: 'b-1', charlie: 'c-1' };

/** A DeploymentGrid rolled out one unit per wave, soaking 1 s, failing a unit not ready within 3 s. */
const web = (image: string, extra = '') => `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: web
spec:
  gridUniqKey: sites
  rolloutStrategy:
    waveSize: 1
    soakSeconds: 1
    progressDeadlineSeconds: 3
  template:
    replicas: 1
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
      spec:${extra}
        containers:
          - name: web
            image: ${image}
`;

async function run(...args: string[]) {
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
}

describe('grid rollout across units and the CLI, over real gRPC, PostgreSQL and JetStream', () => {
  const clusterId = `cls-${uniqueName('r').slice(2).replace(/_/g, '')}`;
  const cluster = uniqueName('roll').replace(/_/g, '-');
  const file = path.join(os.tmpdir(), `${cluster}.yaml`);

  const rollout = () => h.call('RolloutStatus', { cluster, name: 'web' });
  const rolloutIs = (phase: string, timeoutMs = 30_000) =>
    eventually(async () => (await rollout()).state === phase, timeoutMs, 200);
  const revisions = async () =>
    new Map(
      (await h.call('ListPods', { cluster, grid: 'web' })).pods.map(
        (p: { unit: string; revision: string; node: string }) => [p.unit, p.node ? p.revision : 'pending'],
      ),
    );
  const published = (type: string) =>
    h.published.filter((e) => e.type === type && (e.data as { clusterId: string }).clusterId === clusterId);

  beforeAll(async () => {
    await h.start();
    process.env.EDGEPLANE_GRID_ADDR = h.svc.grpcAddress;
    await h.publish('ClusterCreated', `cluster-${clusterId}`, clusterCreated(clusterId, cluster));
    for (const [unit, node] of Object.entries(UNITS)) {
      await h.publish('NodeJoined', `node-${clusterId}-${node}`, nodeJoined(clusterId, node));
      await h.publish(
        'NodeMembershipChanged',
        `nodemembership:${clusterId}:${node}`,
        membershipChanged(clusterId, node, [unit]),
      );
    }
    await h.publish('NodeGroupUnitsChanged', `nodegroup:${clusterId}:sites`, {
      clusterId,
      name: 'sites',
      units: Object.keys(UNITS),
      added: Object.keys(UNITS),
      removed: [],
      at: new Date().toISOString(),
    });
    await h.upstreamSettled(clusterId, 3, { sites: Object.keys(UNITS) });
  }, 180_000);

  afterAll(async () => {
    delete process.env.EDGEPLANE_GRID_ADDR;
    await h.stop();
  });

  it('apply -f routes grid YAML to the grid service; grid get, pod list, render print it', async () => {
    writeFileSync(file, web('busybox:1'));
    const applied = await run('apply', '-f', file, '-c', cluster);
    expect(applied).toMatchObject({ code: 0, out: 'deploymentgrid.superedge.io/web created\n' });

    const table = await run('grid', 'get', '-c', cluster);
    const lines = table.out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+GROUP\s+CHILDREN\s+PODS\s+ROLLOUT\s+GENERATION\s+AGE$/);
    expect(lines[1]).toMatch(/^web\s+DeploymentGrid\s+sites\s+3\s+3\/3\s/);

    const pods = JSON.parse((await run('pod', 'list', '-c', cluster, '--grid', 'web', '-o', 'json')).out);
    expect(pods.items.map((p: { node: string }) => p.node).sort()).toEqual(['a-1', 'b-1', 'c-1']);

    const rendered = await run('grid', 'render', 'web', '-c', cluster);
    expect(rendered.out.match(/^kind: Deployment$/gm)).toHaveLength(3);
    expect(rendered.out).toContain('apiVersion: apps/v1');
    expect(rendered.out).toContain('name: web-alpha');

    const missing = await run('grid', 'get', 'nope', '-c', cluster);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('NOT_FOUND');
  });

  it('a new image rolls out one wave at a time through the health gate, as events', async () => {
    const before = await revisions();
    writeFileSync(file, web('busybox:2'));
    const mark = h.published.length;
    expect((await run('apply', '-f', file, '-c', cluster)).out).toBe(
      'deploymentgrid.superedge.io/web configured\n',
    );
    await rolloutIs('Complete');
    const after = await revisions();
    expect(new Set(after.values()).size).toBe(1);
    expect(after.get('charlie')).not.toBe(before.get('charlie'));
    await eventually(
      () => published('RolloutWaveCompleted').some((e) => (e.data as { done: boolean }).done),
      15_000,
    );
    // a unit's pod moved to the new revision only after the wave before it had completed
    const since = h.published.slice(mark);
    const data = (e: (typeof since)[number]) => e.data as { unit?: string; wave?: number };
    for (const [unit, wave] of [
      ['bravo', 0],
      ['charlie', 1],
    ] as const) {
      const moved = since.findIndex((e) => e.type === 'PodScheduled' && data(e).unit === unit);
      const completed = since.findIndex((e) => e.type === 'RolloutWaveCompleted' && data(e).wave === wave);
      expect(completed, `wave ${wave} completed`).toBeGreaterThanOrEqual(0);
      expect(moved, `${unit} moved after wave ${wave}`).toBeGreaterThan(completed);
    }
    expect(published('RolloutWaveStarted').map((e) => (e.data as { units: string[] }).units)).toEqual([
      ['alpha'],
      ['bravo'],
      ['charlie'],
    ]);
    const status = await run('grid', 'rollout', 'status', 'web', '-c', cluster);
    expect(status.out).toMatch(/generation 2: Complete/);
  });

  it('pause holds the next wave; resume goes on', async () => {
    writeFileSync(file, web('busybox:3'));
    await run('apply', '-f', file, '-c', cluster);
    const paused = await run('grid', 'rollout', 'pause', 'web', '-c', cluster, '-o', 'json');
    const answer = JSON.parse(paused.out);
    expect(answer).toMatchObject({ generation: 3, state: 'Paused' });
    const heldRevisions = await revisions();
    await new Promise((r) => setTimeout(r, 3000));
    const held = await rollout();
    expect(held.state).toBe('Paused');
    expect(held.currentWave).toBe(answer.currentWave);
    expect(await revisions()).toEqual(heldRevisions);
    // charlie is in the last wave: it cannot have moved while the rollout is paused
    expect(heldRevisions.get('charlie')).not.toBe(heldRevisions.get('alpha'));
    expect((await run('grid', 'rollout', 'resume', 'web', '-c', cluster)).code).toBe(0);
    await rolloutIs('Complete');
  });

  it('a wave whose pods never get ready halts the rollout; undo restores the previous revision', async () => {
    const good = await revisions();
    // nodeSelector no node matches: the first wave's pod stays Pending past the 3 s deadline
    writeFileSync(file, web('busybox:4', '\n        nodeSelector: {disk: ssd}'));
    await run('apply', '-f', file, '-c', cluster);
    await rolloutIs('Failed');
    await eventually(() => published('RolloutWaveHalted').length === 1, 15_000);
    const halted = await revisions();
    expect(halted.get('alpha')).toBe('pending');
    expect(halted.get('bravo')).toBe(good.get('bravo'));
    expect(halted.get('charlie')).toBe(good.get('charlie'));

    const undone = await run('grid', 'rollout', 'undo', 'web', '-c', cluster);
    expect(undone.code).toBe(0);
    await eventually(async () => (await revisions()).get('alpha') === good.get('alpha'), 30_000, 200);
    const restored = await revisions();
    expect([...restored.values()]).toEqual([...good.values()]);
    expect(published('RolloutUndone')).toHaveLength(1);
  });

  it('a new revision over a halted rollout starts from what the units run, not from the failed one', async () => {
    const good = await revisions();
    writeFileSync(file, web('busybox:5', '\n        nodeSelector: {disk: ssd}'));
    await run('apply', '-f', file, '-c', cluster);
    await rolloutIs('Failed');
    expect((await revisions()).get('alpha')).toBe('pending');
    writeFileSync(file, web('busybox:6'));
    await run('apply', '-f', file, '-c', cluster);
    // bravo and charlie wait for their wave on the revision they ran, never on the failed one
    const waiting = await revisions();
    expect(waiting.get('bravo')).not.toBe('pending');
    expect(waiting.get('charlie')).toBe(good.get('charlie'));
    await rolloutIs('Complete');
    const done = await revisions();
    expect(new Set(done.values()).size).toBe(1);
    expect(done.get('alpha')).not.toBe('pending');
    expect(done.get('alpha')).not.toBe(good.get('alpha'));
  });

  it('agent pod status drives the health gate: ErrImagePull on the first wave halts the rollout at once', async () => {
    type Listed = { name: string; node: string; revision: string; unit: string };
    const report = (
      node: string,
      pods: { name: string; revision: string; ready: boolean; reason?: string }[],
    ) =>
      h.publish('NodePodsStatusReported', `podstatus:${clusterId}:${node}`, {
        clusterId,
        node,
        pods: pods.map((p, i) => ({
          uid: `${node}-${i}-${p.revision}`,
          name: p.name,
          namespace: 'default',
          phase: p.ready ? 'Running' : 'Pending',
          ready: p.ready,
          restarts: 0,
          ...(p.ready ? { podIP: `10.42.0.${i + 10}` } : {}),
          ...(p.reason ? { reason: p.reason, message: `image busybox:bad not found` } : {}),
          revision: p.revision,
          containers: [],
        })),
        podsStreamVersion: 1,
        runtime: 'process',
        reportedAt: new Date().toISOString(),
      });
    const listed = async (): Promise<Listed[]> => (await h.call('ListPods', { cluster, grid: 'web' })).pods;
    // every node's agent reports its pod running and ready
    for (const p of await listed())
      await report(p.node, [{ name: p.name, revision: p.revision, ready: true }]);
    await eventually(async () => {
      const rows = await h.svc.db
        .withSchema(h.schema)
        .selectFrom('proj_pod_status' as never)
        .select('node' as never)
        .where('cluster_id' as never, '=', clusterId as never)
        .execute();
      return rows.length === 3;
    }, 15_000);

    writeFileSync(file, web('busybox:bad'));
    await run('apply', '-f', file, '-c', cluster);
    const alpha = (await listed()).find((p) => p.unit === 'alpha')!;
    await report(alpha.node, [
      { name: alpha.name, revision: alpha.revision, ready: false, reason: 'ErrImagePull' },
    ]);
    await rolloutIs('Failed', 15_000);
    const halted = published('RolloutWaveHalted').at(-1)!.data as { reason: string; units: string[] };
    expect(halted.units).toEqual(['alpha']);
    expect(halted.reason).toContain('ErrImagePull');
    // bravo and charlie never got the bad image
    const after = await listed();
    expect(after.find((p) => p.unit === 'bravo')!.revision).not.toBe(alpha.revision);
    expect(after.find((p) => p.unit === 'charlie')!.revision).not.toBe(alpha.revision);
  });

  it("grid delete removes the grid, its pods and every node's assignment", async () => {
    const deleted = await run('grid', 'delete', 'web', '-c', cluster);
    expect(deleted).toMatchObject({ code: 0, out: 'grid/web deleted\n' });
    expect((await h.call('ListPods', { cluster })).pods).toEqual([]);
    expect((await run('grid', 'get', '-c', cluster)).out).toBe('No resources found.\n');
    await eventually(() => {
      const byNode = h.nodePods(clusterId);
      return Object.values(UNITS).every((node) => (byNode.get(node) ?? ['?']).length === 0);
    }, 15_000);
    expect(published('GridDeleted')).toHaveLength(1);
  });
});
