/**
 * Clusters in the web console (issue 13, H1) on the simulated fleet, in a real browser: cluster,
 * nodepool, health-arbiter, tunnel, grid and kube-api as processes (e2e/fleet-stack.ts), the console
 * server as a process, Debian's Chromium driven by playwright-core. An admin logs in with a platform
 * credential file (kind: Credentials, as .edgeplane/credentials/admin.yaml), creates a cluster —
 * an overlapping pod CIDR is refused ON the field, first by the page's own check (pod vs service),
 * then by the cluster service's dry run (the pod CIDR of another cluster of the same VPC, which only
 * the server knows) — turns public access on, opens "Add node" on the nodes page, and the join
 * command read from the dialog is run in a fleet host's network namespace (`fleet up --no-join`,
 * then `ip netns exec`, as scripts/fleet.mjs runs it); the node appears on the open nodes page and
 * turns Ready. A view credential sees no Create button and its POST is refused 403 by the API.
 * Screenshots: test-results/console/clusters/. Needs root (namespaces) and Chromium; the console
 * is built for the run into its own directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentialsYaml } from '@edgeplane/proto';
import { eventually, freePort, testCredentials, uniqueName } from '@edgeplane/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetUnavailable, REPO, startFleetStack, type FleetStack } from './fleet-stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results', 'console', 'clusters');
const missing = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : fleetUnavailable();

/**
 * The console built for this run into its own directory (CONSOLE_DIST): console/dist is rebuilt
 * (emptied, then written) by any `npm run build` on the machine, which a run must not depend on.
 */
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
if (missing) console.warn(`\nSKIPPED console-clusters e2e: ${missing}\n`);

interface FleetState {
  hosts: { name: string; netns: string; address: string; dir: string; home: string }[];
}

describe.skipIf(missing)(`clusters in the console${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
  let stack: FleetStack;
  let browser: Browser | undefined;
  let page: Page;
  let consoleUrl = '';
  let dir = '';
  let fleetUp = false;
  const procs: ChildProcess[] = [];
  const logs: string[] = [];
  const suffix = uniqueName('x')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(-6);
  const neighbour = `nb-${suffix}`;
  const clusterName = `ui-${suffix}`;
  const fleet = `cc${suffix}`; // the fleet's namespaces: <fleet>-<host>
  const host = 'ui-1';
  let clusterId = '';
  const shot = (file: string) => page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
  const admin = credentialsYaml(testCredentials({ user: 'ops-admin', groups: ['system:masters'] }));
  const viewer = credentialsYaml(testCredentials({ user: 'vic', groups: ['edgeplane:view'] }));

  async function login(yaml: string) {
    await page.goto(`${consoleUrl}/login`);
    await page.locator('textarea').fill(yaml);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/clusters$/, { timeout: 15_000 });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-console-clusters-'));
    const dist = path.join(dir, 'console-dist');
    const [fleetStack] = await Promise.all([startFleetStack({ kubeApi: true }), buildConsole(dist)]);
    stack = fleetStack;
    const kubeApi = stack.kubeApi!;
    const port = await freePort();
    const child = spawn(process.execPath, ['console/server/server.mjs'], {
      cwd: REPO,
      env: {
        ...process.env,
        CONSOLE_PORT: String(port),
        KUBE_API_URL: kubeApi.url,
        KUBE_API_CA_FILE: kubeApi.caFile,
        CONSOLE_DIST: dist,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => logs.push(`[console] ${d}`));
    child.stderr!.on('data', (d) => logs.push(`[console] ${d}`));
    procs.push(child);
    consoleUrl = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${consoleUrl}/healthz`)).ok, 20_000, 100);
    // another cluster in the VPC 10.30.0.0/16: its pod CIDR is what the form must not take
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
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    if (stack) {
      if (fleetUp) {
        const down = await stack.fleet('down', '--cluster', fleet, '--dir', dir);
        if (down.code !== 0) console.error(down.stdout, down.stderr);
      }
      await stack.stop();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 240_000);

  it('an admin Credentials file logs in to the clusters list (platform session, no cluster kubeconfig)', async () => {
    await login(admin);
    await page.getByTestId(`cluster-row-${neighbour}`).waitFor({ timeout: 15_000 });
    await page.getByTestId('live-state').getByText('Live').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('whoami').textContent()).toMatch(/^ops-admin \(cluster-admin\) · platform/);
    const row = await page.getByTestId(`cluster-row-${neighbour}`).innerText();
    expect(row).toMatch(/1\.22\.5/);
    expect(row).toMatch(/ap-guangzhou/);
    expect(row).toMatch(/L5/);
    expect(row).toMatch(/0 \/ 5/);
    const stored = await page.evaluate(() => sessionStorage.getItem('edgeplane.session') ?? '');
    expect(JSON.parse(stored)).toMatchObject({
      scope: 'platform',
      clusterId: '',
      clusters: [],
      user: 'ops-admin',
    });
    expect(stored).not.toMatch(/BEGIN/); // the tab holds the token, no certificate or key
    await shot('01-clusters.png');
  });

  it('create: an overlapping range is refused on its field (the page at once, then the server dry run), then created', async () => {
    await page.getByTestId('create-cluster').click();
    await page.waitForURL(/\/clusters\/new$/);
    await page.getByTestId('field-displayName').fill(clusterName);
    await page.getByTestId('field-vpcCidr').fill('10.30.0.0/16');
    await page.getByTestId('field-serviceCidr').fill('172.24.0.0/20');
    // the page's own check: pod over service, before any answer
    await page.getByTestId('field-podCidr').fill('172.24.0.0/16');
    await page
      .getByTestId('error-podCidr')
      .getByText('Pod CIDR 172.24.0.0/16 overlaps Service CIDR 172.24.0.0/20')
      .waitFor({ timeout: 2_000 });
    await shot('02-create-overlap-local.png');
    // only the cluster service knows the neighbour: its dry run's words, on the field
    await page.getByTestId('field-podCidr').fill('172.20.0.0/16');
    const serverWords = page.getByTestId('error-podCidr').getByText(/in the same VPC/);
    await serverWords.waitFor({ timeout: 10_000 });
    // the cluster service's words, whole (PatternFly adds a screen-reader ": error status;" to them)
    const onField = (await page.getByTestId('error-podCidr').textContent())?.replace(/: error status;$/, '');
    expect(onField).toBe(
      `Pod CIDR 172.20.0.0/16 overlaps Pod CIDR of cluster "${neighbour}" (${await idOf(neighbour)}) in the same VPC: 172.20.0.0/16`,
    );
    await shot('03-create-overlap-server.png');
    // the dry run stored nothing
    expect((await clusters()).map((c) => c.name)).not.toContain(clusterName);

    await page.getByTestId('field-podCidr').fill('172.22.0.0/16');
    await page.getByTestId('error-podCidr').waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByTestId('field-tier').selectOption('L20');
    await page.getByTestId('create-submit').click();
    await page.waitForURL(/\/clusters\/cls-[^/]+$/, { timeout: 15_000 });
    clusterId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    await page.getByTestId('cluster-title').getByText(clusterName).waitFor();
    const made = (await clusters()).find((c) => c.name === clusterName);
    expect(made).toMatchObject({ id: clusterId, podCidr: '172.22.0.0/16', vpcCidr: '10.30.0.0/16' });
    expect(made?.tier?.name).toBe('L20');
    await shot('04-created.png');
  });

  it('enable public access: the toggle is the cluster service SetAccess', async () => {
    expect(await page.getByTestId('access-public').isChecked()).toBe(false);
    await page.getByText('Public', { exact: true }).click();
    await eventually(
      async () => expect(await page.getByTestId('access-public').isChecked()).toBe(true),
      10_000,
      100,
    );
    await eventually(
      async () => expect((await clusters()).find((c) => c.id === clusterId)?.access?.publicAccess).toBe(true),
      10_000,
      200,
    );
    await shot('05-public-access.png');
    // the admin kubeconfig, downloaded by the browser: this cluster's path on the kube API
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-kubeconfig').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${clusterName}.kubeconfig`);
    const file = path.join(dir, 'downloaded.kubeconfig');
    await download.saveAs(file);
    expect(readFileSync(file, 'utf8')).toContain(`server: ${stack.kubeApi!.url}/k8s/clusters/${clusterId}`);
  });

  it('Add node: the join command from the dialog, run in a fleet host, brings the node onto the open nodes page, Ready', async () => {
    // a host first: a network namespace on the fleet bridge, nothing installed. The bridge holds the
    // join server's address (the cloud side of the fleet), which the cluster service dials to pin
    // its key when Add node makes a token: without the bridge that address is not this machine's
    const up = await stack.fleet('up', '--cluster', fleet, '--sites', `ui:1:ui`, '--dir', dir, '--no-join');
    fleetUp = true;
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    await page.getByTestId('cluster-nodes-link').click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/nodes$`));
    await page.getByTestId('node-count').waitFor({ timeout: 15_000 });
    const commandEl = page.getByTestId('join-command');
    // the command, or the API's words why there is none. Seen in 1 run of 8 under load: the
    // cluster service's pin check answered "the join server … presents a certificate that no
    // gateway CA of the tunnel service issued" (cause not found; the cluster/tunnel side's). An
    // operator asks again, and so does the test (each refusal logged and screenshotted)
    for (let attempt = 1; ; attempt++) {
      await page.getByTestId('add-node').click();
      await page.getByTestId('join-create').click();
      await commandEl.or(page.getByTestId('join-error')).first().waitFor({ timeout: 15_000 });
      if (!(await page.getByTestId('join-error').count())) break;
      const words = await page.getByTestId('join-error').innerText();
      await shot(`06-add-node-refused-${attempt}.png`);
      console.warn(`console-clusters e2e: Add node attempt ${attempt} gave no command: ${words}`);
      if (attempt >= 5) throw new Error(`Add node: ${words}\n${stack.logs().slice(-3000)}`);
      await page.getByTestId('add-node-close').click();
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const command = (await commandEl.innerText()).trim();
    expect(command).toMatch(/^curl -fsSLk --pinnedpubkey .* \.\/edgectl install -n <NODE_NAME>$/);
    expect(command).toContain(`EDGEPLANE_SERVER='${stack.joinUrl}'`);
    await shot('06-add-node.png');
    await page.getByTestId('add-node-close').click();

    const state = JSON.parse(readFileSync(path.join(dir, fleet, 'fleet.json'), 'utf8')) as FleetState;
    const h = state.hosts.find((x) => x.name === host)!;
    // as scripts/fleet.mjs installHost runs it: in the namespace, as printed, the node name filled in
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(
        'ip',
        [
          'netns',
          'exec',
          h.netns,
          '/bin/sh',
          '-c',
          `cd '${h.dir}' && ${command.replaceAll('<NODE_NAME>', host)} --timeout 90`,
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
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(run.code, `${run.out}\n${stack.logs()}`).toBe(0);

    // the open page (no reload): the row arrives by the watch, then Ready
    const row = page.getByTestId(`node-row-${host}`);
    await row.waitFor({ timeout: 30_000 });
    await row.getByText('Ready', { exact: true }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('node-count').textContent()).toMatch(/^1 of 1 node/);
    await shot('07-node-ready.png');

    // the clusters list counts it (the cluster's usage event, through the clusters watch)
    await page.getByTestId('nav-clusters').click();
    await page.getByTestId(`cluster-row-${clusterName}`).getByText('1 / 20').waitFor({ timeout: 15_000 });
    await shot('08-clusters-after-join.png');
  });

  it('a view credential: no Create button, and its POST is refused 403 by the API; nothing made', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await login(viewer);
    await page.getByTestId(`cluster-row-${clusterName}`).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('whoami').textContent()).toMatch(/^vic \(view\)/);
    expect(await page.getByTestId('create-cluster').count()).toBe(0);
    await page.getByRole('link', { name: clusterName }).click();
    await page.getByTestId('cluster-title').getByText(clusterName).waitFor({ timeout: 10_000 });
    // view: no kubeconfig, no Add node, the toggles disabled
    expect(await page.getByTestId('download-kubeconfig').count()).toBe(0);
    expect(await page.getByTestId('add-node').count()).toBe(0);
    expect(await page.getByTestId('access-public').isDisabled()).toBe(true);
    await page.getByTestId('nav-clusters').click();
    await shot('09-view-user.png');
    const refused = await page.evaluate(async () => {
      const s = JSON.parse(sessionStorage.getItem('edgeplane.session')!) as { token: string };
      const res = await fetch('/apis/management.edgeplane.io/v1/clusters', {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          spec: {
            displayName: 'sneaky',
            kubernetesVersion: '1.22.5',
            runtime: 'containerd',
            region: 'ap-guangzhou',
            vpcCidr: '10.40.0.0/16',
            podCidr: '172.26.0.0/16',
            serviceCidr: '172.27.0.0/20',
          },
        }),
      });
      return { status: res.status, body: (await res.json()) as { message?: string; reason?: string } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.reason).toBe('Forbidden');
    expect(refused.body.message).toMatch(/requires role edit/);
    expect((await clusters()).map((c) => c.name)).not.toContain('sneaky');
    // the same token reads a cluster's nodes under /k8s/clusters/<id> (a platform token is accepted there)
    await page.goto(`${consoleUrl}/clusters/${clusterId}/nodes`);
    await page.getByTestId(`node-row-${host}`).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('add-node').count()).toBe(0);
  });

  it('the management API itself: OU limits, kubeconfig for cluster-admin only, immutable fields, dry-run causes', async () => {
    const limited = testCredentials({ user: 'lim', groups: ['edgeplane:edit'], clusters: [clusterId] });
    const adminCred = testCredentials({ user: 'ops-admin', groups: ['system:masters'] });
    const viewCred = testCredentials({ user: 'vic', groups: ['edgeplane:view'] });
    const neighbourId = await idOf(neighbour);
    const ca = readFileSync(stack.kubeApi!.caFile, 'utf8');
    const call = (
      cred: { certificate: string; key: string },
      method: string,
      p: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      new Promise<{ status: number; text: string; json: () => Record<string, unknown> }>(
        (resolve, reject) => {
          const req = https.request(
            `${stack.kubeApi!.url}${p}`,
            {
              method,
              ca,
              cert: cred.certificate,
              key: cred.key,
              headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
            },
            (res) => {
              let text = '';
              res.on('data', (d) => (text += d));
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  text,
                  json: () => JSON.parse(text) as Record<string, unknown>,
                }),
              );
            },
          );
          req.on('error', reject);
          req.end(body === undefined ? undefined : JSON.stringify(body));
        },
      );
    const M = '/apis/management.edgeplane.io/v1/clusters';

    // limited to the new cluster: lists only it, reaches only it, creates nothing
    const list = await call(limited, 'GET', M);
    expect(list.status, list.text).toBe(200);
    expect((list.json().items as { metadata: { name: string } }[]).map((i) => i.metadata.name)).toEqual([
      clusterId,
    ]);
    const other = await call(limited, 'GET', `${M}/${neighbourId}`);
    expect(other.status).toBe(403);
    expect(other.text).toMatch(/limited to cluster/);
    expect((await call(limited, 'POST', M, { spec: { displayName: 'nope' } })).status).toBe(403);
    expect((await call(limited, 'GET', `/k8s/clusters/${neighbourId}/api/v1/nodes`)).status).toBe(403);
    const nodes = await call(limited, 'GET', `/k8s/clusters/${clusterId}/api/v1/nodes`);
    expect(nodes.status, nodes.text).toBe(200);
    expect(nodes.text).toContain(`"name":"${host}"`);

    // the kubeconfig: cluster-admin's (GetKubeconfig), refused to view in the cluster service's words
    const kc = await call(adminCred, 'GET', `${M}/${clusterId}/kubeconfig`, undefined, {
      accept: 'application/yaml',
    });
    expect(kc.status, kc.text).toBe(200);
    expect(kc.text).toContain(`${stack.kubeApi!.url}/k8s/clusters/${clusterId}`);
    const viewKc = await call(viewCred, 'GET', `${M}/${clusterId}/kubeconfig`);
    expect(viewKc.status).toBe(403);
    expect(viewKc.text).toMatch(/requires role cluster-admin/);

    // fixed at creation: 422 naming the field; a dry run's causes name spec fields
    const immutable = await call(
      adminCred,
      'PATCH',
      `${M}/${clusterId}`,
      { spec: { podCidr: '172.30.0.0/16' } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    expect(immutable.status).toBe(422);
    expect(immutable.json()).toMatchObject({
      reason: 'Invalid',
      details: { causes: [{ field: 'spec.podCidr', message: 'field is immutable' }] },
    });
    const dry = await call(adminCred, 'POST', `${M}?dryRun=All`, {
      spec: {
        displayName: 'dry',
        kubernetesVersion: '1.22.5',
        runtime: 'containerd',
        region: 'ap-guangzhou',
        vpcCidr: '10.50.0.0/16',
        podCidr: '172.28.0.0/16',
        serviceCidr: '10.50.0.0/20',
      },
    });
    expect(dry.status).toBe(422);
    const causes = (dry.json().details as { causes: { field: string; message: string }[] }).causes;
    expect(causes).toContainEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.serviceCidr',
      message: 'Service CIDR 10.50.0.0/20 overlaps VPC CIDR 10.50.0.0/16',
    });
    // a dry run that passes answers the cluster it would be (201) and stores nothing
    const ok = await call(adminCred, 'POST', `${M}?dryRun=All`, {
      spec: {
        displayName: 'dry',
        kubernetesVersion: '1.22.5',
        runtime: 'containerd',
        region: 'ap-guangzhou',
        vpcCidr: '10.50.0.0/16',
        podCidr: '172.28.0.0/16',
        serviceCidr: '172.29.0.0/20',
      },
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json()).toMatchObject({ metadata: { name: '' }, spec: { displayName: 'dry', tier: 'L5' } });
    expect((await clusters()).map((c) => c.name)).not.toContain('dry');
  });

  async function clusters() {
    return (
      await stack.cliJson<{
        items: {
          id: string;
          name: string;
          podCidr: string;
          vpcCidr: string;
          tier?: { name: string };
          access?: { publicAccess?: boolean };
        }[];
      }>('cluster', 'list')
    ).items;
  }
  async function idOf(name: string) {
    return (await clusters()).find((c) => c.name === name)?.id ?? '';
  }
});
