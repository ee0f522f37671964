import { STREAMS } from '@edgeplane/contracts';
import type { EdgeplaneNodepoolV1 } from '@edgeplane/proto';
import { ApiError, badRequest } from '../http/status.js';
import {
  ageColumn,
  humanAge,
  nameColumn,
  objectMetaSchema,
  stableUid,
  type KubeObject,
  type RequestContext,
  type ResourceDef,
} from './resource.js';

/**
 * site.superedge.io NodeUnit and NodeGroup, served in v1alpha2 (storage) and v1alpha1, converted
 * the way a multi-version CRD's conversion would: v1alpha1 spells `setnode`, `nodeunits` and
 * `autofindnodekeys`. The nodepool service owns both kinds; every write is its gRPC command.
 */
export const SITE_GROUP = 'site.superedge.io';
const VERSIONS = ['v1alpha2', 'v1alpha1'] as const;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const PAGE_MAX = 1000;

type Unit = EdgeplaneNodepoolV1.NodeUnit__Output;
type Group = EdgeplaneNodepoolV1.NodeGroup__Output;
type Obj = Record<string, unknown>;

const rename = (o: Obj | undefined, from: string, to: string): Obj | undefined => {
  if (!o || !Object.hasOwn(o, from)) return o;
  const { [from]: v, ...rest } = o;
  return { ...rest, [to]: v };
};

function selectorOut(s: EdgeplaneNodepoolV1.LabelSelector__Output | null | undefined) {
  if (!s) return undefined;
  const ml = s.matchLabels ?? {};
  const me = s.matchExpressions ?? [];
  if (!Object.keys(ml).length && !me.length) return undefined;
  return {
    ...(Object.keys(ml).length ? { matchLabels: { ...ml } } : {}),
    ...(me.length
      ? {
          matchExpressions: me.map((e) => ({
            key: e.key,
            operator: e.operator,
            ...(e.values.length ? { values: [...e.values] } : {}),
          })),
        }
      : {}),
  };
}

function selectorIn(s: unknown): EdgeplaneNodepoolV1.LabelSelector | undefined {
  if (s == null) return undefined;
  const o = s as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  return {
    matchLabels: o.matchLabels ?? {},
    matchExpressions: (o.matchExpressions ?? []).map((e) => ({
      key: e.key,
      operator: e.operator,
      values: e.values ?? [],
    })),
  };
}

function meta(
  ctx: RequestContext,
  kind: string,
  name: string,
  createdAt: string,
  labels: Record<string, string>,
) {
  return {
    name,
    uid: stableUid(ctx.clusterId, kind, name),
    resourceVersion: ctx.resourceVersion,
    creationTimestamp: createdAt || null,
    ...(Object.keys(labels).length ? { labels: { ...labels } } : {}),
  };
}

function unitObject(ctx: RequestContext, u: Unit): KubeObject {
  const spec = u.spec;
  const setNode = spec?.setNode;
  return {
    apiVersion: `${SITE_GROUP}/v1alpha2`,
    kind: 'NodeUnit',
    metadata: meta(ctx, 'nodeunit', u.name, u.createdAt, spec?.labels ?? {}),
    spec: {
      type: spec?.type || 'edge',
      ...(spec?.nodes.length ? { nodes: [...spec.nodes] } : {}),
      ...(selectorOut(spec?.selector) ? { selector: selectorOut(spec?.selector) } : {}),
      ...(setNode &&
      (Object.keys(setNode.labels).length || Object.keys(setNode.annotations).length || setNode.taints.length)
        ? {
            setNode: {
              ...(Object.keys(setNode.labels).length ? { labels: { ...setNode.labels } } : {}),
              ...(Object.keys(setNode.annotations).length ? { annotations: { ...setNode.annotations } } : {}),
              ...(setNode.taints.length
                ? {
                    taints: setNode.taints.map((t) => ({
                      key: t.key,
                      ...(t.value ? { value: t.value } : {}),
                      effect: t.effect,
                    })),
                  }
                : {}),
            },
          }
        : {}),
    },
    status: {
      readyNodes: [...(u.status?.readyNodes ?? [])],
      notReadyNodes: [...(u.status?.notReadyNodes ?? [])],
      readyRate: u.status?.readyRate ?? '0/0',
      // Edgeplane's: the unit's K3s (Kins) phase; the whole state is the `kins` subresource
      kinsPhase: u.kinsPhase || 'none',
    },
  };
}

type Kins = EdgeplaneNodepoolV1.Kins__Output;

/** `nodeunits/<name>/kins`: the unit's K3s (Kins) state as nodepool's GetKins answers it. */
function kinsObject(ctx: RequestContext, k: Kins): KubeObject {
  return {
    apiVersion: `${SITE_GROUP}/v1alpha2`,
    kind: 'NodeUnitKins',
    metadata: { name: k.unit, resourceVersion: ctx.resourceVersion },
    status: {
      phase: k.phase || 'none',
      generation: k.generation,
      ...(k.mode ? { mode: k.mode } : {}),
      nodes: k.nodes.map((n) => ({ name: n.name, role: n.role })),
      ...(k.serviceCidr ? { serviceCIDR: k.serviceCidr } : {}),
      ...(k.clusterDns ? { clusterDNS: k.clusterDns } : {}),
      ...(k.nodePortRange && (k.nodePortRange.from || k.nodePortRange.to)
        ? { nodePortRange: { from: k.nodePortRange.from, to: k.nodePortRange.to } }
        : {}),
      publicAccess: k.publicAccess,
      ...(k.failureReason ? { failureReason: k.failureReason } : {}),
      ...(k.apiServerEndpoint ? { apiServerEndpoint: k.apiServerEndpoint } : {}),
      ...(k.k3sVersion ? { k3sVersion: k.k3sVersion } : {}),
    },
  };
}

const MAX_SERVERS = 3;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * POST `nodeunits/<name>/kins` — `{"action": "promote", "mode": "single"|"ha", "servers": [..],
 * "serviceCIDR": "..", "nodePortRange": {"from", "to"}}` or `{"action": "demote"}`: nodepool's
 * Promote / Demote. The work runs in the background (the unit's agents install or remove K3s and
 * report); the answer is the state just after the request (`promoting` / `demoting`), followed by
 * a watch of the unit (`status.kinsPhase`) or GET of this subresource.
 */
async function kinsAction(ctx: RequestContext, unit: string, body: unknown): Promise<KubeObject> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the body must be a JSON object with "action": "promote" or "demote"');
  const b = body as Record<string, unknown>;
  const allowed = ['apiVersion', 'kind', 'action', 'mode', 'servers', 'serviceCIDR', 'nodePortRange'];
  const unknown = Object.keys(b).filter((k) => !allowed.includes(k));
  if (unknown.length) throw badRequest(`unknown field ${unknown.map((k) => `"${k}"`).join(', ')}`);
  const invalid = (field: string, message: string) =>
    new ApiError(422, 'Invalid', `${field}: ${message}`, {
      name: unit,
      group: SITE_GROUP,
      kind: 'nodeunits',
      causes: [{ reason: 'FieldValueInvalid', message, field }],
    });
  if (b.action === 'demote') {
    const extra = Object.keys(b).filter((k) => !['apiVersion', 'kind', 'action'].includes(k));
    if (extra.length) throw invalid(extra[0] as string, 'not used by demote');
    return kinsObject(ctx, await ctx.upstream.demote({ cluster: ctx.clusterId, unit }));
  }
  if (b.action !== 'promote') throw invalid('action', 'Unsupported value: must be "promote" or "demote"');
  const mode = b.mode ?? 'single';
  if (mode !== 'single' && mode !== 'ha')
    throw invalid('mode', 'Unsupported value: must be "single" or "ha"');
  const servers = b.servers ?? [];
  if (!Array.isArray(servers) || servers.length > MAX_SERVERS)
    throw invalid('servers', `must be a list of at most ${MAX_SERVERS} node names`);
  servers.forEach((s, i) => {
    if (typeof s !== 'string' || !DNS_LABEL.test(s)) throw invalid(`servers[${i}]`, 'must be a node name');
  });
  const serviceCidr = b.serviceCIDR ?? '';
  if (typeof serviceCidr !== 'string' || serviceCidr.length > 43)
    throw invalid('serviceCIDR', 'must be a CIDR such as 10.96.0.0/16');
  const range = b.nodePortRange as { from?: unknown; to?: unknown } | undefined;
  if (
    range !== undefined &&
    (typeof range !== 'object' ||
      range === null ||
      !Number.isInteger(range.from) ||
      !Number.isInteger(range.to) ||
      (range.from as number) < 1 ||
      (range.to as number) > 65535)
  )
    throw invalid('nodePortRange', 'must be {"from": port, "to": port} within 1-65535');
  return kinsObject(
    ctx,
    await ctx.upstream.promote({
      cluster: ctx.clusterId,
      unit,
      mode,
      servers: servers as string[],
      serviceCidr,
      ...(range ? { nodePortRange: { from: range.from as number, to: range.to as number } } : {}),
    }),
  );
}

const UNIT_SPEC_KEYS: Record<string, string[]> = {
  v1alpha2: ['type', 'nodes', 'selector', 'setNode', 'unschedulable', 'autonomyLevel'],
  v1alpha1: ['type', 'nodes', 'selector', 'setnode', 'unschedulable', 'autonomyLevel'],
};
const GROUP_SPEC_KEYS: Record<string, string[]> = {
  v1alpha2: ['nodeUnits', 'selector', 'autoFindNodeKeys'],
  v1alpha1: ['nodeunits', 'selector', 'autofindnodekeys'],
};

function unknownFields(obj: KubeObject, specKeys: string[]): string[] {
  const top = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
  const out = Object.keys(obj)
    .filter((k) => !top.includes(k))
    .map((k) => k);
  const spec = (obj.spec ?? {}) as Obj;
  if (typeof spec !== 'object' || Array.isArray(spec)) throw badRequest('spec: must be an object');
  out.push(
    ...Object.keys(spec)
      .filter((k) => !specKeys.includes(k))
      .map((k) => `spec.${k}`),
  );
  return out;
}

function unitSpecIn(obj: KubeObject): EdgeplaneNodepoolV1.NodeUnitSpec {
  const spec = (obj.spec ?? {}) as {
    type?: string;
    nodes?: string[];
    selector?: unknown;
    setNode?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      taints?: { key: string; value?: string; effect: string }[];
    };
  };
  return {
    type: spec.type ?? 'edge',
    nodes: spec.nodes ?? [],
    ...(spec.selector != null ? { selector: selectorIn(spec.selector) } : {}),
    setNode: {
      labels: spec.setNode?.labels ?? {},
      annotations: spec.setNode?.annotations ?? {},
      taints: (spec.setNode?.taints ?? []).map((t) => ({
        key: t.key,
        value: t.value ?? '',
        effect: t.effect,
      })),
    },
    labels: obj.metadata?.labels ?? {},
  };
}

function groupObject(ctx: RequestContext, g: Group): KubeObject {
  const spec = g.spec;
  return {
    apiVersion: `${SITE_GROUP}/v1alpha2`,
    kind: 'NodeGroup',
    metadata: meta(ctx, 'nodegroup', g.name, g.createdAt, {}),
    spec: {
      ...(spec?.nodeUnits.length ? { nodeUnits: [...spec.nodeUnits] } : {}),
      ...(selectorOut(spec?.selector) ? { selector: selectorOut(spec?.selector) } : {}),
      ...(spec?.autoFindNodeKeys.length ? { autoFindNodeKeys: [...spec.autoFindNodeKeys] } : {}),
    },
    status: { nodeUnits: [...g.units], unitNumber: g.units.length },
  };
}

function groupSpecIn(obj: KubeObject): EdgeplaneNodepoolV1.NodeGroupSpec {
  const spec = (obj.spec ?? {}) as { nodeUnits?: string[]; selector?: unknown; autoFindNodeKeys?: string[] };
  return {
    nodeUnits: spec.nodeUnits ?? [],
    ...(spec.selector != null ? { selector: selectorIn(spec.selector) } : {}),
    autoFindNodeKeys: spec.autoFindNodeKeys ?? [],
  };
}

/** v1alpha2 ⇄ v1alpha1: only field spellings differ. */
function convert(obj: KubeObject, version: string, pairs: [string, string][]): KubeObject {
  let spec = obj.spec as Obj | undefined;
  for (const [v2, v1] of pairs) spec = version === 'v1alpha1' ? rename(spec, v2, v1) : rename(spec, v1, v2);
  return { ...obj, apiVersion: `${SITE_GROUP}/${version}`, ...(spec ? { spec } : {}) };
}

function checkName(obj: KubeObject, name?: string): string {
  const n = obj.metadata?.name;
  if (!n || typeof n !== 'string')
    throw new ApiError(422, 'Invalid', 'metadata.name: Required value: name is required');
  if (name !== undefined && n !== name)
    throw badRequest(`the name of the object (${n}) does not match the name on the URL (${name})`);
  return n;
}

const str = (description: string) => ({ type: 'string', description });
const strList = (description: string) => ({ type: 'array', items: { type: 'string' }, description });
const stringMap = (description: string) => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});
const selectorSchema = {
  type: 'object',
  description:
    'A label selector: matchLabels and matchExpressions are ANDed; an empty selector selects nothing.',
  properties: {
    matchLabels: stringMap('{key,value} pairs that must all match.'),
    matchExpressions: {
      type: 'array',
      description: 'Label selector requirements.',
      items: {
        type: 'object',
        required: ['key', 'operator'],
        properties: {
          key: str('The label key.'),
          operator: str('In, NotIn, Exists or DoesNotExist.'),
          values: strList('Values for In / NotIn.'),
        },
      },
    },
  },
};

function unitSchema(version: string) {
  const setNodeKey = version === 'v1alpha1' ? 'setnode' : 'setNode';
  return {
    type: 'object',
    description: 'NodeUnit is a set of edge nodes of one site (a SuperEdge edge node pool).',
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: objectMetaSchema,
      spec: {
        type: 'object',
        description: 'NodeUnitSpec defines the members of the unit and what is written on them.',
        properties: {
          type: str('Unit type: edge (default), cloud, master or other.'),
          nodes: strList('Explicit member node names.'),
          selector: selectorSchema,
          [setNodeKey]: {
            type: 'object',
            description: 'Labels, annotations and taints written on every member node.',
            properties: {
              labels: stringMap('Labels set on member nodes.'),
              annotations: stringMap('Annotations set on member nodes.'),
              taints: {
                type: 'array',
                description: 'Taints set on member nodes.',
                items: {
                  type: 'object',
                  properties: {
                    key: str('Taint key.'),
                    value: str('Taint value.'),
                    effect: str('NoSchedule, PreferNoSchedule or NoExecute.'),
                  },
                },
              },
            },
          },
          unschedulable: { type: 'boolean', description: 'Accepted for compatibility; not used.' },
          autonomyLevel: str('Accepted for compatibility; not used.'),
        },
      },
      status: {
        type: 'object',
        description: 'NodeUnitStatus: ready and not-ready members.',
        properties: {
          readyNodes: strList('Ready members.'),
          notReadyNodes: strList('Not-ready members.'),
          readyRate: str('ready/total.'),
          kinsPhase: str('K3s (Kins) phase: none, promoting, independent, failed or demoting.'),
        },
      },
    },
    'x-kubernetes-group-version-kind': [{ group: SITE_GROUP, version, kind: 'NodeUnit' }],
  };
}

function groupSchema(version: string) {
  const [units, keys] =
    version === 'v1alpha1' ? ['nodeunits', 'autofindnodekeys'] : ['nodeUnits', 'autoFindNodeKeys'];
  return {
    type: 'object',
    description:
      'NodeGroup classifies nodes by mutually exclusive NodeUnits: a node of unit U in group G carries the label G=U.',
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: objectMetaSchema,
      spec: {
        type: 'object',
        description: 'NodeGroupSpec names the units of the group.',
        properties: {
          [units]: strList('Units of the group, by name.'),
          selector: selectorSchema,
          [keys]: strList('Node label keys: one unit is made per value tuple.'),
        },
      },
      status: {
        type: 'object',
        description: 'Resolved units.',
        properties: {
          nodeUnits: strList('Units of the group.'),
          unitNumber: { type: 'integer', description: 'How many.' },
        },
      },
    },
    'x-kubernetes-group-version-kind': [{ group: SITE_GROUP, version, kind: 'NodeGroup' }],
  };
}

function stripApplyAnnotation(obj: KubeObject): void {
  // nodepool keeps no annotations of its own objects: kubectl's last-applied copy cannot be stored
  if (obj.metadata?.annotations) delete obj.metadata.annotations[LAST_APPLIED];
}

export const nodeUnitsResource: ResourceDef = {
  group: SITE_GROUP,
  versions: VERSIONS,
  storageVersion: 'v1alpha2',
  plural: 'nodeunits',
  singular: 'nodeunit',
  kind: 'NodeUnit',
  shortNames: ['nu'],
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  // the unit's own events (created, updated, members changed, Kins phases): each changes the object
  watchStream: STREAMS.NODEPOOL.name,
  watchSubject: 'edgeplane.nodepool.node-unit.>',
  watchEvent(type, data) {
    const name = typeof data.name === 'string' ? data.name : data.unit;
    if (typeof name !== 'string') return undefined;
    return { name, added: type === 'NodeUnitCreated' };
  },
  subresources: {
    kins: {
      get: async (ctx, name) =>
        kinsObject(ctx, await ctx.upstream.getKins({ cluster: ctx.clusterId, unit: name })),
      post: (ctx, name, body) => kinsAction(ctx, name, body),
    },
  },
  async list(ctx, opts) {
    const page = await ctx.upstream.listUnits({
      cluster: ctx.clusterId,
      pageSize: Math.min(opts.limit || PAGE_MAX, PAGE_MAX),
      pageToken: opts.continueToken,
    });
    return {
      items: page.units.map((u) => unitObject(ctx, u)),
      ...(page.nextPageToken ? { continueToken: page.nextPageToken } : {}),
    };
  },
  async get(ctx, name) {
    return unitObject(ctx, await ctx.upstream.getUnit({ cluster: ctx.clusterId, name }));
  },
  async create(ctx, obj) {
    stripApplyAnnotation(obj);
    return unitObject(
      ctx,
      await ctx.upstream.createUnit({ cluster: ctx.clusterId, name: checkName(obj), spec: unitSpecIn(obj) }),
    );
  },
  async replace(ctx, name, obj) {
    stripApplyAnnotation(obj);
    return unitObject(
      ctx,
      await ctx.upstream.updateUnit({
        cluster: ctx.clusterId,
        name: checkName(obj, name),
        spec: unitSpecIn(obj),
      }),
    );
  },
  async delete(ctx, name) {
    await ctx.upstream.deleteUnit({ cluster: ctx.clusterId, name });
  },
  columns: [
    nameColumn,
    { name: 'Type', type: 'string', format: '', description: 'Unit type.', priority: 0 },
    { name: 'Ready', type: 'string', format: '', description: 'Ready members / members.', priority: 0 },
    ageColumn,
    { name: 'Nodes', type: 'string', format: '', description: 'Members.', priority: 1 },
  ],
  cells(obj, now) {
    const status = obj.status as { readyNodes: string[]; notReadyNodes: string[]; readyRate: string };
    return [
      obj.metadata.name,
      (obj.spec as { type?: string }).type ?? 'edge',
      status.readyRate,
      humanAge(obj.metadata.creationTimestamp as string | undefined, now),
      [...status.readyNodes, ...status.notReadyNodes].sort().join(',') || '<none>',
    ];
  },
  toVersion: (obj, version) => convert(obj, version, [['setNode', 'setnode']]),
  fromVersion: (obj, version) => ({
    unknownFields: unknownFields(obj, UNIT_SPEC_KEYS[version] ?? []),
    object: convert(obj, 'v1alpha2', [['setNode', 'setnode']]),
  }),
  schema: unitSchema,
};

export const nodeGroupsResource: ResourceDef = {
  group: SITE_GROUP,
  versions: VERSIONS,
  storageVersion: 'v1alpha2',
  plural: 'nodegroups',
  singular: 'nodegroup',
  kind: 'NodeGroup',
  shortNames: ['ng'],
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  watchStream: STREAMS.NODEPOOL.name,
  watchSubject: 'edgeplane.nodepool.node-group.>',
  watchEvent(type, data) {
    if (typeof data.name !== 'string') return undefined;
    return { name: data.name, added: type === 'NodeGroupCreated' };
  },
  async list(ctx, opts) {
    const page = await ctx.upstream.listGroups({
      cluster: ctx.clusterId,
      pageSize: Math.min(opts.limit || PAGE_MAX, PAGE_MAX),
      pageToken: opts.continueToken,
    });
    return {
      items: page.groups.map((g) => groupObject(ctx, g)),
      ...(page.nextPageToken ? { continueToken: page.nextPageToken } : {}),
    };
  },
  async get(ctx, name) {
    return groupObject(ctx, await ctx.upstream.getGroup({ cluster: ctx.clusterId, name }));
  },
  async create(ctx, obj) {
    stripApplyAnnotation(obj);
    return groupObject(
      ctx,
      await ctx.upstream.createGroup({
        cluster: ctx.clusterId,
        name: checkName(obj),
        spec: groupSpecIn(obj),
      }),
    );
  },
  async replace(ctx, name, obj) {
    stripApplyAnnotation(obj);
    return groupObject(
      ctx,
      await ctx.upstream.updateGroup({
        cluster: ctx.clusterId,
        name: checkName(obj, name),
        spec: groupSpecIn(obj),
      }),
    );
  },
  async delete(ctx, name) {
    await ctx.upstream.deleteGroup({ cluster: ctx.clusterId, name });
  },
  columns: [
    nameColumn,
    { name: 'Units', type: 'string', format: '', description: 'Units of the group.', priority: 0 },
    ageColumn,
  ],
  cells: (obj, now) => [
    obj.metadata.name,
    ((obj.status as { nodeUnits: string[] }).nodeUnits ?? []).join(',') || '<none>',
    humanAge(obj.metadata.creationTimestamp as string | undefined, now),
  ],
  toVersion: (obj, version) =>
    convert(obj, version, [
      ['nodeUnits', 'nodeunits'],
      ['autoFindNodeKeys', 'autofindnodekeys'],
    ]),
  fromVersion: (obj, version) => ({
    unknownFields: unknownFields(obj, GROUP_SPEC_KEYS[version] ?? []),
    object: convert(obj, 'v1alpha2', [
      ['nodeUnits', 'nodeunits'],
      ['autoFindNodeKeys', 'autofindnodekeys'],
    ]),
  }),
  schema: groupSchema,
};
