import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkHealth } from '@edgeplane/proto';
import { createDatabase } from '@edgeplane/eventstore';
import { eventually, freePort, testServices, uniqueName } from '@edgeplane/testing';
import { sql } from 'kysely';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('../cli/bin/edgeplane.mjs', import.meta.url));

export type ServiceName = 'cluster' | 'nodepool' | 'health-arbiter' | 'grid';

export interface RunningStack {
  env: Record<string, string>;
  schemas: string[];
  cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  cliJson<T = any>(...args: string[]): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts services as real, separate processes (`node --import tsx services/<svc>/src/main.ts`),
 * each on its own schema and ports, waits until they are SERVING, and gives a CLI runner that
 * talks to exactly these processes.
 */
export async function startStack(
  services: ServiceName[],
  extraEnv: Record<string, string> = {},
): Promise<RunningStack> {
  const { databaseUrl, natsUrl } = await testServices();
  const children: ChildProcess[] = [];
  const schemas: string[] = [];
  const cliEnv: Record<string, string> = {};
  const logs: string[] = [];
  for (const svc of services) {
    const schema = uniqueName(`e2e_${svc.replace(/-/g, '_')}`);
    const grpcPort = await freePort();
    const metricsPort = await freePort();
    schemas.push(schema);
    const child = spawn(process.execPath, ['--import', 'tsx', `services/${svc}/src/main.ts`], {
      cwd: REPO,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        SERVICE_SCHEMA: schema,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(grpcPort),
        METRICS_PORT: String(metricsPort),
        CONSUMER_START: 'new',
        LOG_LEVEL: 'warn',
        // the services started before it (EDGEPLANE_CLUSTER_ADDR: node credentials are verified there)
        ...cliEnv,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => logs.push(`[${svc}] ${d}`));
    child.stderr!.on('data', (d) => logs.push(`[${svc}] ${d}`));
    children.push(child);
    cliEnv[`EDGEPLANE_${svc.toUpperCase().replace(/-/g, '_')}_ADDR`] = `127.0.0.1:${grpcPort}`;
    await eventually(
      async () => (await checkHealth(`127.0.0.1:${grpcPort}`, { timeoutMs: 500 })).serving,
      60_000,
      200,
    ).catch((error) => {
      throw new Error(`${svc} did not become SERVING: ${(error as Error).message}\n${logs.join('')}`);
    });
  }

  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: REPO,
        env: { ...process.env, ...cliEnv },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  return {
    env: cliEnv,
    schemas,
    cli,
    async cliJson(...args: string[]) {
      const r = await cli(...args, '-o', 'json');
      if (r.code !== 0) throw new Error(`edgeplane ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
              c.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              c.kill('SIGTERM');
            }),
        ),
      );
      const db = createDatabase({ url: databaseUrl, max: 1 });
      for (const s of schemas)
        await sql`DROP SCHEMA IF EXISTS ${sql.id(s)} CASCADE`.execute(db).catch(() => undefined);
      await db.destroy();
    },
  };
}
