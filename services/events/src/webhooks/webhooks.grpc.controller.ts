import { randomBytes, randomUUID } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Db } from '@edgeplane/eventstore';
import { IllegalStateError, NotFoundError, ValidationError } from '@edgeplane/es-kit';
import {
  CONFIG,
  DB,
  KEYRING,
  pageOf,
  pageRequest,
  parseRequest,
  SCHEMA,
  type Keyring,
} from '@edgeplane/service-kit';
import { z } from 'zod';
import { callerClusters, callerName, clusterRefusal } from '../auth/caller.js';
import { inSchema } from '../db/database.js';
import { EventFilterSchema } from '../subscribe/filter.js';
import type { EventsConfig } from '../config.js';
import { CLOCK, type Clock } from '../tokens.js';
import { secretContext, WebhookDispatcher } from './dispatcher.js';
import { targetRefusal } from './target-guard.js';
import { findWebhook, type WebhookRow } from './webhooks.queries.js';

const Url = z
  .string()
  .max(2048, 'at most 2048 characters')
  .refine((u) => URL.canParse(u), 'is not a URL')
  .refine((u) => !URL.canParse(u) || new URL(u).protocol === 'https:', 'must be an https:// URL')
  .refine(
    (u) => !URL.canParse(u) || (new URL(u).username === '' && new URL(u).password === ''),
    'must not carry credentials (user:password@): they would be stored in clear',
  );

/** CloudEvents batched content mode, opt-in: absent (or null) = one structured event per POST. */
const WebhookBatchSchema = z.object({
  maxEvents: z
    .number()
    .int()
    .min(1, 'must be 1..1000 (events per POST)')
    .max(1000, 'must be 1..1000 (events per POST)'),
  maxWaitMs: z
    .number()
    .int()
    .min(0, 'must be 0..5000 (ms to wait for more events)')
    .max(5000, 'must be 0..5000 (ms to wait for more events)')
    .default(0),
});

const CreateWebhookRequest = z.object({
  url: Url,
  filter: EventFilterSchema,
  description: z.string().max(1024).default(''),
  batch: WebhookBatchSchema.nullish(),
});
const Id = z.uuid('must be an id (a UUID)');
const DeleteWebhookRequest = z.object({ id: Id });
const ListWebhooksRequest = z.object({
  pageSize: z.number().int().default(0),
  pageToken: z.string().default(''),
});
const ListDeliveriesRequest = z.object({
  webhookId: z.union([z.literal(''), Id]).default(''),
  state: z.enum(['', 'RETRYING', 'DELIVERED', 'PARKED']).default(''),
  pageSize: z.number().int().default(0),
  pageToken: z.string().default(''),
});
const RedeliverRequest = z.object({ deliveryId: Id });

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : '');

function webhookMessage(w: WebhookRow) {
  return {
    id: w.id,
    url: w.url,
    filter: { types: w.types, cluster: w.cluster_id, node: w.node, unit: w.unit },
    description: w.description,
    createdAt: iso(w.created_at),
    createdBy: w.created_by,
    state: w.deleted_at ? 'DELETED' : w.failing_since ? 'FAILING' : 'ACTIVE',
    failingSince: iso(w.failing_since),
    delivered: String(w.delivered),
    parked: String(w.parked),
    batch: w.batch_max_events > 0 ? { maxEvents: w.batch_max_events, maxWaitMs: w.batch_max_wait_ms } : null,
  };
}

function deliveryMessage(d: {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  source: string;
  seq: string;
  state: string;
  attempts: number;
  first_attempt_at: Date;
  last_attempt_at: Date;
  next_attempt_at: Date | null;
  last_error: string;
  last_status: number;
  event_ids: string[];
}) {
  return {
    id: d.id,
    webhookId: d.webhook_id,
    eventId: d.event_id,
    eventType: d.event_type,
    source: d.source,
    sequence: String(d.seq),
    state: d.state,
    attempts: d.attempts,
    firstAttemptAt: iso(d.first_attempt_at),
    lastAttemptAt: iso(d.last_attempt_at),
    nextAttemptAt: iso(d.next_attempt_at),
    lastError: d.last_error,
    lastStatus: d.last_status,
    eventIds: d.event_ids.length > 0 ? d.event_ids : [d.event_id],
  };
}

/** Whether a webhook is one the caller may see: any, or one filtered to a cluster of its credential. */
function visible(hook: WebhookRow | undefined, allowed: ReadonlySet<string> | undefined): boolean {
  return !!hook && (!allowed || allowed.has(hook.cluster_id));
}

/** edgeplane.events.v1.EventService, its webhook methods. */
@Controller()
export class WebhooksGrpcController {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: EventsConfig,
  ) {}

  private get q() {
    return inSchema(this.db, this.schema);
  }

  @GrpcMethod('EventService', 'CreateWebhook')
  async createWebhook(request: unknown) {
    const req = parseRequest(CreateWebhookRequest, request);
    // a credential limited to some clusters registers webhooks filtered to one of them only
    const refused = clusterRefusal(callerClusters(), req.filter.cluster);
    if (refused) throw refused;
    if (!this.config.EVENTS_WEBHOOK_ALLOW_PRIVATE) {
      const refused = await targetRefusal(req.url);
      if (refused) throw ValidationError.field('url', refused);
    }
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.keyring.seal(secret, secretContext(id));
    const cursors = await this.dispatcher.initialCursors(req.filter);
    await this.db.transaction().execute(async (trx) => {
      const t = inSchema(trx, this.schema);
      await t
        .insertInto('webhooks')
        .values({
          id,
          url: req.url,
          types: req.filter.types,
          cluster_id: req.filter.cluster,
          node: req.filter.node,
          unit: req.filter.unit,
          description: req.description,
          secret: JSON.stringify(sealed),
          created_at: this.clock.now(),
          created_by: callerName(),
          batch_max_events: req.batch?.maxEvents ?? 0,
          batch_max_wait_ms: req.batch?.maxWaitMs ?? 0,
        })
        .execute();
      if (cursors.length > 0)
        await t
          .insertInto('webhook_cursors')
          .values(cursors.map((c) => ({ webhook_id: id, source: c.source, seq: c.seq })))
          .execute();
    });
    const row = (await findWebhook(this.q, id))!;
    await this.dispatcher.claim(row);
    return { webhook: webhookMessage(row), secret };
  }

  @GrpcMethod('EventService', 'ListWebhooks')
  async listWebhooks(request: unknown) {
    const req = parseRequest(ListWebhooksRequest, request);
    const page = pageRequest(req, { list: 'webhooks' });
    let query = this.q
      .selectFrom('webhooks')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .limit(page.limit + 1);
    const allowed = callerClusters();
    if (allowed) query = query.where('cluster_id', 'in', [...allowed]);
    if (page.after) query = query.where('id', '>', String(page.after[0]));
    const { items, nextPageToken } = pageOf(await query.execute(), page, (w) => [w.id]);
    return { webhooks: items.map(webhookMessage), nextPageToken };
  }

  @GrpcMethod('EventService', 'DeleteWebhook')
  async deleteWebhook(request: unknown) {
    const { id } = parseRequest(DeleteWebhookRequest, request);
    const allowed = callerClusters();
    let update = this.q
      .updateTable('webhooks')
      .set({ deleted_at: this.clock.now() })
      .where('id', '=', id)
      .where('deleted_at', 'is', null);
    if (allowed) update = update.where('cluster_id', 'in', [...allowed]); // another cluster's: not found
    const row = await update.returningAll().executeTakeFirst();
    if (!row) throw new NotFoundError('webhook', id);
    await this.dispatcher.stopOwned(id);
    return webhookMessage(row);
  }

  @GrpcMethod('EventService', 'ListDeliveries')
  async listDeliveries(request: unknown) {
    const req = parseRequest(ListDeliveriesRequest, request);
    const allowed = callerClusters();
    if (req.webhookId && !visible(await findWebhook(this.q, req.webhookId), allowed))
      throw new NotFoundError('webhook', req.webhookId);
    const page = pageRequest(req, { list: 'deliveries', webhook: req.webhookId, state: req.state });
    let query = this.q
      .selectFrom('webhook_deliveries')
      .select([
        'id',
        'webhook_id',
        'event_id',
        'event_type',
        'source',
        'seq',
        'state',
        'attempts',
        'first_attempt_at',
        'last_attempt_at',
        'next_attempt_at',
        'last_error',
        'last_status',
        'event_ids',
      ])
      .orderBy('first_attempt_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (req.webhookId) query = query.where('webhook_id', '=', req.webhookId);
    // a credential limited to some clusters sees the deliveries of their webhooks only
    if (allowed)
      query = query.where('webhook_id', 'in', (eb) =>
        eb
          .selectFrom('webhooks')
          .select('id')
          .where('cluster_id', 'in', [...allowed]),
      );
    if (req.state) query = query.where('state', '=', req.state);
    if (page.after) {
      const [at, id] = page.after as [string, string];
      query = query.where((eb) =>
        eb.or([
          eb('first_attempt_at', '<', new Date(at)),
          eb.and([eb('first_attempt_at', '=', new Date(at)), eb('id', '<', id)]),
        ]),
      );
    }
    const { items, nextPageToken } = pageOf(await query.execute(), page, (d) => [
      new Date(d.first_attempt_at).toISOString(),
      d.id,
    ]);
    return { deliveries: items.map(deliveryMessage), nextPageToken };
  }

  @GrpcMethod('EventService', 'Redeliver')
  async redeliver(request: unknown) {
    const { deliveryId } = parseRequest(RedeliverRequest, request);
    const d = await this.q
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (!d) throw new NotFoundError('delivery', deliveryId);
    const hook = await findWebhook(this.q, d.webhook_id);
    if (!visible(hook, callerClusters())) throw new NotFoundError('delivery', deliveryId);
    if (d.state !== 'PARKED')
      throw new IllegalStateError(
        `delivery ${deliveryId} is ${d.state}: only a parked delivery is sent again by hand`,
      );
    if (!hook || hook.deleted_at) throw new NotFoundError('webhook', d.webhook_id);
    await this.dispatcher.redeliver(deliveryId);
    const after = await this.q
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirstOrThrow();
    return deliveryMessage(after);
  }
}
