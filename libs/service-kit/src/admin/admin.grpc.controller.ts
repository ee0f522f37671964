import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { listParked, replayParked, type EventStore } from '@edgeplane/eventstore';
import { BUS, JetStreamConsumers, JetStreamPublisher, type Bus } from '@edgeplane/messaging';
import { z } from 'zod';
import { parseRequest } from '../grpc-errors.js';
import { EVENT_STORE } from '../tokens.js';
import { deadLetterIds, listDeadLetters, replayDeadLetters } from './dead-letters.js';

export const ADMIN_SERVICE_NAME = Symbol('edgeplane.admin.service-name');

const MAX_IDS = 1000;
const pageSize = z
  .number()
  .int()
  .min(0, 'must be ≥ 0')
  .max(1000, 'must be at most 1000')
  .transform((n) => n || 100);
const sequence = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a dead letter id (a positive decimal number)')
  .transform(Number);
const durable = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^([a-z0-9-]+__[a-z0-9-]+)?$/, 'must be a durable consumer name <service>__<purpose>');

const ListDeadLettersRequest = z.object({
  durable,
  pageSize,
  pageToken: z.union([z.literal(''), sequence], {
    error: 'must be the next_page_token of a previous page',
  }),
});

const ReplayDeadLettersRequest = z
  .object({
    ids: z.array(sequence).max(MAX_IDS, `at most ${MAX_IDS} per call`),
    durable,
    all: z.boolean(),
  })
  .superRefine((r, ctx) => {
    if (r.all && r.ids.length > 0)
      ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give ids or all, not both' });
    if (r.all && !r.durable)
      ctx.addIssue({
        code: 'custom',
        path: ['durable'],
        message: 'is required with all (whose dead letters?)',
      });
    if (!r.all && r.ids.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['ids'],
        message: 'name at least one dead letter, or set all with a durable',
      });
  });

const ListParkedEventsRequest = z.object({ pageSize });

const ReplayParkedEventsRequest = z
  .object({
    eventIds: z
      .array(z.string().uuid('must be an event id (a UUID)'))
      .max(MAX_IDS, `at most ${MAX_IDS} per call`),
    all: z.boolean(),
  })
  .superRefine((r, ctx) => {
    if (r.all && r.eventIds.length > 0)
      ctx.addIssue({ code: 'custom', path: ['eventIds'], message: 'give event ids or all, not both' });
    if (!r.all && r.eventIds.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['eventIds'],
        message: 'name at least one parked event, or set all',
      });
  });

/**
 * edgeplane.admin.v1.AdminService, served by every service: its consumers' dead letters and its
 * relay's parked events (proto/edgeplane/admin/v1/admin.proto). Authorised like every other
 * operator call today (the API is served to operators without per-call credentials; SPEC §7).
 */
@Controller()
export class AdminGrpcController {
  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JetStreamConsumers) private readonly consumers: JetStreamConsumers,
    @Inject(ADMIN_SERVICE_NAME) private readonly service: string,
  ) {}

  @GrpcMethod('AdminService', 'ListDeadLetters')
  async listDeadLetters(request: unknown) {
    const req = parseRequest(ListDeadLettersRequest, request);
    const page = await listDeadLetters(this.bus, {
      durable: req.durable || undefined,
      pageSize: req.pageSize,
      after: req.pageToken === '' ? 0 : req.pageToken,
    });
    return {
      deadLetters: page.items.map((d) => ({
        ...d,
        id: String(d.id),
        originalSequence: String(d.originalSequence),
      })),
      nextPageToken: page.next === undefined ? '' : String(page.next),
    };
  }

  @GrpcMethod('AdminService', 'ReplayDeadLetters')
  async replayDeadLetters(request: unknown) {
    const req = parseRequest(ReplayDeadLettersRequest, request);
    const ids = req.all ? await deadLetterIds(this.bus, req.durable) : req.ids;
    const results = await replayDeadLetters(this.bus, this.consumers.runners, ids);
    return { results: results.map((r) => ({ ...r, id: String(r.id) })) };
  }

  @GrpcMethod('AdminService', 'ListParkedEvents')
  async listParkedEvents(request: unknown) {
    const req = parseRequest(ListParkedEventsRequest, request);
    const events = await listParked(this.store, req.pageSize);
    return {
      events: events.map((e) => ({ ...e, position: String(e.position), service: this.service })),
    };
  }

  @GrpcMethod('AdminService', 'ReplayParkedEvents')
  async replayParkedEvents(request: unknown) {
    const req = parseRequest(ReplayParkedEventsRequest, request);
    const results = await replayParked(
      this.store,
      new JetStreamPublisher(this.bus),
      req.all ? undefined : req.eventIds,
    );
    return { results, service: this.service };
  }
}
