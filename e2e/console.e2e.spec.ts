/**
 * The web console (issue 13) in a real browser: Debian's Chromium driven by playwright-core, the
 * console server (console/server/server.mjs) and cluster + nodepool + kube-api as processes on real
 * PostgreSQL, JetStream and gRPC; nodes joined with a real token; log in with the kubeconfig
 * `edgeplane cluster kubeconfig` writes. Screenshots of each step in test-results/console/.
 * Needs console/dist (`npm run build`) and /usr/bin/chromium (.ci/run installs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, freePort } from '@edgeplane/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJoinedCluster, planKubeApi, startKubeApi, type KubeApi } from './kube-stack.js';
import { startStack, type RunningStack } from './stack.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results', 'console');
const NODES = ['bj-1', 'bj-2', 'gz-1'];
const ready = existsSync(CHROMIUM) && existsSync(path.join(REPO, 'console/dist/index.html'));

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
const name = `con-${randomBytes(3).toString('hex')}`;

function run(label: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => logs.push(`[${label}] ${d}`));
  child.stderr!.on('data', (d) => logs.push(`[${label}] ${d}`));
  procs.push(child);
  return child;
}

const shot = (file: string) => page.screenshot({ path: path.join(SHOTS, file), fullPage: false });

beforeAll(async () => {
  if (!ready) return;
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-console-'));
  const plan = await planKubeApi(dir);
  stack = await startStack(['cluster', 'nodepool'], plan.stackEnv);
  kubeApi = await startKubeApi(stack, { plan, schemaPrefix: 'e2e_console_kube_api', cacheSeconds: 1, logs });
  const consolePort = await freePort();
  run('console', ['console/server/server.mjs'], {
    CONSOLE_PORT: String(consolePort),
    KUBE_API_URL: kubeApi.url,
    KUBE_API_CA_FILE: path.join(plan.pki, 'serving-ca.crt'),
  });
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
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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

describe.skipIf(!ready)('web console in Chromium', () => {
  it('a wrong kubeconfig is refused with the reason; the right one logs in and lists the nodes', async () => {
    await page.goto(`${consoleUrl}/`);
    await page.waitForURL(/\/login$/);
    await page.locator('textarea').fill('apiVersion: v1\nkind: Config\ncurrent-context: nope\n');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('login-error').getByText('no context "nope"').waitFor({ timeout: 5_000 });
    await shot('01-login-refused.png');

    // the console server is no relay: a kubeconfig naming another server is refused before any request
    const foreign = readFileSync(kubeconfig, 'utf8').replace(
      /server: https:\/\/127\.0\.0\.1:\d+/,
      'server: https://127.0.0.1:1',
    );
    const relay = await fetch(`${consoleUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kubeconfig: foreign }),
    });
    expect(relay.status).toBe(400);
    expect(((await relay.json()) as { message: string }).message).toMatch(
      /not a cluster of this console's kube API/,
    );

    await page.locator('textarea').fill(readFileSync(kubeconfig, 'utf8'));
    await shot('02-login.png');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/nodes$`), { timeout: 15_000 });
    for (const n of NODES) await page.getByTestId(`node-row-${n}`).waitFor({ timeout: 15_000 });
    await page.getByTestId('live-state').getByText('Live').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('node-count').textContent()).toBe('3 of 3 nodes');
    const row = (await page.getByTestId('node-row-bj-1').innerText()).split(/\s+/);
    expect(row).toContain('bj-1');
    expect(row).toContain('v1.22.5');
    expect(await page.getByTestId('whoami').textContent()).toMatch(/\(cluster-admin\)/);
    // the tab keeps the token only: no certificate or key
    const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
    expect(stored).toMatch(/"token/);
    expect(stored).not.toMatch(/BEGIN|client-key|client-certificate/);
    await shot('03-nodes.png');
  });

  it('a label set through the CLI shows on the open node page within 1 s (watch, no polling); back returns to the list', async () => {
    await page.getByRole('link', { name: 'bj-1' }).click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/nodes/bj-1$`));
    await page.getByTestId('detail-labels').waitFor();
    await page.getByTestId('live-state').getByText('Live').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('detail-labels').innerText()).not.toMatch(/console=live/);
    await shot('04-node-detail.png');

    const labeled = await stack.cli('node', 'label', 'bj-1', 'console=live', '--cluster', name);
    expect(labeled.code, labeled.stderr).toBe(0);
    const t0 = performance.now();
    await page.getByTestId('detail-labels').getByText('console=live').waitFor({ timeout: 5_000 });
    const ms = performance.now() - t0;
    await shot('05-label-live.png');
    console.log(`console e2e: label on the open page ${Math.round(ms)} ms after the CLI returned`);
    expect(ms).toBeLessThan(1_000);

    // the list too: a role label and a taint appear in their columns
    await page.goBack();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/nodes$`));
    expect(
      (await stack.cli('node', 'label', 'gz-1', 'node-role.kubernetes.io/gateway=', '--cluster', name)).code,
    ).toBe(0);
    expect(
      (await stack.cli('node', 'taint', 'gz-1', 'dedicated=edge:NoSchedule', '--cluster', name)).code,
    ).toBe(0);
    const gz = page.getByTestId('node-row-gz-1');
    await gz.getByText('gateway').waitFor({ timeout: 2_000 });
    await gz.getByText('dedicated=edge:NoSchedule').waitFor({ timeout: 2_000 });
    await shot('06-list-live.png');
  });

  it('NodeUnits and NodeGroups made with the CLI appear on their open pages (re-read on the node watch, no Refresh click)', async () => {
    await page.getByRole('link', { name: 'NodeUnits' }).click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/nodeunits$`));
    await page.getByTestId('units-table').waitFor({ timeout: 10_000 });
    const made = await stack.cli('unit', 'create', 'beijing', '--nodes', 'bj-1,bj-2', '--cluster', name);
    expect(made.code, made.stderr).toBe(0);
    const row = page.getByTestId('unit-row-beijing');
    await row.getByText('bj-1, bj-2').waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toMatch(/edge\s+0\/2/);
    await shot('07-nodeunits.png');

    await page.getByRole('link', { name: 'NodeGroups' }).click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/nodegroups$`));
    await page.getByTestId('groups-table').waitFor({ timeout: 10_000 });
    const group = await stack.cli('group', 'create', 'location', '--units', 'beijing', '--cluster', name);
    expect(group.code, group.stderr).toBe(0);
    await page.getByTestId('group-row-location').getByText('beijing').first().waitFor({ timeout: 10_000 });
    await shot('08-nodegroups.png');
  });

  it('a view link opens directly (URL per view); phone width; after log out the API data is gone', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${consoleUrl}/clusters/${clusterId}/nodes`);
    await page.getByTestId('node-row-gz-1').waitFor({ timeout: 10_000 });
    await shot('09-nodes-phone.png');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${consoleUrl}/clusters/${clusterId}/nodes/gz-1`);
    // the node page's taints table: key, value, effect, owner
    await page.getByTestId('taint-dedicated').waitFor({ timeout: 10_000 });
    expect((await page.getByTestId('taint-dedicated').innerText()).split(/\s+/)).toEqual([
      'dedicated',
      'edge',
      'NoSchedule',
      'operator',
    ]);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // the proxy adds no credential of its own
    const res = await fetch(`${consoleUrl}/k8s/clusters/${clusterId}/api/v1/nodes`);
    expect(res.status).toBe(401);
    await shot('10-logged-out.png');
  });

  it('a view credential logs in as view: it reads the nodes, and the API refuses its write (403)', async () => {
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
    await page.locator('textarea').fill(readFileSync(viewConfig, 'utf8'));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('node-row-bj-1').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('whoami').textContent()).toMatch(/^vera \(view\)/);
    // the same token, a write: the API decides
    const refused = await page.evaluate(async (id) => {
      const s = JSON.parse(sessionStorage.getItem('edgeplane.session')!);
      const res = await fetch(`/k8s/clusters/${id}/api/v1/nodes/bj-1`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ metadata: { labels: { sneaky: 'yes' } } }),
      });
      return { status: res.status, body: (await res.json()) as { message?: string } };
    }, clusterId);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/User "vera" cannot patch resource "nodes"/);
    await shot('11-view-user.png');
  });
});
