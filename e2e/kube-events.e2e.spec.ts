/**
 * Kubernetes Events from the durable history (services/kube-api resources/events.ts): cluster +
 * nodepool + grid + kube-api as processes on real PostgreSQL, JetStream and gRPC, nodes joined with a real
 * token, changes made with the CLI; the events read over HTTPS with the kubeconfig's certificate
 * (list, paging, field selectors, get, watch from a resourceVersion, 400/410) and with the real
 * kubectl (`get events`, `get events -w`, `describe node`, a `view` kubeconfig).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropEnvironment, eventually } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createJoinedCluster, planKubeApi, startKubeApi, type KubeApi } from './kube-stack.js';
import { startStack, type RunningStack } from './stack.js';

const NODES = ['bj-1', 'bj-2', 'gz-1'];
let stack: RunningStack;
let kubeApi: KubeApi | undefined;
const logs: string[] = [];
let dir = '';
let kubeconfig = '';
let clusterId = '';
const name = `kev-${randomBytes(3).toString('hex')}`;
/** its own EDGEPLANE_ENV: no other file's services publish into these streams */
const environment = `e2e-kev-${randomBytes(3).toString('hex')}`;
const previousEnv = process.env.EDGEPLANE_ENV;

type Json = any;

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

function credential() {
  const cfg = parseYaml(readFileSync(kubeconfig, 'utf8'));
  const b64 = (v: string) => Buffer.from(v, 'base64');
  return {
    server: cfg.clusters[0].cluster.server as string,
    ca: b64(cfg.clusters[0].cluster['certificate-authority-data']),
    cert: b64(cfg.users[0].user['client-certificate-data']),
    key: b64(cfg.users[0].user['client-key-data']),
  };
}

/** GET with the admin certificate: status and JSON body. */
function get(pathAndQuery: string): Promise<{ status: number; body: Json }> {
  const c = credential();
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(`${c.server}${pathAndQuery}`),
      { ca: c.ca, cert: c.cert, key: c.key, headers: { accept: 'application/json' } },
      (res) => {
        let buf = '';
        res.on('data', (d) => (buf += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: buf ? JSON.parse(buf) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A watch: the status, then the lines until `enough` (or 60 s: the status -1). */
function watch(
  pathAndQuery: string,
  enough: (lines: Json[]) => boolean,
): Promise<{ status: number; lines: Json[]; body?: Json }> {
  const c = credential();
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (r: { status: number; lines: Json[]; body?: Json }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ status: -1, lines: [] }), 60_000);
    const req = https.request(
      new URL(`${c.server}${pathAndQuery}`),
      { ca: c.ca, cert: c.cert, key: c.key, headers: { accept: 'application/json' } },
      (res) => {
        let buf = '';
        const lines: Json[] = [];
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
          finish({ status: res.statusCode ?? 0, lines, ...(buf.trim() ? { body: JSON.parse(buf) } : {}) }),
        );
        res.on('error', () => undefined);
      },
    );
    req.on('error', (e) => (done ? undefined : reject(e)));
    req.end();
  });
}

const fs = (selector: string) => `fieldSelector=${encodeURIComponent(selector)}`;

beforeAll(async () => {
  process.env.EDGEPLANE_ENV = environment;
  dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-kube-events-'));
  const plan = await planKubeApi(dir);
  // grid: kubectl describe node lists the node's pods
  stack = await startStack(['cluster', 'nodepool', 'grid'], plan.stackEnv);
  kubeApi = await startKubeApi(stack, { plan, schemaPrefix: 'e2e_kev_kube_api', cacheSeconds: 1, logs });
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

describe('Kubernetes Events from the durable history', () => {
  it('lists the joins as Events, newest first, with a position in every stream', async () => {
    const list = await get('/api/v1/events');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.kind).toBe('EventList');
    expect(list.body.metadata.resourceVersion).toMatch(/^c\d+\.g\d+\.h\d+\.n\d+$/);
    const joined = list.body.items.filter((e: Json) => e.reason === 'NodeJoined');
    expect(joined.map((e: Json) => e.involvedObject.name).sort()).toEqual([...NODES].sort());
    const bj1 = joined.find((e: Json) => e.involvedObject.name === 'bj-1');
    expect(bj1).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'default' },
      involvedObject: { kind: 'Node', apiVersion: 'v1', name: 'bj-1' },
      type: 'Normal',
      source: { component: 'cluster' },
      reportingComponent: 'edgeplane.io/cluster',
      count: 1,
    });
    expect(bj1.message).toMatch(/^Node bj-1 joined the cluster \(join script; /);
    expect(bj1.metadata.name).toMatch(/^bj-1\.c[0-9a-f]+$/);
    expect(Date.parse(bj1.lastTimestamp)).toBeGreaterThan(Date.now() - 10 * 60_000);
    // the node's uid, so kubectl describe finds them
    const node = await get('/api/v1/nodes/bj-1');
    expect(bj1.involvedObject.uid).toBe(node.body.metadata.uid);
    // newest first
    const times = list.body.items.map((e: Json) => Date.parse(e.eventTime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // the cluster itself (ClusterCreated) is in this cluster's history
    expect(list.body.items.some((e: Json) => e.reason === 'ClusterCreated')).toBe(true);

    // get by name, in its namespace; a name of no event is 404
    const one = await get(`/api/v1/namespaces/default/events/${bj1.metadata.name}`);
    expect(one.status).toBe(200);
    expect(one.body.message).toBe(bj1.message);
    expect((await get(`/api/v1/namespaces/default/events/bj-1.c7fffffff`)).status).toBe(404);
    expect((await get(`/api/v1/namespaces/kube-system/events/${bj1.metadata.name}`)).status).toBe(404);

    // events.k8s.io/v1: the same events in the newer shape
    const v1 = await get(`/apis/events.k8s.io/v1/events?${fs('regarding.name=gz-1')}`);
    expect(v1.status).toBe(200);
    expect(v1.body.items[0]).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      regarding: { kind: 'Node', name: 'gz-1' },
      reason: 'NodeJoined',
      reportingController: 'edgeplane.io/cluster',
    });
  });

  it('pages with limit/continue: every event once, in time order across pages', async () => {
    const all = (await get('/api/v1/events')).body.items.map((e: Json) => e.metadata.name);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const paged: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = await get(
        `/api/v1/events?limit=2${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.items.map((e: Json) => e.metadata.name));
      token = page.body.metadata.continue ?? '';
      pages++;
    } while (token && pages < 50);
    expect(paged).toEqual(all);
    expect(pages).toBeGreaterThanOrEqual(2);
    const bad = await get('/api/v1/events?limit=2&continue=not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/continue: not a continue token/);
  });

  it('field selectors: object, reason, type, node, time bounds; unknown fields and bad values are 400', async () => {
    const names = async (selector: string) => {
      const r = await get(`/api/v1/events?${fs(selector)}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items.map((e: Json) => `${e.reason}/${e.involvedObject.name}`);
    };
    expect(await names('involvedObject.kind=Node,involvedObject.name=bj-2')).toEqual(['NodeJoined/bj-2']);
    expect((await names('reason=NodeJoined')).sort()).toEqual(NODES.map((n) => `NodeJoined/${n}`).sort());
    expect(await names('reason!=NodeJoined,involvedObject.kind=Node')).toEqual([]);
    expect(await names('type=Warning')).toEqual([]);
    // gz-1: its join, and its joining the default unit
    expect(await names('edgeplane.io/node=gz-1')).toEqual([
      'NodeUnitMembersChanged/unit-node-all',
      'NodeJoined/gz-1',
    ]);
    expect((await names('edgeplane.io/since=1h')).length).toBeGreaterThanOrEqual(4);
    expect(await names(`edgeplane.io/since=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    expect(await names('edgeplane.io/until=2020-01-01T00:00:00Z')).toEqual([]);
    // the path's namespace: Node events live in default
    expect((await get('/api/v1/namespaces/kube-system/events')).body.items).toEqual([]);

    const unknown = await get(`/api/v1/events?${fs('spec.nodeName=bj-1')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('field label not supported: spec.nodeName');
    const badTime = await get(`/api/v1/events?${fs('edgeplane.io/since=yesterday')}`);
    expect(badTime.status).toBe(400);
    expect(badTime.body.message).toMatch(/edgeplane\.io\/since: "yesterday" is neither an RFC 3339 time/);
  });

  it('watch from the list position: a label and a unit arrive as they happen, filtered by field selector', async () => {
    const listed = await get('/api/v1/events');
    const rv = listed.body.metadata.resourceVersion as string;
    const all = watch(`/api/v1/events?watch=1&resourceVersion=${rv}`, (lines) =>
      lines.some((l) => l.object?.reason === 'NodeUnitCreated'),
    );
    const units = watch(
      `/api/v1/events?watch=1&resourceVersion=${rv}&${fs('involvedObject.kind=NodeUnit')}`,
      (lines) => lines.some((l) => l.object?.reason === 'NodeUnitCreated'),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await stack.cli('node', 'label', 'bj-1', 'team=edge', '--cluster', name)).code).toBe(0);
    const made = await stack.cli('unit', 'create', 'beijing', '--nodes', 'bj-1,bj-2', '--cluster', name);
    expect(made.code, made.stderr).toBe(0);

    const seen = await all;
    expect(seen.status, `${JSON.stringify(seen.lines)}\n${logs.slice(-20).join('')}`).toBe(200);
    const labelled = seen.lines.find((l) => l.object.reason === 'NodeLabelsChanged');
    expect(labelled).toMatchObject({
      type: 'ADDED',
      object: {
        involvedObject: { kind: 'Node', name: 'bj-1' },
        message: 'Labels of node bj-1 changed: set team=edge',
      },
    });
    const created = seen.lines.find((l) => l.object.reason === 'NodeUnitCreated');
    expect(created.object.involvedObject).toMatchObject({
      kind: 'NodeUnit',
      name: 'beijing',
      apiVersion: 'site.superedge.io/v1alpha2',
    });
    expect(created.object.message).toMatch(/^NodeUnit beijing created \(type edge, nodes bj-1, bj-2\)$/);
    // positions only move forward, and each is a position to resume from
    expect(labelled.object.metadata.resourceVersion).not.toBe(rv);

    const filtered = await units;
    expect(filtered.lines.map((l) => l.object.reason)).not.toContain('NodeLabelsChanged');
    expect(filtered.lines.map((l) => l.object.reason)).toContain('NodeUnitCreated');

    // resumed after the label: the label is not repeated, the unit comes
    const resumed = await watch(
      `/api/v1/events?watch=1&resourceVersion=${labelled.object.metadata.resourceVersion}`,
      (lines) => lines.some((l) => l.object?.reason === 'NodeUnitCreated'),
    );
    expect(resumed.lines.map((l) => l.object.reason)).not.toContain('NodeLabelsChanged');
    expect(resumed.lines.map((l) => l.object.reason)).toContain('NodeUnitCreated');

    // a position without every stream is gone (410: list again); not a position at all is 400
    const gone = await watch('/api/v1/events?watch=1&resourceVersion=c1', () => true);
    expect(gone.status).toBe(410);
    expect(gone.body.reason).toBe('Expired');
    const bad = await watch('/api/v1/events?watch=1&resourceVersion=12', () => true);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/invalid resourceVersion "12"/);
  });

  it('kubectl: get events, get events -w, describe node, and a view kubeconfig', async () => {
    const table = await kubectl(['get', 'events', '-A']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(table.stdout).toMatch(
      /NodeLabelsChanged\s+node\/bj-1\s+Labels of node bj-1 changed: set team=edge/,
    );
    expect(table.stdout).toMatch(/NodeUnitCreated\s+nodeunit\/beijing\s/);

    // -w: the list, then what happens
    const child: ChildProcess = spawn('kubectl', ['--kubeconfig', kubeconfig, 'get', 'events', '-w'], {
      env: { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'kube-cache') },
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      await eventually(async () => /NodeUnitCreated/.test(out), 30_000, 100).catch((e: Error) => {
        throw new Error(`${e.message}; kubectl printed:\n${out}\n${logs.slice(-20).join('')}`);
      });
      expect((await stack.cli('node', 'label', 'gz-1', 'watched=yes', '--cluster', name)).code).toBe(0);
      await eventually(
        async () => /Labels of node gz-1 changed: set watched=yes/.test(out),
        30_000,
        100,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; kubectl printed:\n${out}`);
      });
    } finally {
      child.kill('SIGTERM');
    }

    const described = await kubectl(['describe', 'node', 'bj-1']);
    expect(described.code, described.stderr).toBe(0);
    const section = described.stdout.slice(described.stdout.indexOf('Events:'));
    expect(section).toMatch(/Type\s+Reason\s+Age\s+From\s+Message/);
    expect(section).toMatch(/Normal\s+NodeJoined\s+\S+\s+cluster\s+Node bj-1 joined the cluster/);
    expect(section).toMatch(/Normal\s+NodeLabelsChanged\s+\S+\s+cluster\s+Labels of node bj-1 changed/);
    expect(section).not.toMatch(/gz-1/);

    // view may read the history
    const viewFile = path.join(dir, 'viewer.kubeconfig');
    const issued = await stack.cli(
      'cluster',
      'kubeconfig',
      name,
      '--user',
      'viewer',
      '--role',
      'view',
      '--file',
      viewFile,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const viewed = await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=gz-1'], {
      config: viewFile,
    });
    expect(viewed.code, viewed.stderr).toBe(0);
    expect(viewed.stdout).toMatch(/NodeJoined\s+node\/gz-1/);
    expect(clusterId).toBeTruthy();
  });
});
