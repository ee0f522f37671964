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
 * evicted), in an environment of this file's own.
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

  it('node joined, unit promoted to K3s, node evicted: NATS, gRPC (cut and resumed) and the webhook each get all three once', async () => {
    // the webhook: registered by an operator (edit), its receiver failing (500) for a while
    const receiver = await startReceiver(pki);
    let failing = true;
    receiver.state.answer = () => (failing ? 500 : 200);
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
      CUT_AFTER: '1',
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
    await publishEvent(bus, 'NodeJoined', `node-${clusterId}-gz-1`, nodeJoined(clusterId, 'gz-1'));
    await publishEvent(bus, 'NodeUnitUpgradedToK3s', `nodeunit:${clusterId}:gz`, {
      clusterId,
      unit: 'gz',
      generation: 1,
      at,
    });
    await publishEvent(bus, 'NodeEvictionRequested', `health-verdict:${clusterId}:gz-1`, {
      clusterId,
      node: 'gz-1',
      rule: 'peers-confirm-down',
      reason: 'the cloud and its peers lost gz-1',
      at,
    });
    const types = ['NodeJoined', 'NodeUnitUpgradedToK3s', 'NodeEvictionRequested'];
    const ids = (via: string) => lines.filter((l) => l.via === via).map((l) => l.id as string);
    await eventually(() => new Set(ids('nats')).size === 3 && new Set(ids('grpc')).size === 3, 30_000).catch(
      (e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(lines)}\n${logs.join('')}`);
      },
    );
    // the gRPC subscription was cut after the first event and resumed from its cursor
    expect(lines.some((l) => l.cut === 1)).toBe(true);
    expect(ids('grpc')).toHaveLength(3); // nothing repeated, nothing missed
    expect(lines.filter((l) => l.via === 'grpc').map((l) => l.type)).toEqual(expect.arrayContaining(types));
    expect(new Set(ids('nats'))).toEqual(new Set(ids('grpc')));
    expect(lines.filter((l) => l.error)).toEqual([]);

    // the webhook: failing still; then the receiver recovers and gets all three, signed, in order per stream
    await eventually(() => receiver.all.length >= 3, 20_000);
    failing = false;
    await eventually(() => new Set(receiver.accepted.map((r) => r.event.id)).size === 3, 30_000);
    const now = Math.floor(Date.now() / 1000);
    for (const r of receiver.accepted)
      expect(verifySignature(created.secret, r.body, r.signature, now)).toBe(true);
    expect(new Set(receiver.accepted.map((r) => r.event.id))).toEqual(new Set(ids('grpc')));
    expect(receiver.accepted.map((r) => r.event.type).sort()).toEqual(
      types.map((t) => `io.edgeplane.${t}.v1`).sort(),
    );
    await receiver.close();
  });
});
