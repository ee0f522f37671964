/**
 * The console's grid views (issue 13, H3) on a simulated fleet, in a real browser: cluster,
 * nodepool, health-arbiter, tunnel, grid and kube-api as processes (e2e/fleet-stack.ts), two sites
 * as network namespaces with the `process` runtime (beijing 1 host, guangzhou 1), the console
 * server in front of the kube API, Debian's Chromium driven by playwright-core.
 *
 * A DeploymentGrid whose container prints a numbered line every 500 ms is applied; the grid page
 * shows each unit's child and pod, live (placed, then ready from the agents' reports); a pod's
 * logs page shows the container's lines and, following, a newer one; a second revision starts a
 * staged rollout (one unit per wave, soaked) that is paused, resumed (followed until Complete)
 * and undone from the page. The API's answers are checked beside the page: a `view` token reads
 * the rollout but POST is 403 and the page shows it no buttons; a pause with no rollout in
 * progress is 409 in the grid service's words. Screenshots: test-results/console/grids/.
 * Needs root (network namespaces), console/dist (`npm run build`) and /usr/bin/chromium.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually, freePort, uniqueName } from '@edgeplane/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetUnavailable, REPO, startFleetStack, type FleetStack } from './fleet-stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results', 'console', 'grids');
const missing = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM}`
  : !existsSync(path.join(REPO, 'console/dist/index.html'))
    ? 'console/dist is not built (npm run build)'
    : fleetUnavailable();
if (missing) console.warn(`\nSKIPPED console-grids e2e: ${missing}\n`);

const GRID = 'ticker';
/** prints `tick <n> unit=<unit> pod=<pod> rev=<rev>` every 500 ms */
const TICKER = [
  'let n = 0;',
  'setInterval(() => console.log(`tick ${++n} unit=${process.env.UNIT_NAME} pod=${process.env.POD_NAME} rev=${process.env.REV}`), 500);',
  "process.on('SIGTERM', () => process.exit(0));",
].join(' ');

const gridYaml = (rev: string) => `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: ${GRID}
  namespace: default
spec:
  gridUniqKey: location
  rolloutStrategy:
    waveSize: 1
    soakSeconds: 12
    progressDeadlineSeconds: 120
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
            env: [{ name: REV, value: "${rev}" }]
`;

interface Rollout {
  status: {
    state: string;
    generation: number;
    fromGeneration?: number;
    undo?: boolean;
    currentWave?: number;
    waves?: { name: string; state: string; updatedUnits: number; totalUnits: number; units: string[] }[];
  };
}

describe.skipIf(missing)(`console grids on a process fleet${missing ? ` (SKIPPED: ${missing})` : ''}`, () => {
  let stack: FleetStack;
  const cluster = uniqueName('congrid').replace(/_/g, '-').toLowerCase().slice(0, 40);
  let dir = '';
  let clusterId = '';
  let consoleUrl = '';
  let browser: Browser | undefined;
  let page: Page;
  const procs: ChildProcess[] = [];
  const logs: string[] = [];
  const shot = (file: string) => page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
  /** the kube API through the console server's proxy, with this tab's bearer token (or another) */
  const api = async (method: string, p: string, body?: unknown, token?: string) =>
    page.evaluate(
      async ({ method, url, body, token }) => {
        const s = JSON.parse(sessionStorage.getItem('edgeplane.session')!) as { token: string };
        const res = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token ?? s.token}`,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      },
      { method, url: `/k8s/clusters/${clusterId}${p}`, body, token },
    );
  const rolloutPath = `/apis/superedge.io/v1/namespaces/default/deploymentgrids/${GRID}/rollout`;
  const rollout = async () => {
    const r = await api('GET', rolloutPath);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as unknown as Rollout;
  };
  const login = async (kubeconfigFile: string) => {
    await page.goto(`${consoleUrl}/login`);
    await page.locator('textarea').fill(readFileSync(kubeconfigFile, 'utf8'));
    await page.getByRole('button', { name: 'Log in' }).click();
    // logged in, or the page says why not (then the test says it too)
    const outcome = await Promise.race([
      page
        .waitForURL(new RegExp(`/clusters/${clusterId}/`), { timeout: 60_000 })
        .then(() => 'in')
        .catch(() => 'no navigation within 60 s'),
      page
        .getByTestId('login-error')
        .waitFor({ timeout: 60_000 })
        .then(async () => `refused: ${await page.getByTestId('login-error').innerText()}`)
        .catch(() => 'no navigation within 60 s'),
    ]);
    expect(outcome, logs.join('')).toBe('in');
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-console-grids-'));
    stack = await startFleetStack({ grid: true, kubeApi: true });
    // the console as built now: other engineers rebuild console/dist while this runs (minutes)
    const dist = path.join(dir, 'console-dist');
    cpSync(path.join(REPO, 'console/dist'), dist, { recursive: true });
    const consolePort = await freePort();
    const child = spawn(process.execPath, ['console/server/server.mjs'], {
      cwd: REPO,
      env: {
        ...process.env,
        CONSOLE_PORT: String(consolePort),
        KUBE_API_URL: stack.kubeApi!.url,
        KUBE_API_CA_FILE: stack.kubeApi!.caFile,
        CONSOLE_DIST: dist,
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
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    if (stack) {
      const down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
      if (down.code !== 0) console.error(down.stdout, down.stderr);
      await stack.stop();
    }
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it('grid page: children and pods per unit, live; pod logs with follow; pause, resume and undo of a rollout', async () => {
    const up = await stack.fleet(
      'up',
      '--cluster',
      cluster,
      '--sites',
      'beijing:1:cb,guangzhou:1:cg',
      '--dir',
      dir,
      '--runtime',
      'process',
    );
    expect(up.code, `${up.stdout}\n${up.stderr}\n${stack.logs()}`).toBe(0);
    clusterId = (await stack.cliJson<{ id: string }>('cluster', 'get', cluster)).id;
    const kubeconfig = path.join(dir, 'admin.kubeconfig');
    const kc = await stack.cli('cluster', 'kubeconfig', cluster, '--file', kubeconfig);
    expect(kc.code, kc.stderr).toBe(0);

    // ---- the grids list, live: the grid appears on the open page once applied
    await login(kubeconfig);
    await page.getByRole('link', { name: 'Grids' }).click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/grids$`));
    await page.getByTestId('grid-count').getByText('0 grids').waitFor({ timeout: 15_000 });
    // a raw pod watch through the console server's proxy, open before the grid exists: the pods
    // arrive placed (grid stream) and not ready; their readiness can only come from the agents'
    // reports (tunnel stream), which the kube API follows beside the watch
    const token = await page.evaluate(
      () => (JSON.parse(sessionStorage.getItem('edgeplane.session')!) as { token: string }).token,
    );
    const podEvents: {
      type: string;
      object: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } };
    }[] = [];
    const watchAbort = new AbortController();
    const watching = (async () => {
      const res = await fetch(
        `${consoleUrl}/k8s/clusters/${clusterId}/api/v1/pods?watch=1&labelSelector=${encodeURIComponent(`superedge.io/grid-selector=${GRID}`)}`,
        { headers: { authorization: `Bearer ${token}` }, signal: watchAbort.signal },
      );
      expect(res.status).toBe(200);
      let buffer = '';
      for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          podEvents.push(JSON.parse(buffer.slice(0, nl)) as (typeof podEvents)[number]);
          buffer = buffer.slice(nl + 1);
        }
      }
    })().catch((e: unknown) => {
      if (!watchAbort.signal.aborted) throw e;
    });
    const readyIn = (e: (typeof podEvents)[number]) =>
      e.object.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

    const file = path.join(dir, 'grid.yaml');
    writeFileSync(file, gridYaml('1'));
    const applied = await stack.cli('apply', '-f', file, '--cluster', cluster);
    expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
    const row = page.getByTestId(`grid-row-${GRID}`);
    await row.waitFor({ timeout: 10_000 });
    await row.getByText('2/2').waitFor({ timeout: 30_000 }); // SCHEDULED: both units' pods placed
    expect(await row.innerText()).toMatch(/DeploymentGrid\s+default\s+2\s+2\/2/);
    await shot('01-grids-list.png');
    // read-only views work at phone width
    await page.setViewportSize({ width: 390, height: 800 });
    await row.getByText('2/2').waitFor();
    await shot('01b-grids-list-phone.png');
    await page.setViewportSize({ width: 1280, height: 800 });

    // ---- the grid page: each unit's child and its pod, placed then reported ready (live)
    await row.getByRole('link', { name: GRID }).click();
    await page.waitForURL(new RegExp(`/grids/deploymentgrids/${GRID}$`));
    for (const unit of ['beijing', 'guangzhou']) {
      const section = page.getByTestId(`unit-${unit}`);
      await section.getByText(`child ${GRID}-${unit}`).waitFor({ timeout: 15_000 });
      expect(await page.getByTestId(`unit-child-${unit}`).innerText()).toMatch(
        /replicas 1 · scheduled 1 · pending 0/,
      );
      const pod = section.locator('[data-testid^="pod-row-"]');
      await pod.getByText('Running').waitFor({ timeout: 90_000 });
      await pod.getByText('1/1').waitFor({ timeout: 5_000 });
      expect(await pod.innerText()).toContain(unit === 'beijing' ? 'cb-1' : 'cg-1');
    }
    await page.getByTestId('live-state').getByText('Live').waitFor({ timeout: 10_000 });
    // the raw watch saw each pod added not ready, then MODIFIED to ready (from the agents' reports)
    await eventually(
      async () => {
        for (const unit of ['beijing', 'guangzhou']) {
          const mine = podEvents.filter((e) => e.object.metadata.name.startsWith(`${GRID}-${unit}-`));
          expect(mine[0]?.type, JSON.stringify(mine)).toBe('ADDED');
          expect(readyIn(mine[0]!)).toBe(false);
          expect(
            mine.some((e) => e.type === 'MODIFIED' && readyIn(e)),
            JSON.stringify(mine),
          ).toBe(true);
        }
        return true;
      },
      15_000,
      250,
    );
    watchAbort.abort();
    await watching;
    // no rollout yet: the first revision went to every unit at once; Undo has nothing to go back to
    expect(await page.getByTestId('rollout-state').first().innerText()).toBe('Complete');
    expect(await page.getByTestId('rollout-undo').isDisabled()).toBe(true);
    await shot('02-grid-detail.png');
    await page.getByTestId('unit-guangzhou').scrollIntoViewIfNeeded();
    await shot('02b-grid-units.png');

    // ---- a pod's logs: the container's lines; following shows a newer one
    const bjPod = page.getByTestId('unit-beijing').locator('[data-testid^="pod-logs-"]');
    const podName = ((await bjPod.getAttribute('data-testid')) ?? '').replace('pod-logs-', '');
    await bjPod.click();
    // the grid page says which kind the pod's grid is (for the way back)
    await page.waitForURL(new RegExp(`/namespaces/default/pods/${podName}/logs\\?grid=DeploymentGrid$`));
    expect(await page.getByRole('link', { name: GRID, exact: true }).getAttribute('href')).toBe(
      `/clusters/${clusterId}/grids/deploymentgrids/${GRID}`,
    );
    const lines = page.getByTestId('log-lines');
    await lines
      .getByText(/tick \d+ unit=beijing/)
      .first()
      .waitFor({ timeout: 20_000 });
    const text = await lines.innerText();
    expect(text).toContain(`pod=${podName} rev=1`);
    expect(await page.getByTestId('log-state').innerText()).toBe('End of log');
    const lastTick = (t: string) => Math.max(...[...t.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    const before = lastTick(text);
    await shot('03-pod-logs.png');
    await page.getByText('Follow', { exact: true }).click();
    await page.waitForURL(/follow=1/);
    await page.getByTestId('log-state').getByText('Following').waitFor({ timeout: 10_000 });
    // a line the container wrote after the first read reaches the open page (streamed through the proxy)
    const t0 = Date.now();
    await eventually(async () => lastTick(await lines.innerText()) > before + 2, 20_000, 200);
    const seen = lastTick(await lines.innerText());
    await eventually(async () => lastTick(await lines.innerText()) >= seen + 2, 10_000, 100);
    console.log(`console-grids e2e: followed lines arrive (tick ${before} → ${seen}, ${Date.now() - t0} ms)`);
    await shot('04-pod-logs-follow.png');
    // tail lines: 3 lines back
    await page.getByTestId('log-tail').fill('3');
    await page.getByTestId('log-tail').press('Enter');
    await page.waitForURL(/tail=3/);
    await eventually(async () => (await lines.innerText()).split('\n').length >= 3, 10_000, 200);
    // the choices were URL replacements: one step back is the grid page
    await page.goBack();
    await page.waitForURL(new RegExp(`/grids/deploymentgrids/${GRID}$`));

    // ---- a second revision: a staged rollout, one unit per wave; pause it from the page
    writeFileSync(file, gridYaml('2'));
    const second = await stack.cli('apply', '-f', file, '--cluster', cluster);
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);
    const state = page.getByTestId('rollout').getByTestId('rollout-state');
    await state.getByText('Progressing').waitFor({ timeout: 15_000 });
    await page.getByTestId('wave-1').waitFor();
    expect(await page.getByTestId('rollout-waves').innerText()).toMatch(/Wave 1 "wave-1"[\s\S]*beijing/);
    await shot('05-rollout-progressing.png');
    await page.getByTestId('rollout-pause').click();
    await page.getByTestId('rollout-confirm').waitFor();
    await shot('06-pause-confirm.png');
    await page.getByTestId('rollout-confirm-yes').click();
    await state.getByText('Paused').waitFor({ timeout: 10_000 });
    expect((await rollout()).status.state).toBe('Paused');
    // paused: the second wave does not start, even after the first one's soak
    await new Promise((r) => setTimeout(r, 15_000));
    const paused = await rollout();
    expect(paused.status.state).toBe('Paused');
    expect(paused.status.waves?.[1]).toMatchObject({ state: 'waiting', updatedUnits: 0, totalUnits: 1 });
    expect(await page.getByTestId('wave-1').innerText()).toMatch(/0\/1 units/);
    expect(await page.getByTestId('rollout-following').innerText()).toMatch(
      /pause accepted; the rollout is paused at wave 1: Resume to go on/,
    );
    await shot('07-rollout-paused.png');

    // ---- resume: followed on the page until Complete (both waves full)
    await page.getByTestId('rollout-resume').click();
    await page.getByTestId('rollout-confirm-yes').click();
    await page
      .getByTestId('rollout-following')
      .getByText(/following the rollout/)
      .waitFor({ timeout: 10_000 });
    await shot('08-rollout-resumed.png');
    await state.getByText('Complete').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('rollout-following').innerText()).toMatch(
      /resume accepted; the rollout is complete/,
    );
    expect(await page.getByTestId('wave-0').innerText()).toMatch(/1\/1 units/);
    expect(await page.getByTestId('wave-1').innerText()).toMatch(/1\/1 units/);
    const done = await rollout();
    expect(done.status).toMatchObject({ state: 'Complete', generation: 2, fromGeneration: 1 });
    await shot('09-rollout-complete.png');

    // the API's refusal in words: no rollout in progress to pause
    const refused = await api('POST', rolloutPath, { action: 'pause' });
    expect(refused.status).toBe(409);
    expect(String(refused.body.message)).toMatch(/no rollout in progress to pause/);
    const bad = await api('POST', rolloutPath, { action: 'restart' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toBe('action: "restart" is not one of pause, resume, undo');

    // kubectl reaches the subresource with --raw (its `rollout` commands know only the apps kinds);
    // --raw is a path on the server's host, so it names the cluster's prefix too
    if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0) {
      const rawPath = `/k8s/clusters/${clusterId}${rolloutPath}`;
      const raw = spawnSync('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', rawPath], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(raw.status, raw.stderr).toBe(0);
      expect(JSON.parse(raw.stdout)).toMatchObject({
        kind: 'DeploymentGridRollout',
        status: { state: 'Complete' },
      });
      const actionFile = path.join(dir, 'pause.json');
      writeFileSync(actionFile, JSON.stringify({ action: 'pause' }));
      const posted = spawnSync(
        'kubectl',
        ['--kubeconfig', kubeconfig, 'create', '--raw', rawPath, '-f', actionFile],
        { encoding: 'utf8', timeout: 30_000 },
      );
      expect(posted.status).not.toBe(0);
      expect(posted.stderr).toMatch(/Error from server \(Conflict\): .*no rollout in progress to pause/);
    } else console.warn('console-grids e2e: kubectl not on PATH, its --raw check skipped');

    // ---- undo from the page: back to revision 1, the pods run rev=1 again
    await page.getByTestId('rollout-undo').click();
    await page.getByTestId('rollout-confirm-yes').click();
    await page.getByTestId('rollout').getByText('undo', { exact: true }).waitFor({ timeout: 15_000 });
    await state.getByText('Complete').waitFor({ timeout: 120_000 });
    const undone = await rollout();
    expect(undone.status).toMatchObject({ state: 'Complete', generation: 1, undo: true });
    await shot('10-rollout-undone.png');
    // every unit's pod runs revision 1 again (its newest log line says so)
    const logTail = (pod: string) =>
      page.evaluate(async (url) => {
        const s = JSON.parse(sessionStorage.getItem('edgeplane.session')!) as { token: string };
        const res = await fetch(url, { headers: { authorization: `Bearer ${s.token}` } });
        return `${res.status} ${await res.text()}`;
      }, `/k8s/clusters/${clusterId}/api/v1/namespaces/default/pods/${pod}/log?tailLines=1`);
    await eventually(
      async () => {
        const pods = await api(
          'GET',
          `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`superedge.io/grid-selector=${GRID}`)}`,
        );
        const items = pods.body.items as { metadata: { name: string }; spec: { nodeName?: string } }[];
        expect(items).toHaveLength(2);
        for (const p of items) expect(await logTail(p.metadata.name)).toMatch(/^200 tick \d+ .*rev=1\n?$/);
        return true;
      },
      60_000,
      1000,
    );

    // ---- a ServiceGrid over the ticker's pods: its endpoints per unit, on the list and its page
    const svcFile = path.join(dir, 'service.yaml');
    writeFileSync(
      svcFile,
      `apiVersion: superedge.io/v1
kind: ServiceGrid
metadata:
  name: ${GRID}-svc
  namespace: default
spec:
  gridUniqKey: location
  template:
    selector:
      app: ${GRID}
    ports:
      - port: 80
        targetPort: 8080
`,
    );
    const svc = await stack.cli('apply', '-f', svcFile, '--cluster', cluster);
    expect(svc.code, `${svc.stdout}\n${svc.stderr}`).toBe(0);
    await page.getByRole('link', { name: 'Grids', exact: true }).first().click();
    await page.waitForURL(new RegExp(`/clusters/${clusterId}/grids$`));
    const svcRow = page.getByTestId(`grid-row-${GRID}-svc`);
    await svcRow.getByText('2 endpoints').waitFor({ timeout: 30_000 });
    expect(await svcRow.innerText()).toMatch(/ServiceGrid\s+default\s+2\s+2 endpoints/);
    await svcRow.getByRole('link', { name: `${GRID}-svc` }).click();
    await page.waitForURL(new RegExp(`/grids/servicegrids/${GRID}-svc$`));
    for (const unit of ['beijing', 'guangzhou'])
      await page
        .getByTestId(`unit-endpoints-${unit}`)
        .getByText(/^1 endpoint\(s\): \S+/)
        .waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('rollout').count()).toBe(0); // a ServiceGrid has no rollout
    await shot('10b-servicegrid.png');

    // ---- a view credential: reads the rollout, the page shows no actions, the API refuses one
    const viewer = path.join(dir, 'viewer.kubeconfig');
    const issued = await stack.cli(
      'cluster',
      'kubeconfig',
      cluster,
      '--user',
      'vera',
      '--role',
      'view',
      '--file',
      viewer,
    );
    expect(issued.code, issued.stderr).toBe(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await login(viewer);
    await page.goto(`${consoleUrl}/clusters/${clusterId}/grids/deploymentgrids/${GRID}`);
    await page.getByTestId('rollout').waitFor({ timeout: 15_000 });
    await page
      .getByTestId('unit-guangzhou')
      .locator('[data-testid^="pod-row-"]')
      .getByText('1/1')
      .waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('rollout-pause').count()).toBe(0);
    expect(await page.getByTestId('rollout-undo').count()).toBe(0);
    expect((await rollout()).status.state).toBe('Complete');
    const forbidden = await api('POST', rolloutPath, { action: 'undo' });
    expect(forbidden.status).toBe(403);
    expect(String(forbidden.body.message)).toMatch(
      /User "vera" cannot create resource "deploymentgrids\/rollout" in API group "superedge.io"/,
    );
    await shot('11-view-user.png');
  }, 900_000);
});
