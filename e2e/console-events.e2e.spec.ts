/**
 * The console's events view (console/src/events/, issue 13) in Debian's Chromium (playwright-core):
 * cluster + nodepool + grid + kube-api and the console server as processes on real PostgreSQL,
 * JetStream and gRPC. Logged in with the cluster's kubeconfig, the open events page shows a node
 * joining, being labelled and a unit being created as they happen (the kube API's events watch);
 * the node filter narrows the table and lives in the URL, which reproduces it in a new tab; older
 * events come in pages; the node page's timeline (EventTimeline) shows that node's history.
 * Screenshots in test-results/console/events/. Needs console/dist (`npm run build`) and /usr/bin/chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropEnvironment, eventually, freePort } from '@edgeplane/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJoinedCluster, planKubeApi, startKubeApi, type KubeApi } from './kube-stack.js';
import { startStack, type RunningStack } from './stack.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results', 'console', 'events');
const ready = existsSync(CHROMIUM) && existsSync(path.join(REPO, 'console/dist/index.html'));
const skipReason = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM}`
  : 'no console/dist (npm run build first)';

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
const name = `cev-${randomBytes(3).toString('hex')}`;
/** its own EDGEPLANE_ENV: no other file's services act on these streams */
const environment = `e2e-cev-${randomBytes(3).toString('hex')}`;
const previousEnv = process.env.EDGEPLANE_ENV;

const shot = (file: string) => page.screenshot({ path: path.join(SHOTS, file), fullPage: false });
const rows = () => page.getByTestId('event-row');
const row = (reason: string, object: string) =>
  page.locator(`[data-testid="event-row"][data-reason="${reason}"][data-object="${object}"]`);

beforeAll(async () => {
  if (!ready) return;
  process.env.EDGEPLANE_ENV = environment;
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-console-events-'));
  const plan = await planKubeApi(dir);
  stack = await startStack(['cluster', 'nodepool', 'grid'], plan.stackEnv);
  kubeApi = await startKubeApi(stack, { plan, schemaPrefix: 'e2e_cev_kube_api', cacheSeconds: 1, logs });
  const consolePort = await freePort();
  const child = spawn(process.execPath, ['console/server/server.mjs'], {
    cwd: REPO,
    env: {
      ...process.env,
      CONSOLE_PORT: String(consolePort),
      KUBE_API_URL: kubeApi.url,
      KUBE_API_CA_FILE: path.join(plan.pki, 'serving-ca.crt'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => logs.push(`[console] ${d}`));
  child.stderr!.on('data', (d) => logs.push(`[console] ${d}`));
  procs.push(child);
  consoleUrl = `http://127.0.0.1:${consolePort}`;
  await eventually(async () => (await fetch(`${consoleUrl}/healthz`)).ok, 20_000, 100);
  ({ clusterId, kubeconfig } = await createJoinedCluster(stack, {
    name,
    nodes: ['bj-1'],
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
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
  await kubeApi?.stop();
  await stack?.stop();
  await dropEnvironment(environment).catch(() => undefined);
  if (previousEnv === undefined) delete process.env.EDGEPLANE_ENV;
  else process.env.EDGEPLANE_ENV = previousEnv;
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!ready)(`console events view in Chromium${ready ? '' : ` (skipped: ${skipReason})`}`, () => {
  it('logs in and opens the events view: the history so far, newest first, live', async () => {
    await page.goto(`${consoleUrl}/login`);
    await page.locator('textarea').fill(readFileSync(kubeconfig, 'utf8'));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/`), { timeout: 15_000 });
    await page.getByRole('link', { name: 'Events' }).click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/events$`));
    await row('NodeJoined', 'Node/bj-1').waitFor({ timeout: 15_000 });
    await row('ClusterCreated', `Cluster/${name}`).waitFor();
    await page.getByTestId('live-state').getByText('Live').waitFor({ timeout: 10_000 });
    // newest first: the cluster's creation is the last row
    const reasons = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')));
    expect(reasons.at(-1)).toBe('ClusterCreated');
    expect(await row('NodeJoined', 'Node/bj-1').innerText()).toMatch(
      /Normal\s+NodeJoined\s+Node\/bj-1\s+Node bj-1 joined/,
    );
    await shot('01-events.png');
  });

  it('a node joining, a label and a unit appear on the open page as they happen', async () => {
    const token = await stack.cli('token', 'create', '--cluster', name, '--expires', '1h');
    const secret = /^token: (\S+)/m.exec(token.stdout)?.[1];
    expect(secret, token.stderr).toBeTruthy();
    const joined = await stack.cli(
      'node',
      'join',
      '--token',
      secret!,
      '--name',
      'gz-1',
      '--out-dir',
      path.join(dir, 'gz-1'),
    );
    expect(joined.code, joined.stderr).toBe(0);
    await row('NodeJoined', 'Node/gz-1').waitFor({ timeout: 10_000 });
    expect((await stack.cli('node', 'label', 'gz-1', 'site=guangzhou', '--cluster', name)).code).toBe(0);
    await row('NodeLabelsChanged', 'Node/gz-1').getByText('set site=guangzhou').waitFor({ timeout: 10_000 });
    const unit = await stack.cli('unit', 'create', 'guangzhou', '--nodes', 'gz-1', '--cluster', name);
    expect(unit.code, unit.stderr).toBe(0);
    await row('NodeUnitCreated', 'NodeUnit/guangzhou').waitFor({ timeout: 10_000 });
    // the newest on top, without a reload
    const first = await rows().first().getAttribute('data-reason');
    expect(['NodeUnitCreated', 'NodeUnitMembersChanged']).toContain(first);
    await shot('02-live.png');
  });

  it('the node filter narrows the table, lives in the URL, and the URL reproduces it', async () => {
    await page.getByTestId('filter-node').fill('gz-1');
    await page.getByTestId('filter-apply').click();
    await page.waitForURL(/\/events\?node=gz-1$/);
    await row('NodeJoined', 'Node/gz-1').waitFor({ timeout: 10_000 });
    await eventually(async () => !(await row('NodeJoined', 'Node/bj-1').count()), 10_000, 100);
    const objects = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-object')));
    expect(objects).toContain('Node/gz-1');
    expect(objects).toContain('NodeUnit/guangzhou'); // the unit gz-1 is a member of
    expect(objects).not.toContain('Node/bj-1');
    await shot('03-filter-node.png');

    // narrower: Warnings only (none yet), then the type filter
    await page.getByTestId('filter-type').selectOption('Warning');
    await page.waitForURL(/node=gz-1&type=Warning/);
    await page.getByTestId('events-end').getByText('No events in this range.').waitFor({ timeout: 10_000 });
    await page.getByTestId('filter-type').selectOption('');
    await page.getByTestId('filter-reason').selectOption('NodeLabelsChanged');
    await page.waitForURL(/node=gz-1&reason=NodeLabelsChanged/);
    await eventually(async () => (await rows().count()) === 1, 10_000, 100);
    const url = page.url();

    // a new tab with that URL: the same filter, set in the form, the same rows, still live
    const second = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
    await second.goto(`${consoleUrl}/login`);
    await second.locator('textarea').fill(readFileSync(kubeconfig, 'utf8'));
    await second.getByRole('button', { name: 'Log in' }).click();
    await second.waitForURL(new RegExp(`/clusters/${clusterId}/`), { timeout: 15_000 });
    await second.goto(url);
    await second
      .locator('[data-testid="event-row"][data-reason="NodeLabelsChanged"]')
      .waitFor({ timeout: 10_000 });
    expect(await second.getByTestId('filter-node').inputValue()).toBe('gz-1');
    expect(await second.getByTestId('filter-reason').inputValue()).toBe('NodeLabelsChanged');
    expect(await second.getByTestId('event-row').count()).toBe(1);
    expect((await stack.cli('node', 'label', 'gz-1', 'rack=r2', '--cluster', name)).code).toBe(0);
    await second.getByText('set rack=r2').waitFor({ timeout: 10_000 });
    await second.screenshot({ path: path.join(SHOTS, '04-url-reproduces.png') });
    await second.close();
  });

  it('older events come in pages of `limit` as the table scrolls to its end', async () => {
    for (let i = 0; i < 12; i++)
      expect((await stack.cli('node', 'label', 'bj-1', `step=s${i}`, '--cluster', name)).code).toBe(0);
    // a short window: the first page fills it, the end of the table is below the fold
    await page.setViewportSize({ width: 1280, height: 500 });
    await page.goto(`${consoleUrl}/clusters/${clusterId}/events?node=bj-1&since=1h&limit=10`);
    await row('NodeLabelsChanged', 'Node/bj-1').first().waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await rows().count()).toBe(10); // one page, nothing more until the end is reached
    await shot('05-first-page.png');
    // scrolling to the end loads the older pages (12 labels, the default unit's membership, the join)
    await page.getByTestId('events-older').scrollIntoViewIfNeeded();
    await page.getByTestId('events-end').waitFor({ timeout: 15_000 });
    const reasons = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')));
    expect(reasons.filter((r) => r === 'NodeLabelsChanged')).toHaveLength(12);
    expect(reasons.at(-1)).toBe('NodeJoined');
    await page.getByTestId('events-end').scrollIntoViewIfNeeded();
    await shot('06-scrolled-to-the-end.png');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("the node page's timeline shows that node's history; phone width", async () => {
    await page.goto(`${consoleUrl}/clusters/${clusterId}/nodes/gz-1`);
    const timeline = page.getByTestId('event-timeline');
    await timeline
      .locator('[data-testid="event-row"][data-reason="NodeJoined"]')
      .waitFor({ timeout: 15_000 });
    await timeline.locator('[data-testid="event-row"][data-reason="NodeLabelsChanged"]').first().waitFor();
    await timeline.scrollIntoViewIfNeeded();
    await shot('07-node-timeline.png');

    // phone width: the read-only view works (PatternFly stacks each row as label: value)
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${consoleUrl}/clusters/${clusterId}/events?node=gz-1`);
    await row('NodeJoined', 'Node/gz-1').waitFor({ timeout: 10_000 });
    await shot('08-phone.png');
    await page.setViewportSize({ width: 1280, height: 800 });
    // no events request failed in the kube API (the node page's other reads are not this file's)
    expect(logs.join('')).not.toMatch(/"path":"[^"]*\/events[^"]*","err"/);
  });
});
