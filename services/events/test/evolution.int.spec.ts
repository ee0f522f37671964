import { randomUUID } from 'node:crypto';
import {
  busSubject,
  catalogue,
  defineEvent,
  extendCatalogue,
  extendPublicEvents,
  isPublicEvent,
  PUBLIC_EVENTS,
  type Envelope,
} from '@edgeplane/contracts';
import type { Bus } from '@edgeplane/messaging';
import { bootstrapService, type RunningService } from '@edgeplane/service-kit';
import { eventually, freePort, testBus, testServices, uniqueName, uniqueSchema } from '@edgeplane/testing';
import type * as grpc from '@grpc/grpc-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EventsConfig } from '../src/config.js';
import { eventsService } from '../src/service.js';
import { eventsClient, startReceiver, testPki, unary, type EventsClient } from './fixtures.js';

/**
 * A public event type with two versions, as the evolution rule wants them (libs/contracts
 * public-events.ts, the AsyncAPI document's "Evolution"): v2 adds a field, v1 keeps an `upcast`
 * to v2. Registered through the test seams, on the cluster service's subject space.
 */
const V1Schema = z.object({ clusterId: z.string(), nodeName: z.string() });
const ProbeV1 = defineEvent({
  type: 'EvolutionProbe',
  version: 1,
  subject: 'edgeplane.cluster.test.evolution-probe',
  emitter: 'tests',
  schema: V1Schema,
  upcast: (d: z.infer<typeof V1Schema>) => ({ ...d, zone: 'unknown' }),
});
const ProbeV2 = defineEvent({
  type: 'EvolutionProbe',
  version: 2,
  subject: 'edgeplane.cluster.test.evolution-probe',
  emitter: 'tests',
  schema: z.object({ clusterId: z.string(), nodeName: z.string(), zone: z.string() }),
});
extendCatalogue(ProbeV1, ProbeV2);
extendPublicEvents('EvolutionProbe', (d) => ({
  nodes: typeof d.nodeName === 'string' ? [d.nodeName] : [],
  units: [],
}));

describe('event evolution: a subscriber written against v1 still gets every event once v2 exists', () => {
  const schema = uniqueSchema('t_ev_evo');
  const clusterId = uniqueName('cid').replace(/_/g, '-');
  const pki = testPki();
  let svc: RunningService<EventsConfig> | undefined;
  let bus: Bus;
  let client: EventsClient;

  /** An envelope as a writer of `version` appended it (v1: before v2 existed). */
  const publish = async (version: 1 | 2, data: Record<string, unknown>) => {
    const envelope: Envelope = {
      id: randomUUID(),
      type: 'EvolutionProbe',
      version,
      streamId: `probe-${clusterId}-${String(data.nodeName)}`,
      streamPosition: 1,
      globalPosition: 1,
      occurredAt: new Date().toISOString(),
      data,
      metadata: { actor: 'test' },
    };
    await bus.js.publish(busSubject(ProbeV1.subject), JSON.stringify(envelope), { msgID: envelope.id });
    return envelope.id;
  };

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
        WEBHOOK_POLL_MS: '500',
        EVENTS_WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver is on 127.0.0.1
        WEBHOOK_CA_FILE: pki.caFile,
      },
    )) as RunningService<EventsConfig>;
    client = eventsClient(svc.grpcAddress, { user: 'old-subscriber', groups: ['edgeplane:edit'] });
  });

  afterAll(async () => {
    client?.close();
    if (svc) {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(svc.db).catch(() => undefined);
      await svc.stop();
    }
    await bus?.close();
    pki.cleanup();
  });

  it('v1 and v2 events reach a v1 subscriber over gRPC and a webhook, each readable with the v1 schema (v1 upcast, v2 additive)', async () => {
    expect(catalogue.latestVersion('EvolutionProbe')).toBe(2);
    const filter = { types: ['EvolutionProbe'], cluster: clusterId };
    const receiver = await startReceiver(pki);
    await unary(client, 'CreateWebhook', { url: receiver.url, filter });
    const call: grpc.ClientReadableStream<any> = client.Subscribe({ filter, now: true });
    const got: any[] = [];
    let started = false;
    call.on('data', (m: { event: any }) => (m.event ? got.push(m.event) : (started = true)));
    call.on('error', () => undefined);
    try {
      await eventually(() => expect(started).toBe(true));
      const old = await publish(1, { clusterId, nodeName: 'old-writer' }); // a writer from before v2
      const current = await publish(2, { clusterId, nodeName: 'new-writer', zone: 'gz' });
      await eventually(() => expect(got.map((e) => e.id)).toEqual([old, current]));
      await eventually(
        () => expect(receiver.accepted.map((r) => r.event.id)).toEqual([old, current]),
        15_000,
      );
      // what the v1 subscriber's parser reads: both events, the old one upcast (zone filled in)
      const grpcData = got.map((e) => JSON.parse(e.dataJson));
      expect(got.map((e) => e.version)).toEqual([2, 2]);
      expect(grpcData).toEqual([
        { clusterId, nodeName: 'old-writer', zone: 'unknown' },
        { clusterId, nodeName: 'new-writer', zone: 'gz' },
      ]);
      for (const data of grpcData) expect(V1Schema.safeParse(data).success).toBe(true);
      const hookData = receiver.accepted.map((r) => r.event.data);
      expect(hookData).toEqual(grpcData);
      for (const data of hookData) expect(V1Schema.safeParse(data).success).toBe(true);
      expect(receiver.accepted.map((r) => r.event.type)).toEqual([
        'io.edgeplane.EvolutionProbe.v2',
        'io.edgeplane.EvolutionProbe.v2',
      ]);
    } finally {
      call.cancel();
      await receiver.close();
    }
  });

  it('the rule in the product catalogue: every superseded version of a public event keeps an upcast', () => {
    for (const type of Object.keys(PUBLIC_EVENTS)) {
      expect(isPublicEvent(type)).toBe(true);
      const latest = catalogue.latestVersion(type);
      for (let v = 1; v < latest; v++)
        expect(catalogue.get(type, v).upcast, `${type} v${v}`).toBeTypeOf('function');
    }
  });
});
