import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriClient } from '../../src/runtime/cri/client.js';
import { CriDriver } from '../../src/runtime/cri/driver.js';
import type { PodSpec, PodStatus } from '../../src/runtime/types.js';
import { containerdUnavailable, startTestLan, type TestHost } from './containerd-host.js';

/**
 * Two simulated hosts (a containerd each, in their own namespaces, on one bridge like the fleet's),
 * each with its slice of one pod CIDR: a pod on one host reaches a pod on the other by its pod IP.
 */
const unavailable = containerdUnavailable();
if (unavailable) console.error(`\n[runtime test] SKIPPING the cri two-host test: ${unavailable}\n`);

const pod = (uid: string, unit: string): PodSpec => ({
  name: `web-${uid}`,
  namespace: 'default',
  uid,
  containers: [
    {
      name: 'web',
      image: 'localhost/edgeplane/busybox-httpd:1',
      env: [{ name: 'UNIT_NAME', value: unit }],
      readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
    },
  ],
});

describe.skipIf(unavailable !== undefined)('cri driver: pods on two hosts of one unit', () => {
  let lan: { hosts: TestHost[]; stop(): Promise<void> };
  let drivers: CriDriver[] = [];

  beforeAll(async () => {
    lan = await startTestLan('ln', 2);
    drivers = lan.hosts.map(
      (h, i) => new CriDriver({ socket: h.socket, nodeName: `edge-lan-${i + 1}`, logRoot: `${h.dir}/pods` }),
    );
  });

  afterAll(async () => {
    for (const d of drivers) {
      for (const p of await d.listPods().catch(() => [])) await d.removePod(p.uid).catch(() => undefined);
      await d.close();
    }
    await lan?.stop();
  });

  async function ready(d: CriDriver, spec: PodSpec): Promise<PodStatus> {
    const end = Date.now() + 60_000;
    for (;;) {
      const s = await d.ensurePod(spec);
      if (s.ready) return s;
      if (Date.now() > end) throw new Error(`not ready: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('each pod gets an IP from its host slice, and reaches the other host pod', async () => {
    const a = await ready(drivers[0]!, pod('a1', 'beijing'));
    const b = await ready(drivers[1]!, pod('b1', 'beijing'));
    expect(a.podIP?.startsWith(lan.hosts[0]!.podPrefix)).toBe(true);
    expect(b.podIP?.startsWith(lan.hosts[1]!.podPrefix)).toBe(true);
    const cri = new CriClient(lan.hosts[0]!.socket);
    try {
      const r = await cri.call('ExecSync', {
        containerId: a.containers[0]!.containerId,
        // (no -T: Debian's static busybox 1.35 wget segfaults with it)
        cmd: ['wget', '-qO-', `http://${b.podIP}:8080/`],
        timeout: 10,
      });
      expect(r.stderr?.toString()).toBe('');
      expect(r.stdout?.toString()).toBe('node=edge-lan-2 unit=beijing pod=web-b1\n');
    } finally {
      cri.close();
    }
  });
});
