import { mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessDriver } from '../../src/runtime/process/driver.js';
import { PodReconciler } from '../../src/runtime/reconciler.js';
import type { PodSpec, PodStatus } from '../../src/runtime/types.js';

/**
 * The `process` driver with real processes: a container's command (here a small Node HTTP server
 * that answers with its node and unit) supervised like a container — restarts, probes, logs,
 * removal that leaves no process behind.
 */
const SERVER = `
const http = require('node:http');
const port = Number(process.env.PORT);
console.log('serving on ' + port + ' as ' + process.env.NODE_NAME + '/' + process.env.UNIT_NAME);
http.createServer((req, res) => {
  if (req.url === '/healthz') return res.end('ok');
  if (req.url === '/nope') { res.statusCode = 500; return res.end('no'); }
  res.end('node=' + process.env.NODE_NAME + ' unit=' + process.env.UNIT_NAME + ' pod=' + process.env.POD_NAME + '\\n');
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => { console.error('terminated'); process.exit(0); });
`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('process driver with real processes', () => {
  let root: string;
  let driver: ProcessDriver;

  const web = (
    uid: string,
    port: number,
    extra: Partial<PodSpec['containers'][number]> = {},
    pod: Partial<PodSpec> = {},
  ): PodSpec => ({
    name: `web-${uid}`,
    namespace: 'default',
    uid,
    containers: [
      {
        name: 'web',
        image: 'localhost/edgeplane/busybox-httpd:1',
        command: [process.execPath, '-e', SERVER],
        env: [
          { name: 'PORT', value: String(port) },
          { name: 'UNIT_NAME', value: 'guangzhou' },
        ],
        readinessProbe: { httpGet: { path: '/healthz', port }, periodSeconds: 1 },
        ...extra,
      },
    ],
    terminationGracePeriodSeconds: 5,
    ...pod,
  });

  async function until(
    pod: PodSpec,
    done: (s: PodStatus) => boolean,
    timeoutMs = 30_000,
  ): Promise<PodStatus> {
    const end = Date.now() + timeoutMs;
    let last: PodStatus | undefined;
    while (Date.now() < end) {
      last = await driver.ensurePod(pod);
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`pod ${pod.name} never got there; last status ${JSON.stringify(last)}`);
  }

  const pidOf = (s: PodStatus) =>
    (
      driver as unknown as {
        pods: Map<string, { containers: Map<string, { attempt: { child: { pid: number } } }> }>;
      }
    ).pods
      .get(s.uid)!
      .containers.get('web')!.attempt.child.pid;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'eprt-process-'));
    driver = new ProcessDriver({ nodeName: 'edge-proc-1', root, backoff: { initialMs: 300, maxMs: 1000 } });
  });

  afterAll(async () => {
    await driver?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the command: Running and ready, answers with node and unit, logs to CRI files; idempotent', async () => {
    const port = await freePort();
    const pod = web('p1', port);
    const s = await until(pod, (x) => x.ready);
    expect(s).toMatchObject({ phase: 'Running', podIP: '127.0.0.1' });
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(body).toBe('node=edge-proc-1 unit=guangzhou pod=web-p1\n');
    const again = await driver.ensurePod(pod);
    expect(again.containers[0]!.containerId).toBe(s.containers[0]!.containerId);
    const lines: string[] = [];
    for await (const l of driver.logs('p1', 'web', { tail: 5 })) lines.push(`${l.stream} ${l.line}`);
    expect(lines).toContain(`stdout serving on ${port} as edge-proc-1/guangzhou`);
  });

  it("exec: a command with the container's environment, stdout/stderr/exit code, timeout; refused when not running", async () => {
    const port = await freePort();
    const pod = web('px', port);
    await until(pod, (x) => x.ready);
    const r = await driver.exec(
      'px',
      'web',
      ['sh', '-c', 'echo $NODE_NAME $UNIT_NAME $POD_NAME; echo err >&2; exit 4'],
      10_000,
    );
    expect(r.exitCode).toBe(4);
    expect(r.stdout.toString()).toBe('edge-proc-1 guangzhou web-px\n');
    expect(r.stderr.toString()).toBe('err\n');
    const slow = await driver.exec('px', 'web', ['sleep', '5'], 300);
    expect(slow).toMatchObject({ timedOut: true, exitCode: 137 });
    await expect(driver.exec('px', 'nope', ['true'], 1000)).rejects.toThrow(/container nope is not running/);
    await expect(driver.exec('no-such-uid', 'web', ['true'], 1000)).rejects.toThrow(/not running/);
    await driver.removePod('px');
  });

  it('a killed process is restarted (restart count up) with Always; not with Never', async () => {
    const port = await freePort();
    const pod = web('p2', port);
    const s = await until(pod, (x) => x.ready);
    const pid = pidOf(s);
    process.kill(pid, 'SIGKILL');
    const after = await until(pod, (x) => x.ready && x.containers[0]!.restartCount === 1);
    expect(pidOf(after)).not.toBe(pid);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('unit=guangzhou');
    // follow reads the new attempt's file too
    const ac = new AbortController();
    const seen: string[] = [];
    setTimeout(() => ac.abort(), 1500);
    for await (const l of driver.logs('p2', 'web', { follow: true, signal: ac.signal })) seen.push(l.line);
    expect(seen.some((l) => l.startsWith('serving on'))).toBe(true);

    const once = web('p3', await freePort(), {}, { restartPolicy: 'Never' });
    const r = await until(once, (x) => x.ready);
    process.kill(pidOf(r), 'SIGKILL');
    const dead = await until(once, (x) => x.containers[0]!.state === 'terminated');
    expect(dead.phase).toBe('Failed');
    expect(dead.containers[0]).toMatchObject({ exitCode: 137, restartCount: 0 });
    await new Promise((res) => setTimeout(res, 1000));
    expect((await driver.ensurePod(once)).containers[0]).toMatchObject({
      state: 'terminated',
      restartCount: 0,
    });
  });

  it('failing readiness: running, not ready; failing liveness: killed and restarted; no command: a clear reason', async () => {
    const port = await freePort();
    const pod = web('p4', port, {
      readinessProbe: { httpGet: { path: '/nope', port }, periodSeconds: 1, failureThreshold: 1 },
    });
    await until(pod, (x) => x.containers[0]!.state === 'running');
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 400));
      expect((await driver.ensurePod(pod)).ready).toBe(false);
    }
    const sick = web('p5', await freePort(), {
      livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 2 },
    });
    const restarted = await until(sick, (x) => x.containers[0]!.restartCount >= 1);
    expect(restarted.containers[0]!.restartCount).toBeGreaterThanOrEqual(1);
    const none = await driver.ensurePod(web('p6', 1, { command: undefined, readinessProbe: undefined }));
    expect(none).toMatchObject({ phase: 'Pending', reason: 'CreateContainerConfigError' });
    expect(none.message).toContain('command');
  });

  it('the reconciler removes pods no longer desired: their processes and directories are gone', async () => {
    const running = async () =>
      (await Promise.all((await driver.listPods()).map((p) => driver.status(p.uid)))).flatMap((s) =>
        s && s.containers[0]!.state === 'running' ? [pidOf(s)] : [],
      );
    const earlier = await running();
    expect(earlier.length).toBeGreaterThan(1);
    const reconciler = new PodReconciler(driver);
    reconciler.setDesired([web('k1', await freePort())]);
    await reconciler.reconcile();
    expect((await driver.listPods()).map((p) => p.uid)).toEqual(['k1']);
    for (const pid of earlier) expect(alive(pid), `process ${pid}`).toBe(false);
    const k1 = await running();
    expect(k1).toHaveLength(1);
    reconciler.setDesired([]);
    await reconciler.reconcile();
    expect(await driver.listPods()).toEqual([]);
    expect(alive(k1[0]!)).toBe(false);
    expect(existsSync(path.join(root, 'default_web-k1_k1'))).toBe(false);
  });

  it('refuses an invalid spec naming the field', () => {
    const reconciler = new PodReconciler(driver);
    expect(() => reconciler.setDesired([{ ...web('x1', 1), uid: 'no spaces allowed' }])).toThrow(
      /pods\[0\]\.uid/,
    );
    expect(() => reconciler.setDesired([web('x2', 1, { image: '' })])).toThrow(
      /pods\[0\]\.containers\[0\]\.image/,
    );
  });
});
