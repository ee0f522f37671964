/**
 * The real `kubectl` on PATH against the kube-api front door (services/kube-api), with the
 * kubeconfig `edgeplane cluster kubeconfig` prints. cluster + nodepool + grid + kube-api run as separate
 * processes on real PostgreSQL, JetStream and gRPC; nodes join with a real token.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STREAMS, streamName } from '@edgeplane/contracts';
import { dropEnvironment, eventually, testBus } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { createJoinedCluster, planKubeApi, startKubeApi, type KubeApi } from './kube-stack.js';
import { startStack, type RunningStack } from './stack.js';

const NODES = ['bj-1', 'bj-2', 'gz-1'];
/**
 * Tolerations for pods on nodes whose agents never run (the nodes join without agents): should a
 * health-arbiter judge them after all, their unreachable / not-ready taints keep the pods placed.
 */
const AGENTLESS = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'].map((key) => ({
  key,
  operator: 'Exists',
}));

let stack: RunningStack;
let kubeApi: KubeApi | undefined;
const kubeApiLogs: string[] = [];
let dir = '';
let kubeconfig = '';
let clusterId = '';
const name = `kc-${randomBytes(3).toString('hex')}`;
/**
 * This file's own EDGEPLANE_ENV (streams, subjects, durables), as events-api.e2e does: e2e files
 * share the default environment, where another run's health-arbiter would judge these agentless
 * nodes (unreachable taints, dark units) and the grid would stop placing their pods.
 */
const environment = `e2e-kc-${randomBytes(3).toString('hex')}`;
const previousEnv = process.env.EDGEPLANE_ENV;

function kubectl(args: string[], opts: { config?: string; timeoutMs?: number } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', opts.config ?? kubeconfig, ...args], {
      env: { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'kube-cache') },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function ok(args: string[]): Promise<string> {
  const r = await kubectl(args);
  expect(r.code, `kubectl ${args.join(' ')}: ${r.stderr}\n${kubeApiLogs.slice(-20).join('')}`).toBe(0);
  return r.stdout;
}

/** A raw watch with the kubeconfig's credential: the status, and the lines read until `enough` says so. */
function watchLines(
  pathAndQuery: string,
  enough: (lines: any[]) => boolean,
): Promise<{ status: number; lines: any[]; body?: any }> {
  const cfg = parseYaml(readFileSync(kubeconfig, 'utf8'));
  const b64 = (v: string) => Buffer.from(v, 'base64');
  const url = new URL(`${cfg.clusters[0].cluster.server}${pathAndQuery}`);
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (r: { status: number; lines: any[]; body?: any }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ status: -1, lines: [] }), 20_000);
    const req = https.request(
      url,
      {
        ca: b64(cfg.clusters[0].cluster['certificate-authority-data']),
        cert: b64(cfg.users[0].user['client-certificate-data']),
        key: b64(cfg.users[0].user['client-key-data']),
        headers: { accept: 'application/json' },
      },
      (res) => {
        let buf = '';
        const lines: any[] = [];
        res.on('data', (d) => {
          buf += d;
          if (res.statusCode !== 200) return;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            lines.push(JSON.parse(buf.slice(0, i)));
            buf = buf.slice(i + 1);
          }
          if (enough(lines)) finish({ status: 200, lines });
        });
        res.on('end', () =>
          finish({
            status: res.statusCode ?? 0,
            lines,
            ...(buf.trim() ? { body: JSON.parse(buf) } : {}),
          }),
        );
        res.on('error', () => undefined);
      },
    );
    req.on('error', (e) => (done ? undefined : reject(e)));
    req.end();
  });
}

const nodeLabels = async (n: string) =>
  (await stack.cliJson<{ node: { labels: Record<string, string> } }>('node', 'get', n, '--cluster', name))
    .node.labels;

beforeAll(async () => {
  process.env.EDGEPLANE_ENV = environment;
  dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-kubectl-'));
  const plan = await planKubeApi(dir);
  stack = await startStack(['cluster', 'nodepool', 'grid'], plan.stackEnv);
  kubeApi = await startKubeApi(stack, {
    plan,
    schemaPrefix: 'e2e_kube_api',
    cacheSeconds: 1,
    logs: kubeApiLogs,
  });
  ({ clusterId, kubeconfig } = await createJoinedCluster(stack, {
    name,
    nodes: NODES,
    dir,
    kubeconfig: path.join(dir, 'kubeconfig'),
  }));
}, 240_000);

afterAll(async () => {
  await kubeApi?.stop();
  await stack?.stop();
  await dropEnvironment(environment).catch(() => undefined);
  if (previousEnv === undefined) delete process.env.EDGEPLANE_ENV;
  else process.env.EDGEPLANE_ENV = previousEnv;
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('kubectl against the kube-api front door', () => {
  it("the kubeconfig names the front door, and /version is the cluster's", async () => {
    const server = parseYaml(readFileSync(kubeconfig, 'utf8')).clusters[0].cluster.server as string;
    expect(server).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:\\d+/k8s/clusters/${clusterId}$`));
    const v = JSON.parse(await ok(['version', '-o', 'json']));
    expect(v.serverVersion.gitVersion).toBe('v1.22.5');
    const ns = await ok(['get', 'namespaces']);
    expect(ns).toMatch(/^default\s+Active\s/m);
    expect(ns).toMatch(/^kube-system\s+Active\s/m);
    // the cluster's durable history (resources/events.ts): the joins are there
    const events = await ok(['get', 'events', '-A']);
    for (const n of NODES) expect(events).toMatch(new RegExp(`NodeJoined\\s+node/${n}\\s`));
  });

  it('get nodes: Table (STATUS, ROLES, AGE, VERSION), -o wide, --show-labels, -o yaml', async () => {
    const table = await ok(['get', 'nodes']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    for (const n of NODES)
      expect(table).toMatch(new RegExp(`^${n}\\s+\\S+\\s+<none>\\s+\\d+s\\s+v1\\.22\\.5$`, 'm'));
    const wide = await ok(['get', 'nodes', '-o', 'wide']);
    expect(wide.split('\n')[0]).toMatch(
      /INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME/,
    );
    await ok(['label', 'node', 'bj-1', 'tier=gold']);
    const labels = await ok(['get', 'nodes', '--show-labels']);
    expect(labels).toMatch(/^bj-1\s.*tier=gold/m);
    const selected = await ok(['get', 'nodes', '-l', 'tier=gold', '-o', 'name']);
    expect(selected.trim()).toBe('node/bj-1');
    const byField = await ok(['get', 'nodes', '--field-selector', 'metadata.name=gz-1', '-o', 'name']);
    expect(byField.trim()).toBe('node/gz-1');
    const paged = await ok(['get', 'nodes', '--chunk-size', '1', '-o', 'name']);
    expect(paged.trim().split('\n').sort()).toEqual(NODES.map((n) => `node/${n}`).sort());
    const yaml = parseYaml(await ok(['get', 'node', 'bj-1', '-o', 'yaml']));
    expect(yaml).toMatchObject({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'bj-1', labels: { tier: 'gold' } },
    });
    const all = parseYaml(await ok(['get', 'nodes', '-o', 'yaml']));
    expect(all.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort()).toEqual(
      [...NODES].sort(),
    );
  });

  it('label and unlabel go to the cluster service; a system-owned label is refused naming its owner', async () => {
    await ok(['label', 'node', 'gz-1', 'disk=ssd']);
    expect((await nodeLabels('gz-1')).disk).toBe('ssd');
    await ok(['label', 'node', 'gz-1', 'disk-']);
    expect((await nodeLabels('gz-1')).disk).toBeUndefined();
    // a NodeGroup writes <group>=<unit> on its nodes: that label is nodepool's
    writeFileSync(
      path.join(dir, 'site.yaml'),
      stringify({
        apiVersion: 'site.superedge.io/v1alpha2',
        kind: 'NodeUnit',
        metadata: { name: 'beijing' },
        spec: { type: 'edge', nodes: ['bj-1', 'bj-2'] },
      }) +
        '---\n' +
        stringify({
          apiVersion: 'site.superedge.io/v1alpha2',
          kind: 'NodeGroup',
          metadata: { name: 'location' },
          spec: { nodeUnits: ['beijing'] },
        }),
    );
    await ok(['apply', '-f', path.join(dir, 'site.yaml')]);
    await eventually(async () => (await nodeLabels('bj-2')).location === 'beijing', 20_000, 200);
    const refused = await kubectl(['label', 'node', 'bj-2', 'location=elsewhere', '--overwrite']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/location/);
    expect(refused.stderr).toMatch(/nodepool/);
    expect((await nodeLabels('bj-2')).location).toBe('beijing');
  });

  it('taint / untaint become TaintNode commands', async () => {
    const taints = async () =>
      (
        await stack.cliJson<{ node: { taints: { key: string; value: string; effect: string }[] } }>(
          'node',
          'get',
          'bj-1',
          '--cluster',
          name,
        )
      ).node.taints.map((t) => `${t.key}=${t.value}:${t.effect}`);
    await ok(['taint', 'nodes', 'bj-1', 'dedicated=edge:NoSchedule']);
    expect(await taints()).toContain('dedicated=edge:NoSchedule');
    const yaml = parseYaml(await ok(['get', 'node', 'bj-1', '-o', 'yaml']));
    expect(yaml.spec.taints).toContainEqual({ key: 'dedicated', value: 'edge', effect: 'NoSchedule' });
    await ok(['taint', 'nodes', 'bj-1', 'dedicated:NoSchedule-']);
    expect(await taints()).not.toContain('dedicated=edge:NoSchedule');
  });

  it('cordon / uncordon: SchedulingDisabled through the cluster service', async () => {
    await ok(['cordon', 'gz-1']);
    const n = await stack.cliJson<{ node: { schedulable: boolean } }>(
      'node',
      'get',
      'gz-1',
      '--cluster',
      name,
    );
    expect(n.node.schedulable).toBe(false);
    expect(await ok(['get', 'node', 'gz-1'])).toMatch(/^gz-1\s+\S+,SchedulingDisabled\s/m);
    await ok(['uncordon', 'gz-1']);
    const after = await stack.cliJson<{ node: { schedulable: boolean } }>(
      'node',
      'get',
      'gz-1',
      '--cluster',
      name,
    );
    expect(after.node.schedulable).toBe(true);
    expect(await ok(['get', 'node', 'gz-1'])).not.toMatch(/SchedulingDisabled/);
  });

  it('NodeUnit / NodeGroup: get, apply (client- and server-side), v1alpha1 served converted, delete -f', async () => {
    const units = await ok(['get', 'nodeunits']);
    expect(units).toMatch(/^beijing\s+edge\s+\S+/m);
    const groups = await ok(['get', 'nodegroups']);
    expect(groups).toMatch(/^location\s+beijing\s/m);
    // update through client-side apply: gz-1 joins beijing
    writeFileSync(
      path.join(dir, 'bj.yaml'),
      stringify({
        apiVersion: 'site.superedge.io/v1alpha2',
        kind: 'NodeUnit',
        metadata: { name: 'beijing' },
        spec: { type: 'edge', nodes: ['bj-1', 'bj-2', 'gz-1'] },
      }),
    );
    await ok(['apply', '-f', path.join(dir, 'bj.yaml')]);
    await eventually(async () => (await nodeLabels('gz-1')).location === 'beijing', 20_000, 200);
    // SuperEdge's v1alpha1 spelling, server-side apply
    writeFileSync(
      path.join(dir, 'gz.yaml'),
      stringify({
        apiVersion: 'site.superedge.io/v1alpha1',
        kind: 'NodeUnit',
        metadata: { name: 'guangzhou' },
        spec: { type: 'edge', nodes: ['gz-1'], setnode: { labels: { site: 'gz' } } },
      }),
    );
    const moved = await kubectl(['apply', '--server-side', '-f', path.join(dir, 'gz.yaml')]);
    // gz-1 is now in both beijing and guangzhou: fine for units (no group holds guangzhou)
    expect(moved.code, moved.stderr).toBe(0);
    const v1 = parseYaml(
      await ok(['get', 'nodeunits.v1alpha1.site.superedge.io', 'guangzhou', '-o', 'yaml']),
    );
    expect(v1.apiVersion).toBe('site.superedge.io/v1alpha1');
    expect(v1.spec.setnode.labels.site).toBe('gz');
    const v2 = parseYaml(
      await ok(['get', 'nodeunits.v1alpha2.site.superedge.io', 'guangzhou', '-o', 'yaml']),
    );
    expect(v2.spec.setNode.labels.site).toBe('gz');
    await eventually(async () => (await nodeLabels('gz-1')).site === 'gz', 20_000, 200);
    // unknown fields are refused server-side (fieldValidation=Strict)
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      stringify({
        apiVersion: 'site.superedge.io/v1alpha2',
        kind: 'NodeUnit',
        metadata: { name: 'bad' },
        spec: { type: 'edge', nodez: ['x'] },
      }),
    );
    const bad = await kubectl(['apply', '-f', path.join(dir, 'bad.yaml')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown field "spec.nodez"/);
    await ok(['delete', '-f', path.join(dir, 'gz.yaml')]);
    const gone = await kubectl(['get', 'nodeunit', 'guangzhou']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/NotFound|not found/);
  });

  it('explain reads the served OpenAPI schemas', async () => {
    expect(await ok(['explain', 'nodeunits.spec'])).toMatch(/setNode/);
    expect(await ok(['explain', 'nodes.spec'])).toMatch(/unschedulable/);
  });

  it('DeploymentGrid: apply (client- and server-side), get dg, diff changes nothing, Strict and Invalid, delete -f — checked through the grid API', async () => {
    const file = path.join(dir, 'dg.yaml');
    const dg = (replicas: number, extra: Record<string, unknown> = {}) =>
      stringify({
        apiVersion: 'superedge.io/v1',
        kind: 'DeploymentGrid',
        metadata: { name: 'hello', labels: { team: 'web' } },
        spec: {
          gridUniqKey: 'location',
          template: {
            replicas,
            selector: { matchLabels: { app: 'hello' } },
            template: {
              metadata: { labels: { app: 'hello' } },
              spec: {
                containers: [{ name: 'web', image: 'localhost/edgeplane/busybox-httpd:1' }],
                tolerations: AGENTLESS,
              },
            },
          },
          ...extra,
        },
      });
    const describe = () =>
      stack.cliJson<{
        generation: number;
        kind: string;
        children: { unit: string; desiredPods: number; scheduledPods: number }[];
      }>('grid', 'describe', 'hello', '--cluster', name);

    // client-side apply: GET 404, then POST with the last-applied annotation
    writeFileSync(file, dg(2));
    expect(await ok(['apply', '-f', file])).toMatch(/deploymentgrid\.superedge\.io\/hello created/);
    const created = await describe();
    expect(created).toMatchObject({ kind: 'DeploymentGrid', generation: 1 });
    expect(created.children).toEqual([expect.objectContaining({ unit: 'beijing', desiredPods: 2 })]);

    // placed once the grid service has the nodes of the unit (its consumers are asynchronous)
    let table = '';
    await eventually(
      async () => /^hello\s+location\s+1\s+2\/2\s+\S+\s+\d+s$/m.test((table = await ok(['get', 'dg']))),
      60_000,
      250,
    ).catch(async (e: Error) => {
      const pods = await stack.cli('pod', 'list', '--cluster', name, '-o', 'yaml');
      throw new Error(
        `${e.message}; kubectl get dg:\n${table}\nedgeplane pod list:\n${pods.stdout}${pods.stderr}`,
      );
    });
    expect(table.split('\n')[0]).toMatch(/^NAME\s+GRID-KEY\s+UNITS\s+SCHEDULED\s+ROLLOUT\s+AGE$/);
    expect(await ok(['get', 'dg', '-A'])).toMatch(/^default\s+hello\s+location\s/m);
    expect((await ok(['get', 'dg', '-o', 'wide'])).split('\n')[1]).toMatch(/\shello-beijing$/);
    const live = parseYaml(await ok(['get', 'deploymentgrid', 'hello', '-o', 'yaml']));
    expect(live).toMatchObject({
      apiVersion: 'superedge.io/v1',
      kind: 'DeploymentGrid',
      metadata: { name: 'hello', namespace: 'default', generation: 1, labels: { team: 'web' } },
      spec: { gridUniqKey: 'location', template: { replicas: 2 } },
      status: { states: { beijing: { name: 'hello-beijing', replicas: 2 } } },
    });
    expect(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toMatch(
      /"replicas":2/,
    );

    // the pods of the grid (no agents here: placed, not reported)
    const pods = await ok(['get', 'pods']);
    expect(pods.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const podRows = pods.split('\n').filter((l) => l.startsWith('hello-beijing'));
    expect(podRows).toHaveLength(2);
    const wide = await ok(['get', 'pods', '-o', 'wide']);
    expect(wide.split('\n')[0]).toMatch(/\sIP\s+NODE\s+UNIT$/);
    const placedOn = wide
      .split('\n')
      .filter((l) => l.startsWith('hello-beijing'))
      .map((l) => l.trim().split(/\s+/).at(-2));
    for (const n of placedOn) expect(['bj-1', 'bj-2', 'gz-1']).toContain(n);
    const onNode = placedOn[0]!;
    const byNode = await ok([
      'get',
      'pods',
      '-n',
      'default',
      '--field-selector',
      `spec.nodeName=${onNode}`,
      '-o',
      'name',
    ]);
    expect(byNode.trim().split('\n').length).toBe(placedOn.filter((n) => n === onNode).length);
    expect((await ok(['get', 'pods', '-l', 'app=hello', '-o', 'name'])).trim().split('\n')).toHaveLength(2);
    expect((await ok(['get', 'pods', '-l', 'app=other', '-o', 'name'])).trim()).toBe('');
    expect((await kubectl(['get', 'pods', '-n', 'kube-system'])).stderr).toMatch(/No resources found/);
    const pod = parseYaml(await ok(['get', 'pod', podRows[0]!.split(/\s+/)[0]!, '-o', 'yaml']));
    expect(pod).toMatchObject({
      kind: 'Pod',
      metadata: { namespace: 'default', labels: { app: 'hello', 'superedge.io/grid-selector': 'hello' } },
      spec: { nodeName: expect.any(String), containers: [expect.objectContaining({ name: 'web' })] },
    });

    // resourceVersions of grids and pods are positions of the grid stream
    const listRv = (await watchLines('/apis/superedge.io/v1/namespaces/default/deploymentgrids', () => false))
      .body.metadata.resourceVersion as string;
    expect(Number(listRv)).toBeGreaterThan(0);
    const firstPods = podRows.map((l) => l.split(/\s+/)[0]);

    // diff: a server-side dry run of the change — shown, and nothing stored
    writeFileSync(file, dg(3));
    const diff = await kubectl(['diff', '-f', file]);
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout).toMatch(/^-\s+replicas: 2$/m);
    expect(diff.stdout).toMatch(/^\+\s+replicas: 3$/m);
    expect((await describe()).generation).toBe(1);

    // server-side apply of the change
    const ssa = await kubectl(['apply', '--server-side', '-f', file]);
    expect(ssa.code, ssa.stderr).toBe(0);
    expect(ssa.stdout).toMatch(/deploymentgrid\.superedge\.io\/hello serverside-applied/);
    const updated = await describe();
    expect(updated.generation).toBe(2);
    expect(updated.children[0]).toMatchObject({ unit: 'beijing', desiredPods: 3 });
    // watches opened after the change, from the list's resourceVersion, replay it from the stream
    const gridWatch = await watchLines(
      `/apis/superedge.io/v1/namespaces/default/deploymentgrids?watch=true&resourceVersion=${listRv}&timeoutSeconds=10`,
      (lines) => lines.some((l) => l.object?.metadata?.generation === 2),
    );
    expect(gridWatch.lines.find((l) => l.object?.metadata?.generation === 2)).toMatchObject({
      type: 'MODIFIED',
      object: { kind: 'DeploymentGrid', metadata: { name: 'hello' }, spec: { template: { replicas: 3 } } },
    });
    const isNew = (l: any) => l.type === 'ADDED' && !firstPods.includes(l.object?.metadata?.name);
    const podWatch = await watchLines(
      `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${listRv}&timeoutSeconds=10`,
      (lines) => lines.some(isNew),
    );
    expect(podWatch.lines.find(isNew)).toMatchObject({
      object: { kind: 'Pod', metadata: { labels: { app: 'hello' } }, spec: { nodeName: expect.any(String) } },
    });
    // server-side apply owns the spec it applies: a field it no longer names goes back to its default
    writeFileSync(file, dg(3, { rolloutStrategy: { soakSeconds: 5 } }));
    await ok(['apply', '--server-side', '-f', file]);
    const soak = () => ok(['get', 'dg', 'hello', '-o', 'jsonpath={.spec.rolloutStrategy.soakSeconds}']);
    expect(await soak()).toBe('5');
    writeFileSync(file, dg(3));
    await ok(['apply', '--server-side', '-f', file]);
    expect(await soak()).toBe('30');

    // client-side apply after it refreshes the last-applied copy; the same file again changes nothing
    expect(await ok(['apply', '-f', file])).toMatch(/hello configured/);
    const settled = (await describe()).generation;
    expect(await ok(['apply', '-f', file])).toMatch(/hello unchanged/);
    expect((await describe()).generation).toBe(settled);
    expect((await describe()).children[0]).toMatchObject({ desiredPods: 3 });

    // an unknown field is refused (Strict), an invalid spec is 422 naming the field; nothing stored
    writeFileSync(file, dg(3, { gridUniqkey: 'typo' }));
    const strict = await kubectl(['apply', '-f', file]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toMatch(/unknown field "spec.gridUniqkey"/);
    writeFileSync(file, dg(4).replace('image: localhost/edgeplane/busybox-httpd:1', 'image: 42'));
    const invalid = await kubectl(['apply', '-f', file]);
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toMatch(/The DeploymentGrid "hello" is invalid/);
    expect(invalid.stderr).toMatch(/spec\.template\.template\.spec\.containers\[0\]\.image/);
    expect((await describe()).generation).toBe(settled);

    // another kind of the same name is a conflict (grids are unique by name per cluster)
    writeFileSync(
      path.join(dir, 'sg.yaml'),
      stringify({
        apiVersion: 'superedge.io/v1',
        kind: 'ServiceGrid',
        metadata: { name: 'hello' },
        spec: { gridUniqKey: 'location', template: { selector: { app: 'hello' }, ports: [{ port: 80 }] } },
      }),
    );
    const clash = await kubectl(['create', '-f', path.join(dir, 'sg.yaml')]);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toMatch(/AlreadyExists|already exists/);

    // a ServiceGrid and a StatefulSetGrid in one file, in another namespace (kubectl's -n)
    const more = path.join(dir, 'more.yaml');
    writeFileSync(
      more,
      stringify({
        apiVersion: 'superedge.io/v1',
        kind: 'ServiceGrid',
        metadata: { name: 'hello-svc' },
        spec: { gridUniqKey: 'location', template: { selector: { app: 'hello' }, ports: [{ port: 80 }] } },
      }) +
        '---\n' +
        stringify({
          apiVersion: 'superedge.io/v1',
          kind: 'StatefulSetGrid',
          metadata: { name: 'db' },
          spec: {
            gridUniqKey: 'location',
            template: {
              replicas: 1,
              serviceName: 'db-svc',
              selector: { matchLabels: { app: 'db' } },
              template: {
                metadata: { labels: { app: 'db' } },
                spec: {
                  containers: [{ name: 'db', image: 'localhost/edgeplane/busybox-httpd:1' }],
                  tolerations: AGENTLESS,
                },
              },
            },
          },
        }),
    );
    const applied = await ok(['apply', '-n', 'apps', '-f', more]);
    expect(applied).toMatch(/servicegrid\.superedge\.io\/hello-svc created/);
    expect(applied).toMatch(/statefulsetgrid\.superedge\.io\/db created/);
    const kinds = await stack.cliJson<{ items: { kind: string; name: string }[] }>(
      'grid',
      'get',
      '--cluster',
      name,
    );
    expect(kinds.items.map((g) => `${g.kind}/${g.name}`).sort()).toEqual([
      'DeploymentGrid/hello',
      'ServiceGrid/hello-svc',
      'StatefulSetGrid/db',
    ]);
    expect(await ok(['get', 'sg', '-n', 'apps'])).toMatch(/^hello-svc\s+location\s+1\s+\d+\s+\d+s$/m);
    expect(await ok(['get', 'ssg', '-n', 'apps'])).toMatch(/^db\s+location\s+1\s+\d\/1\s/m);
    expect((await kubectl(['get', 'sg'])).stderr).toMatch(/No resources found in default namespace/);
    expect((await kubectl(['get', 'ssg', 'db'])).stderr).toMatch(/NotFound|not found/);
    expect(await ok(['delete', '-n', 'apps', '-f', more])).toMatch(
      /statefulsetgrid\.superedge\.io "db" deleted/,
    );
    const left = await stack.cliJson<{ items: { name: string }[] }>('grid', 'get', '--cluster', name);
    expect(left.items.map((g) => g.name)).toEqual(['hello']);

    expect(await ok(['explain', 'deploymentgrid.spec'])).toMatch(/gridUniqKey[\s\S]*templatePool/);
    expect(await ok(['explain', 'deploymentgrid.spec.template.template.spec.containers'])).toMatch(/image/);

    writeFileSync(file, dg(3));
    expect(await ok(['delete', '-f', file])).toMatch(/deploymentgrid\.superedge\.io "hello" deleted/);
    const gone = await stack.cli('grid', 'describe', 'hello', '--cluster', name);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/NOT_FOUND|not found/i);
    expect((await kubectl(['get', 'pods', '-o', 'name'])).stdout.trim()).toBe('');
  });

  it('get nodes -w shows a label change made through the gRPC API', async () => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-w', '--show-labels'], {
      env: { ...process.env, HOME: dir },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      await eventually(() => NODES.every((n) => out.includes(n)), 20_000, 100);
      const labelled = await stack.cli('node', 'label', 'gz-1', 'watched=yes', '--cluster', name);
      expect(labelled.code, labelled.stderr).toBe(0);
      await eventually(() => /^gz-1\s.*watched=yes/m.test(out), 20_000, 100).catch((e: Error) => {
        throw new Error(`${e.message}; kubectl printed:\n${out}\n${kubeApiLogs.slice(-20).join('')}`);
      });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it("a watch resumes from a list's resourceVersion (replaying what happened since); a purged one is 410 Gone", async () => {
    const rv = (await watchLines('/api/v1/nodes', () => false)).body.metadata.resourceVersion as string;
    expect(Number(rv)).toBeGreaterThan(0);
    const labelled = await stack.cli('node', 'label', 'bj-2', 'resumed=yes', '--cluster', name);
    expect(labelled.code, labelled.stderr).toBe(0);
    // opened after the change: the change is still delivered, from the stream
    const events = await watchLines(
      `/api/v1/nodes?watch=true&resourceVersion=${rv}&timeoutSeconds=10`,
      (lines) => lines.some((l) => l.object?.metadata?.labels?.resumed === 'yes'),
    );
    const hit = events.lines.find((l) => l.object?.metadata?.labels?.resumed === 'yes');
    expect(hit).toMatchObject({ type: 'MODIFIED', object: { kind: 'Node', metadata: { name: 'bj-2' } } });
    expect(Number(hit.object.metadata.resourceVersion)).toBeGreaterThan(Number(rv));

    // another change, then the stream forgets everything but its last message: the old position is gone
    expect((await stack.cli('node', 'label', 'bj-2', 'resumed-', '--cluster', name)).code).toBe(0);
    const bus = await testBus();
    try {
      await bus.jsm.streams.purge(streamName(STREAMS.CLUSTER.name), { keep: 1 });
    } finally {
      await bus.close();
    }
    const gone = await watchLines(`/api/v1/nodes?watch=true&resourceVersion=${rv}`, () => true);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });

  it('a node credential reads its own Node only (Forbidden otherwise, in kube-apiserver words)', async () => {
    const cfg = parseYaml(readFileSync(kubeconfig, 'utf8'));
    cfg.users[0].user = {
      'client-certificate-data': readFileSync(path.join(dir, 'bj-1', 'node.crt')).toString('base64'),
      'client-key-data': readFileSync(path.join(dir, 'bj-1', 'node.key')).toString('base64'),
    };
    const nodeConfig = path.join(dir, 'node-kubeconfig');
    writeFileSync(nodeConfig, stringify(cfg));
    const own = await kubectl(['get', 'node', 'bj-1', '-o', 'name'], { config: nodeConfig });
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout.trim()).toBe('node/bj-1');
    const other = await kubectl(['get', 'node', 'gz-1'], { config: nodeConfig });
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(
      /Forbidden.*nodes "gz-1" is forbidden: User "system:node:bj-1" cannot get resource "nodes"/,
    );
    const write = await kubectl(['label', 'node', 'bj-1', 'by-node=yes'], { config: nodeConfig });
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/forbidden/);
    expect((await nodeLabels('bj-1'))['by-node']).toBeUndefined();
  });

  it("a certificate of another cluster's CA is refused with 401", async () => {
    const other = `${name}-x`;
    const made = await stack.cli(
      'cluster',
      'create',
      other,
      '--k8s-version',
      '1.22.5',
      '--runtime',
      'containerd',
      '--region',
      'ap-guangzhou',
      '--vpc-cidr',
      '10.1.0.0/16',
      '--pod-cidr',
      '172.20.0.0/16',
      '--service-cidr',
      '172.21.0.0/20',
    );
    expect(made.code, made.stderr).toBe(0);
    const foreign = path.join(dir, 'foreign');
    expect((await stack.cli('cluster', 'kubeconfig', other, '--file', foreign)).code).toBe(0);
    const cfg = parseYaml(readFileSync(foreign, 'utf8'));
    // the other cluster's admin credential, sent to this cluster's URL
    cfg.clusters[0].cluster.server = parseYaml(readFileSync(kubeconfig, 'utf8')).clusters[0].cluster.server;
    writeFileSync(foreign, stringify(cfg));
    const r = await kubectl(['get', 'nodes'], { config: foreign });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized|must be logged in/);
  });
});
