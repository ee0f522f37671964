import { STREAMS } from '@edgeplane/contracts';
import type { EdgeplaneGridV1 } from '@edgeplane/proto';
import * as grpc from '@grpc/grpc-js';
import { parse as parseYaml, stringify } from 'yaml';
import { ApiError, badRequest, notFound } from '../http/status.js';
import { UpstreamError } from '../upstream/upstream.js';
import { equalityValue, fieldsMatch, parseFieldSelector } from './field-selector.js';
import { gridSchema } from './grid-schemas.js';
import {
  ageColumn,
  humanAge,
  nameColumn,
  stableUid,
  type ColumnDefinition,
  type KubeObject,
  type RequestContext,
  type ResourceDef,
} from './resource.js';

/**
 * superedge.io/v1 DeploymentGrid, StatefulSetGrid and ServiceGrid (namespaced, as SuperEdge's CRDs
 * are). The grid service owns them: a read is GetGrid/ListGrids, every write is its `Apply` (the
 * object as one YAML document, so the grid's parser, rules and events are exactly those of
 * `edgeplane apply -f`) or `DeleteGrid`. Grids are unique by name per cluster in the grid service;
 * the namespace is the manifest's (`default` when it names none).
 */
export const GRID_GROUP = 'superedge.io';
const VERSION = 'v1';
const PAGE_MAX = 1000;
/** Upper bound of grids read to answer a namespace- or field-selected list (filtered here). */
const FILTERED_MAX = 10_000;
const DEFAULT_NAMESPACE = 'default';

type Grid = EdgeplaneGridV1.Grid__Output;
type Obj = Record<string, unknown>;
export type GridKind = 'DeploymentGrid' | 'StatefulSetGrid' | 'ServiceGrid';

const WORKLOAD_SPEC_KEYS = [
  'gridUniqKey',
  'template',
  'templatePool',
  'templates',
  'defaultTemplateName',
  'autoDeleteUnusedTemplate',
  'overriders',
  'rolloutStrategy',
];
const SPEC_KEYS: Record<GridKind, string[]> = {
  DeploymentGrid: WORKLOAD_SPEC_KEYS,
  StatefulSetGrid: WORKLOAD_SPEC_KEYS,
  ServiceGrid: ['gridUniqKey', 'template'],
};
/** metadata a client may send: what the server sets is dropped before the grid service sees it */
const CLIENT_METADATA = ['name', 'namespace', 'labels', 'annotations'];
const FIELDS = ['metadata.name', 'metadata.namespace'];

const namespaceOf = (o: { metadata?: Record<string, unknown> }) =>
  typeof o.metadata?.namespace === 'string' && o.metadata.namespace
    ? o.metadata.namespace
    : DEFAULT_NAMESPACE;

function gridObject(ctx: RequestContext, g: Grid): KubeObject {
  let manifest: Obj = {};
  try {
    manifest = (parseYaml(g.manifestYaml, { maxAliasCount: 0 }) as Obj | null) ?? {};
  } catch {
    manifest = {};
  }
  const md = (manifest.metadata ?? {}) as Obj;
  const labels = (md.labels ?? {}) as Record<string, string>;
  const annotations = (md.annotations ?? {}) as Record<string, string>;
  const children = g.children ?? [];
  const status: Obj =
    g.kind === 'ServiceGrid'
      ? {
          states: Object.fromEntries(
            (g.endpoints ?? []).map((u) => [
              u.unit,
              { endpoints: u.endpoints.length, addresses: u.endpoints.filter((e) => e.ip).map((e) => e.ip) },
            ]),
          ),
        }
      : {
          states: Object.fromEntries(
            children.map((c) => [
              c.unit,
              {
                name: c.name,
                revision: c.revision,
                replicas: c.desiredPods,
                scheduledReplicas: c.scheduledPods,
                pendingReplicas: c.pendingPods,
              },
            ]),
          ),
          ...(g.rollout ? { rollout: rolloutStatus(g.rollout) } : {}),
        };
  return {
    apiVersion: `${GRID_GROUP}/${VERSION}`,
    kind: g.kind,
    metadata: {
      name: g.name,
      namespace: namespaceOf({ metadata: md }),
      uid: stableUid(ctx.clusterId, 'grid', g.name),
      resourceVersion: ctx.resourceVersion,
      generation: g.generation,
      creationTimestamp: g.createdAt || null,
      ...(Object.keys(labels).length ? { labels: { ...labels } } : {}),
      ...(Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
    },
    spec: (manifest.spec ?? {}) as Obj,
    status: { ...status, units: children.length },
  };
}

/**
 * The grid service's Rollout as the object's `status.rollout` (and the `rollout` subresource's
 * status): the state, the wave in progress, each wave's units updated/total, each unit's state,
 * and why it halted.
 */
export function rolloutStatus(r: EdgeplaneGridV1.Rollout__Output): Obj {
  const halted = r.haltedReason
    ? { halted: { unit: r.haltedUnit, ...(r.haltedPod ? { pod: r.haltedPod } : {}), reason: r.haltedReason } }
    : {};
  return {
    generation: r.generation,
    ...(r.fromGeneration ? { fromGeneration: r.fromGeneration } : {}),
    state: r.state,
    ...(r.undo ? { undo: true } : {}),
    updatedUnits: r.updatedUnits,
    totalUnits: r.totalUnits,
    currentWave: r.currentWave,
    waves: (r.waves ?? []).map((w) => ({
      index: w.index,
      name: w.name,
      state: w.state,
      units: w.units,
      updatedUnits: w.updatedUnits,
      totalUnits: w.totalUnits,
    })),
    unitStates: Object.fromEntries((r.units ?? []).map((u) => [u.unit, u.state])),
    ...halted,
    ...(r.message ? { message: r.message } : {}),
  };
}

const ROLLOUT_ACTIONS = ['pause', 'resume', 'undo'] as const;
type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];

/** The body of POST `<grids>/<name>/rollout`: `{"action": "pause" | "resume" | "undo"}` (400 naming the field otherwise). */
export function rolloutAction(body: unknown): RolloutAction {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the body must be a JSON object: {"action": "pause" | "resume" | "undo"}');
  const known = ['action', 'apiVersion', 'kind'];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length)
    throw badRequest(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown
        .slice(0, 5)
        .map((k) => JSON.stringify(k.slice(0, 64)))
        .join(', ')}: the body takes only "action"`,
    );
  const action = (body as { action?: unknown }).action;
  if (action === undefined) throw badRequest('action: required (one of pause, resume, undo)');
  if (typeof action !== 'string' || !(ROLLOUT_ACTIONS as readonly string[]).includes(action))
    throw badRequest(
      `action: ${JSON.stringify(String(action).slice(0, 64))} is not one of pause, resume, undo`,
    );
  return action as RolloutAction;
}

/** The document the grid service is given: the client's metadata and spec, nothing the server sets. */
function manifestOf(kind: GridKind, obj: KubeObject, namespace: string): string {
  const md = obj.metadata as Obj;
  const metadata: Obj = {};
  for (const k of CLIENT_METADATA) if (md[k] !== undefined && md[k] !== null) metadata[k] = md[k];
  metadata.namespace = namespace;
  return stringify({ apiVersion: `${GRID_GROUP}/${VERSION}`, kind, metadata, spec: obj.spec ?? {} });
}

/**
 * The grid service names fields of its YAML (`documents[0].spec.gridUniqKey`); here there is one
 * object, so its paths are the object's (`spec.gridUniqKey`), as kube-apiserver's causes are.
 */
function objectPaths(error: unknown): unknown {
  if (!(error instanceof UpstreamError)) return error;
  const strip = (s: string) => s.replace(/^documents\[\d+\]\.?/, '');
  return new UpstreamError(
    error.code,
    error.details.replace(/documents\[\d+\]\.?/g, ''),
    error.violations.map((v) => ({ field: strip(v.field), description: v.description })),
  );
}

async function call<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (error) {
    throw objectPaths(error);
  }
}

/**
 * The grid service's INVALID_ARGUMENT as kube-apiserver's `Invalid`: details name the kind (kubectl
 * prints `The DeploymentGrid "x" is invalid: <field>: <why>`), one cause per field. Other errors
 * pass.
 */
export function invalid(kind: GridKind, name: string, error: unknown): unknown {
  if (!(error instanceof UpstreamError) || error.code !== grpc.status.INVALID_ARGUMENT) return error;
  const causes = error.violations.map((v) => ({
    reason: 'FieldValueInvalid',
    message: v.description,
    field: v.field,
  }));
  const why = causes.length ? causes.map((c) => `${c.field}: ${c.message}`).join(', ') : error.details;
  return new ApiError(422, 'Invalid', `${kind}.${GRID_GROUP} "${name}" is invalid: ${why}`, {
    name,
    group: GRID_GROUP,
    kind,
    ...(causes.length ? { causes } : {}),
  });
}

function checkName(obj: KubeObject, name?: string): string {
  const n = obj.metadata?.name;
  if (!n || typeof n !== 'string')
    throw new ApiError(422, 'Invalid', 'metadata.name: Required value: name is required', {
      causes: [
        { reason: 'FieldValueRequired', message: 'Required value: name is required', field: 'metadata.name' },
      ],
    });
  if (name !== undefined && n !== name)
    throw badRequest(`the name of the object (${n}) does not match the name on the URL (${name})`);
  return n;
}

/** The namespace the object goes to: the path's; a body naming another is refused, as kube-apiserver does. */
function targetNamespace(ctx: RequestContext, obj: KubeObject): string {
  const own = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : '';
  const ns = ctx.namespace ?? (own || DEFAULT_NAMESPACE);
  if (own && own !== ns)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  return ns;
}

function checkKind(kind: GridKind, obj: KubeObject): void {
  if (obj.kind !== undefined && obj.kind !== kind)
    throw badRequest(`the kind of the object (${String(obj.kind).slice(0, 64)}) is not ${kind}`);
}

function rolloutObject(
  kind: GridKind,
  ctx: RequestContext,
  name: string,
  r: EdgeplaneGridV1.Rollout__Output,
): KubeObject {
  return {
    apiVersion: `${GRID_GROUP}/${VERSION}`,
    kind: `${kind}Rollout`,
    metadata: {
      name,
      ...(ctx.namespace !== undefined ? { namespace: ctx.namespace } : {}),
      resourceVersion: ctx.resourceVersion,
    },
    status: rolloutStatus(r),
  };
}

export function gridResource(opts: {
  kind: GridKind;
  plural: string;
  singular: string;
  shortNames: string[];
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: Date): unknown[];
}): ResourceDef {
  const { kind, plural } = opts;
  const missing = (name: string) => notFound(plural, name, GRID_GROUP);

  /** The grid `name` of this kind in the request's namespace, or 404 (another kind's grid is not ours). */
  async function read(ctx: RequestContext, name: string): Promise<Grid> {
    const g = await call(() => ctx.upstream.getGrid({ cluster: ctx.clusterId, name }));
    if (g.kind !== kind) throw missing(name);
    if (ctx.namespace !== undefined && gridObject(ctx, g).metadata.namespace !== ctx.namespace)
      throw missing(name);
    return g;
  }

  /** Whether a grid of any kind holds `name` (the grid service keys grids by name per cluster). */
  async function exists(ctx: RequestContext, name: string): Promise<boolean> {
    try {
      await ctx.upstream.getGrid({ cluster: ctx.clusterId, name });
      return true;
    } catch (error) {
      if (error instanceof UpstreamError && error.code === grpc.status.NOT_FOUND) return false;
      throw error;
    }
  }

  const alreadyExists = (name: string) =>
    new ApiError(409, 'AlreadyExists', `${plural}.${GRID_GROUP} "${name}" already exists`, {
      name,
      group: GRID_GROUP,
      kind: plural,
    });

  async function apply(ctx: RequestContext, obj: KubeObject, dryRun: boolean): Promise<void> {
    checkKind(kind, obj);
    const ns = targetNamespace(ctx, obj);
    try {
      await call(() =>
        ctx.upstream.applyGrid({ cluster: ctx.clusterId, yaml: manifestOf(kind, obj, ns), dryRun }),
      );
    } catch (error) {
      throw invalid(kind, obj.metadata.name, error);
    }
  }

  return {
    group: GRID_GROUP,
    versions: [VERSION],
    storageVersion: VERSION,
    plural,
    singular: opts.singular,
    kind,
    shortNames: opts.shortNames,
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    // the grid service takes whole manifests: what an apply no longer names is gone
    applyOwnsSpec: true,
    watchStream: STREAMS.GRID.name,
    // the grid's own events, its rollout's (wave started, progressed, paused…) and a ServiceGrid's
    // endpoints: each changes the object's status
    watchSubject: 'edgeplane.grid.>',
    watchEvent(type, data) {
      if (typeof data.name !== 'string') return undefined;
      // rollout and endpoint events do not name the kind: a grid of another kind is skipped
      if (type.startsWith('Rollout') && kind !== 'ServiceGrid')
        return { name: data.name, added: false, maybe: true };
      if (type === 'ServiceEndpointsChanged' && kind === 'ServiceGrid')
        return { name: data.name, added: false, maybe: true };
      if (data.kind !== kind) return undefined;
      return { name: data.name, added: type === 'GridApplied' && data.generation === 1 };
    },
    subresources:
      kind === 'ServiceGrid'
        ? undefined
        : {
            // the staged rollout (grid.proto RolloutStatus/Pause/Resume/Undo): GET reads it (view may),
            // POST {"action": "pause"|"resume"|"undo"} acts (edit); answers the rollout after the call
            rollout: {
              async get(ctx, name) {
                await read(ctx, name);
                const r = await call(() => ctx.upstream.rollout('status', { cluster: ctx.clusterId, name }));
                return rolloutObject(kind, ctx, name, r);
              },
              async post(ctx, name, body) {
                const action = rolloutAction(body);
                await read(ctx, name);
                const r = await call(() => ctx.upstream.rollout(action, { cluster: ctx.clusterId, name }));
                return rolloutObject(kind, ctx, name, r);
              },
            },
          },
    async list(ctx, o) {
      const terms = parseFieldSelector(o.fieldSelector, FIELDS);
      const byName = equalityValue(terms, 'metadata.name');
      const filtered = terms.length > 0 || ctx.namespace !== undefined;
      const keep = (obj: KubeObject) =>
        (ctx.namespace === undefined || obj.metadata.namespace === ctx.namespace) &&
        fieldsMatch(terms, {
          'metadata.name': obj.metadata.name,
          'metadata.namespace': String(obj.metadata.namespace),
        });
      if (byName !== undefined) {
        try {
          const g = await read(ctx, byName);
          const obj = gridObject(ctx, g);
          return { items: keep(obj) ? [obj] : [] };
        } catch (error) {
          if (error instanceof ApiError && error.code === 404) return { items: [] };
          if (error instanceof UpstreamError && error.code === grpc.status.NOT_FOUND) return { items: [] };
          throw error;
        }
      }
      if (!filtered) {
        const page = await call(() =>
          ctx.upstream.listGrids({
            cluster: ctx.clusterId,
            kind,
            pageSize: Math.min(o.limit || PAGE_MAX, PAGE_MAX),
            pageToken: o.continueToken,
          }),
        );
        return {
          items: page.grids.map((g) => gridObject(ctx, g)),
          ...(page.nextPageToken ? { continueToken: page.nextPageToken } : {}),
        };
      }
      // a namespace or field filter: the owner pages by name only, so read (bounded) and filter here
      const items: KubeObject[] = [];
      let token = '';
      let seen = 0;
      do {
        const page = await call(() =>
          ctx.upstream.listGrids({ cluster: ctx.clusterId, kind, pageSize: PAGE_MAX, pageToken: token }),
        );
        seen += page.grids.length;
        for (const g of page.grids) {
          const obj = gridObject(ctx, g);
          if (keep(obj)) items.push(obj);
        }
        token = page.nextPageToken;
      } while (token && seen < FILTERED_MAX);
      return { items };
    },
    async get(ctx, name) {
      return gridObject(ctx, await read(ctx, name));
    },
    async create(ctx, obj) {
      const name = checkName(obj);
      if (await exists(ctx, name)) throw alreadyExists(name);
      await apply(ctx, obj, false);
      return gridObject(ctx, await read({ ...ctx, namespace: targetNamespace(ctx, obj) }, name));
    },
    async replace(ctx, name, obj) {
      checkName(obj, name);
      await read(ctx, name);
      await apply(ctx, obj, false);
      return gridObject(ctx, await read(ctx, name));
    },
    async validate(ctx, obj, existing) {
      const name = checkName(obj);
      if (existing) await read(ctx, name);
      else if (await exists(ctx, name)) throw alreadyExists(name);
      await apply(ctx, obj, true);
    },
    async delete(ctx, name) {
      await read(ctx, name);
      await call(() => ctx.upstream.deleteGrid({ cluster: ctx.clusterId, name }));
    },
    fieldMatches(obj, fieldSelector) {
      return fieldsMatch(parseFieldSelector(fieldSelector, FIELDS), {
        'metadata.name': obj.metadata.name,
        'metadata.namespace': String(obj.metadata.namespace),
      });
    },
    columns: opts.columns,
    cells: opts.cells,
    fromVersion(obj) {
      const top = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
      const unknownFields = Object.keys(obj).filter((k) => !top.includes(k));
      const spec = obj.spec ?? {};
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
        throw badRequest('spec: must be an object');
      unknownFields.push(
        ...Object.keys(spec)
          .filter((k) => !SPEC_KEYS[kind].includes(k))
          .map((k) => `spec.${k}`),
      );
      return { object: obj, unknownFields };
    },
    schema: () => gridSchema(kind),
  };
}

const column = (name: string, description: string, priority = 0): ColumnDefinition => ({
  name,
  type: 'string',
  format: '',
  description,
  priority,
});

type States = Record<
  string,
  {
    name?: string;
    replicas?: number;
    scheduledReplicas?: number;
    pendingReplicas?: number;
    endpoints?: number;
  }
>;
const statesOf = (obj: KubeObject) =>
  ((obj.status as { states?: States } | undefined)?.states ?? {}) as States;
const gridKeyOf = (obj: KubeObject) => String((obj.spec as { gridUniqKey?: string }).gridUniqKey ?? '');

function workloadCells(obj: KubeObject, now: Date): unknown[] {
  const states = Object.values(statesOf(obj));
  const desired = states.reduce((n, s) => n + (s.replicas ?? 0), 0);
  const scheduled = states.reduce((n, s) => n + (s.scheduledReplicas ?? 0), 0);
  const rollout = (obj.status as { rollout?: { state?: string } }).rollout?.state ?? '';
  return [
    obj.metadata.name,
    gridKeyOf(obj),
    states.length,
    `${scheduled}/${desired}`,
    rollout || '<none>',
    humanAge(obj.metadata.creationTimestamp as string | undefined, now),
    states
      .map((s) => s.name ?? '')
      .filter(Boolean)
      .sort()
      .join(',') || '<none>',
  ];
}

const workloadColumns = [
  nameColumn,
  column('Grid-Key', 'spec.gridUniqKey: the NodeGroup whose units get one child each.'),
  { ...column('Units', 'Units with a child.'), type: 'integer' },
  column('Scheduled', 'Pods placed on a node / pods of every child.'),
  column('Rollout', 'State of the staged rollout across units.'),
  ageColumn,
  column('Children', 'The per-unit children (<grid>-<unit>).', 1),
];

export const deploymentGridsResource = gridResource({
  kind: 'DeploymentGrid',
  plural: 'deploymentgrids',
  singular: 'deploymentgrid',
  shortNames: ['dg'],
  columns: workloadColumns,
  cells: workloadCells,
});

export const statefulSetGridsResource = gridResource({
  kind: 'StatefulSetGrid',
  plural: 'statefulsetgrids',
  singular: 'statefulsetgrid',
  shortNames: ['ssg'],
  columns: workloadColumns,
  cells: workloadCells,
});

export const serviceGridsResource = gridResource({
  kind: 'ServiceGrid',
  plural: 'servicegrids',
  singular: 'servicegrid',
  shortNames: ['sg'],
  columns: [
    nameColumn,
    column('Grid-Key', 'spec.gridUniqKey: the NodeGroup whose units get their own endpoints.'),
    { ...column('Units', 'Units with endpoints.'), type: 'integer' },
    column('Endpoints', 'Endpoints over every unit.'),
    ageColumn,
  ],
  cells(obj, now) {
    const states = Object.values(statesOf(obj));
    return [
      obj.metadata.name,
      gridKeyOf(obj),
      states.length,
      String(states.reduce((n, s) => n + (s.endpoints ?? 0), 0)),
      humanAge(obj.metadata.creationTimestamp as string | undefined, now),
    ];
  },
});
