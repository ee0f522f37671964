import { badRequest } from '../http/status.js';
import { fieldsMatch, parseFieldSelector, type FieldTerm } from '../resources/field-selector.js';
import { eventName, eventNamespace, type HistoryEntry } from './event-mapping.js';

/** Kubernetes' field selectors of core/v1 Events (what kube-apiserver's event strategy offers). */
export const EVENT_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
] as const;

/**
 * Edgeplane's own fields, equality only: `edgeplane.io/since` and `edgeplane.io/until` bound the
 * event time (RFC 3339, or an age such as `90s`, `30m`, `2h`, `7d` counted back from now);
 * `edgeplane.io/node`, `edgeplane.io/unit`, `edgeplane.io/grid` select the events about a node
 * (its own, and its units' membership changes and pod placements), a NodeUnit (its own and its
 * groups' and rollout waves naming it) or a grid of any kind.
 */
export const EDGEPLANE_FIELDS = [
  'edgeplane.io/since',
  'edgeplane.io/until',
  'edgeplane.io/node',
  'edgeplane.io/unit',
  'edgeplane.io/grid',
] as const;

const GRID_KINDS = new Set(['DeploymentGrid', 'StatefulSetGrid', 'ServiceGrid']);
/** the oldest a time bound may name: the streams keep 7 days */
const MAX_AGE_MS = 8 * 24 * 3600 * 1000;

export interface EventQuery {
  terms: FieldTerm[];
  /** ms since the epoch; undefined: the list's default window */
  since?: number;
  until?: number;
  node?: string;
  unit?: string;
  grid?: string;
}

/** A time bound: RFC 3339 or an age (`90s`, `30m`, `2h`, `7d`) before `now`. */
export function parseTimeBound(field: string, value: string, now: number): number {
  const age = /^(\d{1,7})(s|m|h|d)$/.exec(value);
  let t: number;
  if (age) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's' | 'm' | 'h' | 'd'];
    t = now - Number(age[1]) * unit;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    t = Date.parse(value);
  } else t = NaN;
  if (Number.isNaN(t))
    throw badRequest(
      `field selector ${field}: ${JSON.stringify(value.slice(0, 64))} is neither an RFC 3339 time (2026-11-28T20:00:00Z) nor an age (90s, 30m, 2h, 7d)`,
    );
  if (t < now - MAX_AGE_MS) t = now - MAX_AGE_MS;
  return t;
}

/** The field selector of an events list or watch; an unsupported field or a bad value is 400 naming it. */
export function parseEventSelector(selector: string, now: number): EventQuery {
  const all = parseFieldSelector(selector, [...EVENT_FIELDS, ...EDGEPLANE_FIELDS]);
  const q: EventQuery = { terms: [] };
  for (const t of all) {
    if (!t.field.startsWith('edgeplane.io/')) {
      q.terms.push(t);
      continue;
    }
    if (!t.equal) throw badRequest(`field selector ${t.field}: only = is supported, not !=`);
    const key = t.field.slice('edgeplane.io/'.length) as 'since' | 'until' | 'node' | 'unit' | 'grid';
    if (key === 'since' || key === 'until') q[key] = parseTimeBound(t.field, t.value, now);
    else {
      if (!t.value) throw badRequest(`field selector ${t.field}: a name is required`);
      q[key] = t.value;
    }
  }
  if (q.since !== undefined && q.until !== undefined && q.since > q.until)
    throw badRequest('field selector: edgeplane.io/since is after edgeplane.io/until');
  return q;
}

/** a grid of any kind named `grid`, or one of its pods */
function aboutGrid(e: HistoryEntry, grid: string): boolean {
  if (GRID_KINDS.has(e.involved.kind)) return e.involved.name === grid;
  return e.involved.kind === 'Pod' && (e.envelope.data as { grid?: unknown }).grid === grid;
}

/** The selectable fields of an entry as kube-apiserver names them. */
export function eventFields(e: HistoryEntry, uid: string): Record<string, string> {
  return {
    'metadata.name': eventName(e),
    'metadata.namespace': eventNamespace(e),
    'involvedObject.kind': e.involved.kind,
    'involvedObject.namespace': e.involved.namespace ?? '',
    'involvedObject.name': e.involved.name,
    'involvedObject.uid': uid,
    'involvedObject.apiVersion': e.involved.apiVersion,
    'involvedObject.resourceVersion': '',
    'involvedObject.fieldPath': '',
    reason: e.envelope.type,
    reportingComponent: '',
    source: '',
    type: e.warning ? 'Warning' : 'Normal',
  };
}

/**
 * Whether an entry passes the query (and the path's namespace). `uid`: the involved object's uid
 * (`involvedObject.uid`, which kubectl describe asks for). Time bounds are the list's and watch's.
 */
export function entryMatches(
  q: EventQuery,
  e: HistoryEntry,
  uid: string,
  emitter: string,
  namespace: string | undefined,
): boolean {
  if (namespace !== undefined && eventNamespace(e) !== namespace) return false;
  if (q.since !== undefined && e.time < q.since) return false;
  if (q.until !== undefined && e.time > q.until) return false;
  if (q.node !== undefined && !e.nodes.includes(q.node)) return false;
  if (q.unit !== undefined && !e.units.includes(q.unit)) return false;
  if (q.grid !== undefined && !aboutGrid(e, q.grid)) return false;
  if (!q.terms.length) return true;
  const fields = eventFields(e, uid);
  fields.source = emitter;
  fields.reportingComponent = `edgeplane.io/${emitter}`;
  return fieldsMatch(q.terms, fields);
}
