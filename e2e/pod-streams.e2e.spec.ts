/**
 * Pod logs and exec through the tunnel on the simulated fleet with real containers (issue 11
 * `edgeplane pod logs`, issue 12 "kubectl logs and kubectl exec of a pod on a fleet node"):
 * cluster, nodepool, health-arbiter, tunnel, grid and kube-api as real processes; two hosts (bj-1,
 * gz-1) as network namespaces with a containerd each (`fleet up --runtime cri`); a DeploymentGrid
 * of the busybox httpd image, one pod per unit. Remote login stays OFF throughout: logs and exec are
 * decided by the caller's role, as on a Kubernetes cluster.
 *
 * Checked: `edgeplane pod logs` shows the container's own output (its "serving on" line naming its
 * node), a request answered 404 by the httpd appears as a new line (also live with `-f`), `--tail`
 * and `--timestamps`; `edgeplane pod exec` returns the file the container wrote, its hostname, and
 * the command's stdout, stderr and exit code, and with `-i` its stdin; the gateway refuses a pod asked of another node
 * (NOT_FOUND) and a request past its bounds (INVALID_ARGUMENT); the real kubectl with the kubeconfig
 * of `edgeplane cluster kubeconfig`: `logs` (and `--tail --timestamps`, `-f`), `exec` with the exit code passed
 * through, `exec -i` with stdin; a view credential may read logs but is Forbidden to exec.
 *
 * Skips (loudly) only when this machine cannot run a fleet or containerd/runc/CNI are missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { encodePodRequest, POD_REQUEST_KEY } from '@edgeplane/k8s/pod-stream';
import { eventually, remoteAccess, uniqueName } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetUnavailable, metricValue, REPO, startFleetStack, type FleetStack } from './fleet-stack.js';

function criUnavailable(): string | undefined {
  const fleet = fleetUnavailable();
  if (fleet) return fleet;
  const check = spawnSync(path.join(REPO, 'scripts/runtime/setup.sh'), ['--check'], { encoding: 'utf8' });
  if (check.status !== 0)
    return `containerd/runc/CNI missing (scripts/runtime/setup.sh): ${check.stderr.trim()}`;
  const images = spawnSync(path.join(REPO, 'scripts/runtime/build-images.sh'), [], { encoding: 'utf8' });
  if (images.status !== 0) return `the local test images could not be built: ${images.stderr.trim()}`;
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (kubectl.status !== 0) return 'kubectl is not on PATH';
  return undefined;
}

const unavailable = criUnavailable();
if (unavailable) console.warn(`\nSKIPPED pod-streams e2e (cri driver, real containers): ${unavailable}\n`);

const GRID = 'logsweb';
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
          - name: web
            image: localhost/edgeplane/busybox-httpd:1
            ports: [{ name: http, containerPort: 8080 }]
`;

interface Pod {
  name: string;
  unit: string;
  node: string;
}

describe.skipIf(unavailable)(
  `pod logs and exec through the tunnel${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`,
  () => {
    let stack: FleetStack;
    const cluster = uniqueName('podstreams').replace(/_/g, '-').toLowerCase().slice(0, 40);
    const dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-pod-streams-'));
    let bj: Pod;
    let gz: Pod;
    let kubeconfig = '';

    beforeAll(async () => {
      stack = await startFleetStack({ grid: true, kubeApi: true });
    }, 240_000);
    afterAll(async () => {
      if (stack) {
        let down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
        if (down.code !== 0) down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
        if (down.code !== 0) console.error(down.stdout, down.stderr);
        await stack.stop();
      }
      rmSync(dir, { recursive: true, force: true });
    }, 240_000);

    const cli = async (...args: string[]) => {
      const r = await stack.cli(...args);
      return { ...r, all: `${r.stdout}\n${r.stderr}` };
    };
    const logsOf = async (pod: string, ...extra: string[]) => {
      const r = await cli('pod', 'logs', pod, '--cluster', cluster, ...extra);
      expect(r.code, r.all).toBe(0);
      return r.stdout;
    };
    const count = (text: string, what: string) => text.split(what).length - 1;
    const kubectl = (args: string[], config = kubeconfig, input?: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('kubectl', ['--kubeconfig', config, ...args], {
          env: { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'kube-cache') },
        });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.stdin.end(input ?? '');
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });

    it('a grid pod runs on bj-1 and on gz-1 (fleet up --runtime cri, remote login off)', async () => {
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
      expect(up.code, `${up.stdout}\n${up.stderr}\n${stack.logs()}`).toBe(0);
      const file = path.join(dir, 'grid.yaml');
      writeFileSync(file, gridYaml);
      const applied = await cli('apply', '-f', file, '--cluster', cluster);
      expect(applied.code, applied.all).toBe(0);
      await eventually(
        async () => {
          const { items } = await stack.cliJson<{ items: Pod[] }>(
            'pod',
            'list',
            '--grid',
            GRID,
            '--cluster',
            cluster,
          );
          bj = items.find((p) => p.unit === 'beijing')!;
          gz = items.find((p) => p.unit === 'guangzhou')!;
          if (!bj?.node || !gz?.node) return false;
          // running in the container: its first line is in the log
          return (await cli('pod', 'logs', bj.name, '--cluster', cluster)).stdout.includes('serving on 8080');
        },
        120_000,
        1000,
      ).catch((e) => {
        throw new Error(`${(e as Error).message}\n${stack.logs().slice(-6000)}`);
      });
      expect(bj.node).toBe('bj-1');
      expect(gz.node).toBe('gz-1');
      const c = await stack.cliJson<{ remoteLogin?: boolean; cluster?: { remoteLogin?: boolean } }>(
        'cluster',
        'get',
        cluster,
      );
      expect(c.remoteLogin ?? c.cluster?.remoteLogin ?? false).toBe(false);
    }, 420_000);

    it("edgeplane pod logs: the container's output, a new line per 404 answered, --tail, --timestamps", async () => {
      const first = await logsOf(bj.name);
      expect(first).toContain(`serving on 8080: node=bj-1 unit=beijing pod=${bj.name}`);
      expect(await logsOf(gz.name)).toContain(`serving on 8080: node=gz-1 unit=guangzhou pod=${gz.name}`);
      const before = count(first, 'response:404');
      // a request the httpd answers 404 (made inside the pod, through exec)
      const wget = await cli(
        'pod',
        'exec',
        bj.name,
        '--cluster',
        cluster,
        '--',
        'wget',
        '-q',
        '-O-',
        'http://127.0.0.1:8080/no-such-page',
      );
      expect(wget.code, wget.all).toBe(1);
      await eventually(async () => count(await logsOf(bj.name), 'response:404') === before + 1, 15_000, 300);
      const tail = await logsOf(bj.name, '--tail', '1');
      expect(tail.trim().split('\n')).toHaveLength(1);
      expect(tail).toMatch(/response:404/);
      const stamped = await logsOf(bj.name, '--tail', '1', '--timestamps');
      expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z .*response:404\n$/);
      const limited = await logsOf(bj.name, '--limit-bytes', '7');
      expect(limited).toBe('serving');
    }, 120_000);

    it('edgeplane pod logs -f: a line written later arrives while following', async () => {
      const follow = spawn(
        process.execPath,
        ['cli/bin/edgeplane.mjs', 'pod', 'logs', bj.name, '--cluster', cluster, '-f', '--tail', '0'],
        {
          cwd: REPO,
          env: { ...process.env, ...stack.cliEnv },
        },
      );
      let out = '';
      follow.stdout.on('data', (d) => (out += d));
      follow.stderr.on('data', (d) => (out += d));
      try {
        await new Promise((r) => setTimeout(r, 2000)); // the follow is open
        const started = Date.now();
        const wget = await cli(
          'pod',
          'exec',
          bj.name,
          '--cluster',
          cluster,
          '--',
          'wget',
          '-q',
          '-O-',
          'http://127.0.0.1:8080/followed',
        );
        expect(wget.code).toBe(1);
        await eventually(async () => out.includes('response:404'), 15_000, 100).catch(() => {
          throw new Error(`no line while following: ${out}`);
        });
        console.log(`pod logs -f: the new line ${Date.now() - started} ms after the request was made`);
        expect(follow.exitCode).toBe(null); // still following
      } finally {
        follow.kill('SIGINT');
      }
    }, 60_000);

    it('edgeplane pod exec: file content, hostname, stdout/stderr and the exit code', async () => {
      const cat = await cli('pod', 'exec', bj.name, '--cluster', cluster, '--', 'cat', '/tmp/www/index.html');
      expect(cat.code, cat.all).toBe(0);
      expect(cat.stdout).toBe(`node=bj-1 unit=beijing pod=${bj.name}\n`);
      const host = await cli('pod', 'exec', gz.name, '--cluster', cluster, '--', 'hostname');
      expect(host.stdout.trim()).toBe(gz.name.slice(0, 63));
      const mixed = await cli(
        'pod',
        'exec',
        bj.name,
        '--cluster',
        cluster,
        '--',
        'sh',
        '-c',
        'echo out; echo err >&2; exit 3',
      );
      expect(mixed.code).toBe(3);
      expect(mixed.stdout).toBe('out\n');
      expect(mixed.stderr).toBe('err\n');
      const missing = await cli('pod', 'exec', bj.name, '--cluster', cluster, '--', '/no/such/binary');
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/no such file|not found/i);
      // -i: our stdin is the command's (streamed into the container with nsenter), its end the EOF
      const piped = await stack.cliWithInput(
        'line one\nline two\n',
        'pod',
        'exec',
        '-i',
        bj.name,
        '--cluster',
        cluster,
        '--',
        'sh',
        '-c',
        'wc -l; cat /tmp/www/index.html; hostname; exit 2',
      );
      expect(piped.code, piped.stderr).toBe(2);
      expect(piped.stdout).toBe(`2\nnode=bj-1 unit=beijing pod=${bj.name}\n${bj.name.slice(0, 63)}\n`);
      const noPod = await cli('pod', 'logs', 'no-such-pod', '--cluster', cluster);
      expect(noPod.code).toBe(1);
      expect(noPod.stderr).toMatch(/NOT_FOUND/);
      const badContainer = await cli('pod', 'logs', bj.name, '--cluster', cluster, '--container', 'nope');
      expect(badContainer.stderr).toMatch(/NOT_FOUND: container "nope" is not in pod/);
    }, 120_000);

    it("the gateway refuses another node's pod (NOT_FOUND) and a request past its bounds (INVALID_ARGUMENT)", async () => {
      const ra = remoteAccess(stack.cliEnv.EDGEPLANE_TUNNEL_ADDR!);
      const status = (node: string, kind: 'logs' | 'exec', request: unknown) =>
        new Promise<{ code: number; details: string }>((resolve) => {
          const md = new grpc.Metadata();
          md.set('x-edgeplane-cluster', cluster);
          md.set('x-edgeplane-node', node);
          md.set(POD_REQUEST_KEY, JSON.stringify(request));
          const call = kind === 'logs' ? ra.client.PodLogs(md) : ra.client.PodExec(md);
          call.on('data', () => undefined);
          call.on('error', (e: grpc.ServiceError) => resolve({ code: e.code, details: e.details }));
          call.on('end', () => resolve({ code: 0, details: '' }));
          call.end();
        });
      try {
        const other = await status('gz-1', 'logs', { namespace: 'default', name: bj.name });
        expect(other.code).toBe(grpc.status.NOT_FOUND);
        expect(other.details).toBe(`pod default/${bj.name} is not assigned to node gz-1`);
        const big = await status('bj-1', 'exec', {
          namespace: 'default',
          name: bj.name,
          command: Array(65).fill('x'),
        });
        expect(big.code).toBe(grpc.status.INVALID_ARGUMENT);
        expect(big.details).toMatch(/command: must have at most 64 arguments/);
        const unknown = await status('bj-1', 'logs', { namespace: 'default', name: bj.name, shell: 'sh' });
        expect(unknown.details).toMatch(/shell: is not a field/);
        const ok = await status('bj-1', 'logs', { namespace: 'default', name: bj.name, tailLines: 1 });
        expect(ok.code).toBe(0);
        expect(encodePodRequest({ namespace: 'default', name: bj.name })).toContain(bj.name);
      } finally {
        ra.close();
      }
    }, 60_000);

    it('through a second gateway replica (not holding the nodes): logs and exec are forwarded to the holder', async () => {
      const second = await stack.addTunnelReplica();
      const env = { EDGEPLANE_TUNNEL_ADDR: second.grpcAddress };
      const hops = (r: typeof second, direction: 'in' | 'out') =>
        metricValue(r.metricsUrl, 'tunnel_forwarding_hops_total', `direction="${direction}"`);
      const [outBefore, inBefore] = [await hops(second, 'out'), await hops(stack.tunnel, 'in')];
      const logs = await stack.cliWithEnv(env, undefined, 'pod', 'logs', gz.name, '--cluster', cluster);
      expect(logs.code, logs.stderr).toBe(0);
      expect(logs.stdout).toContain(`serving on 8080: node=gz-1 unit=guangzhou pod=${gz.name}`);
      const exec = await stack.cliWithEnv(
        env,
        undefined,
        'pod',
        'exec',
        gz.name,
        '--cluster',
        cluster,
        '--',
        'sh',
        '-c',
        'echo $NODE_NAME; exit 5',
      );
      expect(exec.code, exec.stderr).toBe(5);
      expect(exec.stdout).toBe('gz-1\n');
      // refused on the forwarding side too: another node's pod
      const wrongNode = await stack.cliWithEnv(
        env,
        undefined,
        'pod',
        'logs',
        'no-such-pod',
        '--cluster',
        cluster,
      );
      expect(wrongNode.code).toBe(1);
      expect(await hops(second, 'out')).toBe(outBefore + 2);
      expect(await hops(stack.tunnel, 'in')).toBe(inBefore + 2);
    }, 120_000);

    it('kubectl logs and kubectl exec of the fleet pod (kubeconfig from edgeplane cluster kubeconfig)', async () => {
      expect((await cli('cluster', 'access', cluster, '--public', 'on')).code).toBe(0);
      kubeconfig = path.join(dir, 'kubeconfig');
      const kc = await cli('cluster', 'kubeconfig', cluster, '--file', kubeconfig);
      expect(kc.code, kc.all).toBe(0);
      const logs = await kubectl(['logs', bj.name]);
      expect(logs.code, logs.stderr).toBe(0);
      expect(logs.stdout).toContain(`serving on 8080: node=bj-1 unit=beijing pod=${bj.name}`);
      const tail = await kubectl(['logs', bj.name, '--tail=1', '--timestamps']);
      expect(tail.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z [^\n]+\n$/);
      // kubectl logs -f: a 404 answered later shows up while it follows
      const follow = spawn('kubectl', ['--kubeconfig', kubeconfig, 'logs', '-f', '--tail=0', bj.name], {
        env: { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'kube-cache') },
      });
      let followed = '';
      follow.stdout.on('data', (d) => (followed += d));
      follow.stderr.on('data', (d) => (followed += d));
      try {
        await new Promise((r) => setTimeout(r, 2000));
        const wget = await cli(
          'pod',
          'exec',
          bj.name,
          '--cluster',
          cluster,
          '--',
          'wget',
          '-q',
          '-O-',
          'http://127.0.0.1:8080/kubectl-follow',
        );
        expect(wget.code).toBe(1);
        await eventually(async () => followed.includes('response:404'), 15_000, 100).catch(() => {
          throw new Error(`kubectl logs -f saw no new line: ${followed}`);
        });
        expect(follow.exitCode).toBe(null);
      } finally {
        follow.kill('SIGINT');
      }
      const cat = await kubectl(['exec', gz.name, '--', 'cat', '/tmp/www/index.html']);
      expect(cat.code, cat.stderr).toBe(0);
      expect(cat.stdout).toBe(`node=gz-1 unit=guangzhou pod=${gz.name}\n`);
      const exit3 = await kubectl(['exec', bj.name, '--', 'sh', '-c', 'echo to-stderr >&2; exit 3']);
      expect(exit3.code).toBe(3);
      expect(exit3.stderr).toContain('to-stderr');
      const piped = await kubectl(
        ['exec', '-i', gz.name, '--', 'sh', '-c', 'tr a-z A-Z; exit 4'],
        kubeconfig,
        'from kubectl\n',
      );
      expect(piped.code, piped.stderr).toBe(4);
      expect(piped.stdout).toBe('FROM KUBECTL\n');
      // (-t is refused by the server, test/kube-api-pod-subresources.unit.spec.ts; kubectl itself drops
      // it here, its input not being a terminal)
      // a view credential reads logs, but may not exec
      const viewer = path.join(dir, 'viewer.kubeconfig');
      const v = await cli(
        'cluster',
        'kubeconfig',
        cluster,
        '--user',
        'viewer',
        '--role',
        'view',
        '--file',
        viewer,
      );
      expect(v.code, v.all).toBe(0);
      const viewLogs = await kubectl(['logs', bj.name, '--tail=1'], viewer);
      expect(viewLogs.code, viewLogs.stderr).toBe(0);
      const viewExec = await kubectl(['exec', bj.name, '--', 'true'], viewer);
      expect(viewExec.code).not.toBe(0);
      expect(viewExec.stderr).toMatch(/forbidden/i);
      expect(readFileSync(kubeconfig, 'utf8')).toContain(`/k8s/clusters/`);
    }, 120_000);
  },
);
