import { STREAMS } from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { fieldViolationsOf } from '@edgeplane/proto';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import {
  eventually,
  freePort,
  nodeJoined,
  publishEvent,
  testBus,
  testServices,
  uniqueName,
  uniqueSchema,
} from '@edgeplane/testing';
import * as grpc from '@grpc/grpc-js';
import { sql } from 'kysely';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { credentialsYaml } from '@edgeplane/proto';
import { testCredentials } from '@edgeplane/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../../cli/src/main.js';
import type { EventsConfig } from '../src/config.js';
import { eventsService } from '../src/service.js';
import { verifySignature } from '../src/webhooks/cloudevent.js';
import { eventsClient, startReceiver, testPki, unary, type EventsClient } from './fixtures.js';

const upgraded = (clusterId: string, unit: string) => ({
  clusterId,
  unit,
  generation: 1,
  k3sVersion: 'v1.30.0+k3s1',
  at: new Date().toISOString(),
});

/**
 * CloudEvents batched content mode, opt-in per webhook: the events service in-process on its own
 * schema over the test environment's NATS and PostgreSQL, real gRPC, a local HTTPS receiver.
 */
describe('webhooks in CloudEvents batched mode (real NATS + PostgreSQL + HTTPS)', () => {
  const schema = uniqueSchema('t_evb');
  const clusterId = uniqueName('cidb').replace(/_/g, '-');
  let svc: RunningService<EventsConfig> | undefined;
  let bus: Bus;
  let client: EventsClient;
  const pki = testPki();
  const closers: (() => Promise<void> | void)[] = [];
  const joinNode = (name: string) =>
    publishEvent(bus, 'NodeJoined', `node-${clusterId}-${name}`, nodeJoined(clusterId, name));
  const upgradeUnit = (unit: string) =>
    publishEvent(bus, 'NodeUnitUpgradedToK3s', `nodeunit:${clusterId}:${unit}`, upgraded(clusterId, unit));

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    bus = await testBus();
    svc = (await bootstrapService(
      { ...eventsService, schema },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        EVENTS_HTTP_PORT: '0',
        WEBHOOK_BACKOFF_MS: '100',
        WEBHOOK_BACKOFF_MAX_MS: '400',
        WEBHOOK_MAX_AGE_MS: '3000',
        WEBHOOK_POLL_MS: '500',
        EVENTS_WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver is on 127.0.0.1
        WEBHOOK_CA_FILE: pki.caFile,
      },
    )) as RunningService<EventsConfig>;
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

  it('a batch is a signed JSON array of structured events, in order; a 500 then a retry sends the same batch', async () => {
    const receiver = await startReceiver(pki);
    closers.push(receiver.close);
    let requests = 0;
    receiver.state.answer = () => (++requests === 1 ? 500 : 200); // the first POST fails
    const created = await unary(client, 'CreateWebhook', {
      url: receiver.url,
      filter: { cluster: clusterId, types: ['NodeJoined'] },
      batch: { maxEvents: 5, maxWaitMs: 300 },
    });
    expect(created.webhook.batch).toEqual({ maxEvents: 5, maxWaitMs: 300 });
    const hookId = created.webhook.id;
    await Promise.all([...Array(12).keys()].map((i) => joinNode(`b-${i}`))); // published in this order
    await eventually(() => expect(receiver.accepted.flatMap((r) => r.event)).toHaveLength(12), 20_000);
    const now = Math.floor(Date.now() / 1000);
    for (const r of receiver.all) {
      expect(r.contentType).toBe('application/cloudevents-batch+json; charset=utf-8');
      expect(Array.isArray(r.event)).toBe(true);
      expect(r.event.length).toBeGreaterThan(0);
      expect(r.event.length).toBeLessThanOrEqual(5);
      // one signature over the whole array body
      expect(verifySignature(created.secret, r.body, r.signature, now)).toBe(true);
      expect(verifySignature(created.secret, JSON.stringify(r.event[0]), r.signature, now)).toBe(false);
      for (const e of r.event)
        expect(e).toMatchObject({ specversion: '1.0', type: 'io.edgeplane.NodeJoined.v1', data: {} });
    }
    // the failed batch came again, the same events (the receiver dedupes by id)
    const [failed, retried] = receiver.all;
    expect(retried!.event.map((e: any) => e.id)).toEqual(failed!.event.map((e: any) => e.id));
    expect(receiver.accepted.some((r) => r.event.length > 1)).toBe(true); // batched, not one per POST
    const accepted = receiver.accepted.flatMap((r) => r.event);
    expect(new Set(accepted.map((e: any) => e.id)).size).toBe(12);
    expect(accepted.map((e: any) => e.data.nodeName)).toEqual([...Array(12).keys()].map((i) => `b-${i}`));
    const seqs = accepted.map((e: any) => e.edgeplanesequence);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    // the delivery record lists the batch's event ids
    const { deliveries } = await unary(client, 'ListDeliveries', { webhookId: hookId });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      state: 'DELIVERED',
      attempts: 2,
      eventId: failed!.event[0].id,
      eventIds: failed!.event.map((e: any) => e.id),
      sequence: String(failed!.event.at(-1).edgeplanesequence),
      source: STREAMS.CLUSTER.name,
    });
    await eventually(async () => {
      const mine = (await unary(client, 'ListWebhooks', {})).webhooks.find((w: any) => w.id === hookId);
      expect(mine).toMatchObject({ state: 'ACTIVE', delivered: '12' });
      return true;
    });
    await unary(client, 'DeleteWebhook', { id: hookId });
  });

  it('a webhook without batch settings still gets one structured event per POST', async () => {
    const receiver = await startReceiver(pki);
    closers.push(receiver.close);
    const created = await unary(client, 'CreateWebhook', {
      url: receiver.url,
      filter: { cluster: clusterId, types: ['NodeJoined'] },
    });
    expect(created.webhook.batch).toBeNull();
    await Promise.all([...Array(4).keys()].map((i) => joinNode(`s-${i}`)));
    await eventually(() => expect(receiver.accepted).toHaveLength(4), 15_000);
    for (const r of receiver.accepted) {
      expect(r.contentType).toBe('application/cloudevents+json; charset=utf-8');
      expect(Array.isArray(r.event)).toBe(false);
      expect(r.event.specversion).toBe('1.0');
    }
    expect(receiver.accepted.map((r) => r.event.data.nodeName)).toEqual(['s-0', 's-1', 's-2', 's-3']);
    await unary(client, 'DeleteWebhook', { id: created.webhook.id });
  });

  it('a batch failing past the max age is parked as one delivery listing its events; Redeliver sends the same array', async () => {
    const receiver = await startReceiver(pki);
    closers.push(receiver.close);
    receiver.state.answer = () => 503;
    const created = await unary(client, 'CreateWebhook', {
      url: receiver.url,
      filter: { cluster: clusterId, types: ['NodeUnitUpgradedToK3s'] },
      batch: { maxEvents: 10, maxWaitMs: 1000 },
    });
    const hookId = created.webhook.id;
    await Promise.all(['p-1', 'p-2', 'p-3'].map((u) => upgradeUnit(u)));
    const parked = await eventually(async () => {
      const r = await unary(client, 'ListDeliveries', { webhookId: hookId, state: 'PARKED' });
      expect(r.deliveries.flatMap((d: any) => d.eventIds)).toHaveLength(3);
      return r.deliveries;
    }, 20_000);
    const batch = parked.find((d: any) => d.eventIds.length > 1);
    expect(batch).toMatchObject({ lastStatus: 503, eventType: 'NodeUnitUpgradedToK3s' });
    const hook = (await unary(client, 'ListWebhooks', {})).webhooks.find((w: any) => w.id === hookId);
    expect(hook).toMatchObject({ state: 'FAILING', parked: '3' }); // counted in events
    receiver.state.answer = () => 204;
    const again = await unary(client, 'Redeliver', { deliveryId: batch.id });
    expect(again).toMatchObject({ state: 'DELIVERED', eventIds: batch.eventIds });
    const got = receiver.accepted.at(-1)!;
    expect(got.contentType).toBe('application/cloudevents-batch+json; charset=utf-8');
    expect(got.event.map((e: any) => e.id)).toEqual(batch.eventIds);
    const units = got.event.map((e: any) => e.data.unit);
    expect(units).toEqual([...units].sort()); // in order (p-1 < p-2 < p-3)
    expect(verifySignature(created.secret, got.body, got.signature, Math.floor(Date.now() / 1000))).toBe(
      true,
    );
    await unary(client, 'DeleteWebhook', { id: hookId });
  });

  it('CreateWebhook refuses bad batch settings with INVALID_ARGUMENT naming the field', async () => {
    const url = 'https://127.0.0.1:9/hook';
    for (const [batch, field] of [
      [{ maxEvents: 0, maxWaitMs: 100 }, 'batch.maxEvents'],
      [{ maxEvents: 1001 }, 'batch.maxEvents'],
      [{ maxEvents: 10, maxWaitMs: 5001 }, 'batch.maxWaitMs'],
    ] as const) {
      const err = await unary(client, 'CreateWebhook', { url, batch }).catch((e: grpc.ServiceError) => e);
      expect(err.code, JSON.stringify(batch)).toBe(grpc.status.INVALID_ARGUMENT);
      const violations = fieldViolationsOf(err);
      expect(violations.map((v) => v.field)).toContain(field);
      expect(violations.find((v) => v.field === field)!.description).toMatch(/must be/);
    }
    const { webhooks } = await unary(client, 'ListWebhooks', {});
    expect(webhooks.filter((w: any) => w.url === url)).toHaveLength(0);
  });

  it('CLI: webhook create --batch-max-events/--batch-max-wait registers a batched webhook', async () => {
    const file = path.join(pki.dir, 'admin.yaml');
    writeFileSync(file, credentialsYaml(testCredentials()), { mode: 0o600 });
    process.env.EDGEPLANE_EVENTS_ADDR = svc!.grpcAddress;
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const cli = (...args: string[]) =>
      buildProgram()
        .exitOverride()
        .parseAsync(['node', 'edgeplane', '--credentials', file, ...args]);
    try {
      const url = 'https://127.0.0.1:9/cli-batch';
      await cli(
        'webhook',
        'create',
        url,
        '--batch-max-events',
        '50',
        '--batch-max-wait',
        '200ms',
        '-o',
        'json',
      );
      expect(JSON.parse(out.join('')).webhook).toMatchObject({
        url,
        batch: { maxEvents: 50, maxWaitMs: 200 },
      });
      const stored = (await unary(client, 'ListWebhooks', {})).webhooks.find((w: any) => w.url === url);
      expect(stored.batch).toEqual({ maxEvents: 50, maxWaitMs: 200 });
      await unary(client, 'DeleteWebhook', { id: stored.id });
      await expect(cli('webhook', 'create', url, '--batch-max-events', '2000')).rejects.toThrow(
        /batch\.maxEvents/,
      );
    } finally {
      write.mockRestore();
      delete process.env.EDGEPLANE_EVENTS_ADDR;
    }
  });
});
