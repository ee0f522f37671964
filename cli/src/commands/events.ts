import * as grpc from '@grpc/grpc-js';
import {
  loadPackage,
  protoFilesOf,
  type EdgeplaneEventsV1,
  type EdgeplaneEventsV1EventsProto,
} from '@edgeplane/proto';
import type { Command } from 'commander';
import { cliCredentials, serverOf, unaryClient } from '../client.js';
import { age, outputOption, print, type Column, type OutputFormat } from '../output.js';
import { allPages, CLI_PAGE_SIZE } from '../paging.js';
import { commandGroup } from './command-group.js';

/**
 * `edgeplane events tail|get` and `edgeplane webhook create|list|delete|deliveries|redeliver`:
 * the public event API (services/events, edgeplane.events.v1).
 */

/** The events service sits 7 ports after the first of the block (50058 beside cluster's 50051). */
const EVENTS_PORT_OFFSET = 7;

export function eventsAddress(server = process.env.EDGEPLANE_SERVER ?? '127.0.0.1:50051'): string {
  if (process.env.EDGEPLANE_EVENTS_ADDR) return process.env.EDGEPLANE_EVENTS_ADDR;
  const [host, port] = server.includes(':') ? server.split(/:(?=\d+$)/) : [server, '50051'];
  return `${host}:${Number(port) + EVENTS_PORT_OFFSET}`;
}

let loaded: EdgeplaneEventsV1EventsProto['edgeplane']['events']['v1'] | undefined;
const eventsV1 = () =>
  (loaded ??= loadPackage<EdgeplaneEventsV1EventsProto>(protoFilesOf('events')).grpcObject.edgeplane.events
    .v1);

const api = (cmd: Command) => unaryClient(eventsV1().EventService, eventsAddress(serverOf(cmd)));

/** "90s", "15m", "1h", "2d" → milliseconds. */
export function parseSince(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`--since "${text.slice(0, 40)}" is not a duration (e.g. 90s, 15m, 1h, 2d)`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** One human line per event: time, type, cluster, what it is about. */
export function eventLine(e: EdgeplaneEventsV1.Event__Output): string {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(e.dataJson) as Record<string, unknown>;
  } catch {
    // shown without details
  }
  const about = ['nodeName', 'node', 'unit', 'name', 'verdict']
    .filter((k) => typeof data[k] === 'string')
    .map((k) => `${k}=${String(data[k])}`)
    .join(' ');
  return `${e.occurredAt}  ${`${e.type}.v${e.version}`.padEnd(28)} ${e.clusterId.padEnd(20)} ${about}  (${e.id})`;
}

const eventColumns: Column<EdgeplaneEventsV1.Event__Output>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'type', value: (e) => `${e.type}.v${e.version}` },
  { header: 'cluster', value: (e) => e.clusterId },
  { header: 'occurred', value: (e) => e.occurredAt },
  { header: 'actor', value: (e) => e.actor },
  { header: 'data', value: (e) => e.dataJson, wide: true },
];

const webhookColumns: Column<EdgeplaneEventsV1.Webhook__Output>[] = [
  { header: 'id', value: (w) => w.id },
  { header: 'url', value: (w) => w.url },
  { header: 'types', value: (w) => (w.filter?.types.length ? w.filter.types.join(',') : '<all public>') },
  { header: 'cluster', value: (w) => w.filter?.cluster || '<all>' },
  { header: 'state', value: (w) => w.state },
  { header: 'delivered', value: (w) => String(w.delivered) },
  { header: 'parked', value: (w) => String(w.parked) },
  {
    header: 'batch',
    value: (w) => (w.batch ? `${w.batch.maxEvents} / ${w.batch.maxWaitMs}ms` : '-'),
    wide: true,
  },
  { header: 'age', value: (w) => age(w.createdAt), wide: true },
  { header: 'created-by', value: (w) => w.createdBy, wide: true },
];

const deliveryColumns: Column<EdgeplaneEventsV1.Delivery__Output>[] = [
  { header: 'id', value: (d) => d.id },
  { header: 'event', value: (d) => d.eventId },
  { header: 'events', value: (d) => String(d.eventIds.length) },
  { header: 'type', value: (d) => d.eventType },
  { header: 'state', value: (d) => d.state },
  { header: 'attempts', value: (d) => String(d.attempts) },
  { header: 'last-error', value: (d) => d.lastError },
  { header: 'last-attempt', value: (d) => d.lastAttemptAt },
  { header: 'next-attempt', value: (d) => d.nextAttemptAt, wide: true },
  { header: 'webhook', value: (d) => d.webhookId, wide: true },
];

/** `200ms`, `2s`, `1.5s` or plain milliseconds → milliseconds. */
export function parseMillis(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration in ms or s (e.g. 200ms, 2s)`);
  return Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
}

/** The batch settings of `webhook create`; the server checks the ranges (INVALID_ARGUMENT naming the field). */
function batchOf(o: { batchMaxEvents?: string; batchMaxWait?: string }) {
  if (o.batchMaxEvents === undefined) {
    if (o.batchMaxWait !== undefined) throw new Error('--batch-max-wait needs --batch-max-events');
    return undefined;
  }
  const maxEvents = Number(o.batchMaxEvents);
  if (!Number.isInteger(maxEvents))
    throw new Error(`--batch-max-events "${o.batchMaxEvents}" is not a whole number`);
  return { maxEvents, maxWaitMs: o.batchMaxWait === undefined ? 0 : parseMillis(o.batchMaxWait) };
}

interface FilterOpts {
  type?: string[];
  cluster?: string;
  node?: string;
  unit?: string;
}
const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)];
const filterOf = (o: FilterOpts) => ({
  types: o.type ?? [],
  cluster: o.cluster ?? '',
  node: o.node ?? '',
  unit: o.unit ?? '',
});
const withFilterOptions = (c: Command) =>
  c
    .option('--type <Type>', 'event type (repeat or comma-separate; public types only)', collect)
    .option('--cluster <id>', 'cluster id')
    .option('--node <name>', 'events about this node')
    .option('--unit <name>', 'events about this NodeUnit');

export function registerEventsCommands(program: Command): void {
  const events = commandGroup(program, 'events', 'Public events: live tail, lookup (events service)');
  withFilterOptions(events.command('tail'))
    .description(
      'Follow the public events as they happen (Ctrl-C to stop); --since replays from that long ago, --cursor resumes',
    )
    .option('--since <duration>', 'start that long ago (90s, 15m, 1h, 2d)')
    .option('--cursor <cursor>', 'resume right after the event this cursor was printed with (-o json)')
    .addOption(outputOption(['table', 'json']))
    .action(
      async (opts: FilterOpts & { since?: string; cursor?: string; output: OutputFormat }, cmd: Command) => {
        if (opts.since && opts.cursor) throw new Error('give --since or --cursor, not both');
        const from = opts.cursor
          ? { cursor: opts.cursor }
          : opts.since
            ? { since: new Date(Date.now() - parseSince(opts.since)).toISOString() }
            : { now: true };
        await tail(eventsAddress(serverOf(cmd)), { filter: filterOf(opts), ...from }, opts.output);
      },
    );
  events
    .command('get')
    .description('One public event by id')
    .argument('<id>', 'event id')
    .addOption(outputOption(['table', 'wide', 'json', 'yaml']))
    .action(async (id: string, opts: { output: OutputFormat }, cmd: Command) => {
      const e = await api(cmd).getEvent({ id });
      if (opts.output === 'json' || opts.output === 'yaml')
        print({ ...e, data: JSON.parse(e.dataJson) as unknown }, [], opts.output);
      else print(e, eventColumns, opts.output);
    });

  const webhook = commandGroup(program, 'webhook', 'Webhooks: HTTPS endpoints that receive public events');
  withFilterOptions(webhook.command('create'))
    .description('Register an https:// endpoint; prints the signing secret once')
    .argument('<url>', 'https:// URL')
    .option('--description <text>', 'free text')
    .option(
      '--batch-max-events <n>',
      'CloudEvents batched mode: up to n (1..1000) events per POST (a JSON array, application/cloudevents-batch+json)',
    )
    .option(
      '--batch-max-wait <duration>',
      'with --batch-max-events: wait up to this long (0..5s, e.g. 200ms) for more events (default 0)',
    )
    .addOption(outputOption(['table', 'json', 'yaml']))
    .action(
      async (
        url: string,
        opts: FilterOpts & {
          description?: string;
          batchMaxEvents?: string;
          batchMaxWait?: string;
          output: OutputFormat;
        },
        cmd: Command,
      ) => {
        const r = await api(cmd).createWebhook({
          url,
          filter: filterOf(opts),
          description: opts.description ?? '',
          batch: batchOf(opts),
        });
        if (opts.output !== 'table') return print(r, [], opts.output);
        print(r.webhook!, webhookColumns, 'table');
        process.stdout.write(
          `\nsigning secret (shown once; deliveries carry Edgeplane-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>):\n${r.secret}\n`,
        );
      },
    );
  webhook
    .command('list')
    .description('Registered webhooks')
    .addOption(outputOption())
    .action(async (opts: { output: OutputFormat }, cmd: Command) => {
      const client = api(cmd);
      const rows = await allPages(async (pageToken) => {
        const r = await client.listWebhooks({ pageSize: CLI_PAGE_SIZE, pageToken });
        return [r.webhooks, r.nextPageToken];
      });
      print(rows, webhookColumns, opts.output, (w) => w.id);
    });
  webhook
    .command('delete')
    .description('Stop delivering to a webhook')
    .argument('<id>', 'webhook id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const w = await api(cmd).deleteWebhook({ id });
      process.stdout.write(`webhook ${w.id} deleted\n`);
    });
  webhook
    .command('deliveries')
    .description(
      'Deliveries that failed at least once (retrying, delivered after retries, parked), newest first',
    )
    .option('--webhook <id>', 'only this webhook')
    .option('--state <state>', 'RETRYING, DELIVERED or PARKED')
    .addOption(outputOption())
    .action(async (opts: { webhook?: string; state?: string; output: OutputFormat }, cmd: Command) => {
      const client = api(cmd);
      const req = { webhookId: opts.webhook ?? '', state: (opts.state ?? '').toUpperCase() };
      const rows = await allPages(async (pageToken) => {
        const r = await client.listDeliveries({ ...req, pageSize: CLI_PAGE_SIZE, pageToken });
        return [r.deliveries, r.nextPageToken];
      });
      print(rows, deliveryColumns, opts.output, (d) => d.id);
    });
  webhook
    .command('redeliver')
    .description('Send parked deliveries again now (one attempt each)')
    .argument('<delivery-id...>', 'delivery ids (from webhook deliveries --state PARKED)')
    .addOption(outputOption())
    .action(async (ids: string[], opts: { output: OutputFormat }, cmd: Command) => {
      const client = api(cmd);
      const out: EdgeplaneEventsV1.Delivery__Output[] = [];
      for (const deliveryId of ids) out.push(await client.redeliver({ deliveryId }));
      print(out, deliveryColumns, opts.output, (d) => d.id);
      if (out.some((d) => d.state !== 'DELIVERED')) process.exitCode = 1;
    });
}

/** Streams Subscribe to stdout until the server ends it or the process is interrupted. */
async function tail(
  address: string,
  request: EdgeplaneEventsV1.SubscribeRequest,
  output: OutputFormat,
): Promise<void> {
  const client = new (eventsV1().EventService)(address, cliCredentials());
  const call = client.subscribe(request);
  const stop = () => call.cancel();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await new Promise<void>((resolve, reject) => {
      call.on('data', (m: EdgeplaneEventsV1.SubscribeResponse__Output) => {
        if (!m.event) {
          if (output === 'json') process.stdout.write(`${JSON.stringify({ cursor: m.cursor })}\n`);
          return;
        }
        if (output === 'json') {
          const { dataJson, ...rest } = m.event;
          process.stdout.write(
            `${JSON.stringify({ ...rest, data: JSON.parse(dataJson) as unknown, cursor: m.cursor })}\n`,
          );
        } else process.stdout.write(`${eventLine(m.event)}\n`);
      });
      call.on('error', (err: grpc.ServiceError) =>
        err.code === grpc.status.CANCELLED ? resolve() : reject(err),
      );
      call.on('end', () => resolve());
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    client.close();
  }
}
