/**
 * The console's node page and pod terminal (issue 13, node detail "with labels by owner, taints,
 * conditions … and exec in a terminal through the tunnel") on the simulated fleet with real
 * containers: cluster, nodepool, health-arbiter, tunnel, grid and kube-api as processes
 * (e2e/fleet-stack.ts), two hosts (bj-1, gz-1) as network namespaces with a containerd each
 * (`fleet up --runtime cri`), a DeploymentGrid of the busybox httpd image, the console server
 * (console/server/server.mjs) and Debian's Chromium driven by playwright-core.
 *
 * Checked: the node page groups labels by owner (operator / cluster / nodepool, as the cluster
 * service's layers say) and lists taints with their owner and the conditions; an edit user adds
 * and removes an operator label (seen by the CLI), a nodepool-owned label is refused with the
 * owner named; cordon/uncordon; a shell in the pod through the browser terminal runs
 * `echo hello-$((6*7))-from-pod` and shows `hello-42-from-pod` (the pods/exec WebSocket through the
 * console server, its token in the subprotocol); a view user sees no edit buttons nor terminal
 * links, and its exec through the console server is refused with the API's Forbidden in words; a
 * foreign Origin is refused; drain shows its progress until the node has no pods left.
 * Screenshots: test-results/console/node/. Node remote login in a terminal is not built (see
 * console/README.md).
 *
 * Skips (loudly) when Chromium, console/dist, the fleet (root, ip netns) or the cri runtime is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually, freePort } from '@edgeplane/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fleetUnavailable, REPO, startFleetStack, type FleetStack } from './fleet-stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'test-results', 'console', 'node');

function unavailableReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  if (!existsSync(path.join(REPO, 'console/dist/index.html')))
    return 'console/dist is not built (npm run build)';
  const fleet = fleetUnavailable();
  if (fleet) return fleet;
  const check = spawnSync(path.join(REPO, 'scripts/runtime/setup.sh'), ['--check'], { encoding: 'utf8' });
  if (check.status !== 0)
    return `containerd/runc/CNI missing (scripts/runtime/setup.sh): ${check.stderr.trim()}`;
  const images = spawnSync(path.join(REPO, 'scripts/runtime/build-images.sh'), [], { encoding: 'utf8' });
  if (images.status !== 0) return `the local test images could not be built: ${images.stderr.trim()}`;
  return undefined;
}

const unavailable = unavailableReason();
if (unavailable) console.warn(`\nSKIPPED console-node e2e: ${unavailable}\n`);

const GRID = 'nodeweb';
const gridYaml = `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: ${GRID}
  namespace: default
spec:
  gridUniqKey: location
  overriders:
    - name: beijing
      units: [beijing]
    - name: guangzhou
      units: [guangzhou]
  template:
    replicas: 1
    selector:
      matchLabels: { app: ${GRID} }
    template:
      metadata:
        labels: { app: ${GRID} }
      spec:
        containers:
          - name: web
            image: localhost/edgeplane/busybox-httpd:1
            ports: [{ name: http, containerPort: 8080 }]
`;

describe.skipIf(unavailable)(
  `console node page and pod terminal${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`,
  () => {
    let stack: FleetStack;
    const cluster = `cnode-${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-console-node-'));
    const procs: ChildProcess[] = [];
    const consoleLogs: string[] = [];
    let consoleUrl = '';
    let clusterId = '';
    let browser: Browser | undefined;
    let page: Page;
    let bjPod = '';
    const adminConfig = path.join(dir, 'admin.kubeconfig');
    const viewConfig = path.join(dir, 'view.kubeconfig');

    const shot = (file: string) => page.screenshot({ path: path.join(SHOTS, file) });
    const cli = async (...args: string[]) => {
      const r = await stack.cli(...args);
      return { ...r, all: `${r.stdout}\n${r.stderr}` };
    };
    const nodeDoc = async (name: string) =>
      (
        await stack.cliJson<{
          node: {
            operatorLabels: Record<string, string>;
            schedulable: boolean;
            draining: boolean;
          };
        }>('node', 'get', name, '--cluster', cluster)
      ).node;
    const login = async (kubeconfig: string) => {
      await page.goto(`${consoleUrl}/login`);
      await page.locator('textarea').fill(readFileSync(kubeconfig, 'utf8'));
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/clusters\/[^/]+\/nodes$/, { timeout: 15_000 });
      clusterId = /\/clusters\/([^/]+)\/nodes$/.exec(page.url())![1]!;
    };
    const openNode = async (name: string) => {
      await page.goto(`${consoleUrl}/clusters/${clusterId}/nodes/${name}`);
      await page.getByTestId('detail-status').waitFor({ timeout: 15_000 });
    };

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      stack = await startFleetStack({ grid: true, kubeApi: true });
      const consolePort = await freePort();
      const child = spawn(process.execPath, ['console/server/server.mjs'], {
        cwd: REPO,
        env: {
          ...process.env,
          CONSOLE_PORT: String(consolePort),
          KUBE_API_URL: stack.kubeApi!.url,
          KUBE_API_CA_FILE: stack.kubeApi!.caFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => consoleLogs.push(String(d)));
      child.stderr!.on('data', (d) => consoleLogs.push(String(d)));
      procs.push(child);
      consoleUrl = `http://127.0.0.1:${consolePort}`;
      await eventually(async () => (await fetch(`${consoleUrl}/healthz`)).ok, 20_000, 100);

      const up = await stack.fleet(
        'up',
        '--cluster',
        cluster,
        '--sites',
        'beijing:1:bj,guangzhou:1:gz',
        '--dir',
        dir,
        '--runtime',
        'cri',
      );
      if (up.code !== 0) throw new Error(`fleet up failed\n${up.stdout}\n${up.stderr}\n${stack.logs()}`);
      const file = path.join(dir, 'grid.yaml');
      writeFileSync(file, gridYaml);
      const applied = await cli('apply', '-f', file, '--cluster', cluster);
      if (applied.code !== 0) throw new Error(applied.all);
      await eventually(
        async () => {
          const { items } = await stack.cliJson<{ items: { name: string; node: string; unit: string }[] }>(
            'pod',
            'list',
            '--grid',
            GRID,
            '--cluster',
            cluster,
          );
          const bj = items.find((p) => p.unit === 'beijing');
          if (!bj?.node) return false;
          bjPod = bj.name;
          return (await cli('pod', 'logs', bj.name, '--cluster', cluster)).stdout.includes('serving on 8080');
        },
        180_000,
        1000,
      ).catch((e) => {
        throw new Error(`${(e as Error).message}\n${stack.logs().slice(-6000)}`);
      });
      // an operator label and an operator taint, so each owner has something to show
      expect((await cli('node', 'label', 'bj-1', 'team=edge', '--cluster', cluster)).code).toBe(0);
      expect(
        (await cli('node', 'taint', 'bj-1', 'dedicated=web:PreferNoSchedule', '--cluster', cluster)).code,
      ).toBe(0);
      expect((await cli('cluster', 'access', cluster, '--public', 'on')).code).toBe(0);
      const kc = await cli('cluster', 'kubeconfig', cluster, '--file', adminConfig);
      expect(kc.code, kc.all).toBe(0);
      const vc = await cli(
        'cluster',
        'kubeconfig',
        cluster,
        '--user',
        'vera',
        '--role',
        'view',
        '--file',
        viewConfig,
      );
      expect(vc.code, vc.all).toBe(0);

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
    }, 600_000);

    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
      if (stack) {
        let down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
        if (down.code !== 0) down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
        if (down.code !== 0) console.error(down.stdout, down.stderr);
        await stack.stop();
      }
      rmSync(dir, { recursive: true, force: true });
    }, 240_000);

    it('the node page: labels grouped by owner, taints with their owner, conditions', async () => {
      await login(adminConfig);
      await openNode('bj-1');
      const group = (owner: string) => page.getByTestId(`labels-owner-${owner}`);
      await group('operator').getByText('team=edge').waitFor({ timeout: 10_000 });
      // the unit membership label is nodepool's, the hostname label the cluster's
      await group('nodepool').getByText('beijing=nodeunits.superedge.io').waitFor();
      await group('cluster').getByText('kubernetes.io/hostname=bj-1').waitFor();
      expect(await group('operator').innerText()).not.toContain('nodeunits.superedge.io');
      const taint = await page.getByTestId('taint-dedicated').innerText();
      expect(taint.split(/\s+/)).toEqual(['dedicated', 'web', 'PreferNoSchedule', 'operator']);
      // the health arbiter's verdict (nodehealths), linked to its explanation
      const verdict = page.getByTestId('detail-verdict');
      // (Ready normally; the arbiter's word whatever it is on a loaded machine)
      await eventually(
        async () =>
          /^(Ready|NotReadyNoSchedule|NotReadyNoExecute|Unknown)\s+rule \S+/.test(await verdict.innerText()),
        30_000,
        200,
      );
      expect(await verdict.getByRole('link', { name: 'explanation' }).getAttribute('href')).toBe(
        `/clusters/${clusterId}/health/bj-1`,
      );
      const conditions = await page.getByTestId('detail-conditions').innerText();
      expect(conditions).toMatch(/Ready\s+(True|False|Unknown)\s/);
      expect(await page.getByTestId('detail-addresses').innerText()).toMatch(/InternalIP 10\.210\./);
      // the node's grid pod is listed (pods watch with spec.nodeName)
      await page.getByTestId('node-pods').getByText(bjPod).waitFor({ timeout: 10_000 });
      // the node's event timeline (console/src/events), or its marked slot before that lands
      await page.locator('[data-testid=event-timeline], [data-testid=event-timeline-slot]').first().waitFor();
      await shot('01-node-detail.png');
      await page.getByTestId('detail-conditions').scrollIntoViewIfNeeded();
      await shot('01b-taints-conditions-pods.png');
    }, 120_000);

    it('edit: an operator label added and removed (the CLI sees it); a nodepool label refused naming its owner', async () => {
      await page.getByTestId('label-key').fill('console-added');
      await page.getByTestId('label-value').fill('yes');
      await page.getByTestId('label-add').click();
      await page
        .getByTestId('labels-owner-operator')
        .getByText('console-added=yes')
        .waitFor({ timeout: 10_000 });
      expect((await nodeDoc('bj-1')).operatorLabels['console-added']).toBe('yes');
      await shot('02-label-added.png');
      await page.getByRole('button', { name: 'Remove label console-added' }).click();
      await page
        .getByTestId('labels-owner-operator')
        .getByText('console-added=yes')
        .waitFor({ state: 'detached', timeout: 10_000 });
      expect((await nodeDoc('bj-1')).operatorLabels['console-added']).toBeUndefined();
      // system labels have no remove button
      expect(await page.getByRole('button', { name: 'Remove label kubernetes.io/hostname' }).count()).toBe(0);
      // a label the nodepool owns: the API's refusal, in words, naming the owner
      await page.getByTestId('label-key').fill('guangzhou');
      await page.getByTestId('label-value').fill('nodeunits.superedge.io');
      await page.getByTestId('label-add').click();
      const error = page.getByTestId('label-error');
      await error.waitFor({ timeout: 10_000 });
      expect(await error.innerText()).toMatch(/nodepool/);
      await shot('03-owned-label-refused.png');
    }, 60_000);

    it('cordon and uncordon from the page', async () => {
      await page.getByTestId('cordon').click();
      const status = () => page.getByTestId('detail-status').innerText();
      await eventually(async () => (await status()).endsWith(',SchedulingDisabled'), 20_000, 200);
      expect(await page.getByTestId('detail-cordons').innerText()).toMatch(/^operator: /);
      expect((await nodeDoc('bj-1')).schedulable).toBe(false);
      await shot('04-cordoned.png');
      await page.getByTestId('uncordon').click();
      await page.getByTestId('cordon').waitFor({ timeout: 20_000 });
      await eventually(async () => !(await status()).includes('SchedulingDisabled'), 20_000, 200);
      expect((await nodeDoc('bj-1')).schedulable).toBe(true);
    }, 60_000);

    it('a shell in the pod in the browser terminal (pods/exec through the tunnel)', async () => {
      await page.getByTestId(`terminal-${bjPod}`).click();
      await page.waitForURL(new RegExp(`/nodes/bj-1/pods/default/${bjPod}/terminal$`));
      await page.getByTestId('terminal-state').getByText('Connected').waitFor({ timeout: 20_000 });
      await page.getByTestId('terminal').click();
      await page.keyboard.type('echo hello-$((6*7))-from-pod');
      await page.keyboard.press('Enter');
      await page.keyboard.type('hostname');
      await page.keyboard.press('Enter');
      const rows = page.locator('[data-testid=terminal] .xterm-rows');
      // the shell's answer, not the echo of what was typed: 6*7 is computed in the pod (stdout and
      // the prompt on stderr are separate channels: the prompt may come first on the line)
      await eventually(
        async () =>
          (await rows.innerText()).split('\n').some((l) => /^(\S+ # )?hello-42-from-pod$/.test(l.trim())) &&
          // typed ahead while the first answer came: its line stays whole too (hostname = the pod's name)
          (await rows.innerText())
            .split('\n')
            .some((l) => l.trim().endsWith(` # ${bjPod}`) || l.trim() === bjPod),
        20_000,
        200,
      ).catch(async (e: Error) => {
        throw new Error(`${e.message}; the terminal shows:\n${await rows.innerText()}`);
      });
      await shot('05-pod-terminal.png');
      // end of input ends the shell: the API's Success status ends the session
      await page.keyboard.press('Control+D');
      await page.getByTestId('terminal-state').getByText('Ended').waitFor({ timeout: 15_000 });
      expect(consoleLogs.join('')).not.toMatch(/ep1\./); // no token in the console server's output
    }, 90_000);

    it('a view user: no edit buttons, no terminal links; its exec is refused with the reason; a foreign Origin is refused', async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await login(viewConfig);
      await openNode('bj-1');
      await page.getByTestId('node-pods').getByText(bjPod).waitFor({ timeout: 10_000 });
      await page.getByTestId('labels-owner-operator').getByText('team=edge').waitFor();
      for (const id of ['cordon', 'drain', 'label-add', `terminal-${bjPod}`])
        expect(await page.getByTestId(id).count(), id).toBe(0);
      expect(await page.getByRole('button', { name: /^Remove label/ }).count()).toBe(0);
      await shot('06-view-user.png');
      // the API refuses what the page hides: drain as view
      const drainAsView = await page.evaluate(async (id) => {
        const t = JSON.parse(sessionStorage.getItem('edgeplane.session')!).token as string;
        const res = await fetch(`/k8s/clusters/${id}/api/v1/nodes/bj-1/drain`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
          body: '{}',
        });
        return { status: res.status, message: ((await res.json()) as { message: string }).message };
      }, clusterId);
      expect(drainAsView.status).toBe(403);
      expect(drainAsView.message).toMatch(/User "vera" cannot create resource "nodes\/drain"/);
      // read-only at phone width: the page still shows the labels by owner
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('labels-owner-nodepool').scrollIntoViewIfNeeded();
      await shot('06b-view-phone.png');
      await page.setViewportSize({ width: 1280, height: 800 });
      // the terminal URL opened directly: the API refuses, the page says why
      await page.goto(`${consoleUrl}/clusters/${clusterId}/nodes/bj-1/pods/default/${bjPod}/terminal`);
      const error = page.getByTestId('terminal-error');
      await error.waitFor({ timeout: 15_000 });
      expect(await error.innerText()).toMatch(/User "vera" cannot create resource "pods\/exec"/);
      await shot('07-view-exec-refused.png');

      // the console server passes no WebSocket from another origin (its token would travel with it)
      const token = await page.evaluate(
        () => JSON.parse(sessionStorage.getItem('edgeplane.session')!).token as string,
      );
      const url = `${consoleUrl.replace('http', 'ws')}/k8s/clusters/${clusterId}/api/v1/namespaces/default/pods/${bjPod}/exec?command=true&stdout=true`;
      const protocols = [
        'v5.channel.k8s.io',
        `base64url.bearer.authorization.k8s.io.${Buffer.from(token).toString('base64url')}`,
      ];
      const status = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url, protocols, { origin: 'http://evil.example' });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => reject(new Error('a foreign origin was let through')));
        ws.on('error', () => undefined);
      });
      expect(status).toBe(403);
    }, 90_000);

    it('drain: the progress until the node has no pods left', async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await login(adminConfig);
      await openNode('bj-1');
      await page.getByTestId('node-pods').getByText(bjPod).waitFor({ timeout: 10_000 });
      // a grace period out of bounds: 400 naming the field, nothing drained
      const bad = await page.evaluate(async (id) => {
        const t = JSON.parse(sessionStorage.getItem('edgeplane.session')!).token as string;
        const res = await fetch(`/k8s/clusters/${id}/api/v1/nodes/bj-1/drain`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
          body: JSON.stringify({ gracePeriodSeconds: 99999 }),
        });
        return { status: res.status, message: ((await res.json()) as { message: string }).message };
      }, clusterId);
      expect(bad).toEqual({
        status: 400,
        message: 'gracePeriodSeconds: must be a whole number of seconds 0–3600, got 99999',
      });
      expect((await nodeDoc('bj-1')).draining).toBe(false);
      await page.getByTestId('drain').click();
      const progress = page.getByTestId('drain-progress');
      await progress.waitFor({ timeout: 10_000 });
      await shot('08-draining.png');
      await progress.getByText('Drained: no pods left on this node').waitFor({ timeout: 60_000 });
      const n = await nodeDoc('bj-1');
      expect(n.draining).toBe(true);
      expect(n.schedulable).toBe(false);
      await eventually(
        async () => (await page.getByTestId('node-pods').innerText()) === 'no pods',
        10_000,
        200,
      );
      await shot('09-drained.png');
    }, 120_000);
  },
);
