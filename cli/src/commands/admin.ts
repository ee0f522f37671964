import * as grpc from '@grpc/grpc-js';
import {
  loadPackage,
  protoFilesOf,
  SERVICE_PROTO_PACKAGE,
  type EdgeplaneAdminV1,
  type EdgeplaneAdminV1AdminProto,
  type ServiceName,
} from '@edgeplane/proto';
import { Command } from 'commander';
import { addressOf, serverOf, unaryClient } from '../client.js';
import { age, outputOption, print, type Column, type OutputFormat } from '../output.js';
import { commandGroup } from './command-group.js';

/**
 * `edgeplane admin dlq list|replay` and `edgeplane admin outbox parked list|replay`: delivery
 * maintenance through edgeplane.admin.v1.AdminService, which every service serves
 * (libs/service-kit/src/admin). Dead letters live in one shared stream, so any service lists them
 * all; a replay runs in the service whose consumer gave up (the durable's part before "__"), and
 * the CLI forwards what the first service answers `not-here` to it. Parked events are per service
 * (its own outbox): listed from every service that answers. A replay that failed exits non-zero.
 */
type DeadLetter = EdgeplaneAdminV1.DeadLetter__Output;
type DeadLetterReplay = EdgeplaneAdminV1.DeadLetterReplay__Output;
type ParkedEvent = EdgeplaneAdminV1.ParkedEvent__Output;
type ParkedReplay = EdgeplaneAdminV1.ParkedEventReplay__Output & { service: string };

const SERVICES = Object.keys(SERVICE_PROTO_PACKAGE) as ServiceName[];
const isService = (s: string): s is ServiceName => (SERVICES as string[]).includes(s);

let adminPackage: EdgeplaneAdminV1AdminProto['edgeplane']['admin']['v1'] | undefined;
function adminApi(service: ServiceName, server?: string) {
  adminPackage ??= loadPackage<EdgeplaneAdminV1AdminProto>(protoFilesOf('admin')).grpcObject.edgeplane.admin
    .v1;
  return unaryClient(adminPackage.AdminService, addressOf(service, server));
}

/** The service that runs a durable consumer (`nodepool__cluster-events` → nodepool). */
export function serviceOfDurable(durable: string): ServiceName | undefined {
  const prefix = durable.split('__')[0] ?? '';
  return isService(prefix) ? prefix : undefined;
}

function serviceOption(value: string): ServiceName {
  if (!isService(value)) throw new Error(`unknown service "${value}" (one of ${SERVICES.join(', ')})`);
  return value;
}

/** A service that is not running (or predates AdminService) is skipped, with a note on stderr. */
function skippable(error: unknown): boolean {
  const code = (error as Partial<grpc.ServiceError> | null)?.code;
  return code === grpc.status.UNAVAILABLE || code === grpc.status.UNIMPLEMENTED;
}
function note(service: string, error: unknown): void {
  const e = error as Partial<grpc.ServiceError>;
  process.stderr.write(
    `note: ${service} skipped (${e.code === grpc.status.UNIMPLEMENTED ? 'no admin API' : 'not reachable'})\n`,
  );
}

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const deadLetterColumns: Column<DeadLetter>[] = [
  { header: 'id', value: (d) => d.id },
  { header: 'service', value: (d) => d.service },
  { header: 'durable', value: (d) => d.durable },
  { header: 'event', value: (d) => d.eventType },
  { header: 'error', value: (d) => oneLine(d.error, 60) },
  { header: 'age', value: (d) => age(d.deadLetteredAt) },
  { header: 'event-id', value: (d) => d.eventId, wide: true },
  { header: 'deliveries', value: (d) => d.deliveryCount, wide: true },
  { header: 'dead-lettered', value: (d) => d.deadLetteredAt, wide: true },
];

const replayColumns: Column<DeadLetterReplay>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'durable', value: (r) => r.durable },
  { header: 'outcome', value: (r) => r.outcome },
  { header: 'detail', value: (r) => oneLine(r.detail, 80) },
  { header: 'event-id', value: (r) => r.eventId, wide: true },
];

const parkedColumns: Column<ParkedEvent>[] = [
  { header: 'event-id', value: (p) => p.eventId },
  { header: 'service', value: (p) => p.service },
  { header: 'type', value: (p) => p.type },
  { header: 'bytes', value: (p) => p.bytes },
  { header: 'age', value: (p) => age(p.parkedAt) },
  { header: 'reason', value: (p) => oneLine(p.reason, 60), wide: true },
  { header: 'position', value: (p) => p.position, wide: true },
];

const parkedReplayColumns: Column<ParkedReplay>[] = [
  { header: 'event-id', value: (r) => r.eventId },
  { header: 'service', value: (r) => r.service },
  { header: 'outcome', value: (r) => r.outcome },
  { header: 'detail', value: (r) => oneLine(r.detail, 100) },
];

const FORMATS = ['table', 'wide', 'json', 'yaml'] as const;

export function registerAdminCommands(program: Command): void {
  const admin = commandGroup(program, 'admin', 'Operate delivery: dead letters and parked outbox events');
  const dlq = admin.command('dlq').description('Messages a consumer gave up on (the EDGEPLANE_DLQ stream)');

  dlq
    .command('list')
    .description('List dead letters: service, consumer, event, error, time (never the data)')
    .option('--durable <name>', "only this consumer's, e.g. nodepool__cluster-events")
    .option(
      '--service <name>',
      'service to ask (any serves the shared stream)',
      serviceOption,
      'cluster' as ServiceName,
    )
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 1000)
    .addOption(outputOption(FORMATS))
    .action(
      async (
        opts: { durable?: string; service: ServiceName; limit: number; output: OutputFormat },
        cmd: Command,
      ) => {
        const api = adminApi(opts.service, serverOf(cmd));
        const items: DeadLetter[] = [];
        let pageToken = '';
        do {
          const page = await api.listDeadLetters({
            durable: opts.durable ?? '',
            pageSize: Math.min(1000, Math.max(1, opts.limit - items.length)),
            pageToken,
          });
          items.push(...page.deadLetters);
          pageToken = page.nextPageToken;
        } while (pageToken && items.length < opts.limit);
        print(items.slice(0, opts.limit), deadLetterColumns, opts.output);
      },
    );

  dlq
    .command('replay')
    .description(
      'Apply dead letters again through their consumer (idempotent); applied ones leave the stream',
    )
    .argument('[ids...]', 'dead letter ids (the ID column of `dlq list`)')
    .option('--all', 'every dead letter of --durable')
    .option('--durable <name>', 'the consumer whose dead letters to replay (with --all)')
    .option(
      '--service <name>',
      'service to ask first (default: the one running --durable, else cluster)',
      serviceOption,
    )
    .addOption(outputOption(FORMATS))
    .action(
      async (
        ids: string[],
        opts: { all?: boolean; durable?: string; service?: ServiceName; output: OutputFormat },
        cmd: Command,
      ) => {
        if (opts.all && !opts.durable) throw new Error('--all needs --durable (whose dead letters?)');
        if (!opts.all && ids.length === 0) throw new Error('name dead letter ids, or --all --durable NAME');
        const server = serverOf(cmd);
        const first: ServiceName =
          opts.service ?? (opts.durable ? serviceOfDurable(opts.durable) : undefined) ?? 'cluster';
        const request = opts.all
          ? { durable: opts.durable!, all: true, ids: [] }
          : { ids, durable: '', all: false };
        const results = (await adminApi(first, server).replayDeadLetters(request)).results;
        // forward what another service runs to that service
        const asked = new Set<ServiceName>([first]);
        const byService = new Map<ServiceName, DeadLetterReplay[]>();
        for (const r of results) {
          const owner = r.outcome === 'not-here' ? serviceOfDurable(r.durable) : undefined;
          if (owner && !asked.has(owner)) byService.set(owner, [...(byService.get(owner) ?? []), r]);
        }
        for (const [service, forwarded] of byService) {
          asked.add(service);
          const answer = await adminApi(service, server).replayDeadLetters({
            ids: forwarded.map((r) => r.id),
            durable: '',
            all: false,
          });
          for (const r of answer.results)
            results.splice(
              results.findIndex((x) => x.id === r.id),
              1,
              r,
            );
        }
        print(results, replayColumns, opts.output);
        if (results.some((r) => r.outcome !== 'applied' && r.outcome !== 'duplicate')) process.exitCode = 1;
      },
    );

  const parked = admin
    .command('outbox')
    .description("Each service's outbox relay")
    .command('parked')
    .description('Events the bus refused (larger than its max payload), parked so they block nothing');

  parked
    .command('list')
    .description('List parked events of every service (or one)')
    .option('--service <name>', 'only this service', serviceOption)
    .addOption(outputOption(FORMATS))
    .action(async (opts: { service?: ServiceName; output: OutputFormat }, cmd: Command) => {
      const server = serverOf(cmd);
      const events: ParkedEvent[] = [];
      for (const service of opts.service ? [opts.service] : SERVICES) {
        try {
          events.push(...(await adminApi(service, server).listParkedEvents({ pageSize: 1000 })).events);
        } catch (error) {
          if (opts.service || !skippable(error)) throw error;
          note(service, error);
        }
      }
      print(events, parkedColumns, opts.output);
    });

  parked
    .command('replay')
    .description(
      'Publish parked events the bus now takes (after max_payload was raised); the others say why not',
    )
    .argument('[event-ids...]', 'parked event ids')
    .option('--all', 'every parked event (of --service, or of every service)')
    .option('--service <name>', 'only this service', serviceOption)
    .addOption(outputOption(FORMATS))
    .action(
      async (
        eventIds: string[],
        opts: { all?: boolean; service?: ServiceName; output: OutputFormat },
        cmd: Command,
      ) => {
        if (!opts.all && eventIds.length === 0) throw new Error('name parked event ids, or --all');
        if (opts.all && eventIds.length > 0) throw new Error('give event ids or --all, not both');
        const server = serverOf(cmd);
        const results: ParkedReplay[] = [];
        for (const service of opts.service ? [opts.service] : SERVICES) {
          try {
            const answer = await adminApi(service, server).replayParkedEvents({ eventIds, all: !!opts.all });
            results.push(...answer.results.map((r) => ({ ...r, service })));
          } catch (error) {
            if (opts.service || !skippable(error)) throw error;
            note(service, error);
          }
        }
        // an id is parked in one service at most: keep its answer, `not-parked` only if none had it
        const merged = opts.all
          ? results
          : eventIds.map(
              (id) =>
                results.find((r) => r.eventId === id && r.outcome !== 'not-parked') ??
                results.find((r) => r.eventId === id) ?? {
                  eventId: id,
                  service: '',
                  outcome: 'not-parked',
                  detail: 'no service answered',
                },
            );
        print(merged, parkedReplayColumns, opts.output);
        if (merged.some((r) => r.outcome !== 'published')) process.exitCode = 1;
      },
    );
}
