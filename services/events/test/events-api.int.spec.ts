import { streamName, STREAMS } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { bootstrapService, KEYRING, type Keyring, type RunningService } from '@edgeplane/service-kit';
import { fieldViolationsOf } from '@edgeplane/proto';
import {
  eventually,
  freePort,
  nodeJoined,
  publishEvent,
  testBus,
  testCredentials,
  testServices,
  uniqueName,
  uniqueSchema,
} from '@edgeplane/testing';
import * as grpc from '@grpc/grpc-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { credentialsYaml } from '@edgeplane/proto';
import { buildProgram } from '../../../cli/src/main.js';
import type { EventsConfig } from '../src/config.js';
import { eventsService } from '../src/service.js';
import { verifySignature } from '../src/webhooks/cloudevent.js';
import { secretContext, WebhookDispatcher } from '../src/webhooks/dispatcher.js';
import { HttpsPoster } from '../src/webhooks/https-post.js';
import { inSchema } from '../src/db/database.js';
import { Fanout } from '../src/stream/fanout.js';
import { eventsClient, startReceiver, testPki, unary, type EventsClient } from './fixtures.js';

const upgraded = (clusterId: string, unit: string, generation: number) => ({
  clusterId,
  unit,
  generation,
  k3sVersion: 'v1.30.0+k3s1',
  at: new Date().toISOString(),
});

interface Got {
  event: any;
  cursor: string;
}

/** Reads a Subscribe stream into `got` until `stop` says so; the first message (no event) into `start`. */
function collect(call: grpc.ClientReadableStream<any>) {
  const got: Got[] = [];
  const state: { start?: string; error?: grpc.ServiceError; ended: boolean } = { ended: false };
  call.on('data', (m: { event: any; cursor: string }) => {
    if (!m.event) state.start ??= m.cursor;
    else got.push({ event: m.event, cursor: m.cursor });
  });
  call.on('error', (e: grpc.ServiceError) => {
    state.error = e;
  });
  call.on('end', () => {
    state.ended = true;
  });
  return { got, state };
}

/**
 * The events service booted in-process on its own schema, reading the test environment's
 * JetStream streams (the events published as the services' relays publish them), answering over
 * real gRPC, delivering webhooks to a local HTTPS receiver that trusts a test CA.
 */
describe('events API over real NATS + PostgreSQL: catalogue, Subscribe, GetEvent, webhooks', () => {
  const schema = uniqueSchema('t_ev');
  const clusterId = uniqueName('cid').replace(/_/g, '-');
  let svc: RunningService<EventsConfig> | undefined;
  let bus: Bus;
  let client: EventsClient;
  let httpPort: number;
  const pki = testPki();
  const closers: (() => Promise<void> | void)[] = [];
  let n = 0;
  const joinNode = (name = `n-${n++}`) =>
    publishEvent(bus, 'NodeJoined', `node-${clusterId}-${name}`, nodeJoined(clusterId, name));
  const upgradeUnit = (unit: string, gen = 1) =>
    publishEvent(
      bus,
      'NodeUnitUpgradedToK3s',
      `nodeunit:${clusterId}:${unit}`,
      upgraded(clusterId, unit, gen),
    );

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    httpPort = await freePort();
    const env = {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      GRPC_PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      GRPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      EVENTS_HTTP_PORT: String(httpPort),
      EVENTS_READ_AHEAD_BYTES: String(1024 * 1024 + 64 * 1024),
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_BACKOFF_MAX_MS: '400',
      WEBHOOK_MAX_AGE_MS: '4000',
      WEBHOOK_POLL_MS: '500',
      EVENTS_WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver is on 127.0.0.1
      WEBHOOK_CA_FILE: pki.caFile,
    };
    svc = (await bootstrapService({ ...eventsService, schema }, env)) as RunningService<EventsConfig>;
    client = eventsClient(svc.grpcAddress);
  });

  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    client?.close();
    if (svc) {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(svc.db).catch(() => undefined);
      await svc.stop();
    }
    await bus?.close();
    pki.cleanup();
  });

  it('serves the AsyncAPI catalogue over HTTP, public events marked', async () => {
    const res = await fetch(`http://127.0.0.1:${httpPort}/asyncapi.yaml`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('asyncapi: 3.0.0');
    const doc = (await (await fetch(`http://127.0.0.1:${httpPort}/asyncapi.json`)).json()) as any;
    expect(doc.channels['cluster-node-joined']).toMatchObject({
      address: 'edgeplane.cluster.node.joined',
      'x-edgeplane-visibility': 'public',
    });
    expect(doc.channels['cluster-node-credential-issued']['x-edgeplane-visibility']).toBe('internal');
    expect(doc.components.messages['NodeJoined.v1'].payload.properties.data.required).toContain('nodeName');
    expect(doc.components.messages['NodeJoined.v1']['x-edgeplane-emitter']).toBe('cluster');
  });

  it('Subscribe: a client cut off mid-stream resumes from its last cursor with nothing missed or repeated', async () => {
    const filter = { cluster: clusterId };
    const first = client.Subscribe({ filter, now: true });
    const a = collect(first);
    await eventually(() => expect(a.state.start).toBeTruthy());
    const published: string[] = [];
    for (let i = 0; i < 15; i++) {
      await joinNode(`a-${i}`);
      await upgradeUnit(`u-a-${i}`);
    }
    await eventually(() => expect(a.got.length).toBeGreaterThanOrEqual(11));
    first.cancel(); // the client goes away mid-stream
    const kept = a.got.slice(0, 11); // what it processed; its last cursor is the 11th's
    const resumeFrom = kept.at(-1)!.cursor;
    for (let i = 0; i < 10; i++) {
      await joinNode(`b-${i}`);
      await upgradeUnit(`u-b-${i}`);
    }
    const second = client.Subscribe({ filter, cursor: resumeFrom });
    const b = collect(second);
    await eventually(() => expect(kept.length + b.got.length).toBeGreaterThanOrEqual(50), 15_000);
    await new Promise((r) => setTimeout(r, 300)); // nothing more may come
    second.cancel();
    const all = [...kept, ...b.got].map((g) => g.event);
    expect(all).toHaveLength(50);
    expect(new Set(all.map((e) => e.id)).size).toBe(50);
    // per source: sequences strictly increasing, and the node names in publish order
    for (const source of [STREAMS.CLUSTER.name, STREAMS.NODEPOOL.name]) {
      const seqs = all.filter((e) => e.source === source).map((e) => Number(e.sequence));
      expect(seqs).toHaveLength(25);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    }
    const names = all.filter((e) => e.type === 'NodeJoined').map((e) => JSON.parse(e.dataJson).nodeName);
    expect(names).toEqual(
      [...Array(15).keys()].map((i) => `a-${i}`).concat([...Array(10).keys()].map((i) => `b-${i}`)),
    );
    published.push(...all.map((e) => e.id));
    // GetEvent finds one by id (through the index)
    const one = all.find((e) => e.type === 'NodeUnitUpgradedToK3s')!;
    const got = await eventually(() => unary(client, 'GetEvent', { id: one.id }), 10_000);
    expect(got).toMatchObject({
      id: one.id,
      type: 'NodeUnitUpgradedToK3s',
      clusterId,
      source: STREAMS.NODEPOOL.name,
    });
    await expect(
      unary(client, 'GetEvent', { id: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  it('Subscribe with max_batch: events that wait travel together, in order, the cursor of each message resuming after its last', async () => {
    const filter = { types: ['NodeJoined'], cluster: clusterId };
    const call = client.Subscribe({ filter, now: true, maxBatch: 50 });
    const messages: { batch: any[]; event: any; cursor: string }[] = [];
    call.on('data', (m: { batch: any[]; event: any; cursor: string }) => messages.push(m));
    call.on('error', () => undefined);
    await eventually(() => expect(messages).toHaveLength(1)); // the start: no events, a cursor
    expect(messages[0]!.batch).toEqual([]);
    call.pause(); // events wait on the server meanwhile
    const total = 300;
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) pending.push(joinNode(`batch-${i}`));
    await Promise.all(pending);
    await new Promise((r) => setTimeout(r, 500));
    call.resume();
    const events = () => messages.flatMap((m) => m.batch);
    await eventually(() => expect(events()).toHaveLength(total), 15_000);
    call.cancel();
    const names = events().map((e) => JSON.parse(e.dataJson).nodeName);
    expect(new Set(names).size).toBe(total);
    const seqs = events().map((e) => Number(e.sequence));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // the source's order
    const sizes = messages.slice(1).map((m) => m.batch.length);
    expect(Math.max(...sizes)).toBeGreaterThan(1); // batched…
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50); // …up to max_batch
    expect(messages.every((m) => !m.event)).toBe(true);
    // a middle message's cursor: a new subscription (one event per message) starts right after its last event
    const cut = messages.findIndex((m, i) => i > 0 && m.batch.length > 1);
    const upTo = messages.slice(1, cut + 1).flatMap((m) => m.batch).length;
    const again = client.Subscribe({ filter, cursor: messages[cut]!.cursor });
    const r = collect(again);
    await eventually(() => expect(r.got).toHaveLength(total - upTo), 15_000);
    again.cancel();
    expect(r.got.map((g) => g.event.id)).toEqual(
      events()
        .slice(upTo)
        .map((e) => e.id),
    );
    // bounded: more than 1000 per message is refused, naming the field
    const tooMany = collect(client.Subscribe({ filter, now: true, maxBatch: 1001 }));
    await eventually(() => expect(tooMany.state.error).toBeTruthy());
    expect(tooMany.state.error!.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolationsOf(tooMany.state.error!).map((v) => v.field)).toContain('maxBatch');
  });

  it('Subscribe: filters by type and unit; refuses internal types and foreign cursors', async () => {
    const call = client.Subscribe({
      filter: { types: ['NodeUnitUpgradedToK3s'], cluster: clusterId, unit: 'edge-x' },
      now: true,
    });
    const s = collect(call);
    await eventually(() => expect(s.state.start).toBeTruthy());
    await joinNode();
    await upgradeUnit('edge-y');
    await upgradeUnit('edge-x', 2);
    await eventually(() => expect(s.got).toHaveLength(1));
    expect(s.got[0]!.event.type).toBe('NodeUnitUpgradedToK3s');
    expect(JSON.parse(s.got[0]!.event.dataJson)).toMatchObject({ unit: 'edge-x', generation: 2 });
    call.cancel();
    // from a time: the same event again, replayed from the stream
    const replay = client.Subscribe({
      filter: { types: ['NodeUnitUpgradedToK3s'], cluster: clusterId, unit: 'edge-x' },
      since: new Date(Date.now() - 60_000).toISOString(),
    });
    const r = collect(replay);
    await eventually(() => expect(r.got).toHaveLength(1));
    expect(r.got[0]!.event.id).toBe(s.got[0]!.event.id);
    replay.cancel();

    const refused = async (req: unknown) => {
      const c = client.Subscribe(req);
      const r = collect(c);
      await eventually(() => expect(r.state.error).toBeTruthy());
      return r.state.error!;
    };
    const internal = await refused({ filter: { types: ['NodeCredentialIssued'] } });
    expect(internal.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolationsOf(internal).map((v) => v.field)).toContain('filter.types.0');
    const badCursor = await refused({ cursor: 'bm90LWEtY3Vyc29y' });
    expect(badCursor.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(badCursor.details).toContain('cursor');
  });

  it('Subscribe: a client that stops reading is cut loose from the shared reader at its bound, then gets every event and attaches again', async () => {
    const call = client.Subscribe({ filter: { types: ['NodeJoined'], cluster: clusterId }, now: true });
    const s = collect(call);
    await eventually(() => expect(s.state.start).toBeTruthy());
    call.pause(); // the client stops reading
    const total = 2000;
    // ~8 KiB each: 16 MiB wait in the stream; the read-ahead is 1.06 MiB
    const labels = Object.fromEntries(
      [...Array(8).keys()].map((i) => [`l${i}.example.com/k`, 'v'.repeat(1000)]),
    );
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const data = { ...nodeJoined(clusterId, `slow-${i}`), systemLabels: labels };
      pending.push(publishEvent(bus, 'NodeJoined', `node-${clusterId}-slow-${i}`, data));
      if (pending.length >= 200) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    // on the server: the subscription is cut loose from the shared reader when its queue reaches
    // its bound (1.06 MiB, ~130 of these): that is all that waits for it, besides the gRPC
    // buffers and the HTTP/2 window
    const fanout = svc!.app.get(Fanout);
    await eventually(
      () => expect(fanout.stats('events-sub')).toMatchObject({ readers: 1, attached: 0, overflowed: 1 }),
      15_000,
    );
    await new Promise((r) => setTimeout(r, 1000)); // the rest of the 2000 reach the reader meanwhile
    const held = fanout.stats('events-sub');
    expect(held).toMatchObject({ readers: 1, attached: 0, overflowed: 1 });
    expect(held.queuedBytes).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
    expect(held.queued).toBeLessThan(140);
    // and no consumer pulls for it while it does not read (it reads on its own from its position
    // once its queue is drained)
    const consumersOf = async () => {
      const consumers: { name: string; num_pending: number }[] = [];
      for await (const c of bus.jsm.consumers.list(streamName(STREAMS.CLUSTER.name)))
        consumers.push(c as never);
      return consumers.filter((c) => c.name.startsWith('events-sub'));
    };
    expect(await consumersOf()).toEqual([]);
    call.resume();
    await eventually(() => expect(s.got.length).toBe(total), 30_000);
    const names = s.got.map((g) => JSON.parse(g.event.dataJson).nodeName);
    expect(names).toEqual([...Array(total).keys()].map((i) => `slow-${i}`));
    // caught up on a consumer of its own, then attached to the shared reader again (that consumer gone)
    await eventually(() => expect(fanout.stats('events-sub')).toMatchObject({ readers: 1, attached: 1 }));
    await eventually(async () => expect(await consumersOf()).toEqual([]));
    await joinNode('slow-after');
    await eventually(() => expect(JSON.parse(s.got.at(-1)!.event.dataJson).nodeName).toBe('slow-after'));
    expect(s.got).toHaveLength(total + 1);
    call.cancel();
    const pulled = held.queued;
    console.info(
      `slow reader: ${pulled} of ${total} events (${held.queuedBytes} bytes) held while the client did not read`,
    );
  });

  it('webhook: signed CloudEvents; a receiver failing for a while still gets every event, in order per stream', async () => {
    const receiver = await startReceiver(pki);
    closers.push(receiver.close);
    const failUntil = { t: Number.POSITIVE_INFINITY };
    receiver.state.answer = () => (Date.now() < failUntil.t ? 500 : 200);
    const created = await unary(client, 'CreateWebhook', {
      url: receiver.url,
      filter: { cluster: clusterId, types: ['NodeJoined', 'NodeUnitUpgradedToK3s'] },
      description: 'test receiver',
    });
    expect(created.secret).toMatch(/^whsec_/);
    const hookId = created.webhook.id;
    for (let i = 0; i < 6; i++) {
      await joinNode(`w-${i}`);
      await upgradeUnit(`u-w-${i}`);
    }
    await eventually(() => expect(receiver.all.length).toBeGreaterThanOrEqual(4), 10_000); // retried
    failUntil.t = Date.now() + 1500; // fails 1.5 s more (under WEBHOOK_MAX_AGE_MS: no parking)
    await eventually(() => expect(new Set(receiver.accepted.map((r) => r.event.id)).size).toBe(12), 20_000);
    const now = Math.floor(Date.now() / 1000);
    for (const r of receiver.all) {
      expect(verifySignature(created.secret, r.body, r.signature, now)).toBe(true);
      expect(verifySignature('whsec_wrong', r.body, r.signature, now)).toBe(false);
      expect(r.webhookId).toBe(hookId);
      expect(r.event).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json' });
    }
    const accepted = receiver.accepted.map((r) => r.event);
    const joins = accepted.filter((e) => e.type === 'io.edgeplane.NodeJoined.v1').map((e) => e.data.nodeName);
    expect(joins).toEqual([...Array(6).keys()].map((i) => `w-${i}`));
    const units = accepted
      .filter((e) => e.type === 'io.edgeplane.NodeUnitUpgradedToK3s.v1')
      .map((e) => e.data.unit);
    expect(units).toEqual([...Array(6).keys()].map((i) => `u-w-${i}`));
    const deliveries = await unary(client, 'ListDeliveries', { webhookId: hookId });
    expect(deliveries.deliveries.length).toBeGreaterThan(0);
    expect(deliveries.deliveries.every((d: any) => d.state === 'DELIVERED' && d.attempts > 1)).toBe(true);
    // the counters are written with the cursor, in batches (500 ms)
    await eventually(async () => {
      const listed = await unary(client, 'ListWebhooks', {});
      const mine = listed.webhooks.find((w: any) => w.id === hookId);
      expect(mine).toMatchObject({ state: 'ACTIVE', url: receiver.url, delivered: '12' });
      return true;
    });
    await unary(client, 'DeleteWebhook', { id: hookId });
  });

  it('webhook: a receiver failing past the max age gets its deliveries parked; Redeliver sends one again', async () => {
    const receiver = await startReceiver(pki);
    closers.push(receiver.close);
    receiver.state.answer = () => 503;
    const created = await unary(client, 'CreateWebhook', {
      url: receiver.url,
      filter: { cluster: clusterId, types: ['NodeUnitUpgradedToK3s'] },
    });
    const hookId = created.webhook.id;
    await upgradeUnit('p-1');
    await upgradeUnit('p-2');
    const parked = await eventually(async () => {
      const r = await unary(client, 'ListDeliveries', { webhookId: hookId, state: 'PARKED' });
      expect(r.deliveries).toHaveLength(2);
      return r.deliveries;
    }, 20_000);
    expect(parked[0]).toMatchObject({
      lastStatus: 503,
      lastError: 'HTTP 503',
      eventType: 'NodeUnitUpgradedToK3s',
    });
    const hook = (await unary(client, 'ListWebhooks', {})).webhooks.find((w: any) => w.id === hookId);
    expect(hook).toMatchObject({ state: 'FAILING', parked: '2' });
    receiver.state.answer = () => 204;
    const again = await unary(client, 'Redeliver', { deliveryId: parked[1].id });
    expect(again.state).toBe('DELIVERED');
    const got = receiver.accepted.at(-1)!;
    expect(got.event.id).toBe(parked[1].eventId);
    expect(verifySignature(created.secret, got.body, got.signature, Math.floor(Date.now() / 1000))).toBe(
      true,
    );
    await expect(unary(client, 'Redeliver', { deliveryId: parked[1].id })).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
    });
    await unary(client, 'DeleteWebhook', { id: hookId });
  });

  it('CreateWebhook refuses plain http, credentials in the URL and internal types, naming the field', async () => {
    for (const [req, field] of [
      [{ url: 'http://127.0.0.1/x' }, 'url'],
      [{ url: 'https://u:p@127.0.0.1/x' }, 'url'],
      [{ url: 'https://127.0.0.1/x', filter: { types: ['JoinTokenCreated'] } }, 'filter.types.0'],
    ] as const) {
      const err = await unary(client, 'CreateWebhook', req).catch((e: grpc.ServiceError) => e);
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(fieldViolationsOf(err).map((v) => v.field)).toContain(field);
    }
  });

  it('with private targets not allowed (the default), CreateWebhook refuses internal addresses and names resolving to them; delivery refuses them too', async () => {
    const { databaseUrl, natsUrl } = await testServices();
    const strictSchema = uniqueSchema('t_ev_strict'); // its own: the other instance allows private targets
    const strict = (await bootstrapService(
      { ...eventsService, schema: strictSchema },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        EVENTS_HTTP_PORT: '0',
        RELAY_ENABLED: 'false',
        WEBHOOK_POLL_MS: '300',
        WEBHOOK_BACKOFF_MS: '100',
        WEBHOOK_BACKOFF_MAX_MS: '200',
        WEBHOOK_CA_FILE: pki.caFile,
      },
    )) as RunningService<EventsConfig>;
    const receiver = await startReceiver(pki);
    const strictClient = eventsClient(strict.grpcAddress);
    try {
      expect(strict.config.EVENTS_WEBHOOK_ALLOW_PRIVATE).toBe(false);
      const port = new URL(receiver.url).port;
      const urls = [
        receiver.url,
        `https://localhost:${port}/hook`,
        `https://[::1]:${port}/hook`,
        `https://2130706433:${port}/hook`,
        'https://169.254.169.254/latest/meta-data',
        'https://10.0.0.1/hook',
      ];
      for (const url of urls) {
        const err = await unary(strictClient, 'CreateWebhook', { url }).catch((e: grpc.ServiceError) => e);
        expect(err.code, url).toBe(grpc.status.INVALID_ARGUMENT);
        const violations = fieldViolationsOf(err);
        expect(violations.map((v) => v.field)).toEqual(['url']);
        expect(violations[0]!.description).toMatch(/(loopback|linkLocal|private) address/);
      }
      const stored = await inSchema(strict.db, strictSchema)
        .selectFrom('webhooks')
        .select('id')
        .where('url', 'in', [...urls, 'https://127.0.0.1/hook'])
        .execute();
      expect(stored).toEqual([]);

      // delivery: the poster of a service with the default setting refuses before connecting,
      // a literal address and a name (its lookup) alike; the receiver hears nothing
      const poster = new HttpsPoster(readFileSync(pki.caFile, 'utf8'), 2000, { allowPrivate: false });
      try {
        for (const url of [receiver.url, `https://localhost:${port}/hook`]) {
          const r = await poster.post(url, '{}', { 'content-type': 'application/json' });
          expect(r, url).toMatchObject({ ok: false, status: 0 });
          expect(r.error).toMatch(/^EPRIVATETARGET: .*loopback address/);
        }
        // a name that resolved to a public address at creation and to loopback now (rebinding)
        const rebinding = new HttpsPoster(readFileSync(pki.caFile, 'utf8'), 2000, {
          allowPrivate: false,
          resolve: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
        });
        const r = await rebinding.post(`https://hook.example:${port}/hook`, '{}', {});
        rebinding.close();
        expect(r).toMatchObject({ ok: false, status: 0 });
        expect(r.error).toMatch(/^EPRIVATETARGET: host hook\.example resolves to 127\.0\.0\.1 is a loopback/);
        expect(receiver.all).toHaveLength(0);
        // a webhook stored while the setting was on (as an operator would have): the dispatcher
        // refuses each attempt and records it as a failed delivery with the reason
        const id = randomUUID();
        const filter = { types: ['NodeJoined'], cluster: clusterId, node: '', unit: '' };
        const cursors = await strict.app.get(WebhookDispatcher).initialCursors(filter);
        await inSchema(strict.db, strictSchema)
          .insertInto('webhooks')
          .values({
            id,
            url: `https://localhost:${port}/hook`,
            types: filter.types,
            cluster_id: clusterId,
            node: '',
            unit: '',
            description: 'stored before the setting was turned off',
            secret: JSON.stringify(strict.app.get<Keyring>(KEYRING).seal('whsec_x', secretContext(id))),
            created_at: new Date(),
            created_by: 'test',
          })
          .execute();
        await inSchema(strict.db, strictSchema)
          .insertInto('webhook_cursors')
          .values(cursors.map((c) => ({ webhook_id: id, source: c.source, seq: c.seq })))
          .execute();
        await joinNode('strict-0');
        await eventually(async () => {
          const { deliveries } = await unary(strictClient, 'ListDeliveries', { webhookId: id });
          expect(deliveries).toHaveLength(1);
          expect(deliveries[0]).toMatchObject({ state: 'RETRYING', lastStatus: 0 });
          expect(deliveries[0].attempts).toBeGreaterThanOrEqual(2);
          expect(deliveries[0].lastError).toMatch(/^EPRIVATETARGET: host localhost resolves to .*loopback/);
          return true;
        }, 10_000);
        expect(receiver.all).toHaveLength(0);
        await unary(strictClient, 'DeleteWebhook', { id });
        // the same receiver with the setting on is reached (the check is what refused)
        const lab = new HttpsPoster(readFileSync(pki.caFile, 'utf8'), 2000, { allowPrivate: true });
        const reached = await lab.post(`https://localhost:${port}/hook`, '{"id":"x"}', {});
        lab.close();
        expect(reached).toMatchObject({ ok: true, status: 200 });
        expect(receiver.all).toHaveLength(1);
      } finally {
        poster.close();
      }
    } finally {
      strictClient.close();
      await receiver.close();
      await strict.stop();
      await sql`DROP SCHEMA IF EXISTS ${sql.id(strictSchema)} CASCADE`
        .execute(svc!.db)
        .catch(() => undefined);
    }
  });

  it('roles: a subscriber reads events but registers no webhook; view lists; a cluster-limited credential is refused', async () => {
    const as = (user: string, groups: string[], clusters?: string[]) =>
      eventsClient(svc!.grpcAddress, { user, groups, ...(clusters ? { clusters } : {}) });
    const subscriber = as('sub', ['edgeplane:subscribers']);
    const viewer = as('viewer', ['edgeplane:view']);
    const limited = as('limited', ['edgeplane:edit'], ['cls-other']);
    closers.push(
      () => subscriber.close(),
      () => viewer.close(),
      () => limited.close(),
    );
    const subscription = subscriber.Subscribe({ filter: { cluster: clusterId }, now: true });
    closers.push(() => subscription.cancel());
    const s = collect(subscription);
    await eventually(() => expect(s.state.start).toBeTruthy());
    await joinNode('sub-1');
    await eventually(() =>
      expect(s.got.map((g) => JSON.parse(g.event.dataJson).nodeName)).toContain('sub-1'),
    );
    const hook = { url: 'https://127.0.0.1:9/x', filter: { cluster: clusterId } };
    await expect(unary(subscriber, 'CreateWebhook', hook)).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
    await expect(unary(subscriber, 'ListWebhooks', {})).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
    await expect(unary(viewer, 'ListWebhooks', {})).resolves.toBeTruthy();
    await expect(unary(viewer, 'CreateWebhook', hook)).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
    await expect(unary(limited, 'CreateWebhook', hook)).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
  });

  it('a credential limited to cluster A: Subscribe, GetEvent, webhooks and deliveries of A only; B named is PERMISSION_DENIED naming B', async () => {
    const clusterB = `${clusterId}-b`;
    const as = (user: string, groups: string[], clusters?: string[]) => {
      const c = eventsClient(svc!.grpcAddress, { user, groups, ...(clusters ? { clusters } : {}) });
      closers.push(() => c.close());
      return c;
    };
    const subA = as('sub-a', ['edgeplane:subscribers'], [clusterId]);
    const editA = as('edit-a', ['edgeplane:edit'], [clusterId]);
    // subscribing to B's events: refused, naming B
    const toB = collect(subA.Subscribe({ filter: { cluster: clusterB }, now: true }));
    await eventually(() => expect(toB.state.error).toBeTruthy());
    expect(toB.state.error!.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(toB.state.error!.details).toContain(`does not cover cluster ${clusterB}`);
    expect(toB.got).toEqual([]);
    // no cluster named: the events of A only; an unlimited subscriber gets B's too
    const limitedCall = subA.Subscribe({ filter: { types: ['NodeJoined'] }, now: true });
    const everyCall = client.Subscribe({ filter: { types: ['NodeJoined'] }, now: true });
    closers.push(
      () => limitedCall.cancel(),
      () => everyCall.cancel(),
    );
    const limited = collect(limitedCall);
    const every = collect(everyCall);
    await eventually(() => expect(limited.state.start && every.state.start).toBeTruthy());
    await publishEvent(bus, 'NodeJoined', `node-${clusterB}-b-1`, nodeJoined(clusterB, 'b-1'));
    await joinNode('a-1');
    const mine = (g: Got[]) =>
      g.map((x) => x.event).filter((e) => e.clusterId === clusterId || e.clusterId === clusterB);
    await eventually(() => expect(mine(every.got).map((e) => e.clusterId)).toEqual([clusterB, clusterId]));
    await eventually(() => expect(mine(limited.got).map((e) => e.clusterId)).toContain(clusterId));
    await new Promise((r) => setTimeout(r, 300));
    expect(limited.got.map((g) => g.event.clusterId).filter((c) => c !== clusterId)).toEqual([]);
    // GetEvent: A's event found, B's not found (through the index)
    const [eventB, eventA] = mine(every.got);
    // GetEvent reads the id index, which a new schema builds from the start of every public stream
    // (the shared test streams hold much): it may take a while to come this far
    await eventually(() => unary(subA, 'GetEvent', { id: eventA.id }), 60_000);
    await eventually(() => unary(client, 'GetEvent', { id: eventB.id }), 60_000);
    await expect(unary(subA, 'GetEvent', { id: eventB.id })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    // webhooks: for B refused naming B; none named refused; for A registered
    const url = 'https://127.0.0.1:9/limited';
    const forB = await unary(editA, 'CreateWebhook', { url, filter: { cluster: clusterB } }).catch(
      (e: grpc.ServiceError) => e,
    );
    expect(forB).toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    expect(forB.details).toContain(`does not cover cluster ${clusterB}`);
    await expect(unary(editA, 'CreateWebhook', { url, filter: {} })).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: expect.stringContaining('name one of them in filter.cluster'),
    });
    // a subscriber limited to A registers none at all (its role)
    await expect(unary(subA, 'CreateWebhook', { url, filter: { cluster: clusterId } })).rejects.toMatchObject(
      {
        code: grpc.status.PERMISSION_DENIED,
        details: expect.stringContaining('requires role edit'),
      },
    );
    const hookA = (await unary(editA, 'CreateWebhook', { url, filter: { cluster: clusterId } })).webhook;
    const hookB = (await unary(client, 'CreateWebhook', { url, filter: { cluster: clusterB } })).webhook;
    const listed = (await unary(editA, 'ListWebhooks', {})).webhooks.map((w: any) => w.id);
    expect(listed).toContain(hookA.id);
    expect(listed).not.toContain(hookB.id);
    expect((await unary(client, 'ListWebhooks', {})).webhooks.map((w: any) => w.id)).toContain(hookB.id);
    // B's webhook and its deliveries do not exist for it
    await expect(unary(editA, 'ListDeliveries', { webhookId: hookB.id })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    await expect(unary(editA, 'DeleteWebhook', { id: hookB.id })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    await expect(unary(editA, 'ListDeliveries', {})).resolves.toBeTruthy();
    await unary(editA, 'DeleteWebhook', { id: hookA.id });
    await unary(client, 'DeleteWebhook', { id: hookB.id });
  }, 120_000);

  it('CLI: webhook create/list, events tail -o json and events get against the service', async () => {
    const file = path.join(pki.dir, 'admin.yaml');
    writeFileSync(file, credentialsYaml(testCredentials()), { mode: 0o600 });
    process.env.EDGEPLANE_EVENTS_ADDR = svc!.grpcAddress;
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const log = vi
      .spyOn(console, 'log')
      .mockImplementation((...a: unknown[]) => void out.push(`${a.join(' ')}\n`));
    const cli = (...args: string[]) =>
      buildProgram()
        .exitOverride()
        .parseAsync(['node', 'edgeplane', '--credentials', file, ...args]);
    try {
      await cli(
        'webhook',
        'create',
        'https://127.0.0.1:9/cli',
        '--cluster',
        clusterId,
        '--type',
        'NodeJoined',
      );
      expect(out.join('')).toMatch(/whsec_[A-Za-z0-9_-]{20,}/);
      out.length = 0;
      await cli('webhook', 'list', '-o', 'json');
      expect(out.join('')).toContain('https://127.0.0.1:9/cli');
      out.length = 0;
      const tailing = cli('events', 'tail', '--cluster', clusterId, '--type', 'NodeJoined', '-o', 'json');
      await eventually(() => expect(out.join('')).toContain('cursor'));
      await joinNode('cli-1');
      await eventually(() => expect(out.join('')).toContain('cli-1'));
      process.emit('SIGINT');
      await tailing;
      const line = out
        .join('')
        .split('\n')
        .find((l) => l.includes('cli-1'))!;
      const event = JSON.parse(line) as { id: string; data: { nodeName: string }; cursor: string };
      expect(event.data.nodeName).toBe('cli-1');
      out.length = 0;
      await eventually(async () => {
        await cli('events', 'get', event.id, '-o', 'json');
        expect(out.join('')).toContain(event.id);
        return true;
      }, 60_000);
    } finally {
      write.mockRestore();
      log.mockRestore();
      delete process.env.EDGEPLANE_EVENTS_ADDR;
    }
  }, 120_000);

  it('webhooks with two replicas: one delivers each webhook; when it stops, the other takes over, nothing twice', async () => {
    const { databaseUrl, natsUrl } = await testServices();
    const second = (await bootstrapService(
      { ...eventsService, schema },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        EVENTS_HTTP_PORT: '0',
        RELAY_ENABLED: 'false',
        WEBHOOK_POLL_MS: '300',
        EVENTS_WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver is on 127.0.0.1
        WEBHOOK_CA_FILE: pki.caFile,
      },
    )) as RunningService<EventsConfig>;
    let secondStopped = false;
    closers.push(async () => {
      if (!secondStopped) await second.stop();
    });
    const receiver = await startReceiver(pki);
    closers.push(receiver.close);
    const viaSecond = eventsClient(second.grpcAddress);
    const created = await unary(viaSecond, 'CreateWebhook', {
      url: receiver.url,
      filter: { cluster: clusterId, types: ['NodeUnitUpgradedToK3s'] },
    });
    viaSecond.close();
    for (let i = 0; i < 5; i++) await upgradeUnit(`r-${i}`);
    await eventually(() => expect(receiver.accepted).toHaveLength(5), 15_000);
    await new Promise((r) => setTimeout(r, 1500)); // both instances polled: still one delivery each
    expect(receiver.accepted).toHaveLength(5);
    await second.stop(); // the owner goes away (its batch written); the first instance takes over
    secondStopped = true;
    for (let i = 5; i < 10; i++) await upgradeUnit(`r-${i}`);
    await eventually(() => expect(receiver.accepted).toHaveLength(10), 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    const units = receiver.accepted.map((r) => r.event.data.unit);
    expect(units).toEqual([...Array(10).keys()].map((i) => `r-${i}`));
    await unary(client, 'DeleteWebhook', { id: created.webhook.id });
  });

  it('Subscribe: a cursor older than the stream keeps is OUT_OF_RANGE, never a silent gap', async () => {
    const call = client.Subscribe({
      filter: { types: ['NodeUnitUpgradedToK3s'], cluster: clusterId },
      now: true,
    });
    const a = collect(call);
    await eventually(() => expect(a.state.start).toBeTruthy());
    await upgradeUnit('gone-1');
    await eventually(() => expect(a.got).toHaveLength(1));
    call.cancel();
    const old = a.state.start!; // the position before gone-1
    await bus.jsm.streams.purge(streamName(STREAMS.NODEPOOL.name)); // retention passed
    await upgradeUnit('gone-2');
    const again = client.Subscribe({
      filter: { types: ['NodeUnitUpgradedToK3s'], cluster: clusterId },
      cursor: old,
    });
    const b = collect(again);
    await eventually(() => expect(b.state.error).toBeTruthy());
    expect(b.state.error!.code).toBe(grpc.status.OUT_OF_RANGE);
    expect(b.state.error!.details).toContain('no longer kept');
    expect(b.got).toHaveLength(0);
  });
});
