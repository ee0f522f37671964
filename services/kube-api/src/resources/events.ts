import type { Bus } from '@edgeplane/messaging';
import { DEFAULT_HISTORY_OPTIONS, EventHistory } from '../events/event-history.js';
import { parseEventSelector } from '../events/event-selector.js';
import { ApiError } from '../http/status.js';
import {
  humanAge,
  objectMetaSchema,
  type ColumnDefinition,
  type KubeObject,
  type RequestContext,
  type ResourceDef,
} from './resource.js';

/**
 * Events (`core/v1` and `events.k8s.io/v1`): the cluster's durable history, read from the
 * streams the services publish to (src/events/event-history.ts), one Event per domain event
 * (src/events/event-mapping.ts). Read-only: get, list (newest first, paged), watch.
 */

const histories = new WeakMap<Bus, EventHistory>();

/** A bounded integer from the environment (its default when unset or not a number). */
function envInt(name: string, fallback: number, min: number, max: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? Math.min(max, Math.max(min, v)) : fallback;
}

function history(ctx: RequestContext): EventHistory {
  if (!ctx.bus) throw new ApiError(503, 'ServiceUnavailable', 'the event history is not readable here');
  let h = histories.get(ctx.bus);
  if (!h) {
    h = new EventHistory(ctx.bus, {
      windowSeconds: envInt(
        'KUBE_API_EVENTS_WINDOW_SECONDS',
        DEFAULT_HISTORY_OPTIONS.windowSeconds,
        60,
        8 * 86_400,
      ),
      scanMax: envInt('KUBE_API_EVENTS_SCAN_MAX', DEFAULT_HISTORY_OPTIONS.scanMax, 100, 1_000_000),
    });
    histories.set(ctx.bus, h);
  }
  return h;
}

/** `regarding.*` (events.k8s.io) are `involvedObject.*` (core). */
const selectorOf = (fieldSelector: string) =>
  fieldSelector.replace(/(^|,)\s*regarding\./g, '$1involvedObject.');

const column = (name: string, description: string, priority = 0): ColumnDefinition => ({
  name,
  type: 'string',
  format: '',
  description,
  priority,
});

/** core/v1 Event → events.k8s.io/v1 Event (the same object in the newer shape). */
export function toEventsV1(o: KubeObject): KubeObject {
  const e = o as KubeObject & Record<string, unknown>;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: o.metadata,
    eventTime: e.eventTime,
    reportingController: e.reportingComponent,
    reportingInstance: e.reportingInstance,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  };
}

function eventsDef(group: '' | 'events.k8s.io'): ResourceDef {
  const shape = group ? toEventsV1 : (o: KubeObject) => o;
  const apiVersion = group ? `${group}/v1` : 'v1';
  return {
    group,
    versions: ['v1'],
    storageVersion: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    shortNames: group ? [] : ['ev'],
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    async list(ctx, opts) {
      const q = parseEventSelector(selectorOf(opts.fieldSelector), ctx.now.getTime());
      const page = await history(ctx).list(ctx, q, opts.limit, opts.continueToken);
      return { ...page, items: page.items.map(shape) };
    },
    async get(ctx, name) {
      return shape(await history(ctx).get(ctx, name));
    },
    history: {
      position: (ctx) => history(ctx).position(),
      async watch(ctx, query, signal) {
        const q = parseEventSelector(selectorOf(query.get('fieldSelector') ?? ''), ctx.now.getTime());
        const rv = query.get('resourceVersion') ?? '';
        const bookmarks =
          query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';
        const events = await history(ctx).watch(ctx, q, rv === '' || rv === '0' ? undefined : rv, signal, {
          ...(bookmarks ? { bookmarkMs: 30_000 } : {}),
        });
        return (async function* () {
          for await (const e of events)
            yield {
              type: e.type,
              object: e.type === 'ADDED' ? shape(e.object) : { ...e.object, apiVersion },
            };
        })();
      },
    },
    columns: [
      column('Last Seen', 'When the event happened (each domain event is one Event, count 1).'),
      column('Type', 'Normal or Warning.'),
      column('Reason', 'The domain event type (NodeJoined, NodeVerdictChanged, …).'),
      column('Object', 'The object the event is about.'),
      column('Source', 'The service that emitted it.', 1),
      column('Message', 'What happened, in words.'),
    ],
    cells(obj, now) {
      const e = obj as KubeObject & Record<string, unknown>;
      const inv = (e.involvedObject ?? e.regarding ?? {}) as { kind?: string; name?: string };
      const source = (e.source ?? e.deprecatedSource ?? {}) as { component?: string };
      return [
        humanAge((e.lastTimestamp ?? e.deprecatedLastTimestamp) as string | undefined, now),
        e.type,
        e.reason,
        `${(inv.kind ?? '').toLowerCase()}/${inv.name ?? ''}`,
        source.component ?? '',
        e.message ?? e.note,
      ];
    },
    schema: () => ({
      type: 'object',
      description: group
        ? 'Event (events.k8s.io/v1): a domain event of the cluster as a Kubernetes Event.'
        : 'Event is a report of an event somewhere in the cluster: here, one domain event of its durable history.',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: objectMetaSchema,
        [group ? 'regarding' : 'involvedObject']: {
          type: 'object',
          description: 'The object this event is about.',
          properties: {
            kind: { type: 'string' },
            apiVersion: { type: 'string' },
            name: { type: 'string' },
            namespace: { type: 'string' },
            uid: { type: 'string' },
          },
        },
        reason: { type: 'string', description: 'The domain event type.' },
        [group ? 'note' : 'message']: { type: 'string', description: 'What happened, in words.' },
        type: { type: 'string', description: 'Normal or Warning.' },
        eventTime: { type: 'string', format: 'date-time' },
        ...(group
          ? {}
          : {
              firstTimestamp: { type: 'string', format: 'date-time' },
              lastTimestamp: { type: 'string', format: 'date-time' },
              count: { type: 'integer' },
              source: { type: 'object', properties: { component: { type: 'string' } } },
            }),
      },
      'x-kubernetes-group-version-kind': [{ group, version: 'v1', kind: 'Event' }],
    }),
  };
}

export const eventsResource = eventsDef('');
export const eventsV1Resource = eventsDef('events.k8s.io');
