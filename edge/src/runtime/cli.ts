#!/usr/bin/env node
/**
 * A small hand on the runtime drivers, the way the agent will use them (until the grid pushes pods
 * through the tunnel): apply a pod list and reconcile, show status, print logs, remove.
 *
 *   node --import tsx edge/src/runtime/cli.ts --runtime cri --socket /run/x/containerd.sock [--node N] [--state DIR] COMMAND
 *     apply FILE [--wait-ready SECONDS]   FILE: a JSON list of pod specs (edge/src/runtime/types.ts); reconciles
 *                                          until every pod is ready (or the time is up), prints the statuses
 *     run FILE                            apply, then keep reconciling until SIGINT/SIGTERM (process pods live that long)
 *     list                                the pods the runtime holds
 *     status UID                          one pod's status (JSON)
 *     logs UID CONTAINER [--tail N] [--follow]
 *     remove UID | remove-all
 * Exit codes: 0 done, 1 failed (reason on stderr), 2 bad usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRuntime, PodReconciler, type PodSpec } from './index.js';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runtime: { type: 'string', default: 'cri' },
    socket: { type: 'string' },
    node: { type: 'string', default: process.env.NODE_NAME ?? 'local' },
    state: { type: 'string', default: '/var/lib/edgeplane-runtime' },
    'wait-ready': { type: 'string', default: '60' },
    tail: { type: 'string' },
    follow: { type: 'boolean', default: false },
  },
});
const [command, ...args] = positionals;
const usage = (why: string): never => {
  console.error(`runtime cli: ${why}`);
  process.exit(2);
};
if (o.runtime !== 'cri' && o.runtime !== 'process') usage('--runtime must be cri or process');
const logger = {
  info: (f: object, m: string) => console.error(JSON.stringify({ level: 'info', msg: m, ...f })),
  warn: (f: object, m: string) => console.error(JSON.stringify({ level: 'warn', msg: m, ...f })),
};
const driver = createRuntime({
  kind: o.runtime as 'cri' | 'process',
  socket: o.socket,
  nodeName: o.node!,
  stateDir: o.state!,
  logger,
});

const readPods = (file: string | undefined): PodSpec[] => {
  if (!file) return usage('a pod list file is needed');
  const pods = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return (Array.isArray(pods) ? pods : [pods]) as PodSpec[];
};

try {
  switch (command) {
    case 'apply':
    case 'run': {
      const reconciler = new PodReconciler(driver, { logger, periodMs: 1000 });
      reconciler.setDesired(readPods(args[0]));
      reconciler.start();
      if (command === 'run') {
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await reconciler.stop();
        break;
      }
      const until = Date.now() + Number(o['wait-ready']) * 1000;
      while (Date.now() < until) {
        await reconciler.reconcile();
        const s = reconciler.status();
        if (s.length > 0 && s.every((p) => p.ready)) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      await reconciler.stop();
      console.log(JSON.stringify(reconciler.status(), null, 2));
      break;
    }
    case 'list':
      console.log(JSON.stringify(await driver.listPods(), null, 2));
      break;
    case 'status':
      console.log(JSON.stringify((await driver.status(args[0] ?? usage('status UID'))) ?? null, null, 2));
      break;
    case 'logs': {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      const tail = o.tail === undefined ? undefined : Number(o.tail);
      for await (const l of driver.logs(
        args[0] ?? usage('logs UID CONTAINER'),
        args[1] ?? usage('logs UID CONTAINER'),
        { tail, follow: o.follow, signal: ac.signal },
      ))
        console.log(`${l.time} ${l.stream} ${l.line}`);
      break;
    }
    case 'remove':
      await driver.removePod(args[0] ?? usage('remove UID'));
      break;
    case 'remove-all':
      for (const p of await driver.listPods()) {
        await driver.removePod(p.uid);
        console.error(`removed ${p.namespace}/${p.name} (${p.uid})`);
      }
      break;
    default:
      usage(`unknown command ${command ?? '(none)'}: apply, run, list, status, logs, remove, remove-all`);
  }
  await driver.close();
} catch (e) {
  console.error(`runtime cli: ${(e as Error).message}`);
  process.exit(1);
}
