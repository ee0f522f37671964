/**
 * Issue 13's Done-when as ONE continuous story in a real browser: one Chromium page, one fleet, one
 * session, in order (screenshots test-results/console/flow/NN-step.png):
 *  1. log in with an admin Credentials file (platform session);
 *  2. create a cluster: an overlapping pod CIDR is refused on the field (the cluster service's dry
 *     run: the neighbour's range in the same VPC), fixed → created;
 *  3. public access on, on the cluster page;
 *  4. "Add node": the join command read from the dialog is run, as shown, in the guide's five hosts
 *     (network namespaces from `fleet up --no-join`, beijing:2:bj, guangzhou:3:gz) with the
 *     `process` runtime appended, as scripts/fleet.mjs installHost appends its flags;
 *  5. the open nodes page (no reload): the five nodes arrive by the watch and turn Ready;
 *  6. Import YAML: the guide's NodeUnits + NodeGroup → the units' and group's members shown;
 *  7. health matrix: gz-3 cut off the cloud (iptables in its namespace) → its cell turns
 *     NoSchedule on the open page; its explanation names gz-1 and gz-2 vouching and the rule;
 *  8. Import YAML a DeploymentGrid whose container prints numbered lines → the grid page shows a
 *     pod per unit, Running → one pod's logs page shows its lines.
 * Real parts: cluster, nodepool, health-arbiter, tunnel, grid and kube-api as processes
 * (e2e/fleet-stack.ts), real agents in the namespaces, the console server, Debian's Chromium via
 * playwright-core. The console is built for the run into its own directory (others rebuild
 * console/dist while a run goes). Runs in an EDGEPLANE_ENV of its own (the arbiter's partition
 * leases live on the shared bus, as in e2e/console-health). Needs root + `ip netns` and Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentialsYaml } from '@edgeplane/proto';
import {
  dropEnvironment,
  eventually,
  freePort,
  newTestRunId,
  testCredentials,
  testEnvironmentName,
  uniqueName,
} from '@edgeplane/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetUnavailable, REPO, startFleetStack, type FleetStack } from './fleet-stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results', 'console', 'flow');
const missing = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : fleetUnavailable();
if (missing) console.warn(`\nSKIPPED console-flow e2e: ${missing}\n`);

const NODES = ['bj-1', 'bj-2', 'gz-1', 'gz-2', 'gz-3'];
/** The guide's NodeUnits and NodeGroup (docs guide, as e2e/console-sites and console-health import them). */
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
const GRID = 'ticker';
/** prints `tick <n> unit=<unit> pod=<pod>` every 500 ms (as e2e/console-grids' container) */
const TICKER = [
  'let n = 0;',
  'setInterval(() => console.log(`tick ${++n} unit=${process.env.UNIT_NAME} pod=${process.env.POD_NAME}`), 500);',
  "process.on('SIGTERM', () => process.exit(0));",
].join(' ');
const GRID_YAML = `apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: ${GRID}
  namespace: default
spec:
  gridUniqKey: location
  overriders:
    - name: beijing
      units: [beijing]
      env: [{ name: UNIT_NAME, value: beijing }]
    - name: guangzhou
      units: [guangzhou]
      env: [{ name: UNIT_NAME, value: guangzhou }]
  template:
    replicas: 1
    selector:
      matchLabels: { app: ${GRID} }
    template:
      metadata:
        labels: { app: ${GRID} }
      spec:
        containers:
          - name: ticker
            image: localhost/edgeplane/ticker:1
            command: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(TICKER)}]
`;

const ENV = testEnvironmentName(
  (process.env.EDGEPLANE_TEST_RUN ||= newTestRunId()),
  'e2e/console-flow.e2e.spec.ts',
);

/** The console built into its own directory (CONSOLE_DIST), as e2e/console-clusters does. */
function buildConsole(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(REPO, 'node_modules/vite/bin/vite.js'),
        'build',
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      { cwd: path.join(REPO, 'console'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build of the console failed (${code}):\n${out}`)),
    );
  });
}

interface FleetState {
  hosts: { name: string; netns: string; dir: string; home: string }[];
}

describe.skipIf(missing)(
  `the Done-when as one browser flow${missing ? ` (SKIPPED: ${missing})` : ''}`,
  () => {
    let stack: FleetStack;
    let browser: Browser | undefined;
    let page: Page;
    let consoleUrl = '';
    let dir = '';
    let fleetUp = false;
    const procs: ChildProcess[] = [];
    const logs: string[] = [];
    const suffix = uniqueName('f')
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()
      .slice(-6);
    const neighbour = `fnb-${suffix}`;
    const clusterName = `flow-${suffix}`;
    const fleet = `fl${suffix}`; // the hosts' namespaces: <fleet>-<host>
    let clusterId = '';
    let step = 0;
    const shot = (name: string) =>
      page.screenshot({
        path: path.join(SHOTS, `${String(++step).padStart(2, '0')}-${name}.png`),
        fullPage: true,
      });
    const at = (p: string) => new RegExp(`/clusters/${clusterId}${p}$`);

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      process.env.EDGEPLANE_ENV = ENV;
      dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-console-flow-'));
      const dist = path.join(dir, 'console-dist');
      const [fleetStack] = await Promise.all([startFleetStack({ kubeApi: true }), buildConsole(dist)]);
      stack = fleetStack;
      const port = await freePort();
      const child = spawn(process.execPath, ['console/server/server.mjs'], {
        cwd: REPO,
        env: {
          ...process.env,
          CONSOLE_PORT: String(port),
          KUBE_API_URL: stack.kubeApi!.url,
          KUBE_API_CA_FILE: stack.kubeApi!.caFile,
          CONSOLE_DIST: dist,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => logs.push(`[console] ${d}`));
      child.stderr!.on('data', (d) => logs.push(`[console] ${d}`));
      procs.push(child);
      consoleUrl = `http://127.0.0.1:${port}`;
      await eventually(async () => (await fetch(`${consoleUrl}/healthz`)).ok, 20_000, 100);
      // another cluster of the VPC 10.30.0.0/16: its pod CIDR is what the form must not take
      const nb = await stack.cli(
        'cluster',
        'create',
        neighbour,
        '--k8s-version',
        '1.22.5',
        '--runtime',
        'containerd',
        '--region',
        'ap-guangzhou',
        '--vpc-cidr',
        '10.30.0.0/16',
        '--pod-cidr',
        '172.20.0.0/16',
        '--service-cidr',
        '172.21.0.0/20',
      );
      expect(nb.code, nb.stderr).toBe(0);
      // the guide's hosts first: network namespaces on the fleet bridge, nothing installed. The
      // bridge holds the join server's address (10.210.0.1): without it the cluster service's check
      // of the certificate there (the join command's pins) dials an address off this machine, and
      // "Add node" says "No join command yet" (seen in the first runs, before any fleet was up)
      const up = await stack.fleet(
        'up',
        '--cluster',
        fleet,
        '--sites',
        'beijing:2:bj,guangzhou:3:gz',
        '--dir',
        dir,
        '--no-join',
      );
      fleetUp = true;
      expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
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
    }, 300_000);

    afterAll(async () => {
      const pageLogs = logs.filter((l) => l.startsWith('[page'));
      if (pageLogs.length) console.log(pageLogs.join('\n'));
      await browser?.close().catch(() => undefined);
      for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
      if (stack) {
        if (fleetUp) {
          let down = await stack.fleet('down', '--cluster', fleet, '--dir', dir);
          if (down.code !== 0) down = await stack.fleet('down', '--cluster', fleet, '--dir', dir);
          if (down.code !== 0) console.error(down.stdout, down.stderr);
        }
        await stack.stop();
      }
      for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (process.env.EDGEPLANE_ENV === ENV) {
        await dropEnvironment(ENV).catch((e: unknown) => console.error(`dropping ${ENV}: ${String(e)}`));
        delete process.env.EDGEPLANE_ENV;
      }
    }, 240_000);

    it('log in → create (overlap on the field) → access → Add node on 5 hosts → live Ready → units → gz-3 cut → grid pod logs', async () => {
      // ---- 1. log in with the admin Credentials file (as .edgeplane/credentials/admin.yaml), uploaded
      const adminFile = path.join(dir, 'admin.yaml');
      writeFileSync(
        adminFile,
        credentialsYaml(testCredentials({ user: 'ops-admin', groups: ['system:masters'] })),
      );
      await page.goto(`${consoleUrl}/login`);
      await page.locator('input[type="file"]').setInputFiles(adminFile);
      await eventually(
        async () => expect(await page.locator('textarea').inputValue()).toContain('kind: Credentials'),
        5_000,
        100,
      );
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/clusters$/, { timeout: 20_000 });
      await page.getByTestId(`cluster-row-${neighbour}`).waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('whoami').textContent()).toMatch(
        /^ops-admin \(cluster-admin\) · platform/,
      );
      await page.getByTestId('live-state').getByText('Live').waitFor({ timeout: 15_000 });
      await shot('login');

      // ---- 2. create: the neighbour's pod CIDR refused on the field (dry run), then fixed → created
      await page.getByTestId('create-cluster').click();
      await page.waitForURL(/\/clusters\/new$/);
      await page.getByTestId('field-displayName').fill(clusterName);
      await page.getByTestId('field-vpcCidr').fill('10.30.0.0/16');
      await page.getByTestId('field-serviceCidr').fill('172.24.0.0/20');
      await page.getByTestId('field-podCidr').fill('172.20.0.0/16');
      await page
        .getByTestId('error-podCidr')
        .getByText(`overlaps Pod CIDR of cluster "${neighbour}"`, { exact: false })
        .waitFor({ timeout: 15_000 });
      await shot('create-overlap-on-field');
      await page.getByTestId('field-podCidr').fill('172.22.0.0/16');
      await page.getByTestId('error-podCidr').waitFor({ state: 'detached', timeout: 15_000 });
      await page.getByTestId('field-tier').selectOption('L20');
      await page.getByTestId('create-submit').click();
      await page.waitForURL(/\/clusters\/cls-[^/]+$/, { timeout: 20_000 });
      clusterId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
      await page.getByTestId('cluster-title').getByText(clusterName).waitFor({ timeout: 10_000 });
      await shot('created');
      // the guide's health settings (as e2e/console-health): peers are the unit's members, lost after
      // 2 s of silence, votes count 10 s — the console has no form for these; the CLI sets them
      const set = await stack.cli(
        'health',
        'config',
        'set',
        '--cluster',
        clusterName,
        '--multi-region',
        '--grace',
        '2s',
        '--vote-ttl',
        '10s',
      );
      expect(set.code, set.stderr).toBe(0);

      // ---- 3. public access on, on the cluster page
      expect(await page.getByTestId('access-public').isChecked()).toBe(false);
      await page.getByText('Public', { exact: true }).click();
      await eventually(
        async () => expect(await page.getByTestId('access-public').isChecked()).toBe(true),
        10_000,
        100,
      );
      await eventually(
        async () =>
          expect(
            (
              await stack.cliJson<{ items: { id: string; access?: { publicAccess?: boolean } }[] }>(
                'cluster',
                'list',
              )
            ).items.find((c) => c.id === clusterId)?.access?.publicAccess,
          ).toBe(true),
        10_000,
        200,
      );
      await shot('public-access');

      // ---- 4. Add node: the join command from the dialog
      await page.getByTestId('cluster-nodes-link').click();
      await page.waitForURL(at('/nodes'));
      await page.getByTestId('node-count').waitFor({ timeout: 15_000 });
      await page.evaluate('window.stillThisPage = true'); // no reload from here to the nodes' Ready
      await page.getByTestId('add-node').click();
      await page.getByTestId('join-create').click();
      await page
        .getByTestId('join-command')
        .or(page.getByTestId('join-error'))
        .first()
        .waitFor({ timeout: 15_000 });
      if (await page.getByTestId('join-error').count())
        throw new Error(
          `Add node: ${await page.getByTestId('join-error').innerText()}\n${stack.logs().slice(-3000)}`,
        );
      const command = (await page.getByTestId('join-command').innerText()).trim();
      expect(command).toMatch(/^curl -fsSLk --pinnedpubkey .* \.\/edgectl install -n <NODE_NAME>$/);
      await shot('add-node-dialog');
      await page.getByTestId('add-node-close').click();

      // the command run in each host as scripts/fleet.mjs installHost runs it (the host's folder,
      // the node name filled in, the runtime flag appended)
      const state = JSON.parse(readFileSync(path.join(dir, fleet, 'fleet.json'), 'utf8')) as FleetState;
      const join = (name: string) => {
        const h = state.hosts.find((x) => x.name === name)!;
        return new Promise<{ name: string; code: number | null; out: string }>((resolve) => {
          const child = spawn(
            'ip',
            [
              'netns',
              'exec',
              h.netns,
              '/bin/sh',
              '-c',
              `cd '${h.dir}' && ${command.replaceAll('<NODE_NAME>', name)} --timeout 120 --runtime process`,
            ],
            {
              env: {
                PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
                HOME: h.dir,
                EDGEPLANE_HOME: h.home,
              },
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          );
          let out = '';
          child.stdout!.on('data', (d) => (out += d));
          child.stderr!.on('data', (d) => (out += d));
          child.on('close', (code) => resolve({ name, code, out }));
        });
      };
      const runs = await Promise.all(NODES.map(join));
      // the service's UNAVAILABLE ('database unavailable, try again': the shared PostgreSQL under
      // ~8 engineers' load dropped a connection) is transient by its own words: as an operator
      // would, that host's command is run once more; any other failure fails the test
      for (const [i, r] of runs.entries())
        if (r.code !== 0 && /UNAVAILABLE: .*try again/.test(r.out)) {
          console.warn(`console-flow: ${r.name} join said try again; once more:\n${r.out}`);
          runs[i] = await join(r.name);
        }
      for (const r of runs) expect(r.code, `${r.name}: ${r.out}`).toBe(0);

      // ---- 5. the open nodes page: the rows arrive by the watch, then Ready (no reload)
      for (const name of NODES) {
        const row = page.getByTestId(`node-row-${name}`);
        await row.waitFor({ timeout: 30_000 });
        await row.getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
      }
      expect(await page.getByTestId('node-count').textContent()).toMatch(/^5 of 5 nodes/);
      expect(await page.evaluate('window.stillThisPage')).toBe(true);
      await shot('nodes-ready-live');

      // ---- 6. Import YAML: the guide's units and group → members shown
      await page.getByRole('link', { name: 'NodeUnits' }).click();
      await page.waitForURL(at('/nodeunits'));
      await page.getByTestId('import-yaml').click();
      await page.getByTestId('import-text').fill(GUIDE_YAML);
      await page.getByTestId('import-apply').click();
      for (let i = 0; i < 3; i++)
        await page.locator(`[data-testid="import-result-${i}"][data-ok="true"]`).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('import-results').innerText()).toMatch(
        /NodeUnit\/beijing created[\s\S]*NodeUnit\/guangzhou created[\s\S]*NodeGroup\/location created/,
      );
      await shot('units-imported');
      await page.getByTestId('import-close').click();
      await page.getByTestId('unit-row-beijing').getByText('bj-1, bj-2').waitFor({ timeout: 15_000 });
      await page.getByTestId('unit-row-guangzhou').getByText('gz-1, gz-2, gz-3').waitFor({ timeout: 15_000 });
      await page.getByRole('link', { name: 'NodeGroups' }).click();
      await page.getByRole('link', { name: 'location' }).click();
      await page.waitForURL(at('/nodegroups/location'));
      await page.getByTestId('group-unit-beijing').getByText('bj-1, bj-2').waitFor({ timeout: 15_000 });
      await page
        .getByTestId('group-unit-guangzhou')
        .getByText('gz-1, gz-2, gz-3')
        .waitFor({ timeout: 15_000 });
      await shot('group-members');

      // ---- 7. the health matrix: all Ready, then gz-3 cut off the cloud → NoSchedule on the open page
      await page.getByRole('link', { name: 'Health' }).click();
      await page.waitForURL(at('/health'));
      await page.getByTestId('health-matrix').waitFor({ timeout: 20_000 });
      const cell = (node: string) => page.getByTestId(`health-cell-${node}`);
      await eventually(
        async () =>
          (await Promise.all(NODES.map((n) => cell(n).getAttribute('data-verdict')))).every(
            (v) => v === 'Ready',
          ),
        90_000,
        500,
      );
      expect(await page.getByTestId('health-row-guangzhou').getByRole('button').count()).toBe(3);
      await shot('health-all-ready');
      await page.evaluate('window.stillThisPage = true');
      const cut = await stack.fleet('cut', 'gz-3', '--cluster', fleet, '--dir', dir);
      expect(cut.code, cut.stderr).toBe(0);
      await page
        .locator('[data-testid="health-cell-gz-3"][data-verdict="NotReadyNoSchedule"]')
        .waitFor({ timeout: 60_000 });
      expect(await page.evaluate('window.stillThisPage')).toBe(true);
      expect(await cell('gz-3').innerText()).toMatch(/NoSchedule/);
      for (const n of ['bj-1', 'bj-2', 'gz-1', 'gz-2'])
        expect(await cell(n).getAttribute('data-verdict')).toBe('Ready');
      await shot('gz-3-noschedule-live');
      await cell('gz-3').click();
      await page.waitForURL(at('/health/gz-3'));
      await page.getByTestId('health-explanation').waitFor({ timeout: 10_000 });
      const rule = await page.getByTestId('explanation-rule').innerText();
      expect(rule).toMatch(/peers-vouch/);
      expect(rule).toMatch(/majority of its peers report it healthy/);
      for (const peer of ['gz-1', 'gz-2']) {
        const vote = await page.getByTestId(`vote-row-${peer}`).innerText();
        expect(vote).toMatch(/healthy/);
        expect(vote).toMatch(/counted/);
      }
      expect(await page.getByTestId('explanation-cloud').innerText()).toMatch(/cloud lost it/);
      await shot('gz-3-explained');

      // ---- 8. Import YAML a DeploymentGrid → a pod per unit on the grid page → one pod's logs
      await page.getByRole('link', { name: 'Grids' }).click();
      await page.waitForURL(at('/grids'));
      await page.getByTestId('import-yaml').click();
      await page.getByTestId('import-text').fill(GRID_YAML);
      await page.getByTestId('import-apply').click();
      await page.locator('[data-testid="import-result-0"][data-ok="true"]').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('import-result-0').innerText()).toMatch(/DeploymentGrid\/ticker created/);
      await page.getByTestId('import-close').click();
      const gridRow = page.getByTestId(`grid-row-${GRID}`);
      await gridRow.getByText('2/2').waitFor({ timeout: 30_000 });
      await gridRow.getByRole('link', { name: GRID }).click();
      await page.waitForURL(at(`/grids/deploymentgrids/${GRID}`));
      for (const [unit, hosts] of [
        ['beijing', /bj-[12]/],
        ['guangzhou', /gz-[12]/], // gz-3 is cut off and NoSchedule: not placed there
      ] as const) {
        const pod = page.getByTestId(`unit-${unit}`).locator('[data-testid^="pod-row-"]');
        await pod
          .getByText('Running')
          .waitFor({ timeout: 90_000 })
          .catch(async (e: unknown) => {
            await page.screenshot({ path: path.join(SHOTS, 'failed-grid.png'), fullPage: true });
            const pods = await stack.cli('pod', 'list', '--grid', GRID, '--cluster', clusterName);
            // the kube API's answer now (a list, not the open page's watch), then the page reloaded
            const listed = await page.evaluate(
              async (url) => {
                const s = JSON.parse(sessionStorage.getItem('edgeplane.session')!) as { token: string };
                const res = await fetch(url, { headers: { authorization: `Bearer ${s.token}` } });
                const body = (await res.json()) as {
                  items?: { metadata: { name: string }; status?: { phase?: string } }[];
                };
                return (body.items ?? []).map((i) => `${i.metadata.name} ${i.status?.phase}`).join(', ');
              },
              `/k8s/clusters/${clusterId}/api/v1/pods?labelSelector=${encodeURIComponent(`superedge.io/grid-selector=${GRID}`)}`,
            );
            await page.reload();
            const afterReload = await page
              .getByTestId(`unit-${unit}`)
              .locator('[data-testid^="pod-row-"]')
              .getByText('Running')
              .waitFor({ timeout: 15_000 })
              .then(() => 'Running after a reload')
              .catch(() => 'not Running after a reload either');
            const freshText = `${afterReload}; kube API list: ${listed}`;
            const host = state.hosts.find((h) => h.name === (unit === 'beijing' ? 'bj-1' : 'gz-1'))!;
            const agentLog = readFileSync(path.join(host.home, 'agent.log'), 'utf8').slice(-3000);
            throw new Error(
              `${unit}: no Running pod (${String(e)})\n${pods.stdout}${pods.stderr}\nfresh tab: ${freshText}\n` +
                `${host.name} agent.log: ${agentLog}\n${stack.logs().slice(-4000)}`,
            );
          });
        await pod.getByText('1/1').waitFor({ timeout: 10_000 });
        expect(await pod.innerText()).toMatch(hosts);
      }
      await shot('grid-pods-per-unit');
      const gzLogs = page.getByTestId('unit-guangzhou').locator('[data-testid^="pod-logs-"]');
      const podName = ((await gzLogs.getAttribute('data-testid')) ?? '').replace('pod-logs-', '');
      await gzLogs.click();
      await page.waitForURL(new RegExp(`/namespaces/default/pods/${podName}/logs`));
      const lines = page.getByTestId('log-lines');
      // the page reads the log once (it can be empty when the container has just started; a run
      // saw 'End of log', 0 lines); following streams what the container writes next
      await page.getByTestId('log-state').waitFor({ timeout: 20_000 });
      await page.getByText('Follow', { exact: true }).click();
      await page.waitForURL(/follow=1/);
      const ticks = async () => [...(await lines.innerText()).matchAll(/tick \d+ unit=guangzhou/g)].length;
      await eventually(async () => (await ticks()) >= 3, 30_000, 200).catch(async (e: unknown) => {
        await page.screenshot({ path: path.join(SHOTS, 'failed-logs.png'), fullPage: true });
        const state = await page
          .getByTestId('log-state')
          .innerText()
          .catch(() => '');
        const error = await page
          .getByTestId('log-error')
          .innerText()
          .catch(() => '');
        throw new Error(
          `no log lines (${String(e)}): state '${state}', error '${error}'\n${stack.logs().slice(-3000)}`,
        );
      });
      expect(await lines.innerText()).toContain(`unit=guangzhou pod=${podName}`);
      await shot('pod-logs');
    }, 900_000);
  },
);
