import { createHash } from 'node:crypto';
import type { Identity } from '../auth/authenticate.js';
import type { Upstream } from '../upstream/upstream.js';
import type { Bus } from '@edgeplane/messaging';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

/**
 * The object a stream event changes. `maybe`: the event may be another resource's (it does not
 * say which kind), so an object this resource does not have is skipped, not reported DELETED.
 */
export interface WatchHit {
  name: string;
  added: boolean;
  maybe?: boolean;
  /**
   * A side-stream hit (`statusWatch`): whether the object read already shows the event — the
   * owner consumes the same event, so a read just after it may be older; read again until it does
   * (bounded), then send what there is.
   */
  settled?(obj: KubeObject): boolean;
  /** a side-stream hit's status signature: a hit with the one last seen for the name is skipped */
  key?: string;
}

/** What a resource's handlers get for one request. */
export interface RequestContext {
  clusterId: string;
  /** the cluster's Kubernetes version, e.g. "1.22.5" */
  kubernetesVersion: string;
  runtime: string;
  identity: Identity;
  upstream: Upstream;
  /** the namespace of the path (`/namespaces/<ns>/…`); undefined for cluster-scoped and all-namespace requests */
  namespace?: string;
  /** the cluster stream's last sequence: every list and object carries it as resourceVersion */
  resourceVersion: string;
  now: Date;
  /** the bus, for resources read from the streams themselves (events) */
  bus?: Bus;
}

export interface ListOptions {
  labelSelector: string;
  fieldSelector: string;
  limit: number;
  continueToken: string;
}

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/**
 * One served resource: the routing table's row. Objects travel in `storageVersion`; other served
 * versions are converted on the way out and in, as a multi-version CRD's conversion does. Grids
 * and pods plug in here as further rows.
 */
export interface ResourceDef {
  group: string;
  versions: readonly string[];
  storageVersion: string;
  plural: string;
  singular: string;
  kind: string;
  shortNames: readonly string[];
  namespaced: boolean;
  verbs: readonly string[];
  /** the stream subject (logical, may be a wildcard) whose events change these objects, for watch */
  watchSubject?: string;
  /** the declared stream (STREAMS.*.name) of `watchSubject` and of resourceVersions; the cluster stream when absent */
  watchStream?: string;
  /**
   * The object an event of `watchStream` changes (undefined: not one of these objects), and whether
   * it is new (ADDED). Absent: the cluster stream's `data.nodeName`, ADDED on NodeJoined.
   */
  watchEvent?(type: string, data: Record<string, unknown>): WatchHit | undefined;
  /**
   * Events of another stream that change these objects' status (a pod's readiness comes from the
   * agents' reports on the tunnel stream): followed during a watch (from 30 s before it opened, so
   * a report between the client's list and its watch is not lost) and sent as
   * MODIFIED with the watch's current resourceVersion. Not positions: a watch resumed later does
   * not replay them (its list has the current status).
   */
  statusWatch?: {
    stream: string;
    subject: string;
    hits(type: string, data: Record<string, unknown>): WatchHit[];
  };
  list(ctx: RequestContext, opts: ListOptions): Promise<{ items: KubeObject[]; continueToken?: string }>;
  get(ctx: RequestContext, name: string): Promise<KubeObject>;
  create?(ctx: RequestContext, obj: KubeObject): Promise<KubeObject>;
  /** bring the object to `desired` (PUT, and PATCH after the patch is applied) */
  replace?(ctx: RequestContext, name: string, desired: KubeObject): Promise<KubeObject>;
  delete?(ctx: RequestContext, name: string): Promise<void>;
  /** whether `obj` is selected by `fieldSelector` (watch); absent: `metadata.name=` only */
  fieldMatches?(obj: KubeObject, fieldSelector: string): boolean;
  /**
   * Server-side apply: the applied configuration owns `spec` — a field it no longer names is
   * removed, as SSA does for the one field manager that set it (no managedFields are kept, so
   * another manager's spec fields are not defended: `force` is implied). Metadata is merged.
   * Absent: the applied configuration is merged like a merge patch.
   */
  applyOwnsSpec?: boolean;
  /** checks `obj` as a write would, changing nothing (dryRun=All); absent: no check beyond decoding */
  validate?(ctx: RequestContext, obj: KubeObject, existing: boolean): Promise<void>;
  columns: readonly ColumnDefinition[];
  cells(obj: KubeObject, now: Date): unknown[];
  /** storage version → `version` (identity when equal) */
  toVersion?(obj: KubeObject, version: string): KubeObject;
  /** `version` → storage version; lists unknown fields for fieldValidation */
  fromVersion?(obj: KubeObject, version: string): { object: KubeObject; unknownFields: string[] };
  /** the OpenAPI v3 schema of the kind in `version` */
  schema(version: string): Record<string, unknown>;
  /**
   * A resource read from the event history itself (events): its lists' resourceVersion is
   * `position` (one sequence per stream) and its watch streams `watch`'s events as they are,
   * instead of one stream's sequence and a `get` per change.
   */
  history?: {
    position(ctx: RequestContext): Promise<string>;
    /** fails (400, 410) before anything is streamed; then yields until `signal` aborts */
    watch(
      ctx: RequestContext,
      query: URLSearchParams,
      signal: AbortSignal,
    ): Promise<AsyncIterable<{ type: string; object: KubeObject }>>;
  };
  /**
   * Subresources served as `<plural>/<name>/<sub>`: GET (verb `get`, a `view` may read those
   * authorize.ts lists) and POST (verb `create` on the subresource, as `pods/eviction` is).
   */
  subresources?: Readonly<Record<string, SubresourceDef>>;
}

export interface SubresourceDef {
  get?(ctx: RequestContext, name: string): Promise<unknown>;
  post?(ctx: RequestContext, name: string, body: unknown): Promise<unknown>;
}

/** kube-apiserver's age format: 45s, 5m, 3h, 2d5h, 70d, 3y… (server-rendered; kubectl prints it as is). */
export function humanAge(from: string | undefined, now: Date): string {
  const t = from ? Date.parse(from) : NaN;
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now.getTime() - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return `${d}d${h % 24 ? `${h % 24}h` : ''}`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

export const nameColumn: ColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};
export const ageColumn: ColumnDefinition = {
  name: 'Age',
  type: 'string',
  format: '',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
};

/** A stable uid for an object that has no uid of its own (derived from the cluster and its name). */
export function stableUid(...parts: string[]): string {
  // name-based UUID (version 5 layout) over SHA-1, as RFC 4122 describes
  const h = sha1(parts.join('/'));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export const objectMetaSchema = {
  type: 'object',
  description: 'Standard object metadata.',
  properties: {
    name: { type: 'string', description: 'Name of the object, unique in its scope.' },
    uid: { type: 'string', description: 'Unique id of this object, set by the server.' },
    resourceVersion: {
      type: 'string',
      description: 'Opaque version of the object (a position of the event stream).',
    },
    creationTimestamp: { type: 'string', format: 'date-time', description: 'When the object was created.' },
    labels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Map of string keys and values.',
    },
    annotations: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Unstructured key value map.',
    },
  },
};

export function labelSelectorMatches(selector: string, labels: Record<string, string>): boolean {
  return selector
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .every((term) => {
      const ne = term.indexOf('!=');
      if (ne > 0) return labels[term.slice(0, ne).trim()] !== term.slice(ne + 2).trim();
      const eq = term.indexOf('=');
      if (eq > 0) {
        const k = term.slice(0, eq).trim();
        const v = term.slice(term[eq + 1] === '=' ? eq + 2 : eq + 1).trim();
        return Object.hasOwn(labels, k) && labels[k] === v;
      }
      if (term.startsWith('!')) return !Object.hasOwn(labels, term.slice(1).trim());
      return Object.hasOwn(labels, term);
    });
}
