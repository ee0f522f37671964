import {
  catalogue,
  EnvelopeSchema,
  logicalSubject,
  streamOfSubject,
  subscriptionOf,
  upcastEvent,
  validateEventData,
  type Envelope,
} from '@edgeplane/contracts';
import {
  readStream,
  streamBounds,
  StreamPositionGoneError,
  type Bus,
  type StreamRecord,
} from '@edgeplane/messaging';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../http/status.js';
import type { KubeObject, RequestContext } from '../resources/resource.js';
import {
  EVENT_RULES,
  HISTORY_TYPES,
  historyEntry,
  involvedUid,
  kubeEvent,
  originOfName,
  SOURCE_CODES,
  SOURCE_OF_CODE,
  eventName,
  type GridInfo,
  type HistoryEntry,
} from './event-mapping.js';
import { entryMatches, type EventQuery } from './event-selector.js';

/**
 * The durable event history of a cluster as Kubernetes Events: read straight from the JetStream
 * streams the services publish to (EDGEPLANE_CLUSTER, _NODEPOOL, _HEALTH, _GRID; 7 days), never
 * copied. Nothing orders two streams, so a position in the history is one sequence per stream —
 * the resourceVersion `c<seq>.g<seq>.h<seq>.n<seq>` (cluster, grid, health, nodepool).
 *
 * A list is the newest first: each stream is read backwards from the list's position in chunks
 * (ordered consumers over [lo, hi]), the matching events of every stream merged by time, at most
 * `limit` per page, with a continue token holding where each stream goes on. Bounded: a page reads
 * at most `scanMax` messages per stream (then answers what it has, with a token), and the list
 * covers `windowSeconds` back unless `edgeplane.io/since` says otherwise. A watch follows every
 * stream from the position (one ordered consumer each) and answers each match as ADDED, its
 * resourceVersion the position just after it; a position a stream no longer keeps is 410.
 */

export interface EventHistoryOptions {
  /** how far back a list reaches without `edgeplane.io/since` */
  windowSeconds: number;
  /** messages read per stream for one list page, at most */
  scanMax: number;
}

export const DEFAULT_HISTORY_OPTIONS: EventHistoryOptions = { windowSeconds: 24 * 3600, scanMax: 20_000 };

interface Source {
  name: string;
  code: string;
  filterSubject: string;
  /** wire-independent (logical) subjects of the event types read here */
  subjects: Set<string>;
}

/** The streams holding history types, and per stream the narrowest one filter subject. */
export function historySources(): Source[] {
  const byStream = new Map<string, { type: string; subject: string }[]>();
  for (const def of catalogue.all()) {
    if (!HISTORY_TYPES.includes(def.type)) continue;
    const stream = streamOfSubject(def.subject).name;
    byStream.set(stream, [...(byStream.get(stream) ?? []), def]);
  }
  return [...byStream.entries()]
    .map(([name, defs]) => ({
      name,
      code: SOURCE_CODES[name] ?? '',
      filterSubject: subscriptionOf(defs).filterSubject,
      subjects: new Set(defs.map((d) => d.subject)),
    }))
    .filter((s) => s.code)
    .sort((a, b) => a.code.localeCompare(b.code));
}

export type Positions = Record<string, number>;

/** `c12.g0.h3.n40`: one sequence per source, in code order. */
export function encodePositions(p: Positions, sources: readonly Source[]): string {
  return sources.map((s) => `${s.code}${p[s.name] ?? 0}`).join('.');
}

/** A resourceVersion of this history: 400 when it is not one; 410 when it lacks a source (an older format). */
export function decodePositions(text: string, sources: readonly Source[]): Positions {
  if (text.length > 200 || !/^[a-z]\d{1,15}(\.[a-z]\d{1,15})*$/.test(text))
    throw badRequest(
      `invalid resourceVersion ${JSON.stringify(text.slice(0, 64))}: events take the resourceVersion of an events list or event (c<seq>.g<seq>.h<seq>.n<seq>)`,
    );
  const out: Positions = {};
  for (const part of text.split('.')) {
    const source = SOURCE_OF_CODE[part[0] as string];
    if (source) out[source] = Number(part.slice(1));
  }
  for (const s of sources)
    if (out[s.name] === undefined)
      throw new ApiError(
        410,
        'Expired',
        `too old resource version: ${text} (it has no position in ${s.name})`,
      );
  return out;
}

interface ContinueState {
  /** the list's position (every page reads below it) */
  p: string;
  /** per source code: read below this sequence; absent: that source is done */
  b: Record<string, number>;
  since: number;
  until?: number;
}

function encodeContinue(c: ContinueState): string {
  return Buffer.from(JSON.stringify({ v: 1, ...c }), 'utf8').toString('base64url');
}

function decodeContinue(text: string, sources: readonly Source[]): ContinueState & { positions: Positions } {
  const bad = () =>
    badRequest('continue: not a continue token of an events list (start the list again without it)');
  if (text.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(text)) throw bad();
  let c: { v?: unknown; p?: unknown; b?: unknown; since?: unknown; until?: unknown };
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (c.v !== 1 || typeof c.p !== 'string' || typeof c.since !== 'number' || typeof c.b !== 'object' || !c.b)
    throw bad();
  const b: Record<string, number> = {};
  for (const [k, v] of Object.entries(c.b)) {
    if (!SOURCE_OF_CODE[k] || !Number.isSafeInteger(v) || (v as number) < 0) throw bad();
    b[k] = v as number;
  }
  return {
    p: c.p,
    b,
    since: c.since,
    ...(typeof c.until === 'number' ? { until: c.until } : {}),
    positions: decodePositions(c.p, sources),
  };
}

/** A decoded envelope of `clusterId` (undefined: not a history type, another cluster, unreadable). */
function decodeRecord(rec: StreamRecord, source: Source, clusterId: string): Envelope | undefined {
  if (!source.subjects.has(logicalSubject(rec.subject))) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(rec.data));
  } catch {
    return undefined;
  }
  const data = (raw as { data?: { clusterId?: unknown } } | null)?.data;
  if (data?.clusterId !== clusterId) return undefined;
  const env = EnvelopeSchema.safeParse(raw);
  if (!env.success || !EVENT_RULES[env.data.type]) return undefined;
  try {
    const valid = validateEventData(env.data.type, env.data.version, env.data.data);
    return { ...env.data, ...upcastEvent(env.data.type, env.data.version, valid) } as Envelope;
  } catch {
    return undefined;
  }
}

const GRID_NAMED = new Set([
  'RolloutWaveStarted',
  'RolloutWaveCompleted',
  'RolloutWaveHalted',
  'RolloutProgressed',
  'RolloutPaused',
  'RolloutResumed',
  'RolloutUndone',
  'PodScheduled',
  'PodUnscheduled',
]);

/**
 * Grid kind and namespace by name (rollout and pod events name only the grid): the grid
 * service's answer, kept a minute (a grid gone: the defaults, DeploymentGrid in `default`).
 */
class GridInfoCache {
  private readonly entries = new Map<string, { info: GridInfo | undefined; until: number }>();

  async resolve(ctx: RequestContext, names: Iterable<string>): Promise<Map<string, GridInfo | undefined>> {
    const out = new Map<string, GridInfo | undefined>();
    const now = Date.now();
    await Promise.all(
      [...new Set(names)].map(async (name) => {
        const key = `${ctx.clusterId}/${name}`;
        const hit = this.entries.get(key);
        if (hit && hit.until > now) return void out.set(name, hit.info);
        let info: GridInfo | undefined;
        try {
          const g = await ctx.upstream.getGrid({ cluster: ctx.clusterId, name });
          let ns = 'default';
          try {
            const m = parseYaml(g.manifestYaml, { maxAliasCount: 0 }) as {
              metadata?: { namespace?: unknown };
            };
            if (typeof m?.metadata?.namespace === 'string' && m.metadata.namespace) ns = m.metadata.namespace;
          } catch {
            /* the default namespace */
          }
          info = { kind: g.kind, namespace: ns };
        } catch {
          info = undefined;
        }
        if (this.entries.size >= 10_000) this.entries.clear();
        this.entries.set(key, { info, until: now + 60_000 });
        out.set(name, info);
      }),
    );
    return out;
  }
}

export class EventHistory {
  readonly sources = historySources();
  private readonly grids = new GridInfoCache();

  constructor(
    private readonly bus: Bus,
    private readonly options: EventHistoryOptions = DEFAULT_HISTORY_OPTIONS,
  ) {}

  /** Every source's last sequence now (a source not provisioned yet counts as empty). */
  async position(): Promise<string> {
    return encodePositions(await this.bounds('last'), this.sources);
  }

  private async bounds(which: 'first' | 'last'): Promise<Positions> {
    const out: Positions = {};
    await Promise.all(
      this.sources.map(async (s) => {
        const b = await streamBounds(this.bus, s.name).catch((e: unknown) => {
          if (/stream not found/i.test(String((e as Error)?.message))) return { first: 1, last: 0 };
          throw e;
        });
        out[s.name] = b[which];
      }),
    );
    return out;
  }

  /** Entries of decoded envelopes, grids resolved (one grid service call per unknown grid). */
  private async entries(
    ctx: RequestContext,
    decoded: { envelope: Envelope; source: Source; seq: number }[],
  ): Promise<HistoryEntry[]> {
    const names = decoded
      .filter((d) => GRID_NAMED.has(d.envelope.type))
      .map((d) =>
        String(
          (d.envelope.data as { name?: unknown; grid?: unknown }).grid ??
            (d.envelope.data as { name?: unknown }).name,
        ),
      );
    const grids = names.length
      ? await this.grids.resolve(ctx, names)
      : new Map<string, GridInfo | undefined>();
    const out: HistoryEntry[] = [];
    for (const d of decoded) {
      const e = historyEntry(d.envelope, { source: d.source.name, seq: d.seq }, ctx.clusterId, (n) =>
        grids.get(n),
      );
      if (e) out.push(e);
    }
    return out;
  }

  private matches(ctx: RequestContext, q: EventQuery, e: HistoryEntry): boolean {
    const emitter = catalogue.find(e.envelope.type, e.envelope.version)?.emitter ?? '';
    return entryMatches(q, e, involvedUid(ctx.clusterId, e.involved), emitter, ctx.namespace);
  }

  /**
   * One page of the list, newest first. `ctx.resourceVersion` is the list's position (this
   * history's `position()`); a continue token carries the first page's position and time window.
   */
  async list(
    ctx: RequestContext,
    q: EventQuery,
    limit: number,
    continueToken: string,
  ): Promise<{ items: KubeObject[]; continueToken?: string }> {
    const now = Date.now();
    const state = continueToken ? decodeContinue(continueToken, this.sources) : undefined;
    const listPosition = state?.p ?? ctx.resourceVersion;
    const positions = state?.positions ?? decodePositions(ctx.resourceVersion, this.sources);
    const since = state?.since ?? q.since ?? now - this.options.windowSeconds * 1000;
    const until = state?.until ?? q.until;
    const query: EventQuery = { ...q, since, ...(until !== undefined ? { until } : {}) };
    const firsts = await this.bounds('first');
    const want = Math.max(1, Math.min(limit || 500, 1000));

    interface Scan {
      source: Source;
      /** matches, newest (highest sequence) first */
      found: HistoryEntry[];
      /** lowest sequence read; everything in [low, before) is read */
      low: number;
      /** no more to read below `low` (stream start or older than the window) */
      done: boolean;
      /** stopped by scanMax: nothing older than `oldestTime` (stored time read down to) may be answered before it reads on */
      cut: boolean;
      oldestTime: number;
    }
    const scans = await Promise.all(
      this.sources.map(async (source): Promise<Scan> => {
        const before = state ? (state.b[source.code] ?? 0) : (positions[source.name] ?? 0) + 1;
        const first = Math.max(1, firsts[source.name] ?? 1);
        const scan: Scan = {
          source,
          found: [],
          low: before,
          done: before <= first,
          cut: false,
          oldestTime: Infinity,
        };
        let scanned = 0;
        let chunk = Math.max(256, want * 2);
        while (!scan.done && scan.found.length < want) {
          if (scanned >= this.options.scanMax) {
            scan.cut = true;
            break;
          }
          const hi = scan.low - 1;
          const lo = Math.max(first, hi - Math.min(chunk, this.options.scanMax - scanned) + 1);
          const decoded: { envelope: Envelope; source: Source; seq: number }[] = [];
          let oldestStored = Infinity;
          try {
            for await (const rec of readStream(
              this.bus,
              source.name,
              source.filterSubject,
              { after: lo - 1 },
              { until: hi, purpose: 'kube-events' },
            )) {
              scanned++;
              oldestStored = Math.min(oldestStored, rec.storedAt);
              const envelope = decodeRecord(rec, source, ctx.clusterId);
              if (envelope) decoded.push({ envelope, source, seq: rec.seq });
            }
          } catch (error) {
            // aged out while we read: what is left starts later
            if (!(error instanceof StreamPositionGoneError)) throw error;
            scan.done = true;
          }
          const entries = await this.entries(ctx, decoded);
          for (const e of entries.reverse()) {
            if (this.matches(ctx, query, e)) scan.found.push(e);
          }
          // what is below `lo` was stored before this: nothing of it is newer than oldestStored
          scan.oldestTime = Math.min(scan.oldestTime, oldestStored);
          scan.low = lo;
          if (lo <= first || oldestStored < since) scan.done = true;
          chunk = Math.min(chunk * 2, 8192);
        }
        return scan;
      }),
    );

    // merge by time: each stream's matches stay in sequence order; nothing older than what a
    // stream cut short has not read yet is answered before it
    const horizon = Math.max(-Infinity, ...scans.filter((s) => s.cut).map((s) => s.oldestTime));
    const heads = scans.map(() => 0);
    const taken: HistoryEntry[] = [];
    while (taken.length < want) {
      let best = -1;
      for (let i = 0; i < scans.length; i++) {
        const e = scans[i]!.found[heads[i]!];
        if (!e || e.time < horizon) continue;
        const b = best >= 0 ? scans[best]!.found[heads[best]!]! : undefined;
        if (!b || e.time > b.time || (e.time === b.time && e.origin.seq > b.origin.seq)) best = i;
      }
      if (best < 0) break;
      taken.push(scans[best]!.found[heads[best]!]!);
      heads[best]!++;
    }
    const next: Record<string, number> = {};
    scans.forEach((s, i) => {
      const used = heads[i]!;
      if (used < s.found.length) next[s.source.code] = s.found[used]!.origin.seq + 1;
      else if (!s.done) next[s.source.code] = s.low;
    });
    const more = Object.keys(next).length > 0;
    const items = taken.map((e) => kubeEvent(e, ctx.clusterId, listPosition));
    return {
      items,
      ...(more
        ? {
            continueToken: encodeContinue({
              p: listPosition,
              b: next,
              since,
              ...(until !== undefined ? { until } : {}),
            }),
          }
        : {}),
    };
  }

  /** The Event `name` (`<object>.<stream code><sequence>`), or 404. */
  async get(ctx: RequestContext, name: string): Promise<KubeObject> {
    const missing = () =>
      new ApiError(404, 'NotFound', `events "${name}" not found`, { name, kind: 'events' });
    const origin = originOfName(name);
    const source = origin && this.sources.find((s) => s.name === origin.source);
    if (!origin || !source) throw missing();
    const decoded: { envelope: Envelope; source: Source; seq: number }[] = [];
    try {
      for await (const rec of readStream(
        this.bus,
        source.name,
        source.filterSubject,
        { after: origin.seq - 1 },
        { until: origin.seq, purpose: 'kube-event' },
      )) {
        if (rec.seq !== origin.seq) break;
        const envelope = decodeRecord(rec, source, ctx.clusterId);
        if (envelope) decoded.push({ envelope, source, seq: rec.seq });
      }
    } catch (error) {
      if (error instanceof StreamPositionGoneError) throw missing();
      throw error;
    }
    const [entry] = await this.entries(ctx, decoded);
    if (!entry || eventName(entry) !== name) throw missing();
    if (
      ctx.namespace !== undefined &&
      kubeEvent(entry, ctx.clusterId, '').metadata.namespace !== ctx.namespace
    )
      throw missing();
    return kubeEvent(entry, ctx.clusterId, ctx.resourceVersion);
  }

  /**
   * Every matching event after `from` (a resourceVersion of this history) as ADDED, until `signal`
   * aborts; BOOKMARKs (the position reached) every `bookmarkMs` when asked. Without `from`: the
   * newest page of the list first (oldest of it first), then what follows. A bad or too old
   * position fails here, before anything is streamed (400 / 410).
   */
  async watch(
    ctx: RequestContext,
    q: EventQuery,
    from: string | undefined,
    signal: AbortSignal,
    opts: { bookmarkMs?: number } = {},
  ): Promise<AsyncGenerator<{ type: 'ADDED' | 'BOOKMARK'; object: KubeObject }>> {
    let positions: Positions;
    let initial: KubeObject[] = [];
    if (from === undefined) {
      const position = await this.position();
      initial = (await this.list({ ...ctx, resourceVersion: position }, q, 500, '')).items.reverse();
      positions = decodePositions(position, this.sources);
    } else positions = decodePositions(from, this.sources);
    const firsts = await this.bounds('first');
    for (const s of this.sources) {
      const first = firsts[s.name] ?? 1;
      // a source purged or aged past the position: the client lists again
      if ((positions[s.name] ?? 0) + 1 < first)
        throw new ApiError(
          410,
          'Expired',
          `too old resource version: ${from} (${s.name} starts at ${first})`,
        );
    }
    return this.follow(ctx, q, positions, initial, signal, opts.bookmarkMs);
  }

  private async *follow(
    ctx: RequestContext,
    q: EventQuery,
    positions: Positions,
    initial: KubeObject[],
    outer: AbortSignal,
    bookmarkMs: number | undefined,
  ): AsyncGenerator<{ type: 'ADDED' | 'BOOKMARK'; object: KubeObject }> {
    for (const o of initial) yield { type: 'ADDED', object: o };
    // ends the readers when the caller aborts or stops iterating
    const stop = new AbortController();
    const signal = stop.signal;
    const forward = () => stop.abort();
    outer.addEventListener('abort', forward, { once: true });
    if (outer.aborted) stop.abort();
    type Item = { source: Source; rec: StreamRecord } | { error: unknown };
    const queue: Item[] = [];
    let wake: (() => void) | undefined;
    let spaceWaiters: (() => void)[] = [];
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    const freeSpace = () => {
      for (const r of spaceWaiters) r();
      spaceWaiters = [];
    };
    const from = encodePositions(positions, this.sources);
    const pump = async (source: Source) => {
      let after = positions[source.name] ?? 0;
      for (;;) {
        try {
          for await (const rec of readStream(
            this.bus,
            source.name,
            source.filterSubject,
            { after },
            { purpose: 'kube-events-watch', maxBytes: 256 * 1024 },
            signal,
          )) {
            // bounded: a client that does not read stops the pulling
            while (queue.length >= 256 && !signal.aborted)
              await new Promise<void>((r) => spaceWaiters.push(r));
            queue.push({ source, rec });
            after = rec.seq;
            notify();
          }
          return;
        } catch (error) {
          if (signal.aborted) return;
          if (/stream not found/i.test(String((error as Error)?.message))) {
            // not provisioned yet (its service has not started): nothing to miss, look again
            await new Promise<void>((r) => {
              const t = setTimeout(r, 2_000);
              signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
            });
            continue;
          }
          queue.push({
            error:
              error instanceof StreamPositionGoneError
                ? new ApiError(410, 'Expired', `too old resource version: ${from} (${error.message})`)
                : error,
          });
          notify();
          return;
        }
      }
    };
    const pumps = this.sources.map((s) => pump(s));
    const onAbort = () => {
      notify();
      freeSpace();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let lastBookmark = Date.now();
    let bookmarked = from;
    try {
      while (!signal.aborted) {
        if (!queue.length) {
          await new Promise<void>((r) => {
            wake = r;
            if (bookmarkMs) setTimeout(r, Math.max(0, lastBookmark + bookmarkMs - Date.now()));
          });
        }
        if (signal.aborted) return;
        const batch = queue.splice(0, queue.length);
        freeSpace();
        const decoded: { envelope: Envelope; source: Source; seq: number }[] = [];
        for (const item of batch) {
          if ('error' in item) throw item.error;
          const envelope = decodeRecord(item.rec, item.source, ctx.clusterId);
          if (envelope) decoded.push({ envelope, source: item.source, seq: item.rec.seq });
        }
        const entries = await this.entries(ctx, decoded);
        const byOrigin = new Map(entries.map((e) => [`${e.origin.source}:${e.origin.seq}`, e]));
        for (const item of batch) {
          if ('error' in item) continue;
          // every message moves the position on, ours or not (bookmarks carry it)
          positions[item.source.name] = item.rec.seq;
          const e = byOrigin.get(`${item.source.name}:${item.rec.seq}`);
          if (!e || !this.matches(ctx, q, e)) continue;
          yield {
            type: 'ADDED',
            object: kubeEvent(e, ctx.clusterId, encodePositions(positions, this.sources)),
          };
        }
        if (bookmarkMs && Date.now() - lastBookmark >= bookmarkMs) {
          const at = encodePositions(positions, this.sources);
          if (at !== bookmarked)
            yield {
              type: 'BOOKMARK',
              object: { apiVersion: 'v1', kind: 'Event', metadata: { name: '', resourceVersion: at } },
            };
          bookmarked = at;
          lastBookmark = Date.now();
        }
      }
    } finally {
      outer.removeEventListener('abort', forward);
      stop.abort();
      signal.removeEventListener('abort', onAbort);
      freeSpace();
      await Promise.allSettled(pumps);
    }
  }
}
