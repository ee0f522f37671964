import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriDriver } from '../../src/runtime/cri/driver.js';
import { PodReconciler } from '../../src/runtime/reconciler.js';
import type { PodSpec, PodStatus } from '../../src/runtime/types.js';
import { containerdUnavailable, startTestHost, type TestHost } from './containerd-host.js';

/**
 * The `cri` driver on a REAL containerd 1.6 + runc + CNI bridge (Debian's), in a network namespace
 * of its own like a simulated fleet host, with the locally built busybox httpd image. Skipped only
 * when containerd cannot be installed here — loudly.
 */
const unavailable = containerdUnavailable();
if (unavailable) console.error(`\n[runtime test] SKIPPING the cri driver tests: ${unavailable}\n`);

const IMAGE = 'localhost/edgeplane/busybox-httpd:1';
const NODE = 'edge-rt-1';

const web = (
  uid: string,
  extra: Partial<PodSpec['containers'][number]> = {},
  pod: Partial<PodSpec> = {},
): PodSpec => ({
  name: `web-${uid}`,
  namespace: 'default',
  uid,
  restartPolicy: 'Always',
  containers: [
    {
      name: 'web',
      image: IMAGE,
      env: [{ name: 'UNIT_NAME', value: 'beijing' }],
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
      ...extra,
    },
  ],
  ...pod,
});

async function get(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return res.text();
}

describe.skipIf(unavailable !== undefined)('cri driver on a real containerd in a network namespace', () => {
  let host: TestHost;
  let driver: CriDriver;

  /** ensurePod round after round (as the reconciler does) until `done` holds */
  async function until(
    pod: PodSpec,
    done: (s: PodStatus) => boolean,
    timeoutMs = 60_000,
  ): Promise<PodStatus> {
    const end = Date.now() + timeoutMs;
    let last: PodStatus | undefined;
    while (Date.now() < end) {
      last = await driver.ensurePod(pod);
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`pod ${pod.name} never got there; last status ${JSON.stringify(last)}`);
  }

  beforeAll(async () => {
    host = await startTestHost('cri');
    driver = new CriDriver({
      socket: host.socket,
      nodeName: NODE,
      logRoot: `${host.dir}/pods`,
      backoff: { initialMs: 500, maxMs: 2000 },
      pullTimeoutMs: 15_000,
    });
  });

  afterAll(async () => {
    if (driver) {
      for (const p of await driver.listPods().catch(() => []))
        await driver.removePod(p.uid).catch(() => undefined);
      await driver.close();
    }
    await host?.stop();
  });

  it('runs a pod: Running, a pod IP from the node slice, HTTP to it answers with the node and unit', async () => {
    expect((await driver.version()).runtimeName).toBe('containerd');
    const pod = web('run1');
    const s = await until(pod, (x) => x.ready);
    expect(s.phase).toBe('Running');
    expect(s.podIP?.startsWith(host.podPrefix)).toBe(true);
    expect(s.containers[0]).toMatchObject({ name: 'web', state: 'running', ready: true, restartCount: 0 });
    expect(await get(`http://${s.podIP}:8080/`)).toBe(`node=${NODE} unit=beijing pod=web-run1\n`);
    // idempotent: another round changes nothing
    const again = await driver.ensurePod(pod);
    expect(again.containers[0]!.containerId).toBe(s.containers[0]!.containerId);
    expect(again.podIP).toBe(s.podIP);
    // a restarted agent (a new driver, nothing in memory) finds the pod and keeps it as it is
    const restarted = new CriDriver({ socket: host.socket, nodeName: NODE, logRoot: `${host.dir}/pods` });
    expect((await restarted.listPods()).map((p) => p.uid)).toContain('run1');
    const found = await restarted.ensurePod(pod);
    expect(found.containers[0]!.containerId).toBe(s.containers[0]!.containerId);
    expect(found.podIP).toBe(s.podIP);
    await restarted.close();
    // logs from the CRI log file: httpd's line for the request above
    const lines: string[] = [];
    for await (const l of driver.logs(pod.uid, 'web', { tail: 50 })) lines.push(l.line);
    expect(lines.join('\n')).toContain('serving on 8080: node=edge-rt-1 unit=beijing');
  });

  it('restarts a killed container per restartPolicy Always (restart count goes up), not with Never', async () => {
    const pod = web('run1');
    const before = await until(pod, (x) => x.ready);
    await host.ctr('tasks', 'kill', '-s', 'SIGKILL', before.containers[0]!.containerId!);
    const after = await until(pod, (x) => x.ready && x.containers[0]!.restartCount >= 1, 60_000);
    expect(after.containers[0]!.restartCount).toBe(1);
    expect(after.containers[0]!.containerId).not.toBe(before.containers[0]!.containerId);
    expect(await get(`http://${after.podIP}:8080/`)).toContain(`node=${NODE}`);

    const once = web('never1', {}, { restartPolicy: 'Never' });
    const running = await until(once, (x) => x.ready);
    await host.ctr('tasks', 'kill', '-s', 'SIGKILL', running.containers[0]!.containerId!);
    const dead = await until(once, (x) => x.containers[0]!.state === 'terminated');
    expect(dead.phase).toBe('Failed');
    await new Promise((r) => setTimeout(r, 2500));
    const still = await driver.ensurePod(once);
    expect(still.containers[0]).toMatchObject({ state: 'terminated', restartCount: 0, exitCode: 137 });
    await driver.removePod(once.uid);
  });

  it('a failing readiness probe keeps the pod not ready; a failing liveness probe restarts it', async () => {
    const pod = web('ready1', {
      readinessProbe: { httpGet: { path: '/nope', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
    });
    const s = await until(pod, (x) => x.containers[0]!.state === 'running');
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const x = await driver.ensurePod(pod);
      expect(x.ready).toBe(false);
      expect(x.containers[0]!.ready).toBe(false);
    }
    expect(await get(`http://${s.podIP}:8080/`)).toContain('unit=beijing');

    const sick = web('live1', {
      livenessProbe: {
        exec: { command: ['test', '-f', '/tmp/never'] },
        periodSeconds: 1,
        failureThreshold: 2,
      },
    });
    const restarted = await until(sick, (x) => x.containers[0]!.restartCount >= 1, 90_000);
    expect(restarted.containers[0]!.restartCount).toBeGreaterThanOrEqual(1);
    await driver.removePod(pod.uid);
    await driver.removePod(sick.uid);
  });

  it('an image the node does not have is ErrImagePull naming it', async () => {
    const pod = web('bad1', { image: 'localhost/edgeplane/no-such-image:7', readinessProbe: undefined });
    const s = await until(pod, (x) => x.reason === 'ErrImagePull', 60_000);
    expect(s.phase).toBe('Pending');
    expect(s.containers[0]).toMatchObject({ state: 'waiting', reason: 'ErrImagePull' });
    expect(s.containers[0]!.message).toContain('localhost/edgeplane/no-such-image:7');
    const never = web('bad2', {
      image: 'localhost/edgeplane/no-such-image:8',
      imagePullPolicy: 'Never',
      readinessProbe: undefined,
    });
    const n = await until(never, (x) => x.reason === 'ErrImageNeverPull');
    expect(n.message).toContain('localhost/edgeplane/no-such-image:8');
    await driver.removePod(pod.uid);
    await driver.removePod(never.uid);
  });

  it('remove leaves no sandbox, container, netns, veth or log behind; the reconciler removes what is no longer desired', async () => {
    // the reconciler owns every pod of the runtime: the earlier tests' pods go first
    for (const p of await driver.listPods()) await driver.removePod(p.uid);
    // containerd names the pods' network namespaces cni-… (others' namespaces come and go meanwhile)
    const podNetns = () =>
      host.netnsFiles().filter((f) => f.startsWith('cni-') && !host.netnsAtStart.includes(f));
    expect(podNetns()).toEqual([]);
    const linksBefore = await host.links();
    const reconciler = new PodReconciler(driver, { periodMs: 500 });
    reconciler.setDesired([web('keep1'), web('drop1')]);
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      await reconciler.reconcile();
      if (reconciler.status().filter((s) => s.ready).length === 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(reconciler.status().map((s) => [s.name, s.ready])).toEqual([
      ['web-keep1', true],
      ['web-drop1', true],
    ]);
    const veths = (links: string[]) => links.filter((l) => l.startsWith('veth'));
    expect(veths(await host.links()), `before: ${linksBefore.join(' ')}`).toHaveLength(
      veths(linksBefore).length + 2,
    );
    const drop = reconciler.status()[1]!;
    expect(podNetns()).toHaveLength(2);

    reconciler.setDesired([web('keep1')]);
    await reconciler.reconcile();
    expect((await driver.listPods()).map((p) => p.uid).sort()).toEqual(['keep1']);
    expect(await driver.status('drop1')).toBeUndefined();
    const containers = await host.ctr('containers', 'ls', '-q');
    expect(containers).not.toContain(drop.containers[0]!.containerId!);
    expect(veths(await host.links())).toHaveLength(veths(linksBefore).length + 1);

    reconciler.setDesired([]);
    await reconciler.reconcile();
    await reconciler.stop();
    expect(await driver.listPods()).toEqual([]);
    expect((await host.ctr('containers', 'ls', '-q')).trim()).toBe('');
    expect((await host.ctr('tasks', 'ls', '-q')).trim()).toBe('');
    expect(await host.links()).toEqual(linksBefore.filter((l) => !l.startsWith('veth')));
    expect(podNetns()).toEqual([]);
  });
});
