import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import * as grpc from '@grpc/grpc-js';
import type { Envelope } from '@edgeplane/contracts';
import type { Db } from '@edgeplane/eventstore';
import { NotFoundError, ValidationError } from '@edgeplane/es-kit';
import type { Bus } from '@edgeplane/messaging';
import { BUS, DB, parseRequest, SCHEMA, toServiceError } from '@edgeplane/service-kit';
import { Observable } from 'rxjs';
import { z } from 'zod';
import { callerClusters, clusterRefusal } from '../auth/caller.js';
import { inSchema } from '../db/database.js';
import { BadCursorError, decodeCursor } from '../stream/cursor.js';
import { encodeSubscribeResponse } from '../stream/encode.js';
import { eventMessage } from '../stream/event-message.js';
import { CallWriter, CallClosedError } from '../stream/call-writer.js';
import { PositionGoneError, readSource } from '../stream/source-reader.js';
import { matches, publicSources } from '../stream/sources.js';
import { EventFilterSchema } from './filter.js';
import {
  Subscriptions,
  TooManySubscriptionsError,
  type SubscribeFrom,
  type SubscribeMessage,
} from './subscriptions.js';

const SubscribeRequest = z.object({
  filter: EventFilterSchema,
  cursor: z.string().optional(),
  since: z.string().optional(),
  now: z.boolean().optional(),
  from: z.enum(['cursor', 'since', 'now']).optional(),
  maxBatch: z.number().int().min(0).max(1000, 'at most 1000 events per message').default(0),
});

const GetEventRequest = z.object({ id: z.uuid('must be an event id (a UUID)') });

function statusError(code: grpc.status, message: string): Error {
  return Object.assign(new Error(message), { code, details: message });
}

/**
 * edgeplane.events.v1.EventService, its reading methods: Subscribe (a server stream written with
 * the call's backpressure, see Subscriptions) and GetEvent.
 */
@Controller()
export class EventsGrpcController {
  constructor(
    @Inject(Subscriptions) private readonly subscriptions: Subscriptions,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
  ) {}

  @GrpcMethod('EventService', 'Subscribe')
  subscribe(request: unknown, _metadata: grpc.Metadata, call: grpc.ServerWritableStream<unknown, unknown>) {
    const req = parseRequest(SubscribeRequest, request);
    let from: SubscribeFrom = { now: true };
    if (req.from === 'cursor') {
      try {
        from = { cursor: decodeCursor(req.cursor ?? '') };
      } catch (error) {
        if (error instanceof BadCursorError) throw ValidationError.field('cursor', error.message);
        throw error;
      }
    } else if (req.from === 'since') {
      const at = Date.parse(req.since ?? '');
      if (!Number.isFinite(at) || !/^\d{4}-\d\d-\d\dT/.test(req.since ?? ''))
        throw ValidationError.field('since', 'must be an RFC 3339 time, e.g. 2026-11-28T17:00:00Z');
      from = { since: new Date(at).toISOString() };
    }
    // a credential limited to some clusters reads only their events: naming another is refused,
    // naming none gets those of its clusters
    const allowed = callerClusters();
    const refused = req.filter.cluster ? clusterRefusal(allowed, req.filter.cluster) : undefined;
    if (refused) throw refused;
    // Written by hand (not emitted as values): each write waits for the call's buffer to drain.
    return new Observable<never>((subscriber) => {
      const writer = new CallWriter(call);
      const abort = new AbortController();
      const end = () => abort.abort();
      call.on('cancelled', end);
      call.on('close', end);
      // each message encoded here, its events' bytes shared by every call that sends them
      const sink = { write: (m: SubscribeMessage) => writer.write(encodeSubscribeResponse(m)) };
      this.subscriptions.run(req.filter, from, sink, abort.signal, allowed, req.maxBatch).then(
        () => subscriber.complete(),
        (error: unknown) => {
          if (error instanceof CallClosedError || abort.signal.aborted) return subscriber.complete();
          if (error instanceof PositionGoneError)
            return subscriber.error(statusError(grpc.status.OUT_OF_RANGE, `cursor: ${error.message}`));
          if (error instanceof TooManySubscriptionsError)
            return subscriber.error(statusError(grpc.status.RESOURCE_EXHAUSTED, error.message));
          subscriber.error(toServiceError(error));
        },
      );
      return () => {
        call.off('cancelled', end);
        call.off('close', end);
        abort.abort();
      };
    });
  }

  @GrpcMethod('EventService', 'GetEvent')
  async getEvent(request: unknown) {
    const { id } = parseRequest(GetEventRequest, request);
    const row = await inSchema(this.db, this.schema)
      .selectFrom('events_index')
      .select(['source', 'seq'])
      .where('event_id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('event', id);
    const envelope = await this.readAt(row.source, Number(row.seq));
    if (!envelope) throw new NotFoundError('event', id); // past the stream's retention
    const allowed = callerClusters();
    const all = { types: [], cluster: '', node: '', unit: '' };
    if (!matches(envelope, all, allowed)) throw new NotFoundError('event', id);
    return eventMessage(envelope, row.source, Number(row.seq));
  }

  /**
   * The message at `seq` of a source, through a one-message ordered consumer: the events
   * service's bus user may create consumers on the public streams but not get messages directly.
   */
  private async readAt(source: string, seq: number): Promise<Envelope | undefined> {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 5000);
    try {
      const subject = publicSources().find((s) => s.name === source)?.subjects[0];
      if (!subject) return undefined;
      for await (const m of readSource(
        this.bus,
        source,
        subject,
        { after: seq - 1 },
        { bytes: 2 << 20 },
        stop.signal,
        'events-get',
      )) {
        return m.seq === seq ? m.envelope : undefined;
      }
      return undefined;
    } catch (error) {
      if (error instanceof PositionGoneError) return undefined;
      throw error;
    } finally {
      clearTimeout(timer);
      stop.abort();
    }
  }
}
