import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { checkHealth } from '@edgeplane/proto';
import { eventually, testServices, uniqueName } from '@edgeplane/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './fixtures/process.js';

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A STACK_PORT_OFFSET at which the cluster service's gRPC and metrics ports are free. */
async function freeOffset(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const offset = 1000 + 10 * Math.floor(Math.random() * 1400);
    if ((await listenable(50051 + offset)) && (await listenable(9461 + offset))) return offset;
  }
  throw new Error('no free port offset');
}

interface Stack {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runStack(args: string[], env: Record<string, string>): Stack {
  const child = spawn(process.execPath, ['scripts/stack.mjs', ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** The PID column of the service's row in the table `start` prints once all serve. */
function pidOf(output: string, service: string): number | undefined {
  const rows = output.split('\n').filter((l) => l.startsWith(`${service} `) && l.includes('/metrics'));
  const cols = rows.at(-1)?.trim().split(/\s+/);
  return cols ? Number(cols[3]) : undefined;
}

/**
 * `npm start` (scripts/stack.mjs start) supervises its services: one that dies is restarted with a
 * backoff and the reason logged, the others keep running; only repeated deaths right after a
 * start make it give up.
 */
describe('stack.mjs restarts a service that died', () => {
  const stacks: Stack[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const s of stacks) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
      await s.exited;
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a SIGKILLed cluster service comes back SERVING under a new pid; the stack stays up', async () => {
    const { databaseUrl, natsUrl } = await testServices();
    const offset = await freeOffset();
    const address = `127.0.0.1:${50051 + offset}`;
    const stack = runStack(['start', '--tsx'], {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      STACK_SERVICES: 'cluster',
      STACK_PORT_OFFSET: String(offset),
      STACK_SCHEMA_SUFFIX: uniqueName('sup').toLowerCase(),
      STACK_START_TIMEOUT_MS: '120000',
    });
    stacks.push(stack);
    await eventually(() => stack.output().includes('1/1 services SERVING'), 150_000, 250).catch(() => {
      throw new Error(`the stack did not start:\n${stack.output().slice(-4000)}`);
    });
    const pid = pidOf(stack.output(), 'cluster');
    expect(pid).toBeGreaterThan(0);

    process.kill(pid!, 'SIGKILL');
    await eventually(
      () => /cluster exited unexpectedly \(SIGKILL\) after [\d.]+s; restart #1 in 1\.0s/.test(stack.output()),
      10_000,
      100,
    );
    const restarted = await eventually(
      () => /cluster restarted \(pid (\d+)\)/.exec(stack.output()),
      15_000,
      100,
    );
    const newPid = Number(restarted?.[1]);
    expect(newPid).not.toBe(pid);
    await eventually(async () => (await checkHealth(address, { timeoutMs: 1000 })).serving, 90_000, 250);
    expect(stack.child.exitCode).toBeNull();
    expect(() => process.kill(newPid, 0)).not.toThrow();

    stack.child.kill('SIGTERM');
    const exit = await stack.exited;
    expect(exit.code).toBe(0);
    expect(stack.output()).toMatch(/stopped: cluster: (SIGTERM|exit 0)/);
  }, 300_000); // two cold starts of the service from TypeScript: over 100 s on a loaded machine

  it('a service that dies right after every start is given up on after 5 tries, with its last words', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stack-sup-'));
    dirs.push(dir);
    const entry = path.join(dir, 'crash.mjs');
    writeFileSync(entry, "console.error('boom: DATABASE_URL is not a URL'); process.exit(3);\n");
    const { databaseUrl, natsUrl } = await testServices();
    const started = Date.now();
    const stack = runStack(['start'], {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      STACK_SERVICES: 'cluster',
      STACK_PORT_OFFSET: String(await freeOffset()),
      STACK_ENTRY: entry,
      STACK_RESTART_BACKOFF_MS: '100',
    });
    stacks.push(stack);
    const exit = await stack.exited;
    const out = stack.output();
    expect(exit.code).toBe(1);
    // backoff 0.1, 0.2, 0.4, 0.8 s between the five lives
    for (const [n, s] of [
      [1, '0.1'],
      [2, '0.2'],
      [3, '0.4'],
      [4, '0.8'],
    ] as const) {
      expect(out).toMatch(
        new RegExp(`cluster exited unexpectedly \\(code 3\\) after [\\d.]+s; restart #${n} in ${s}s`),
      );
    }
    expect(out).toMatch(
      /cluster exited \(code 3\) after [\d.]+s: 5 deaths in a row, each within 30s of its start; giving up/,
    );
    expect(out).toContain('boom: DATABASE_URL is not a URL');
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
