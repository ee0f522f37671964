/**
 * The health matrix of the web console (issue 13) on a real simulated fleet: cluster, nodepool,
 * health-arbiter, tunnel, grid and kube-api as processes (e2e/fleet-stack.ts), five hosts as
 * network namespaces in the guide's sites (beijing:2:bj, guangzhou:3:gz) joined by the printed
 * join command, real agents heartbeating and probing each other through the tunnel; the console
 * server in front of kube-api, Debian's Chromium driven by playwright-core. gz-3 is cut off the
 * cloud by iptables in its namespace (`fleet cut`): its cell turns NoSchedule while the page stays
 * open (watch, no reload), and its explanation names the vouching peers and the rule. Also: the
 * nodehealths API with the real kubectl (admin and a view credential), the keyboard, and 1,000
 * units rendered (measured). Screenshots of each step in test-results/console/health/.
 * Needs root + `ip netns` (the fleet), console/dist (`npm run build`) and /usr/bin/chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropEnvironment, eventually, freePort, newTestRunId, testEnvironmentName } from '@edgeplane/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetUnavailable, startFleetStack, type FleetStack } from './fleet-stack.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results', 'console', 'health');
const NODES = ['bj-1', 'bj-2', 'gz-1', 'gz-2', 'gz-3'];
const unavailable =
  fleetUnavailable() ??
  (!existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM}`
    : !existsSync(path.join(REPO, 'console/dist/index.html'))
      ? 'console/dist is not built (npm run build)'
      : undefined);

/** The guide's NodeUnits and NodeGroup (e2e/guide.e2e.spec.ts): beijing with its setNode. */
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

// An environment of its own (EDGEPLANE_ENV, inherited by every process it starts), as the int files
// have: the health arbiter's partition leases live on the bus, so an arbiter of another test on
// the same NATS would otherwise hold this cluster's partition and judge it from a schema that does
// not know it (no verdicts here).
const ENV = testEnvironmentName(
  (process.env.EDGEPLANE_TEST_RUN ||= newTestRunId()),
  'e2e/console-health.e2e.spec.ts',
);

let stack: FleetStack;
const procs: ChildProcess[] = [];
const logs: string[] = [];
let dir = '';
let kubeconfig = '';
let clusterId = '';
let consoleUrl = '';
let distCopy = '';
let browser: Browser | undefined;
let page: Page;
const cluster = `hl-${Math.random().toString(16).slice(2, 8)}`;

const shot = (file: string) => page.screenshot({ path: path.join(SHOTS, file), fullPage: false });
const cell = (node: string) => page.getByTestId(`health-cell-${node}`);
const verdictOf = (node: string) => cell(node).getAttribute('data-verdict');
/** The data-testid of the focused element (a string expression: this file has no DOM types). */
const focused = () =>
  page.evaluate<string | null>('document.activeElement?.getAttribute("data-testid") ?? null');

function kubectl(args: string[], config = kubeconfig): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', config, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function logIn(config: string) {
  await page.goto(`${consoleUrl}/login`);
  await page.locator('textarea').fill(readFileSync(config, 'utf8'));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(new RegExp(`/clusters/${clusterId}/`), { timeout: 20_000 });
}

beforeAll(async () => {
  if (unavailable) return;
  mkdirSync(SHOTS, { recursive: true });
  process.env.EDGEPLANE_ENV = ENV;
  dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-console-health-'));
  distCopy = path.join(dir, 'console-dist');
  cpSync(path.join(REPO, 'console/dist'), distCopy, { recursive: true });
  stack = await startFleetStack({ kubeApi: true });
}, 300_000);

afterAll(async () => {
  const pageLogs = logs.filter((l) => l.startsWith('[page'));
  if (pageLogs.length) console.log(pageLogs.join('\n'));
  await browser?.close().catch(() => undefined);
  for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
  if (stack) {
    let down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
    if (down.code !== 0) down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
    if (down.code !== 0) console.error(down.stdout, down.stderr);
    await stack.stop();
  }
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (process.env.EDGEPLANE_ENV === ENV) {
    await dropEnvironment(ENV).catch((e: unknown) => console.error(`dropping ${ENV}: ${String(e)}`));
    delete process.env.EDGEPLANE_ENV;
  }
}, 180_000);

describe.skipIf(unavailable)(
  `console health matrix on a fleet${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('fleet up with the guide sites, the guide YAML imported in the browser, all Ready in the matrix; kubectl get nodehealths', async () => {
      const up = await stack.fleet(
        'up',
        '--cluster',
        cluster,
        '--sites',
        'beijing:2:bj,guangzhou:3:gz',
        '--dir',
        dir,
      );
      expect(up.code, `${up.stdout}\n${up.stderr}\n${stack.logs()}`).toBe(0);
      expect(up.stdout).toContain('nodeunit.site.superedge.io/guangzhou created');
      expect(up.stdout).toContain('nodegroup.site.superedge.io/location created');
      clusterId = (await stack.cliJson<{ id: string }>('cluster', 'get', cluster)).id;
      // the guide's health settings: peers are the members of the node's unit (multi-region), lost
      // after 2 s of silence, votes count 10 s
      const set = await stack.cli(
        'health',
        'config',
        'set',
        '--cluster',
        cluster,
        '--multi-region',
        '--grace',
        '2s',
        '--vote-ttl',
        '10s',
      );
      expect(set.code, set.stderr).toBe(0);

      kubeconfig = path.join(dir, 'admin.kubeconfig');
      const kc = await stack.cli('cluster', 'kubeconfig', cluster, '--file', kubeconfig);
      expect(kc.code, kc.stderr).toBe(0);
      const config = parseYaml(readFileSync(kubeconfig, 'utf8')) as {
        clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      };
      const server = new URL(config.clusters[0]!.cluster.server);
      const caFile = path.join(dir, 'kube-api-ca.pem');
      writeFileSync(caFile, Buffer.from(config.clusters[0]!.cluster['certificate-authority-data'], 'base64'));
      const consolePort = await freePort();
      const child = spawn(process.execPath, ['console/server/server.mjs'], {
        cwd: REPO,
        env: {
          ...process.env,
          // a copy of console/dist: another build in this tree during the run must not empty it
          CONSOLE_DIST: distCopy,
          CONSOLE_PORT: String(consolePort),
          KUBE_API_URL: server.origin,
          KUBE_API_CA_FILE: caFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => logs.push(`[console] ${d}`));
      child.stderr!.on('data', (d) => logs.push(`[console] ${d}`));
      procs.push(child);
      consoleUrl = `http://127.0.0.1:${consolePort}`;
      await eventually(async () => (await fetch(`${consoleUrl}/healthz`)).ok, 20_000, 100);

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
      page.on('pageerror', (e) => logs.push(`[page] ${e.message}`));
      page.on('console', (m) => void (m.type() === 'error' && logs.push(`[page console] ${m.text()}`)));
      await logIn(kubeconfig);
      // the guide's units and group (with beijing's setNode), applied in the browser with the
      // NodeUnits page's "Import YAML" (server-side apply): `fleet up` made the units, so configured
      await page.getByRole('link', { name: 'NodeUnits' }).click();
      await page.getByTestId('import-yaml').click();
      await page.getByTestId('import-text').fill(GUIDE_YAML);
      await page.getByTestId('import-apply').click();
      for (let i = 0; i < 3; i++)
        await page.locator(`[data-testid="import-result-${i}"][data-ok="true"]`).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('import-results').innerText()).toMatch(
        /nodeunit.*beijing configured[\s\S]*nodeunit.*guangzhou configured[\s\S]*nodegroup.*location configured/i,
      );
      await shot('00-guide-units-imported.png');
      await page.getByTestId('import-close').click();
      await eventually(
        async () =>
          (
            await stack.cliJson<{ node: { labels: Record<string, string> } }>(
              'node',
              'get',
              'bj-1',
              '--cluster',
              cluster,
            )
          ).node.labels['site-tier'] === 'flagship',
        20_000,
        250,
      );
      await page.getByRole('link', { name: 'Health' }).click();
      await page.waitForURL(new RegExp(`/clusters/${clusterId}/health$`));
      await page.getByTestId('health-matrix').waitFor({ timeout: 20_000 });
      await page.getByTestId('live-state').getByText('Live').waitFor({ timeout: 10_000 });
      // the agents' heartbeats reach the arbiter through the tunnel: every cell turns Ready, live
      await eventually(
        async () => (await Promise.all(NODES.map(verdictOf))).every((v) => v === 'Ready'),
        90_000,
        500,
      );
      expect(await page.getByTestId('health-row-beijing').getByRole('button').count()).toBe(2);
      expect(await page.getByTestId('health-row-guangzhou').getByRole('button').count()).toBe(3);
      expect(await cell('gz-3').getAttribute('aria-label')).toMatch(
        /^gz-3 in guangzhou: Ready, rule cloud-contact, cloud hears it, peer votes not needed$/,
      );
      expect(await page.getByTestId('health-count').textContent()).toBe('2 units · 5 nodes');
      await shot('01-matrix-all-ready.png');

      // the same resource for kubectl: Table columns, -o wide, a label selector, the explanation
      const table = await kubectl(['get', 'nodehealths']);
      expect(table.code, table.out).toBe(0);
      expect(table.out).toMatch(/^NAME\s+VERDICT\s+RULE\s+CLOUD\s+VOTES\s+SINCE/);
      expect(table.out).toMatch(/gz-3\s+Ready\s+cloud-contact\s+ok\s/);
      const wide = await kubectl(['get', 'nh', '-o', 'wide', '-l', 'health.edgeplane.io/verdict=Ready']);
      expect(wide.out).toMatch(/UNITS\s+LAST-HEARD/);
      expect(wide.out).toMatch(/bj-1\s+Ready.*beijing/);
    });

    it('keyboard: one tab stop, arrows move between cells, Enter opens the explanation (URL names the node), close goes back', async () => {
      await cell('bj-1').focus();
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('health-cell-bj-2');
      await page.keyboard.press('ArrowDown'); // guangzhou row, same column
      expect(await focused()).toBe('health-cell-gz-2');
      // roving tab index: only the active cell is in the tab order
      expect(await page.locator('[data-testid^="health-cell-"][tabindex="0"]').count()).toBe(1);
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/clusters/${clusterId}/health/gz-2$`));
      await page.getByTestId('health-explanation').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('explanation-rule').innerText()).toMatch(/cloud-contact/);
      await shot('02-explanation-ready-gz-2.png');
      await page.getByRole('button', { name: 'Close the explanation' }).click();
      await page.waitForURL(new RegExp(`/clusters/${clusterId}/health$`));
    });

    it('gz-3 cut off the cloud: its cell turns NoSchedule on the open page (no reload); the explanation names gz-1, gz-2 and the rule', async () => {
      await page.evaluate('window.stillThisPage = true');
      const cut = await stack.fleet('cut', 'gz-3', '--cluster', cluster, '--dir', dir);
      expect(cut.code, cut.stderr).toBe(0);
      const t0 = performance.now();
      await page
        .locator('[data-testid="health-cell-gz-3"][data-verdict="NotReadyNoSchedule"]')
        .waitFor({ timeout: 60_000 });
      console.log(
        `console health: gz-3 NoSchedule on the open page ${Math.round(performance.now() - t0)} ms after fleet cut returned`,
      );
      expect(await page.evaluate('window.stillThisPage')).toBe(true);
      expect(await cell('gz-3').innerText()).toMatch(/NoSchedule/);
      expect(await cell('gz-3').getAttribute('aria-label')).toMatch(
        /NotReady, NoSchedule, rule peers-vouch, cloud lost it, 2 peers vouch/,
      );
      for (const n of ['bj-1', 'bj-2', 'gz-1', 'gz-2']) expect(await verdictOf(n)).toBe('Ready');
      await shot('03-gz-3-noschedule-live.png');

      await cell('gz-3').click();
      await page.waitForURL(new RegExp(`/clusters/${clusterId}/health/gz-3$`));
      const explanation = page.getByTestId('health-explanation');
      await explanation.waitFor({ timeout: 10_000 });
      const rule = await page.getByTestId('explanation-rule').innerText();
      expect(rule).toMatch(/peers-vouch/);
      expect(rule).toMatch(/majority of its peers report it healthy/);
      for (const peer of ['gz-1', 'gz-2']) {
        const vote = await page.getByTestId(`vote-row-${peer}`).innerText();
        expect(vote).toMatch(/healthy/);
        expect(vote).toMatch(/counted/);
        expect(vote).not.toMatch(/stale/);
      }
      expect(await page.getByTestId('explanation-cloud').innerText()).toMatch(/cloud lost it/);
      expect(await page.getByTestId('explanation-quorum').innerText()).toMatch(/2 of 2 needed/);
      expect(await page.getByTestId('explanation-history').innerText()).toMatch(
        /Ready → NotReadyNoSchedule\s+peers-vouch/,
      );
      await shot('04-gz-3-explained.png');

      // kubectl reads the same explanation
      const yaml = await kubectl(['get', 'nodehealth', 'gz-3', '-o', 'yaml']);
      expect(yaml.out).toMatch(/rule: peers-vouch/);
      expect(yaml.out).toMatch(/peer: gz-1/);

      // the link back: restored, the open drawer and the cell follow the watch to Ready
      const restore = await stack.fleet('restore', 'gz-3', '--cluster', cluster, '--dir', dir);
      expect(restore.code, restore.stderr).toBe(0);
      await page
        .locator('[data-testid="health-cell-gz-3"][data-verdict="Ready"]')
        .waitFor({ timeout: 60_000 });
      await page.getByTestId('explanation-rule').getByText('cloud-contact').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('explanation-history').innerText()).toMatch(
        /NotReadyNoSchedule → Ready\s+cloud-contact/,
      );
      await shot('05-gz-3-restored.png');
      // a deep link to the explanation opens it directly
      await page.goto(`${consoleUrl}/clusters/${clusterId}/health/gz-3?q=guangzhou`);
      await page.getByTestId('health-explanation').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('health-row-beijing').count()).toBe(0);
    });

    it('a view credential reads nodehealths (kubectl and the matrix); writes are not served', async () => {
      const viewer = path.join(dir, 'viewer.kubeconfig');
      const issued = await stack.cli(
        'cluster',
        'kubeconfig',
        cluster,
        '--user',
        'vic',
        '--role',
        'view',
        '--file',
        viewer,
      );
      expect(issued.code, issued.stderr).toBe(0);
      const got = await kubectl(['get', 'nh', 'gz-1'], viewer);
      expect(got.code, got.out).toBe(0);
      expect(got.out).toMatch(/gz-1\s+Ready/);
      const del = await kubectl(['delete', 'nh', 'gz-1'], viewer);
      expect(del.code).not.toBe(0);
      expect(del.out).toMatch(/Forbidden|MethodNotAllowed|not supported/);
      await page.getByRole('button', { name: 'Log out' }).click();
      await logIn(viewer);
      // phone width, loaded there (the sidebar starts closed)
      await page.setViewportSize({ width: 390, height: 800 });
      await page.goto(`${consoleUrl}/clusters/${clusterId}/health`);
      await page
        .locator('[data-testid="health-cell-gz-1"][data-verdict="Ready"]')
        .waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('whoami').textContent()).toMatch(/^vic \(view\)/);
      await shot('06-view-user-phone.png');
      await page.setViewportSize({ width: 1280, height: 800 });
    });

    it('1,000 units x 5 nodes: rows are virtualized — first paint, DOM size, scroll to the last unit, Ctrl+End (measured)', async () => {
      const units = 1000;
      const items = [];
      for (let u = 0; u < units; u++) {
        for (let i = 0; i < 5; i++) {
          const verdict =
            (u * 5 + i) % 17 === 0
              ? 'NotReadyNoSchedule'
              : (u * 5 + i) % 29 === 0
                ? 'NotReadyNoExecute'
                : 'Ready';
          items.push({
            metadata: { name: `site-${String(u).padStart(4, '0')}-n${i}`, resourceVersion: '1' },
            status: {
              verdict,
              rule:
                verdict === 'Ready'
                  ? 'cloud-contact'
                  : verdict === 'NotReadyNoSchedule'
                    ? 'peers-vouch'
                    : 'peers-confirm-down',
              since: new Date().toISOString(),
              units: [`site-${String(u).padStart(4, '0')}`, 'unit-node-all'],
              cloud: { lost: verdict !== 'Ready', lastSeen: new Date().toISOString() },
              quorum: {
                peerSetSize: 4,
                needed: 3,
                fresh: 4,
                healthyVotes: verdict === 'NotReadyNoExecute' ? 0 : 4,
                unhealthyVotes: verdict === 'NotReadyNoExecute' ? 4 : 0,
                abstained: 0,
              },
              evidenceAsOf: new Date().toISOString(),
              observedAt: new Date().toISOString(),
            },
          });
        }
      }
      const body = JSON.stringify({
        apiVersion: 'health.edgeplane.io/v1',
        kind: 'NodeHealthList',
        metadata: { resourceVersion: '1' },
        items,
      });
      // the list is answered with the synthetic fleet; the watch is left open (no events)
      await page.route('**/apis/health.edgeplane.io/v1/nodehealths?*', async (route) => {
        if (route.request().url().includes('watch=1')) return; // held open
        await route.fulfill({ status: 200, contentType: 'application/json', body });
      });
      await page.goto(`${consoleUrl}/clusters/${clusterId}/health`);
      const t0 = Date.now();
      await cell('site-0000-n0').waitFor({ timeout: 20_000 });
      const firstPaint = await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
      );
      const shown = Date.now() - t0;
      expect(await page.getByTestId('health-count').textContent()).toBe('1000 units · 5000 nodes');
      const domRows = await page.locator('[role="row"]').count();
      const domCells = await page.locator('[data-testid^="health-cell-"]').count();
      expect(domRows).toBeLessThan(60);
      expect(domCells).toBeLessThan(300);
      await shot('07-1000-units.png');
      // scroll to the end: the last unit is rendered, still a small DOM
      const s0 = Date.now();
      await page.getByTestId('health-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await cell('site-0999-n4').waitFor({ timeout: 10_000 });
      const scrolled = Date.now() - s0;
      expect(await page.locator('[role="row"]').count()).toBeLessThan(60);
      // keyboard to the first cell and Ctrl+End to the last
      await page.getByTestId('health-scroll').evaluate((el) => el.scrollTo(0, 0));
      await cell('site-0000-n0').waitFor();
      await cell('site-0000-n0').focus();
      const k0 = Date.now();
      await page.keyboard.press('Control+End');
      await eventually(async () => (await focused()) === 'health-cell-site-0999-n4', 5_000, 20);
      const keyed = Date.now() - k0;
      // the filter narrows to one unit
      await page.getByRole('textbox', { name: 'Filter by unit or node' }).fill('site-0500');
      await page.getByTestId('health-count').getByText('1 unit · 5000 nodes').waitFor({ timeout: 5_000 });
      await shot('08-1000-units-filtered.png');
      console.log(
        `console health 1,000 units x 5 nodes: cells shown ${shown} ms after navigation (FCP ${Math.round(firstPaint)} ms), ${domRows} rows / ${domCells} cells in the DOM, scroll to the last unit ${scrolled} ms, Ctrl+End ${keyed} ms`,
      );
      await page.unroute('**/apis/health.edgeplane.io/v1/nodehealths?*');
    });
  },
);
