/**
 * Grids on the simulated fleet with the `process` driver (issue 11: "the process driver has its own
 * e2e"), for machines without containerd: cluster, nodepool, health-arbiter, tunnel and grid as real
 * processes; three hosts as network namespaces (`fleet up --runtime process`), each joined by the
 * printed join command. A DeploymentGrid whose container command is a small Node HTTP server is
 * applied with `edgeplane apply -f`; each unit's pod runs as a supervised process on a host of its
 * own unit (inside that host's namespace), answers with its node and unit, and the agents' reports
 * come back (ready). Deleting the grid stops the processes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually, uniqueName } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetUnavailable, startFleetStack, type FleetStack } from './fleet-stack.js';

const unavailable = fleetUnavailable();
if (unavailable) console.warn(`\nSKIPPED grid-fleet-process e2e: ${unavailable}\n`);

const UNIT_OF: Record<string, string> = { 'pb-1': 'beijing', 'pg-1': 'guangzhou', 'pg-2': 'guangzhou' };
const GRID = 'hello-proc';
const PORT = 18080;
const SERVER = [
  "const http = require('node:http');",
  'http.createServer((q, s) => {',
  "  if (q.url === '/healthz') return s.end('ok');",
  "  s.end('node=' + process.env.NODE_NAME + ' unit=' + process.env.UNIT_NAME + ' pod=' + process.env.POD_NAME + '\\n');",
  "}).listen(Number(process.env.PORT), '0.0.0.0');",
  "process.on('SIGTERM', () => process.exit(0));",
].join(' ');

const gridYaml = () => `
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
            image: localhost/edgeplane/node-web:1
            command: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(SERVER)}]
            env: [{ name: PORT, value: "${PORT}" }]
            ports: [{ name: http, containerPort: ${PORT} }]
            readinessProbe:
              httpGet: { path: /healthz, port: ${PORT} }
              periodSeconds: 1
`;

interface Pod {
  name: string;
  unit: string;
  node: string;
  ready?: boolean;
  reported?: boolean;
}

interface FleetState {
  hosts: { name: string; netns: string; address: string }[];
}

describe.skipIf(unavailable)(
  `grids on the simulated fleet, process driver${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`,
  () => {
    let stack: FleetStack;
    const cluster = uniqueName('gridproc').replace(/_/g, '-').toLowerCase().slice(0, 40);
    let dir = '';
    let state: FleetState;
    const host = (name: string) => state.hosts.find((h) => h.name === name)!;
    const curlIn = (from: string, url: string) =>
      new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(
          'ip',
          ['netns', 'exec', host(from).netns, 'curl', '-sS', '--max-time', '5', url],
          (error, stdout) => resolve({ code: error ? 1 : 0, stdout }),
        ),
      );
    const pods = async (): Promise<Pod[]> =>
      (await stack.cliJson<{ items: Pod[] }>('pod', 'list', '--grid', GRID, '--cluster', cluster)).items;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'edgeplane-grid-proc-'));
      stack = await startFleetStack({ grid: true });
    }, 240_000);
    afterAll(async () => {
      if (stack) {
        const down = await stack.fleet('down', '--cluster', cluster, '--dir', dir);
        if (down.code !== 0) console.error(down.stdout, down.stderr);
        await stack.stop();
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 240_000);

    it('fleet up --runtime process, a DeploymentGrid: each unit its pod as a process on its own hosts, answering, reported ready; delete stops them', async () => {
      const up = await stack.fleet(
        'up',
        '--cluster',
        cluster,
        '--sites',
        'beijing:1:pb,guangzhou:2:pg',
        '--dir',
        dir,
        '--runtime',
        'process',
      );
      expect(up.code, `${up.stdout}\n${up.stderr}\n${stack.logs()}`).toBe(0);
      for (const n of Object.keys(UNIT_OF))
        expect(up.stdout).toMatch(new RegExp(`\\[${n}\\] .*pods run by the process driver`));
      state = JSON.parse(readFileSync(path.join(dir, cluster, 'fleet.json'), 'utf8')) as FleetState;

      const file = path.join(dir, 'grid.yaml');
      writeFileSync(file, gridYaml());
      const applied = await stack.cli('apply', '-f', file, '--cluster', cluster);
      expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);

      // one pod per unit, on a node of that unit, reported ready by its agent
      const placed = await eventually(
        async () => {
          const list = await pods();
          expect(list.map((p) => p.unit).sort()).toEqual(['beijing', 'guangzhou']);
          for (const p of list) {
            expect(UNIT_OF[p.node], `${p.name} on ${p.node}`).toBe(p.unit);
            expect(p.ready, `${p.name} ready`).toBe(true);
          }
          return list;
        },
        120_000,
        1000,
      );
      // the process answers on its host's address, with its own node and unit
      for (const p of placed) {
        const other = Object.keys(UNIT_OF).find((n) => n !== p.node)!;
        const r = await curlIn(other, `http://${host(p.node).address}:${PORT}/`);
        expect(r.code, `curl ${p.node}`).toBe(0);
        expect(r.stdout.trim()).toBe(`node=${p.node} unit=${p.unit} pod=${p.name}`);
      }

      const del = await stack.cli('grid', 'delete', GRID, '--cluster', cluster);
      expect(del.code, del.stderr).toBe(0);
      await eventually(
        async () => {
          for (const p of placed) {
            const other = Object.keys(UNIT_OF).find((n) => n !== p.node)!;
            expect((await curlIn(other, `http://${host(p.node).address}:${PORT}/`)).code).not.toBe(0);
          }
          return true;
        },
        60_000,
        1000,
      );
    }, 600_000);
  },
);
