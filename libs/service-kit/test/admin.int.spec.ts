import * as grpc from '@grpc/grpc-js';
import { busSubject, type Envelope } from '@edgeplane/contracts';
import {
  loadPackage,
  fieldViolationsOf,
  protoFilesOf,
  type EdgeplaneAdminV1AdminProto,
} from '@edgeplane/proto';
import {
  eventually,
  freePort,
  ProbeRecorded,
  TEST_STREAM,
  testBus,
  testGrpcCredentials,
  testServices,
  uniqueName,
} from '@edgeplane/testing';
import type { Bus } from '@edgeplane/messaging';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../../cli/src/main.js';
import { reportError } from '../../../cli/src/client.js';
import { bootstrapService, type RunningService } from '../src/index.js';
import { DlqProbeModule, dlqProbe } from './fixtures/dlq-probe.module.js';

/**
 * The admin API every service serves, driven through the real CLI: a real handler error reaches
 * the dead-letter stream, `edgeplane admin dlq list` shows it, `replay` applies it once the cause
 * is fixed (and changes nothing the second time); parked outbox events are listed and replayed.
 */
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const before = process.exitCode;
  process.exitCode = undefined;
  let code = 0;
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'edgeplane', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    code = reportError(error);
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = before;
  }
  return { out: out.join(''), err: err.join(''), code };
}

const json = <T>(text: string): T => JSON.parse(text) as T;
type Listed = {
  items: {
    id: string;
    durable: string;
    service: string;
    eventType: string;
    eventId: string;
    error: string;
  }[];
};
type Replayed = { items: { id: string; outcome: string; detail: string; eventId: string }[] };

describe('admin API + CLI: dead letters and parked events (real gRPC, JetStream, PostgreSQL)', () => {
  let svc: RunningService;
  let bus: Bus;
  let durable: string;
  const schema = uniqueName('t_admin');

  beforeAll(async () => {
    const { databaseUrl, natsUrl } = await testServices();
    svc = await bootstrapService(
      {
        name: 'cluster',
        schema,
        module: DlqProbeModule,
        grpcPackages: [],
        protoFiles: [],
        streams: [TEST_STREAM],
      },
      {
        DATABASE_URL: databaseUrl,
        NATS_URL: natsUrl,
        GRPC_PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
      },
    );
    durable = `cluster__dlq-probe-${schema.replace(/_/g, '-')}`;
    process.env.EDGEPLANE_CLUSTER_ADDR = svc.grpcAddress;
    bus = await testBus();
  });
  afterAll(async () => {
    delete process.env.EDGEPLANE_CLUSTER_ADDR;
    await bus?.close();
    await svc?.db.schema
      .dropSchema(svc.store.schema)
      .cascade()
      .execute()
      .catch(() => undefined);
    await svc?.stop();
  });

  const publish = async (streamId: string, id = uuidv7(), msgId = id) => {
    const env: Envelope = {
      id,
      type: ProbeRecorded.type,
      version: 1,
      streamId,
      streamPosition: 1,
      globalPosition: 1,
      occurredAt: new Date().toISOString(),
      data: { seq: 1 },
      metadata: {},
    };
    await bus.js.publish(busSubject(ProbeRecorded.subject), new TextEncoder().encode(JSON.stringify(env)), {
      msgID: msgId,
    });
    return env;
  };
  const listed = async () =>
    json<Listed>((await cli('admin', 'dlq', 'list', '--durable', durable, '-o', 'json')).out).items;

  it('a real handler error is dead-lettered, listed, refused again while broken, then replayed once it is fixed', async () => {
    const a = await publish(`dlq-${uniqueName('a')}`);
    await eventually(async () => (await listed()).some((d) => d.eventId === a.id), 20_000, 200);
    const entry = (await listed()).find((d) => d.eventId === a.id)!;
    expect(entry).toMatchObject({ durable, service: 'cluster', eventType: 'ProbeRecorded' });
    expect(entry.error).toContain('does not exist');

    const table = await cli('admin', 'dlq', 'list', '--durable', durable);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/ID\s+SERVICE\s+DURABLE\s+EVENT\s+ERROR\s+AGE/);
    expect(table.out).toContain(entry.id);

    // still broken: the replay fails, says why, exits non-zero, and the dead letter stays
    const refused = await cli('admin', 'dlq', 'replay', entry.id, '-o', 'json');
    expect(refused.code).toBe(1);
    expect(json<Replayed>(refused.out).items).toEqual([
      expect.objectContaining({
        id: entry.id,
        outcome: 'failed',
        detail: expect.stringContaining('does not exist'),
      }),
    ]);
    expect((await listed()).map((d) => d.id)).toContain(entry.id);
    expect(dlqProbe.applied).not.toContain(a.id);

    dlqProbe.broken = false;
    const replayed = await cli('admin', 'dlq', 'replay', entry.id);
    expect(replayed.code).toBe(0);
    expect(replayed.out).toMatch(new RegExp(`${entry.id}\\s+${durable}\\s+applied`));
    expect(dlqProbe.applied.filter((id) => id === a.id)).toHaveLength(1);
    expect((await listed()).map((d) => d.id)).not.toContain(entry.id);

    // again: nothing to replay, nothing applied twice
    const again = await cli('admin', 'dlq', 'replay', entry.id, '-o', 'json');
    expect(again.code).toBe(1);
    expect(json<Replayed>(again.out).items[0]).toMatchObject({ outcome: 'not-found' });
    expect(dlqProbe.applied.filter((id) => id === a.id)).toHaveLength(1);
  });

  it('replay --all of a consumer is idempotent: a message its consumer applied meanwhile is a duplicate', async () => {
    dlqProbe.broken = true;
    const b = await publish(`dlq-${uniqueName('b')}`);
    const c = await publish(`dlq-${uniqueName('c')}`);
    await eventually(
      async () => {
        const ids = (await listed()).map((d) => d.eventId);
        return ids.includes(b.id) && ids.includes(c.id);
      },
      20_000,
      200,
    );
    dlqProbe.broken = false;
    // c arrives again by another route (a re-send): the consumer applies it now
    await publish(c.streamId, c.id, `${c.id}-again`);
    await eventually(() => dlqProbe.applied.includes(c.id), 10_000);
    const all = await cli('admin', 'dlq', 'replay', '--all', '--durable', durable, '-o', 'json');
    expect(all.code).toBe(0);
    const outcomes = Object.fromEntries(json<Replayed>(all.out).items.map((r) => [r.eventId, r.outcome]));
    expect(outcomes[b.id]).toBe('applied');
    expect(outcomes[c.id]).toBe('duplicate');
    expect(dlqProbe.applied.filter((id) => id === b.id)).toHaveLength(1);
    expect(dlqProbe.applied.filter((id) => id === c.id)).toHaveLength(1);
    expect(await listed()).toEqual([]);
  });

  it('bad input is INVALID_ARGUMENT naming the field; the CLI refuses --all without --durable', async () => {
    const pkg = loadPackage<EdgeplaneAdminV1AdminProto>(protoFilesOf('admin')).grpcObject.edgeplane.admin.v1;
    const client = new pkg.AdminService(svc.grpcAddress, testGrpcCredentials());
    const call = (req: object) =>
      new Promise<grpc.ServiceError>((resolve, reject) =>
        client.replayDeadLetters(req, (err, res) =>
          err ? resolve(err) : reject(new Error(JSON.stringify(res))),
        ),
      );
    const bad = await call({ ids: ['12abc'] });
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(fieldViolationsOf(bad).map((v) => v.field)).toEqual(['ids.0']);
    const none = await call({});
    expect(fieldViolationsOf(none).map((v) => v.field)).toEqual(['ids']);
    client.close();
    const r = await cli('admin', 'dlq', 'replay', '--all');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--all needs --durable');
  });

  it('parked events: listed with their reason, replayed when the bus takes them, unknown ids said so', async () => {
    const appended = await svc.store.append(`parked-${uniqueName('p')}`, 0, [
      { type: ProbeRecorded.type, data: { seq: 1, note: 'p'.repeat(2000) } },
    ]);
    const event = appended.events[0]!;
    // parked when the bus took less (the operator has raised max_payload since)
    await svc.db
      .withSchema(svc.store.schema)
      .insertInto('relay_parked')
      .values({
        event_id: event.id,
        global_position: event.globalPosition,
        type: event.type,
        bytes: 2100,
        reason: '2100 bytes exceed the bus limit of 1024',
      })
      .execute();
    const list = await cli('admin', 'outbox', 'parked', 'list', '--service', 'cluster', '-o', 'json');
    expect(list.code).toBe(0);
    expect(json<{ items: { eventId: string; reason: string; service: string }[] }>(list.out).items).toEqual([
      expect.objectContaining({
        eventId: event.id,
        service: 'cluster',
        reason: expect.stringContaining('1024'),
      }),
    ]);
    const unknown = uuidv7();
    const replay = await cli(
      'admin',
      'outbox',
      'parked',
      'replay',
      event.id,
      unknown,
      '--service',
      'cluster',
      '-o',
      'json',
    );
    expect(replay.code).toBe(1); // one of the two was not parked
    const results = json<{ items: { eventId: string; outcome: string }[] }>(replay.out).items;
    expect(results).toEqual([
      expect.objectContaining({ eventId: event.id, outcome: 'published' }),
      expect.objectContaining({ eventId: unknown, outcome: 'not-parked' }),
    ]);
    const after = await cli('admin', 'outbox', 'parked', 'list', '--service', 'cluster', '-o', 'json');
    expect(json<{ items: unknown[] }>(after.out).items).toEqual([]);
  });
});
