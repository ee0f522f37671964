import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { publicEventScope } from '@edgeplane/contracts';
import type { Db } from '@edgeplane/eventstore';
import type { Bus } from '@edgeplane/messaging';
import type { Logger } from '@edgeplane/observability';
import { BUS, DB, LOGGER, SCHEMA } from '@edgeplane/service-kit';
import { inSchema } from '../db/database.js';
import { readSource, sourceBounds } from '../stream/source-reader.js';
import { publicSources } from '../stream/sources.js';

/**
 * events_index: every public event's id → its source stream and sequence, so GetEvent finds an
 * event by id. One ordered consumer per public source from the stored checkpoint; rows and the
 * checkpoint are written in one transaction per batch (idempotent: ON CONFLICT DO NOTHING), so
 * replicas may run it side by side. A position the stream no longer keeps restarts at its first.
 */
@Injectable()
export class EventsIndexer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly stop = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(SCHEMA) private readonly schema: string,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    for (const source of publicSources()) this.loops.push(this.loop(source.name, source.subjects[0]!));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled(this.loops);
  }

  private get q() {
    return inSchema(this.db, this.schema);
  }

  private async loop(source: string, subject: string): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        const row = await this.q
          .selectFrom('events_index_cursors')
          .select('seq')
          .where('source', '=', source)
          .executeTakeFirst();
        let after = row ? Number(row.seq) : 0;
        const { first } = await sourceBounds(this.bus, source);
        if (after + 1 < first) after = first - 1;
        let batch: {
          event_id: string;
          source: string;
          seq: number;
          type: string;
          cluster_id: string;
          occurred_at: string;
        }[] = [];
        let last = after;
        let flushAt = Date.now() + 200;
        const flush = async () => {
          if (last === after) return;
          const rows = batch;
          const upTo = last;
          batch = [];
          await this.db.transaction().execute(async (trx) => {
            const t = inSchema(trx, this.schema);
            if (rows.length > 0)
              await t
                .insertInto('events_index')
                .values(rows)
                .onConflict((c) => c.doNothing())
                .execute();
            await t
              .insertInto('events_index_cursors')
              .values({ source, seq: upTo })
              .onConflict((c) => c.column('source').doUpdateSet({ seq: upTo }))
              .execute();
          });
          after = upTo;
        };
        let chain: Promise<void> = Promise.resolve();
        const schedule = () => (chain = chain.catch(() => undefined).then(flush));
        const timer = setInterval(() => {
          schedule().catch((err: Error) =>
            this.logger.warn({ source, err: err.message }, 'events index: write failed'),
          );
        }, 500);
        try {
          for await (const m of readSource(
            this.bus,
            source,
            subject,
            { after },
            { bytes: 4 << 20 },
            this.stop.signal,
            'events-index',
          )) {
            last = m.seq;
            const scope = m.envelope && publicEventScope(m.envelope.type, m.envelope.data);
            if (m.envelope && scope)
              batch.push({
                event_id: m.envelope.id,
                source,
                seq: m.seq,
                type: m.envelope.type,
                cluster_id: scope.clusterId,
                occurred_at: m.envelope.occurredAt,
              });
            if (batch.length >= 200 || Date.now() >= flushAt) {
              await schedule();
              flushAt = Date.now() + 200;
            }
          }
        } finally {
          clearInterval(timer);
        }
        await schedule();
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.logger.warn({ source, err: (error as Error).message }, 'events index: read failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
