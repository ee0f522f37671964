/**
 * Grids on the simulated fleet with real containers (issue 11, "Done when" e2e): cluster,
 * nodepool, health-arbiter, tunnel and grid as real processes; five hosts as network namespaces
 * (`scripts/fleet.mjs up --runtime cri`: a containerd per host inside its namespace, its slice of
 * the pod CIDR, the local busybox httpd image imported), each joined by the printed join command
 * with its agent's `cri` driver on that containerd. A DeploymentGrid applied with `edgeplane apply
 * -f` fans out to `<grid>-beijing` and `<grid>-guangzhou`; the pods run as containers on the hosts
 * of their unit, answer HTTP with their node and unit, and come back (NodePodsStatusReported) with
 * their IPs. Then: a cordoned node takes no new pod, a node powered off (agent killed, containerd
 * and its containers stopped) is evicted and its pods come back on the other nodes of its unit, a
 * node only cut from the cloud keeps its pods running; a ServiceGrid name asked through a node's
 * agent proxy is answered only by its own unit's pods (100 requests from bj-1, 100 from guangzhou).
 * A third unit joins while the fleet runs (`fleet add --sites shenzhen:1:sz`: a new host with its
 * containerd, joined, its NodeUnit created and added to the group): hello-shenzhen appears and its
 * pods run in that host's containerd, the other units' pods untouched.
 * Last, a rollout of a new image (on no host) in waves of one unit halts at the first wave and
 * `grid rollout undo` brings every pod back to the running revision.
 *
 * Skips (loudly) only when this machine cannot run a fleet or containerd/runc/CNI are missing
 * (scripts/runtime/setup.sh; CI runs scripts/runtime/ci.sh first).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  busSubject,
  NodePodsStatusReported,
  type Envelope,
  type NodePodsStatusReportedData,
} from '@edgeplane/contracts';
import { eventually, testServices, uniqueName } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CriClient } from '../edge/src/runtime/cri/client.js';
import { ContainerState, SandboxState } from '../edge/src/runtime/cri/codec.js';
import { LABELS } from '../edge/src/runtime/types.js';
import { fleetUnavailable, hostAgentStatus, REPO, startFleetStack, type FleetStack } from './fleet-stack.js';

/** Why the `cri` fleet cannot run here (no fleet, or no containerd/runc/CNI/test images). */
function criUnavailable(): string | undefined {
  const fleet = fleetUnavailable();
  if (fleet) return fleet;
  const check = spawnSync(path.join(REPO, 'scripts/runtime/setup.sh'), ['--check'], { encoding: 'utf8' });
  if (check.status !== 0)
    return `containerd/runc/CNI missing (scripts/runtime/setup.sh): ${check.stderr.trim()}`;
  const images = spawnSync(path.join(REPO, 'scripts/runtime/build-images.sh'), [], { encoding: 'utf8' });
  if (images.status !== 0) return `the local test images could not be built: ${images.stderr.trim()}`;
  return undefined;
}

const unavailable = criUnavailable();
if (unavailable) console.warn(`\nSKIPPED grid-fleet e2e (cri driver, real containers): ${unavailable}\n`);

const BEIJING = ['bj-1', 'bj-2'];
const GUANGZHOU = ['gz-1', 'gz-2', 'gz-3'];
const NODES = [...BEIJING, ...GUANGZHOU];
const UNIT_OF: Record<string, string> = Object.fromEntries([
  ...BEIJING.map((n) => [n, 'beijing']),
  ...GUANGZHOU.map((n) => [n, 'guangzhou']),
]);
const IMAGE = 'localhost/edgeplane/busybox-httpd:1';
const GRID = 'hello';

/** The DeploymentGrid: the local httpd image, UNIT_NAME per unit through overriders. */
const gridYaml = (replicas: number, image = IMAGE, deadlineSeconds = 60) => `
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: ${GRID}
  namespace: default
spec:
  gridUniqKey: location
  rolloutStrategy:
    waveSize: 1
    soakSeconds: 1
    progressDeadlineSeconds: ${deadlineSeconds}
  overriders:
    - name: beijing
      units: [beijing]
      env: [{ name: UNIT_NAME, value: beijing }]
    - name: guangzhou
      units: [guangzhou]
      env: [{ name: UNIT_NAME, value: guangzhou }]
    - name: shenzhen
      units: [shenzhen]
      env: [{ name: UNIT_NAME, value: shenzhen }]
  template:
    replicas: ${replicas}
    selector:
      matchLabels: { app: ${GRID} }
    template:
      metadata:
        labels: { app: ${GRID} }
      spec:
        containers:
          - name: web
            image: ${image}
            ports: [{ name: http, containerPort: 8080 }]
            readinessProbe:
              httpGet: { path: /healthz, port: 8080 }
              periodSeconds: 1
`;

interface Pod {
  name: string;
  grid: string;
  unit: string;
  node: string;
  phase: string;
  reason?: string;
  child?: string;
  revision: string;
}

interface HostPod {
  name: string;
  ip: string;
  running: boolean;
}

interface FleetState {
  hosts: {
    name: string;
    netns: string;
    address: string;
    home: string;
    dir: string;
    criSocket?: string;
    podCidr?: string;
  }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(unavailable)(
  `grids on the simulated fleet, cri driver${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`,
  () => {
    let stack: FleetStack;
    const cluster = uniqueName('gridfleet').replace(/_/g, '-').toLowerCase().slice(0, 40);
    // made in beforeAll: a skipped suite still runs this body, and would leave the folder behind
    let dir = '';
    let state: FleetState;
    const host = (name: string) => state.hosts.find((h) => h.name === name)!;
    const inHost = (name: string, ...args: string[]) =>
      execFileSync('ip', ['netns', 'exec', host(name).netns, ...args], { encoding: 'utf8' });
    const curlIn = (name: string, url: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          'ip',
          ['netns', 'exec', host(name).netns, 'curl', '-sS', '--max-time', '5', url],
          (error, stdout, stderr) =>
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        ),
      );

    // Every NodePodsStatusReported (filtered by cluster where read): the pods as the agents see them.
    let nc: NatsConnection | undefined;
    let clusterId = '';
    let poweredOff = '';
    const reports = new Map<string, NodePodsStatusReportedData>();
    /** The latest report of every node of this cluster. */
    const reported = () => [...reports.values()].filter((r) => r.clusterId === clusterId);

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-grid-fleet-'));
      nc = await connect({ servers: (await testServices()).natsUrl });
      nc.subscribe(busSubject(NodePodsStatusReported.subject), {
        callback: (_e, m) => {
          try {
            const d = m.json<Envelope<NodePodsStatusReportedData>>().data;
            reports.set(`${d.clusterId}/${d.node}`, d);
          } catch {
            /* not an envelope */
          }
        },
      });
      stack = await startFleetStack({ grid: true });
    }, 240_000);
    afterAll(async () => {
      await nc?.close();
      if (stack) {
        // the agents, then every host's containerd (pods removed through CRI), then the namespaces
        let down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
        if (down.code !== 0) down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
        if (down.code !== 0) console.error(down.stdout, down.stderr);
        await stack.stop();
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 240_000);

    const pods = async (): Promise<Pod[]> =>
      (await stack.cliJson<{ items: Pod[] }>('pod', 'list', '--grid', GRID, '--cluster', cluster)).items;
    /**
     * The pods a host's containerd runs, read through its CRI (what kubelet's crictl would show):
     * ready sandboxes of the agent's pods, their IP, whether every container runs.
     */
    const hostPods = async (name: string): Promise<HostPod[]> => {
      const cri = new CriClient(host(name).criSocket!);
      try {
        const { items = [] } = await cri.call('ListPodSandbox', {
          filter: { labelSelector: { [LABELS.managed]: 'true' } },
        });
        const out: HostPod[] = [];
        for (const s of items) {
          if (s.state !== SandboxState.READY) continue;
          const st = await cri.call('PodSandboxStatus', { podSandboxId: s.id });
          const { containers = [] } = await cri.call('ListContainers', { filter: { podSandboxId: s.id } });
          out.push({
            name: s.labels?.[LABELS.podName] ?? '',
            ip: st.status?.network?.ip ?? '',
            running: containers.length > 0 && containers.some((c) => c.state === ContainerState.RUNNING),
          });
        }
        return out;
      } finally {
        cri.close();
      }
    };
    /** Pod name → node, of the pods running (ready) in the containerd of the given hosts. */
    const runningOn = async (names: string[]) => {
      const where = new Map<string, { node: string; ip: string }>();
      for (const n of names)
        for (const p of await hostPods(n)) if (p.running) where.set(p.name, { node: n, ip: p.ip });
      return where;
    };
    /** What the agents say (status port, log tail) and the services' warnings, for a failure. */
    const diagnose = async () => {
      const lines: string[] = [];
      for (const n of NODES) {
        lines.push(`--- ${n}: ${JSON.stringify(await hostAgentStatus(host(n).address))}`);
        try {
          lines.push(
            ...readFileSync(path.join(host(n).home, 'agent.log'), 'utf8')
              .trim()
              .split('\n')
              .slice(-8),
          );
        } catch {
          lines.push('(no agent.log)');
        }
      }
      return `${lines.join('\n')}\n--- services:\n${stack.logs().slice(-4000)}`;
    };
    /** Set when a step fails: the later steps build on it and fail at once instead of waiting. */
    let broken = '';
    const step = (name: string, body: () => Promise<void>, timeout: number) =>
      it(
        name,
        async () => {
          expect(broken, `an earlier step failed: ${broken}`).toBe('');
          try {
            await body();
          } catch (error) {
            broken = name;
            throw error;
          }
        },
        timeout,
      );
    const apply = async (yaml: string) => {
      const file = path.join(dir, `grid-${Date.now()}.yaml`);
      writeFileSync(file, yaml);
      const r = await stack.cli('apply', '-f', file, '--cluster', cluster);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      return r.stdout;
    };
    /** Every pod of the grid placed, in its own unit, and running on that node's containerd. */
    const converged = async (expected: Record<string, number>, avoid: string[] = []) => {
      const list = await pods();
      const byUnit = (u: string) => list.filter((p) => p.unit === u);
      for (const [unit, n] of Object.entries(expected)) {
        const mine = byUnit(unit);
        if (mine.length !== n) return false;
        if (!mine.every((p) => p.node && UNIT_OF[p.node] === unit && !avoid.includes(p.node))) return false;
      }
      const live = await runningOn(NODES.filter((n) => !avoid.includes(n)));
      return list.every((p) => live.get(p.name)?.node === p.node) && live.size === list.length;
    };

    it('fleet up --runtime cri: a containerd per host in its namespace, every agent connected on the cri driver', async () => {
      const started = Date.now();
      const up = await stack.fleet(
        'up',
        '--cluster',
        cluster,
        '--sites',
        'beijing:2:bj,guangzhou:3:gz',
        '--dir',
        dir,
        '--runtime',
        'cri',
      );
      expect(up.code, `${up.stdout}\n${up.stderr}\n${stack.logs()}`).toBe(0);
      console.log(`fleet up --runtime cri: ${Math.round((Date.now() - started) / 1000)} s`);
      for (const n of NODES) expect(up.stdout).toContain(`[${n}] Install Edge Node: ${n} Success!`);
      for (const n of NODES) expect(up.stdout).toMatch(new RegExp(`\\[${n}\\] .*pods run by the cri driver`));
      state = JSON.parse(readFileSync(path.join(dir, cluster, 'fleet.json'), 'utf8')) as FleetState;
      for (const h of state.hosts) {
        expect(h.criSocket, h.name).toBeTruthy();
        const config = JSON.parse(readFileSync(path.join(h.home, 'agent.json'), 'utf8'));
        expect(config.runtime).toMatchObject({ driver: 'cri', criSocket: h.criSocket });
        expect((await hostAgentStatus(h.address))?.connected, h.name).toBe(true);
        // its containerd holds the test image (imported by fleet up)
        const images = execFileSync(
          'ctr',
          ['--address', h.criSocket!, '-n', 'k8s.io', 'images', 'ls', '-q'],
          {
            encoding: 'utf8',
          },
        );
        expect(images).toContain(IMAGE);
      }
      const c = await stack.cliJson<{ id?: string; cluster?: { id: string } }>('cluster', 'get', cluster);
      clusterId = c.id ?? c.cluster?.id ?? '';
      expect(clusterId).toBeTruthy();
      const set = await stack.cli(
        'health',
        'config',
        'set',
        '--cluster',
        cluster,
        '--grace',
        '2s',
        '--vote-ttl',
        '10s',
      );
      expect(set.code, set.stderr).toBe(0);
    }, 420_000);

    step(
      'apply -f a DeploymentGrid (replicas 3): children hello-beijing and hello-guangzhou, 3 containers each inside their unit, answering with their node and unit',
      async () => {
        const started = Date.now();
        const out = await apply(gridYaml(3));
        expect(out).toMatch(/deploymentgrid.*hello/i);
        const grid = await stack.cliJson<unknown>('grid', 'get', GRID, '--cluster', cluster);
        expect(JSON.stringify(grid)).toContain(`${GRID}-beijing`);
        expect(JSON.stringify(grid)).toContain(`${GRID}-guangzhou`);

        await eventually(() => converged({ beijing: 3, guangzhou: 3 }), 150_000, 1000).catch(async (e) => {
          throw new Error(
            `${(e as Error).message}\npods: ${JSON.stringify(await pods())}\n` +
              `on the hosts: ${JSON.stringify([...(await runningOn(NODES))])}\n${await diagnose()}`,
          );
        });
        console.log(
          `6 pods running on the hosts' containerd ${Math.round((Date.now() - started) / 1000)} s after apply`,
        );
        const list = await pods();
        for (const p of list) expect(p.child ?? `${GRID}-${p.unit}`).toBe(`${GRID}-${p.unit}`);
        // each unit's pods only on its own nodes (pod list AND containerd)
        const live = await runningOn(NODES);
        for (const p of list) {
          expect(UNIT_OF[p.node], p.name).toBe(p.unit);
          expect(live.get(p.name)?.node, p.name).toBe(p.node);
        }

        // the agents report them back (NodePodsStatusReported): Running, ready, with pod IPs
        await eventually(
          () => {
            const back = reported().flatMap((r) => r.pods.map((p) => ({ ...p, node: r.node })));
            return list.every((p) =>
              back.some(
                (b) => b.name === p.name && b.node === p.node && b.phase === 'Running' && b.ready && b.podIP,
              ),
            );
          },
          30_000,
          500,
        );

        // HTTP from bj-1 to every beijing pod IP: a beijing node answers, the one the pod is on
        const beijingPods = list.filter((p) => p.unit === 'beijing');
        for (const p of beijingPods) {
          const ip = live.get(p.name)!.ip;
          expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
          const r = await curlIn('bj-1', `http://${ip}:8080/`);
          expect(r.code, r.stderr).toBe(0);
          expect(r.stdout.trim()).toBe(`node=${p.node} unit=beijing pod=${p.name}`);
        }
        // and guangzhou pods answer as guangzhou (from gz-1, across hosts of the unit)
        for (const p of list.filter((x) => x.unit === 'guangzhou')) {
          const r = await curlIn('gz-1', `http://${live.get(p.name)!.ip}:8080/`);
          expect(r.stdout.trim()).toBe(`node=${p.node} unit=guangzhou pod=${p.name}`);
        }
      },
      240_000,
    );

    step(
      'a cordoned node gets no new pods: bj-2 cordoned, replicas 3 → 5, the new beijing pods all go to bj-1',
      async () => {
        const before = new Set((await pods()).map((p) => p.name));
        const c = await stack.cli('node', 'cordon', 'bj-2', '--cluster', cluster, '--reason', 'e2e');
        expect(c.code, c.stderr).toBe(0);
        await apply(gridYaml(5));
        await eventually(() => converged({ beijing: 5, guangzhou: 5 }), 120_000, 1000);
        const added = (await pods()).filter((p) => !before.has(p.name));
        expect(added.filter((p) => p.unit === 'beijing').length).toBe(2);
        for (const p of added.filter((x) => x.unit === 'beijing')) expect(p.node, p.name).toBe('bj-1');
        // bj-2's containerd runs no pod that was not there before
        for (const p of await hostPods('bj-2')) expect(before.has(p.name), p.name).toBe(true);
        expect((await stack.cli('node', 'uncordon', 'bj-2', '--cluster', cluster)).code).toBe(0);
      },
      180_000,
    );

    step(
      "a node powered off (its agent killed, its containerd and containers stopped) is evicted; its pods come back on the unit's other nodes",
      async () => {
        const list = await pods();
        const victim = GUANGZHOU.find((n) => list.some((p) => p.node === n))!;
        poweredOff = victim;
        const others = GUANGZHOU.filter((n) => n !== victim);
        const h = host(victim);
        // the agent and its supervisor: the processes of the namespace that name its home
        const pids = execFileSync('ip', ['netns', 'pids', h.netns], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
          .filter((pid) => {
            try {
              return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(h.home);
            } catch {
              return false;
            }
          });
        expect(pids.length).toBeGreaterThan(0);
        for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
        execFileSync(
          path.join(REPO, 'scripts/runtime/containerd-host.sh'),
          ['stop', '--dir', path.join(h.dir, 'containerd')],
          {
            stdio: 'ignore',
            timeout: 120_000,
          },
        );
        expect(await hostAgentStatus(h.address)).toBeUndefined();
        const offAt = Date.now();

        await eventually(
          async () => {
            const node = (
              await stack.cliJson<{ node: { taints: { key: string; effect: string }[] } }>(
                'node',
                'get',
                victim,
                '--cluster',
                cluster,
              )
            ).node;
            return node.taints.some((t) => t.effect === 'NoExecute');
          },
          90_000,
          1000,
        );
        await eventually(
          async () => {
            const now = await pods();
            const gz = now.filter((p) => p.unit === 'guangzhou');
            if (gz.length !== 5 || !gz.every((p) => others.includes(p.node))) return false;
            const live = await runningOn(others);
            return gz.every((p) => live.get(p.name)?.node === p.node);
          },
          120_000,
          1000,
        );
        console.log(
          `${victim} powered off → its pods running on ${others.join(', ')} after ${Math.round((Date.now() - offAt) / 1000)} s`,
        );
        // beijing untouched
        expect(
          (await pods()).filter((p) => p.unit === 'beijing').every((p) => BEIJING.includes(p.node)),
        ).toBe(true);
      },
      240_000,
    );

    step(
      'a node only cut from the cloud (iptables in its namespace) keeps its pods running and answering',
      async () => {
        const list = await pods();
        const target = GUANGZHOU.find((n) => n !== poweredOff && list.some((p) => p.node === n))!;
        const peer = GUANGZHOU.find((n) => n !== poweredOff && n !== target)!;
        const mine = list.filter((p) => p.node === target).map((p) => p.name);
        expect(mine.length).toBeGreaterThan(0);
        const cut = await stack.fleet('cut', target, '--cluster', cluster, '--dir', dir);
        expect(cut.code, cut.stderr).toBe(0);
        try {
          // the arbiter sees it gone from the cloud while its peers vouch: NoSchedule, no eviction
          // (its status port is not reachable from here either: replies to the cloud address drop)
          await eventually(
            async () =>
              (
                await stack.cliJson<{ node: { taints: { key: string; effect: string }[] } }>(
                  'node',
                  'get',
                  target,
                  '--cluster',
                  cluster,
                )
              ).node.taints.some((t) => t.effect === 'NoSchedule'),
            60_000,
            1000,
          );
          // long enough for the arbiter to judge it (grace 2 s) and the grid to react if it would
          await sleep(10_000);
          const taints = (
            await stack.cliJson<{ node: { taints: { key: string; effect: string }[] } }>(
              'node',
              'get',
              target,
              '--cluster',
              cluster,
            )
          ).node.taints;
          expect(taints.map((t) => t.effect)).not.toContain('NoExecute');
          const now = await pods();
          for (const name of mine) expect(now.find((p) => p.name === name)?.node, name).toBe(target);
          const live = await runningOn([target]);
          for (const name of mine) expect(live.get(name)?.node, name).toBe(target);
          // still serving, reached from a peer of its unit
          const r = await curlIn(peer, `http://${live.get(mine[0]!)!.ip}:8080/`);
          expect(r.stdout.trim()).toBe(`node=${target} unit=guangzhou pod=${mine[0]}`);
        } finally {
          await stack.fleet('restore', target, '--cluster', cluster, '--dir', dir);
        }
        await eventually(
          async () => (await hostAgentStatus(host(target).address))?.connected === true,
          30_000,
          500,
        );
        expect(inHost(target, 'iptables', '-S', 'OUTPUT')).not.toContain('-j DROP');
      },
      150_000,
    );

    step(
      "a ServiceGrid resolves on each node's agent to its own unit's pods only: 100 requests from bj-1 all answered by beijing pods, likewise from guangzhou",
      async () => {
        await apply(`
apiVersion: superedge.io/v1
kind: ServiceGrid
metadata:
  name: hello-web
  namespace: default
spec:
  gridUniqKey: location
  template:
    selector:
      app: ${GRID}
    ports:
      - port: 80
        targetPort: 8080
`);
        const gz = GUANGZHOU.find((n) => n !== poweredOff)!;
        /** `count` requests through the node's agent proxy (its :8080) to the ServiceGrid's name. */
        const through = async (node: string, count: number) => {
          const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
            execFile(
              'ip',
              [
                'netns',
                'exec',
                host(node).netns,
                'curl',
                '-sS',
                '--max-time',
                '20',
                '-x',
                'http://127.0.0.1:8080',
                ...Array.from({ length: count }, () => ['-w', '\\n', 'http://hello-web.default.svc/']).flat(),
              ],
              { maxBuffer: 1 << 20 },
              (error, stdout, stderr) =>
                resolve({
                  code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
                  stdout,
                  stderr,
                }),
            ),
          );
          return r.stdout.split('\n').filter((l) => l.startsWith('node='));
        };
        for (const [node, unit] of [
          ['bj-1', 'beijing'],
          [gz, 'guangzhou'],
        ] as const) {
          // endpoints reach the agents once the pods' readiness came back to the grid service
          await eventually(async () => (await through(node, 1)).length === 1, 60_000, 1000);
          const answers = await through(node, 100);
          expect(answers.length, node).toBe(100);
          const foreign = answers.filter((a) => !a.includes(` unit=${unit} `));
          expect(foreign, `${node}: answers from another unit`).toEqual([]);
          const unitPods = (await pods()).filter((p) => p.unit === unit);
          for (const a of answers)
            expect(
              unitPods.some((p) => a.endsWith(`pod=${p.name}`)),
              a,
            ).toBe(true);
          console.log(
            `${node}: 100 requests to hello-web.default.svc answered by ${new Set(answers).size} ${unit} pods`,
          );
        }
      },
      150_000,
    );

    step(
      "a third unit joins the running fleet (fleet add --sites shenzhen:1:sz): the grid gets hello-shenzhen and its pods run in the new host's containerd",
      async () => {
        const before = (await pods()).filter((p) => p.unit !== 'shenzhen');
        const started = Date.now();
        // a smaller host: its agent reports 1 CPU / 1 GiB allocatable (the others report the machine's)
        const add = await stack.fleet(
          'add',
          '--cluster',
          cluster,
          '--sites',
          'shenzhen:1:sz',
          '--dir',
          dir,
          '--node-cpu',
          '1',
          '--node-memory',
          '1Gi',
        );
        expect(add.code, `${add.stdout}\n${add.stderr}`).toBe(0);
        console.log(`fleet add shenzhen:1: ${Math.round((Date.now() - started) / 1000)} s`);
        expect(add.stdout).toContain('[sz-1] Install Edge Node: sz-1 Success!');
        state = JSON.parse(readFileSync(path.join(dir, cluster, 'fleet.json'), 'utf8')) as FleetState;
        expect(host('sz-1').criSocket).toBeTruthy();
        NODES.push('sz-1');
        UNIT_OF['sz-1'] = 'shenzhen';
        // the group names the new unit, which holds the new node
        const group = await stack.cli('group', 'get', 'location', '--cluster', cluster, '-o', 'json');
        expect(group.stdout).toContain('shenzhen');
        const joinedAt = Date.now();
        await eventually(
          async () =>
            JSON.stringify(await stack.cliJson('grid', 'get', GRID, '--cluster', cluster)).includes(
              `${GRID}-shenzhen`,
            ),
          60_000,
          500,
        );
        await eventually(
          async () => {
            const sz = (await pods()).filter((p) => p.unit === 'shenzhen');
            if (sz.length !== 5 || !sz.every((p) => p.node === 'sz-1')) return false;
            const live = await runningOn(['sz-1']);
            return sz.every((p) => live.get(p.name)?.node === 'sz-1');
          },
          150_000,
          1000,
        ).catch(async (e) => {
          throw new Error(
            `${(e as Error).message}\npods: ${JSON.stringify(await pods())}\n${await diagnose()}`,
          );
        });
        console.log(
          `hello-shenzhen: 5 pods running on sz-1 ${Math.round((Date.now() - joinedAt) / 1000)} s after the unit joined`,
        );
        // they answer as shenzhen, from the new host; the other units' pods did not move
        const live = await runningOn(['sz-1']);
        const one = (await pods()).find((p) => p.unit === 'shenzhen')!;
        const r = await curlIn('sz-1', `http://${live.get(one.name)!.ip}:8080/`);
        expect(r.stdout.trim()).toBe(`node=sz-1 unit=shenzhen pod=${one.name}`);
        const now = await pods();
        for (const p of before) expect(now.find((x) => x.name === p.name)?.node, p.name).toBe(p.node);
        // the agent reports them Running and ready
        await eventually(
          () =>
            reported()
              .filter((x) => x.node === 'sz-1')
              .some((x) => x.pods.length === 5 && x.pods.every((p) => p.phase === 'Running' && p.ready)),
          30_000,
          500,
        );
        // and its size, as it was told: the grid service places against it
        const sz = reported().find((x) => x.node === 'sz-1');
        expect(sz?.allocatable).toEqual({ cpuMilli: 1000, memoryBytes: 2 ** 30, pods: 110 });
        expect(reported().find((x) => x.node === 'bj-1')?.allocatable?.cpuMilli).toBeGreaterThanOrEqual(1500);
      },
      300_000,
    );

    step(
      "placement uses the nodes' reported allocatable: a pod asking 1.5 CPU runs in beijing, stays Pending in shenzhen (1 CPU) with the reason",
      async () => {
        const big = 'big';
        await apply(`
apiVersion: superedge.io/v1
kind: DeploymentGrid
metadata:
  name: ${big}
  namespace: default
spec:
  gridUniqKey: location
  template:
    replicas: 1
    selector:
      matchLabels: { app: ${big} }
    template:
      metadata:
        labels: { app: ${big} }
      spec:
        containers:
          - name: web
            image: ${IMAGE}
            resources: { requests: { cpu: 1500m, memory: 64Mi } }
`);
        const bigPods = async () =>
          (await stack.cliJson<{ items: Pod[] }>('pod', 'list', '--grid', big, '--cluster', cluster)).items;
        await eventually(async () => (await bigPods()).length === 3, 30_000, 500);
        const list = await bigPods();
        const shenzhen = list.find((p) => p.unit === 'shenzhen')!;
        expect(shenzhen.node || null).toBeNull();
        expect(shenzhen.phase).toBe('Pending');
        expect(shenzhen.reason).toBe('0/1 nodes are available: 1 Insufficient cpu.');
        const beijing = list.find((p) => p.unit === 'beijing')!;
        expect(BEIJING).toContain(beijing.node);
        const del = await stack.cli('grid', 'delete', big, '--cluster', cluster);
        expect(del.code, del.stderr).toBe(0);
        // its containers go away again (the next steps count every pod on the hosts)
        await eventually(
          async () =>
            [...(await runningOn(NODES.filter((n) => n !== poweredOff))).keys()].every(
              (n) => !n.startsWith(`${big}-`),
            ),
          60_000,
          1000,
        );
      },
      300_000,
    );

    step(
      'a rollout of a new image in waves of one unit stops at the wave whose pods fail readiness (the image is on no host: ErrImagePull); undo restores it',
      async () => {
        const good = new Map((await pods()).map((p) => [p.unit, p.revision]));
        await apply(gridYaml(5, 'localhost/edgeplane/busybox-httpd:2', 10));
        const state = async () =>
          (await stack.cliJson<{ state: string }>('grid', 'rollout', 'status', GRID, '--cluster', cluster))
            .state;
        await eventually(async () => (await state()) === 'Failed', 90_000, 1000);
        const halted = await pods();
        const moved = [...new Set(halted.filter((p) => p.revision !== good.get(p.unit)).map((p) => p.unit))];
        expect(moved, 'one unit per wave: only the first wave got the new image').toHaveLength(1);
        const kept = ['beijing', 'guangzhou'].find((u) => u !== moved[0])!;
        const live = await runningOn(NODES.filter((n) => n !== poweredOff));
        for (const p of halted.filter((x) => x.unit === kept)) {
          expect(p.revision, p.name).toBe(good.get(kept));
          expect(live.get(p.name)?.node, p.name).toBe(p.node);
        }
        // the agents said why: the new image is not on the host
        const reasons = reported().flatMap((r) =>
          r.pods.map((p) => p.reason ?? p.containers[0]?.reason ?? ''),
        );
        expect(reasons.some((r) => /ErrImage/.test(r))).toBe(true);

        const undo = await stack.cli('grid', 'rollout', 'undo', GRID, '--cluster', cluster);
        expect(undo.code, undo.stderr).toBe(0);
        await eventually(
          async () => (await pods()).every((p) => p.revision === good.get(p.unit)),
          60_000,
          1000,
        );
        await eventually(() => converged({ beijing: 5, guangzhou: 5 }, [poweredOff]), 90_000, 1000);
      },
      240_000,
    );
  },
);
