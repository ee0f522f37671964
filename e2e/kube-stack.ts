/**
 * The kube-api front door (services/kube-api) as a real process next to a `startStack` stack, and a
 * cluster seeded through the CLI the way the kube e2e files need it: created, public access on,
 * nodes joined with a real token, the admin kubeconfig written to a file.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHealth } from '@edgeplane/proto';
import { createDatabase } from '@edgeplane/eventstore';
import { eventually, freePort, testServices, uniqueName } from '@edgeplane/testing';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { RunningStack } from './stack.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Where the kube-api will serve and keep its PKI: pass `stackEnv` to `startStack` before it starts. */
export interface KubeApiPlan {
  port: number;
  pki: string;
  /** EDGEPLANE_KEK and the cluster service's apiserver URL / CA file, pointing at this kube-api */
  stackEnv: Record<string, string>;
}

export async function planKubeApi(dir: string): Promise<KubeApiPlan> {
  const port = await freePort();
  const pki = path.join(dir, 'pki');
  return {
    port,
    pki,
    stackEnv: {
      EDGEPLANE_KEK: `k1:${randomBytes(32).toString('base64')}`,
      CLUSTER_APISERVER_URL: `https://127.0.0.1:${port}/k8s/clusters/{clusterId}`,
      CLUSTER_APISERVER_CA_FILE: path.join(pki, 'serving-ca.crt'),
    },
  };
}

export interface KubeApi {
  /** the gRPC address (health) */
  address: string;
  /** the HTTPS front door's origin */
  url: string;
  schema: string;
  /** its stdout/stderr, each chunk prefixed `[kube-api] ` */
  logs: string[];
  /** SIGTERM (SIGKILL after 10 s), then its schema dropped */
  stop(): Promise<void>;
}

/**
 * Spawns `services/kube-api` against the stack's cluster, nodepool and (when the stack runs it) grid
 * services, on its own schema, and waits until it is SERVING.
 */
export async function startKubeApi(
  stack: RunningStack,
  options: { plan: KubeApiPlan; schemaPrefix: string; cacheSeconds: number; logs?: string[] },
): Promise<KubeApi> {
  const { databaseUrl, natsUrl } = await testServices();
  const { port, pki } = options.plan;
  const logs = options.logs ?? [];
  const grpcPort = await freePort();
  const schema = uniqueName(options.schemaPrefix);
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/kube-api/src/main.ts'], {
    cwd: REPO,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      SERVICE_SCHEMA: schema,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      KUBE_API_PORT: String(port),
      KUBE_API_PKI_DIR: pki,
      KUBE_API_CLUSTER_ADDR: stack.env.EDGEPLANE_CLUSTER_ADDR!,
      KUBE_API_NODEPOOL_ADDR: stack.env.EDGEPLANE_NODEPOOL_ADDR!,
      ...(stack.env.EDGEPLANE_GRID_ADDR ? { KUBE_API_GRID_ADDR: stack.env.EDGEPLANE_GRID_ADDR } : {}),
      ...(stack.env.EDGEPLANE_HEALTH_ARBITER_ADDR
        ? { KUBE_API_HEALTH_ADDR: stack.env.EDGEPLANE_HEALTH_ARBITER_ADDR }
        : {}),
      KUBE_API_CACHE_SECONDS: String(options.cacheSeconds),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => logs.push(`[kube-api] ${d}`));
  child.stderr!.on('data', (d) => logs.push(`[kube-api] ${d}`));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const db = createDatabase({ url: databaseUrl, max: 1 });
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db).catch(() => undefined);
    await db.destroy();
  };
  const address = `127.0.0.1:${grpcPort}`;
  await eventually(async () => (await checkHealth(address, { timeoutMs: 500 })).serving, 60_000, 200).catch(
    async (e) => {
      await stop();
      throw new Error(`kube-api did not become SERVING: ${(e as Error).message}\n${logs.join('')}`);
    },
  );
  return { address, url: `https://127.0.0.1:${port}`, schema, logs, stop };
}

/** `cluster create NAME` flags the e2e clusters share: Kubernetes 1.22.5 on containerd in ap-guangzhou. */
export const CLUSTER_CREATE_FLAGS = [
  ['--k8s-version', '1.22.5'],
  ['--runtime', 'containerd'],
  ['--region', 'ap-guangzhou'],
  ['--vpc-cidr', '10.0.0.0/16'],
  ['--pod-cidr', '172.16.0.0/16'],
  ['--service-cidr', '172.17.0.0/20'],
].flat();

/**
 * `cluster create NAME` (1.22.5, containerd, ap-guangzhou), public access on, a 2 h join token, each
 * node joined (its files under dir/<node>), and `cluster kubeconfig NAME --file <kubeconfig>`.
 */
export async function createJoinedCluster(
  stack: RunningStack,
  options: { name: string; nodes: string[]; dir: string; kubeconfig: string },
): Promise<{ clusterId: string; kubeconfig: string }> {
  const { name, nodes, dir, kubeconfig } = options;
  const created = await stack.cli('cluster', 'create', name, ...CLUSTER_CREATE_FLAGS);
  expect(created.code, created.stderr).toBe(0);
  const clusterId = (await stack.cliJson<{ id: string }>('cluster', 'get', name)).id;
  expect((await stack.cli('cluster', 'access', name, '--public', 'on')).code).toBe(0);
  const token = await stack.cli('token', 'create', '--cluster', name, '--expires', '2h');
  const secret = /^token: (\S+)/m.exec(token.stdout)?.[1];
  for (const n of nodes) {
    const joined = await stack.cli(
      'node',
      'join',
      '--token',
      secret!,
      '--name',
      n,
      '--out-dir',
      path.join(dir, n),
    );
    expect(joined.code, `${joined.stderr}\n${token.stdout}${token.stderr}`).toBe(0);
  }
  const kc = await stack.cli('cluster', 'kubeconfig', name, '--file', kubeconfig);
  expect(kc.code, kc.stderr).toBe(0);
  return { clusterId, kubeconfig };
}
