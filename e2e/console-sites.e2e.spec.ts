/**
 * NodeUnits/NodeGroups in the web console (issue 13, H5), in Debian's Chromium (playwright-core):
 * cluster + nodepool + kube-api + the console server as processes on real PostgreSQL, JetStream
 * and gRPC, the guide's five nodes joined with a real token. The guide's units and group imported
 * with "Import YAML" (server-side apply per document), a unit edited (a refusal on its field, then
 * a change that reaches the nodes), Kins promote/demote followed until done, and a `--role view`
 * user who sees no create/edit/delete/import button anywhere and whose writes the API refuses.
 * Screenshots in test-results/console/sites/. Needs console/dist and /usr/bin/chromium.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import {
  ensurePlatformPki,
  loadPackage,
  mtlsCredentials,
  platformPkiDir,
  protoFilesOf,
} from '@edgeplane/proto';
import { eventually, freePort } from '@edgeplane/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJoinedCluster, planKubeApi, startKubeApi, type KubeApi } from './kube-stack.js';
import { startStack, type RunningStack } from './stack.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results', 'console', 'sites');
const NODES = ['bj-1', 'bj-2', 'gz-1', 'gz-2', 'gz-3'];
const ready = existsSync(CHROMIUM) && existsSync(path.join(REPO, 'console/dist/index.html'));

/** The guide's units and group (e2e/guide.e2e.spec.ts, ../shared/seed/), as one multi-document YAML. */
const GUIDE_YAML = `apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata:
  name: beijing
spec:
  type: edge
  nodes: [bj-1, bj-2]
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
  nodes: [gz-1, gz-2, gz-3]
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeGroup
metadata:
  name: location
spec:
  nodeUnits: [beijing, guangzhou]
`;

let stack: RunningStack;
const procs: ChildProcess[] = [];
const logs: string[] = [];
let kubeApi: KubeApi | undefined;
let dir = '';
let kubeconfig = '';
let clusterId = '';
let consoleUrl = '';
let browser: Browser | undefined;
let page: Page;
const name = `sites-${randomBytes(3).toString('hex')}`;
/** SelfSubjectAccessReviews in flight / answered on the page (role-hiding waits for them) */
let reviewsInFlight = 0;
let reviewsAnswered = 0;

const shot = (file: string) => page.screenshot({ path: path.join(SHOTS, file), fullPage: false });
const at = (p: string) => `${consoleUrl}/clusters/${clusterId}${p}`;

async function login(file: string) {
  await page.goto(`${consoleUrl}/login`);
  await page.locator('textarea').fill(readFileSync(file, 'utf8'));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(new RegExp(`/clusters/${clusterId}/nodes$`), { timeout: 15_000 });
}

/** Until the page's access reviews are answered (none in flight, at least one since `since`). */
async function reviewsSettled(since: number) {
  await eventually(async () => reviewsInFlight === 0 && reviewsAnswered > since, 10_000, 50);
  await page.waitForTimeout(200); // one render after the last answer
}

/** The agents' report (what the unit's edge agents send once K3s is up or gone), as node bj-1. */
async function reportKins(generation: number, phase: 'running' | 'uninstalled') {
  const pkg = (loadPackage(protoFilesOf('nodepool')).grpcObject as any).edgeplane.nodepool.v1;
  const ca = ensurePlatformPki(platformPkiDir());
  const creds = mtlsCredentials(
    ca.certPem,
    readFileSync(path.join(dir, 'bj-1', 'node.crt'), 'utf8'),
    readFileSync(path.join(dir, 'bj-1', 'node.key'), 'utf8'),
  );
  const client = new pkg.KinsService(stack.env.EDGEPLANE_NODEPOOL_ADDR, creds) as grpc.Client & {
    ReportKinsStatus: (req: unknown, cb: (err: grpc.ServiceError | null) => void) => void;
  };
  try {
    await new Promise<void>((resolve, reject) =>
      client.ReportKinsStatus(
        {
          cluster: clusterId,
          unit: 'beijing',
          generation,
          phase,
          ...(phase === 'running'
            ? { apiServerEndpoint: 'https://10.0.0.11:6443', k3sVersion: 'v1.22.5+k3s1' }
            : {}),
        },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  if (!ready) return;
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-console-sites-'));
  const plan = await planKubeApi(dir);
  stack = await startStack(['cluster', 'nodepool'], plan.stackEnv);
  kubeApi = await startKubeApi(stack, {
    plan,
    schemaPrefix: 'e2e_console_sites_kube_api',
    cacheSeconds: 1,
    logs,
  });
  const consolePort = await freePort();
  const server = spawn(process.execPath, ['console/server/server.mjs'], {
    cwd: REPO,
    env: {
      ...process.env,
      CONSOLE_PORT: String(consolePort),
      KUBE_API_URL: kubeApi.url,
      KUBE_API_CA_FILE: path.join(plan.pki, 'serving-ca.crt'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => logs.push(`[console] ${d}`));
  server.stderr!.on('data', (d) => logs.push(`[console] ${d}`));
  procs.push(server);
  consoleUrl = `http://127.0.0.1:${consolePort}`;
  await eventually(async () => (await fetch(`${consoleUrl}/healthz`)).ok, 20_000, 100);

  ({ clusterId, kubeconfig } = await createJoinedCluster(stack, {
    name,
    nodes: NODES,
    dir,
    kubeconfig: path.join(dir, 'kubeconfig'),
  }));

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const isReview = (url: string) => url.includes('/selfsubjectaccessreviews');
  page.on('request', (r) => {
    if (isReview(r.url())) reviewsInFlight += 1;
  });
  const done = (r: { url(): string }) => {
    if (!isReview(r.url())) return;
    reviewsInFlight -= 1;
    reviewsAnswered += 1;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
  await kubeApi?.stop();
  await Promise.all(
    procs.map((p) =>
      p.exitCode === null
        ? Promise.race([new Promise((r) => p.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))])
        : undefined,
    ),
  );
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!ready)('NodeUnits/NodeGroups in the console (Chromium)', () => {
  it("imports the guide's units and group from YAML: one result line per document, units and group appear with their members", async () => {
    await login(kubeconfig);
    await page.getByRole('link', { name: 'NodeUnits' }).click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/nodeunits$`));
    await page.getByTestId('units-table').waitFor({ timeout: 10_000 });
    await page.getByTestId('import-yaml').click();
    await page.getByTestId('import-text').fill(GUIDE_YAML);
    await shot('01-import-dialog.png');
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-result-2').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('import-results').innerText()).toMatch(
      /NodeUnit\/beijing created\s+✔\s*NodeUnit\/guangzhou created\s+✔\s*NodeGroup\/location created/,
    );
    await shot('02-import-results.png');

    // again, plus refusals: each document stands alone, with the API's reason
    await page.getByTestId('import-text').fill(
      `${GUIDE_YAML}---
apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata:
  name: bad-unit
spec:
  colour: blue
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeUnit
metadata:
  name: also-guangzhou
spec:
  nodes: [gz-3]
---
apiVersion: site.superedge.io/v1alpha2
kind: NodeGroup
metadata:
  name: location
spec:
  nodeUnits: [beijing, guangzhou, also-guangzhou]
---
kind: NodeUnit
metadata: {name: x}
`,
    );
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-result-6').waitFor({ timeout: 15_000 });
    const lines = await Promise.all(
      [0, 1, 2, 3, 4, 5, 6].map((i) => page.getByTestId(`import-result-${i}`).innerText()),
    );
    expect(lines[0]).toMatch(/✔ NodeUnit\/beijing configured/);
    expect(lines[1]).toMatch(/✔ NodeUnit\/guangzhou configured/);
    expect(lines[2]).toMatch(/✔ NodeGroup\/location configured/);
    expect(lines[3]).toMatch(/✖ NodeUnit\/bad-unit: strict decoding error: unknown field "spec\.colour"/);
    expect(lines[4]).toMatch(/✔ NodeUnit\/also-guangzhou created/);
    // gz-3 would be in two units of "location": nodepool refuses, in its words through the kube API
    expect(lines[5]).toMatch(/✖ NodeGroup\/location: .*gz-3.*would be in units/);
    expect(lines[6]).toMatch(/✖ document 7: apiVersion, kind and metadata\.name are required/);
    await shot('03-import-refusals.png');
    await page.getByTestId('import-close').click();

    // the list shows them with their members (watch: no reload)
    await page.getByTestId('unit-row-beijing').getByText('bj-1, bj-2').waitFor({ timeout: 10_000 });
    await page.getByTestId('unit-row-guangzhou').getByText('gz-1, gz-2, gz-3').waitFor({ timeout: 10_000 });
    await shot('04-units.png');
    // through the kube API, not the console: nodepool has them (and the refused bad-unit is absent)
    const units = await stack.cliJson<{ items: { name: string }[] }>('unit', 'list', '--cluster', name);
    const names = units.items.map((u) => u.name);
    expect(names).toEqual(expect.arrayContaining(['beijing', 'guangzhou', 'also-guangzhou']));
    expect(names).not.toContain('bad-unit');

    await page.getByRole('link', { name: 'NodeGroups' }).click();
    await page.getByTestId('group-row-location').waitFor({ timeout: 10_000 });
    await page.getByRole('link', { name: 'location' }).click();
    await page.waitForURL(new RegExp(`/nodegroups/location$`));
    await page.getByTestId('group-unit-beijing').getByText('bj-1, bj-2').waitFor({ timeout: 10_000 });
    await page.getByTestId('group-unit-guangzhou').getByText('gz-1, gz-2, gz-3').waitFor({ timeout: 10_000 });
    await shot('05-group-detail.png');
  });

  it('a unit page shows members, setNode and groups; the edit form shows the API refusal on its field, then saves a change that reaches the nodes', async () => {
    await page.goto(at('/nodeunits/beijing'));
    await page.getByTestId('member-bj-1').waitFor({ timeout: 10_000 });
    await page.getByTestId('member-bj-2').waitFor();
    expect(await page.getByTestId('unit-setnode-labels').innerText()).toMatch(/site-tier=flagship/);
    await page.getByTestId('unit-groups').getByText('location').waitFor({ timeout: 10_000 });
    await shot('06-unit-detail.png');

    await page.getByTestId('edit-unit').click();
    await page.waitForURL(/\/nodeunits\/beijing\/edit$/);
    // gz-1 into beijing: gz-1 would be in two units of location — refused, shown on the Nodes field
    await page.locator('#spec\\.nodes').fill('bj-1, bj-2, gz-1');
    await page.getByTestId('save-unit').click();
    const refusal = page.getByTestId('form-error').or(page.getByTestId('error-spec.nodes'));
    await refusal.first().waitFor({ timeout: 10_000 });
    expect(await refusal.first().innerText()).toMatch(/gz-1.*would be in units/);
    await page.getByTestId('save-unit').and(page.locator(':enabled')).waitFor();
    await refusal.first().scrollIntoViewIfNeeded();
    await shot('07-unit-edit-refused.png');

    await page.locator('#spec\\.nodes').fill('bj-1, bj-2');
    await page.locator('#spec\\.setNode\\.labels').fill('site-tier=flagship\nrack=r7');
    await page.locator('#spec\\.setNode\\.taints').fill('dedicated=beijing:NoSchedule');
    await page.getByTestId('save-unit').click();
    await page.waitForURL(/\/nodeunits\/beijing$/, { timeout: 10_000 });
    await page.getByTestId('unit-setnode-labels').getByText('rack=r7').waitFor({ timeout: 10_000 });
    await page.getByTestId('unit-setnode-taints').getByText('dedicated=beijing:NoSchedule').waitFor();
    await shot('08-unit-edited.png');
    // nodepool wrote them on the members (read through the cluster service)
    await eventually(
      async () => {
        const got = await stack.cliJson<{ node: { labels: Record<string, string> } }>(
          'node',
          'get',
          'bj-2',
          '--cluster',
          name,
        );
        return got.node.labels.rack === 'r7';
      },
      15_000,
      300,
    );

    // a field error from the API: a bad name on the create form lands under Name
    await page.goto(at('/nodeunits/new'));
    await page.locator('#name').fill('Bad_Name');
    await page.getByTestId('save-unit').click();
    await page.getByTestId('error-name').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('error-name').innerText()).toMatch(/unit name/);
    await shot('09-create-name-refused.png');
  });

  it('promote to K3s shows progress until independent; demote until it is a plain unit again', async () => {
    await page.goto(at('/nodeunits/beijing'));
    await page.getByTestId('kins-section').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('kins-phase').innerText()).toBe('not K3s');
    await page.getByTestId('kins-promote').click();
    await page.getByTestId('kins-confirm').click();
    const progress = page.getByTestId('kins-progress');
    await progress.getByText("Installing K3s on the unit's nodes").waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('kins-phase').innerText()).toBe('promoting');
    expect(await page.getByTestId('kins-state').innerText()).toMatch(/single/);
    await shot('10-kins-promoting.png');

    // the unit's agents report K3s running: the open page moves on by itself (unit watch)
    const kins = await stack.cliJson<{ generation: number }>('unit', 'kins', 'beijing', '--cluster', name);
    await reportKins(kins.generation, 'running');
    await page.getByTestId('kins-phase').getByText('independent').waitFor({ timeout: 10_000 });
    await page
      .getByTestId('kins-state')
      .getByText(/https:\/\/10\.0\.0\.11:6443/)
      .waitFor();
    await shot('11-kins-independent.png');

    // an independent unit cannot be deleted: the refusal stays in the dialog, in the API's words
    await page.getByTestId('delete-unit').click();
    await page.getByTestId('confirm-delete').click();
    await page.getByTestId('delete-error').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('delete-error').innerText()).toMatch(/demote/i);
    await shot('12-delete-refused.png');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByTestId('kins-demote').click();
    await page.getByTestId('kins-confirm').click();
    await progress.getByText("Removing K3s from the unit's nodes").waitFor({ timeout: 10_000 });
    await reportKins(kins.generation, 'uninstalled');
    await page.getByTestId('kins-phase').getByText('not K3s').waitFor({ timeout: 10_000 });
    await progress.getByText('Back to a plain unit').waitFor();
    await shot('13-kins-demoted.png');
  });

  it('kubectl get nodeunits --watch: a unit made and deleted through the CLI arrives as ADDED and DELETED (the NodeUnit watch)', async () => {
    const child = spawn(
      'kubectl',
      [
        '--kubeconfig',
        kubeconfig,
        'get',
        'nodeunits',
        '--watch',
        '--output-watch-events',
        '--request-timeout=60s',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      // the list first (existing units as ADDED), then the watch from its resourceVersion
      await eventually(async () => /ADDED\s+beijing/.test(out), 20_000, 100);
      expect((await stack.cli('unit', 'create', 'shenzhen', '--nodes', 'gz-2', '--cluster', name)).code).toBe(
        0,
      );
      await eventually(async () => /ADDED\s+shenzhen/.test(out), 15_000, 100);
      expect((await stack.cli('unit', 'delete', 'shenzhen', '--cluster', name)).code).toBe(0);
      await eventually(async () => /DELETED\s+shenzhen/.test(out), 15_000, 100).catch((e: Error) => {
        throw new Error(`${e.message}; kubectl printed:\n${out}`);
      });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('a view user sees no create/edit/delete/import buttons anywhere, kubectl auth can-i agrees, and the API refuses its writes (403)', async () => {
    // as admin first: the buttons are there (so their absence below is the role's doing)
    await page.goto(at('/nodeunits'));
    await page.getByTestId('create-unit').waitFor({ timeout: 10_000 });
    await page.getByTestId('import-yaml').waitFor();
    await page.getByTestId('delete-unit-guangzhou').waitFor();
    // Import YAML is on the grids page too (any served kind: the API's discovery names its plural)
    await page.goto(at('/grids'));
    await page.getByTestId('import-yaml').waitFor({ timeout: 10_000 });

    const viewConfig = path.join(dir, 'viewer.kubeconfig');
    const issued = await stack.cli(
      'cluster',
      'kubeconfig',
      name,
      '--user',
      'vera',
      '--role',
      'view',
      '--file',
      viewConfig,
    );
    expect(issued.code, issued.stderr).toBe(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    let since = reviewsAnswered;
    await login(viewConfig);
    expect(await page.getByTestId('whoami').textContent()).toMatch(/^vera \(view\)/);
    await page.getByTestId('node-row-bj-1').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('add-node').count()).toBe(0);
    await shot('14-view-nodes.png');

    since = reviewsAnswered;
    await page.goto(at('/nodes/bj-1'));
    await page.getByTestId('detail-labels').waitFor({ timeout: 10_000 });
    await reviewsSettled(since);
    for (const id of ['cordon', 'uncordon', 'drain', 'label-add'])
      expect(await page.getByTestId(id).count(), id).toBe(0);

    const pages: [string, string, string[]][] = [
      ['/nodeunits', 'unit-row-beijing', ['create-unit', 'import-yaml', 'delete-unit-beijing']],
      ['/nodeunits/beijing', 'member-bj-1', ['edit-unit', 'delete-unit', 'kins-promote', 'kins-demote']],
      ['/nodegroups', 'group-row-location', ['create-group', 'import-yaml', 'delete-group-location']],
      ['/nodegroups/location', 'group-unit-beijing', ['edit-group', 'delete-group']],
      ['/grids', 'live-state', ['import-yaml']],
    ];
    for (const [url, loaded, hidden] of pages) {
      since = reviewsAnswered;
      await page.goto(at(url));
      await page.getByTestId(loaded).waitFor({ timeout: 10_000 });
      await reviewsSettled(since);
      for (const id of hidden) expect(await page.getByTestId(id).count(), `${url}: ${id}`).toBe(0);
      await shot(`15-view${url.replace(/\//g, '-')}.png`);
      expect(await page.getByRole('button', { name: /^(Edit|Delete|Create|Import)/ }).count(), url).toBe(0);
    }
    // read-only views at phone width
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(at('/nodeunits/beijing'));
    await page.getByTestId('member-bj-2').waitFor({ timeout: 10_000 });
    await shot('17-view-unit-phone.png');
    await page.setViewportSize({ width: 1280, height: 800 });
    // a deep link to a form says the role cannot, and shows no form
    await page.goto(at('/nodeunits/beijing/edit'));
    await page.getByTestId('form-forbidden').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('save-unit').count()).toBe(0);
    await shot('16-view-edit-link.png');

    // the API decides anyway: the same token's writes through the proxy are 403
    const writes = await page.evaluate(async (id) => {
      const s = JSON.parse(sessionStorage.getItem('edgeplane.session')!);
      const base = `/k8s/clusters/${id}/apis/site.superedge.io/v1alpha2/nodeunits`;
      const send = async (method: string, url: string, body: unknown, type = 'application/json') => {
        const res = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${s.token}`, 'content-type': type },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
        return { status: res.status, message: ((await res.json()) as { message?: string }).message ?? '' };
      };
      return [
        await send(
          'PATCH',
          `${base}/beijing?fieldManager=edgeplane-console`,
          'apiVersion: site.superedge.io/v1alpha2\nkind: NodeUnit\nmetadata: {name: beijing}\nspec: {nodes: [bj-1]}\n',
          'application/apply-patch+yaml',
        ),
        await send('POST', `${base}/beijing/kins`, { action: 'promote' }),
        await send('DELETE', `${base}/guangzhou`, undefined),
      ];
    }, clusterId);
    expect(writes.map((w) => w.status)).toEqual([403, 403, 403]);
    expect(writes[0]!.message).toMatch(
      /User "vera" cannot patch resource "nodeunits" in API group "site.superedge.io"/,
    );
    expect(writes[1]!.message).toMatch(/cannot create resource "nodeunits\/kins"/);

    // kubectl auth can-i asks the same question of the same authorizer
    const canI = (kc: string, ...args: string[]) =>
      spawnSync('kubectl', ['--kubeconfig', kc, 'auth', 'can-i', ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    const viewCreate = canI(viewConfig, 'create', 'nodeunits.site.superedge.io');
    // "no", with the authorizer's reason as kubectl prints it
    expect(viewCreate.stdout.trim(), viewCreate.stderr).toMatch(
      /^no - nodeunits\.site\.superedge\.io is forbidden: User "vera" cannot create resource "nodeunits"/,
    );
    expect(viewCreate.status).toBe(1);
    expect(canI(viewConfig, 'list', 'nodeunits.site.superedge.io').stdout.trim()).toBe('yes');
    expect(canI(kubeconfig, 'delete', 'nodeunits.site.superedge.io').stdout.trim()).toBe('yes');
    const list = canI(viewConfig, '--list');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[get list watch\]/);
    // nothing changed: beijing still has both nodes
    const beijing = await stack.cliJson<{ spec?: { nodes?: string[] } }>(
      'unit',
      'get',
      'beijing',
      '--cluster',
      name,
    );
    expect(JSON.stringify(beijing)).toMatch(/bj-2/);
  });
});
