import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkHealth, credentialsYaml } from '@edgeplane/proto';
import {
  dropEnvironment,
  eventually,
  freePort,
  nodeJoined,
  publishEvent,
  testBus,
  testCredentials,
  testServices,
} from '@edgeplane/testing';
import type { Bus } from '@edgeplane/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../services/events/src/webhooks/cloudevent.js';
import { startReceiver, testPki, unary, eventsClient } from '../services/events/test/fixtures.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * Issue 14's Done-when, with the events service as its own process and an outside program (a
 * plain Node script, no Edgeplane code: e2e/outside/subscriber.mjs) that knows only the AsyncAPI
 * document, the .proto and a subscriber credential. The domain events are published to JetStream
 * as the services' relays publish them (a node joins, its unit is promoted to K3s, the node is
 * evicted), in an environment of this file's own. The webhook's receiver answers 500 for a real minute
 * while the NATS and gRPC parts run; then it gets every event, in order per stream.
 */
describe('events API e2e: an outside program over NATS and gRPC, and a webhook, get every event once', () => {
  const environment = `e2e-ev-${randomBytes(3).toString('hex')}`;
  const previousEnv = process.env.EDGEPLANE_ENV;
  const clusterId = `cls-${randomBytes(4).toString('hex')}`;
  const pki = testPki();
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  let bus: Bus;
  let eventsAddr: string;
  let httpPort: number;

  const spawnLogged = (name: string, args: string[], env: NodeJS.ProcessEnv) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d) => logs.push(`[${name}] ${d}`));
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    process.env.EDGEPLANE_ENV = environment;
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    const grpcPort = await freePort();
    httpPort = await freePort();
    eventsAddr = `127.0.0.1:${grpcPort}`;
    const svc = spawnLogged('events', ['--import', 'tsx', 'services/events/src/main.ts'], {
      ...process.env,
      EDGEPLANE_ENV: environment,
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(await freePort()),
      EVENTS_HTTP_PORT: String(httpPort),
      LOG_LEVEL: 'warn',
      WEBHOOK_BACKOFF_MS: '200',
      WEBHOOK_BACKOFF_MAX_MS: '2000',
      EVENTS_WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver is on 127.0.0.1
      WEBHOOK_CA_FILE: pki.caFile,
    });
    svc.stdout!.on('data', (d) => logs.push(`[events] ${d}`));
    await eventually(
      async () => (await checkHealth(eventsAddr, { timeoutMs: 500 })).serving,
      90_000,
      250,
    ).catch((error: Error) => {
      throw new Error(`events did not become SERVING: ${error.message}\n${logs.join('')}`);
    });
  });

  afterAll(async () => {
    for (const c of children)
      await new Promise<void>((resolve) => {
        if (c.exitCode !== null) return resolve();
        const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
        c.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        c.kill('SIGTERM');
      });
    await bus?.close();
    await dropEnvironment(environment).catch(() => undefined);
    if (previousEnv === undefined) delete process.env.EDGEPLANE_ENV;
    else process.env.EDGEPLANE_ENV = previousEnv;
    pki.cleanup();
  });

  it('node joined, unit promoted to K3s, node evicted: NATS, gRPC (cut and resumed) and the webhook (500 for a real minute) each get every event once', async () => {
    // the webhook: registered by an operator (edit), its receiver answering 500 for 60 s from now;
    // the NATS and gRPC parts run while it waits
    const FAIL_MS = 60_000;
    const receiver = await startReceiver(pki);
    const failUntil = Date.now() + FAIL_MS;
    const answers: { at: number; status: number }[] = [];
    receiver.state.answer = () => {
      const status = Date.now() < failUntil ? 500 : 200;
      answers.push({ at: Date.now(), status });
      return status;
    };
    const operator = eventsClient(eventsAddr);
    const created = await unary(operator, 'CreateWebhook', {
      url: receiver.url,
      filter: { cluster: clusterId },
    });
    operator.close();

    // the outside program, with a subscriber credential file
    const credFile = path.join(pki.dir, 'subscriber.yaml');
    writeFileSync(
      credFile,
      credentialsYaml(testCredentials({ user: 'asset-db', groups: ['edgeplane:subscribers'] })),
      {
        mode: 0o600,
      },
    );
    const { natsUrl } = await testServices();
    const lines: any[] = [];
    const outside = spawnLogged('outside', ['e2e/outside/subscriber.mjs'], {
      PATH: process.env.PATH,
      ASYNCAPI_URL: `http://127.0.0.1:${httpPort}/asyncapi.yaml`,
      EVENTS_ADDR: eventsAddr,
      EVENTS_PROTO: path.join(REPO, 'proto/edgeplane/events/v1/events.proto'),
      CREDENTIALS: credFile,
      NATS_URL: natsUrl,
      SUBJECT_PREFIX: `${environment}.`,
      CLUSTER: clusterId,
      CUT_AFTER: '2',
    });
    let buffered = '';
    outside.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const p of parts) if (p) lines.push(JSON.parse(p));
    });
    await eventually(
      () => lines.some((l) => l.ready === 'nats') && lines.some((l) => l.ready === 'grpc'),
      30_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${logs.join('')}`);
    });

    const at = new Date().toISOString();
    const join = (node: string) =>
      publishEvent(bus, 'NodeJoined', `node-${clusterId}-${node}`, nodeJoined(clusterId, node));
    const evict = (node: string) =>
      publishEvent(bus, 'NodeEvictionRequested', `health-verdict:${clusterId}:${node}`, {
        clusterId,
        node,
        rule: 'peers-confirm-down',
        reason: `the cloud and its peers lost ${node}`,
        at,
      });
    await join('gz-1');
    await join('gz-2');
    await publishEvent(bus, 'NodeUnitUpgradedToK3s', `nodeunit:${clusterId}:gz`, {
      clusterId,
      unit: 'gz',
      generation: 1,
      at,
    });
    await evict('gz-1');
    const types = ['NodeJoined', 'NodeUnitUpgradedToK3s', 'NodeEvictionRequested'];
    const ids = (via: string) => lines.filter((l) => l.via === via).map((l) => l.id as string);
    await eventually(() => new Set(ids('nats')).size === 4 && new Set(ids('grpc')).size === 4, 30_000).catch(
      (e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(lines)}\n${logs.join('')}`);
      },
    );
    // the gRPC subscription was cut after the second event and resumed from its cursor
    expect(lines.some((l) => l.cut === 2)).toBe(true);
    // more events while the webhook still fails: they wait behind the failing head of their stream
    await join('gz-3');
    await evict('gz-2');
    await eventually(() => new Set(ids('nats')).size === 6 && new Set(ids('grpc')).size === 6, 30_000);
    expect(ids('grpc')).toHaveLength(6); // nothing repeated, nothing missed
    expect(lines.filter((l) => l.via === 'grpc').map((l) => l.type)).toEqual(expect.arrayContaining(types));
    expect(new Set(ids('nats'))).toEqual(new Set(ids('grpc')));
    expect(lines.filter((l) => l.error)).toEqual([]);
    expect(receiver.accepted).toEqual([]); // still failing

    // the receiver recovers after its minute and gets every event, signed, in order per stream
    await eventually(() => new Set(receiver.accepted.map((r) => r.event.id)).size === 6, FAIL_MS + 30_000);
    const failed = answers.filter((a) => a.status === 500);
    expect(failed[0]!.at - (failUntil - FAIL_MS)).toBeLessThan(10_000); // tried from the start…
    expect(failUntil - failed.at(-1)!.at).toBeLessThan(3_000); // …and all minute long (backoff ≤ 2 s)
    expect(receiver.accepted.every((r) => r.at >= failUntil)).toBe(true);
    const now = Math.floor(Date.now() / 1000);
    for (const r of receiver.all)
      expect(verifySignature(created.secret, r.body, r.signature, now)).toBe(true);
    // exactly once after dedupe on the id, the same events as gRPC got
    const firsts = receiver.accepted.filter(
      (r, i) => receiver.accepted.findIndex((o) => o.event.id === r.event.id) === i,
    );
    expect(new Set(firsts.map((r) => r.event.id))).toEqual(new Set(ids('grpc')));
    expect(firsts.map((r) => r.event.type).sort()).toEqual(
      [...types, 'NodeJoined', 'NodeJoined', 'NodeEvictionRequested']
        .map((t) => `io.edgeplane.${t}.v1`)
        .sort(),
    );
    // in order per stream: each stream's sequences rise in the order they were accepted
    const streams = new Set(firsts.map((r) => r.event.edgeplanestream as string));
    expect(streams.size).toBe(3);
    for (const stream of streams) {
      const seqs = firsts
        .filter((r) => r.event.edgeplanestream === stream)
        .map((r) => Number(r.event.edgeplanesequence));
      expect(seqs, stream).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(
      firsts.filter((r) => r.event.type === 'io.edgeplane.NodeJoined.v1').map((r) => r.event.data.nodeName),
    ).toEqual(['gz-1', 'gz-2', 'gz-3']);
    expect(
      firsts
        .filter((r) => r.event.type === 'io.edgeplane.NodeEvictionRequested.v1')
        .map((r) => r.event.data.node),
    ).toEqual(['gz-1', 'gz-2']);
    await receiver.close();
  }, 150_000);
});
