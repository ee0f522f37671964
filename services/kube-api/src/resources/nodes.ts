import type { EdgeplaneClusterV1 } from '@edgeplane/proto';
import { ApiError, badRequest } from '../http/status.js';
import {
  ageColumn,
  humanAge,
  nameColumn,
  objectMetaSchema,
  stableUid,
  type KubeObject,
  type ListOptions,
  type RequestContext,
  type ResourceDef,
} from './resource.js';

type Node = EdgeplaneClusterV1.Node__Output;
type Taint = { key: string; value?: string; effect: string };

const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/**
 * Annotations this API serves on every Node from the cluster service's record (read-only: a write
 * that carries them unchanged, as a read-modify-write does, is not an annotation change):
 * who owns each label and taint (operator, cluster, nodepool, health-arbiter…), the cordons and
 * whether a drain is pending. The console groups labels and taints by owner from these.
 */
export const LABEL_OWNERS = 'edgeplane.io/label-owners';
export const TAINT_OWNERS = 'edgeplane.io/taint-owners';
export const CORDONS = 'edgeplane.io/cordons';
export const DRAINING = 'edgeplane.io/draining';
const SERVED_ANNOTATIONS = new Set([LAST_APPLIED, LABEL_OWNERS, TAINT_OWNERS, CORDONS, DRAINING]);
const ARCH: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  arm64: 'arm64',
  aarch64: 'arm64',
  arm: 'arm',
};
/** Upper bound of nodes read to answer a field-selected list (filtered here, not by the owner). */
const FIELD_SELECTED_MAX = 10_000;

export function nodeObject(
  node: Node,
  ctx: Pick<RequestContext, 'clusterId' | 'kubernetesVersion' | 'runtime' | 'resourceVersion'>,
): KubeObject {
  const ips = node.inventory?.ips ?? [];
  const ready = node.ready || 'Unknown';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      uid: stableUid(ctx.clusterId, 'node', node.name),
      resourceVersion: ctx.resourceVersion,
      creationTimestamp: node.joinedAt || null,
      labels: { ...node.labels },
      annotations: { ...node.annotations, ...ownerAnnotations(node) },
    },
    spec: {
      ...(node.schedulable ? {} : { unschedulable: true }),
      ...(node.taints.length ? { taints: node.taints.map(taintOut) } : {}),
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: ready,
          reason:
            ready === 'True' ? 'KubeletReady' : ready === 'False' ? 'KubeletNotReady' : 'NodeStatusUnknown',
          message:
            ready === 'True'
              ? 'the edge agent is posting ready status'
              : 'the health arbiter judges the node not ready',
        },
      ],
      addresses: [
        ...ips.map((ip) => ({ type: 'InternalIP', address: ip })),
        { type: 'Hostname', address: node.name },
      ],
      nodeInfo: {
        architecture: ARCH[node.inventory?.arch ?? ''] ?? node.inventory?.arch ?? '',
        operatingSystem: 'linux',
        osImage: node.inventory?.os ?? '',
        kernelVersion: '',
        kubeletVersion: `v${ctx.kubernetesVersion}`,
        kubeProxyVersion: `v${ctx.kubernetesVersion}`,
        containerRuntimeVersion: ctx.runtime ? `${ctx.runtime}://` : '',
        machineID: node.machineId ?? '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

/**
 * Owner of every label and taint of the node, from the cluster service's layers: `operator` for
 * what LabelNode / TaintNode may change, else the owning service (a label LabelNode refuses). The
 * unschedulable taint is the cluster's (its cordons say who holds them).
 */
export function ownerAnnotations(node: Node): Record<string, string> {
  const labelOwners: Record<string, string> = {};
  for (const k of Object.keys(node.operatorLabels ?? {})) labelOwners[k] = 'operator';
  for (const layer of node.systemLabels ?? [])
    for (const k of Object.keys(layer.labels ?? {})) labelOwners[k] = layer.owner;
  for (const k of Object.keys(node.labels ?? {})) labelOwners[k] ??= 'operator';
  const taintOwners: Record<string, string> = {};
  for (const t of node.operatorTaints ?? []) taintOwners[`${t.key}:${t.effect}`] = 'operator';
  for (const layer of node.systemTaints ?? [])
    for (const t of layer.taints) taintOwners[`${t.key}:${t.effect}`] = layer.owner;
  for (const t of node.taints ?? [])
    taintOwners[`${t.key}:${t.effect}`] ??= t.key === UNSCHEDULABLE_TAINT ? 'cluster' : 'operator';
  return {
    [LABEL_OWNERS]: JSON.stringify(sortedObject(labelOwners)),
    [TAINT_OWNERS]: JSON.stringify(sortedObject(taintOwners)),
    ...(node.cordons?.length
      ? {
          [CORDONS]: JSON.stringify(
            node.cordons.map((c) => ({ holder: c.holder, reason: c.reason, since: c.since })),
          ),
        }
      : {}),
    ...(node.draining ? { [DRAINING]: 'true' } : {}),
  };
}

const sortedObject = (o: Record<string, string>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

function taintOut(t: EdgeplaneClusterV1.Taint__Output): Taint {
  return { key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect };
}

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
const taintId = (t: Taint) => `${t.key}:${t.effect}`;

function nodeStatus(obj: KubeObject): string {
  const conditions = (obj.status as { conditions?: { type: string; status: string }[] })?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready')?.status;
  const base = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
  return (obj.spec as { unschedulable?: boolean })?.unschedulable ? `${base},SchedulingDisabled` : base;
}

function nodeRoles(labels: Record<string, string>): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function fieldMatcher(selector: string): (obj: KubeObject) => boolean {
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term) => {
      const m = /^([a-zA-Z.]+)\s*(!=|==|=)\s*(.*)$/.exec(term);
      if (!m) throw badRequest(`invalid field selector: ${JSON.stringify(term.slice(0, 64))}`);
      const [, field, op, value] = m as unknown as [string, string, string, string];
      const read: Record<string, (o: KubeObject) => string> = {
        'metadata.name': (o) => o.metadata.name,
        'spec.unschedulable': (o) => String((o.spec as { unschedulable?: boolean }).unschedulable === true),
      };
      const get = read[field];
      if (!get) throw badRequest(`field label not supported: ${field}`);
      return (o: KubeObject) => (op === '!=' ? get(o) !== value : get(o) === value);
    });
  return (o) => terms.every((t) => t(o));
}

async function listNodes(
  ctx: RequestContext,
  opts: ListOptions,
): Promise<{ items: KubeObject[]; continueToken?: string }> {
  const ref = { cluster: { id: ctx.clusterId }, labelSelector: opts.labelSelector };
  if (!opts.fieldSelector) {
    const page = await ctx.upstream.listNodes({
      ...ref,
      pageSize: opts.limit,
      pageToken: opts.continueToken,
    });
    return {
      items: page.nodes.map((n) => nodeObject(n, ctx)),
      ...(page.nextPageToken ? { continueToken: page.nextPageToken } : {}),
    };
  }
  // a field selector is applied here: read every page (bounded), then filter
  const matches = fieldMatcher(opts.fieldSelector);
  const items: KubeObject[] = [];
  let token = '';
  let read = 0;
  do {
    const page = await ctx.upstream.listNodes({ ...ref, pageSize: 1000, pageToken: token });
    read += page.nodes.length;
    for (const n of page.nodes) {
      const o = nodeObject(n, ctx);
      if (matches(o)) items.push(o);
    }
    token = page.nextPageToken;
  } while (token && read < FIELD_SELECTED_MAX);
  return { items };
}

async function getNode(ctx: RequestContext, name: string): Promise<KubeObject> {
  const detail = await ctx.upstream.getNode({ node: { cluster: { id: ctx.clusterId }, name } });
  if (!detail.node) throw new ApiError(404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' });
  const obj = nodeObject(detail.node, ctx);
  // the detail carries the real conditions (with their reasons and times)
  if (detail.conditions.length) {
    (obj.status as { conditions: unknown[] }).conditions = detail.conditions.map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
      ...(c.lastTransitionAt ? { lastTransitionTime: c.lastTransitionAt } : {}),
    }));
  }
  return obj;
}

/**
 * Brings a node to `desired` through the cluster service's commands: label changes → LabelNode,
 * `spec.unschedulable` → CordonNode / UncordonNode, operator taints → TaintNode. What only a
 * system owner may write (its labels, its taints, annotations) is refused by the owner's rules —
 * or here, naming the owner, where no command could carry it.
 */
async function replaceNode(ctx: RequestContext, name: string, desired: KubeObject): Promise<KubeObject> {
  if (desired.metadata?.name && desired.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${desired.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  const detail = await ctx.upstream.getNode({ node: { cluster: { id: ctx.clusterId }, name } });
  const node = detail.node;
  if (!node) throw new ApiError(404, 'NotFound', `nodes "${name}" not found`);
  const nodeRef = { cluster: { id: ctx.clusterId }, name };

  const wantAnn = { ...(desired.metadata.annotations ?? {}) };
  for (const k of SERVED_ANNOTATIONS) delete wantAnn[k];
  const haveAnn = node.annotations ?? {};
  const annChanged =
    Object.keys(wantAnn).length !== Object.keys(haveAnn).length ||
    Object.entries(wantAnn).some(([k, v]) => haveAnn[k] !== v);
  if (annChanged) {
    const owners = node.systemAnnotations.map((l) => l.owner).join(', ') || 'system owners';
    throw new ApiError(
      422,
      'Invalid',
      `Node "${name}" is invalid: metadata.annotations: Forbidden: node annotations are written by their owners (${owners}); labels, taints and spec.unschedulable are writable`,
      { name, kind: 'Node', causes: [{ reason: 'FieldValueForbidden', field: 'metadata.annotations' }] },
    );
  }

  const want = desired.metadata.labels ?? {};
  const have = node.labels ?? {};
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(want)) if (have[k] !== v) set[k] = String(v);
  const remove = Object.keys(have).filter((k) => !Object.hasOwn(want, k));
  if (Object.keys(set).length || remove.length) await ctx.upstream.labelNode({ node: nodeRef, set, remove });

  const spec = (desired.spec ?? {}) as { unschedulable?: boolean; taints?: Taint[] };
  const wantTaints = (spec.taints ?? []).filter((t) => t.key !== UNSCHEDULABLE_TAINT);
  const haveTaints = node.taints.map(taintOut).filter((t) => t.key !== UNSCHEDULABLE_TAINT);
  if (
    JSON.stringify(wantTaints.map(taintId).sort()) !== JSON.stringify(haveTaints.map(taintId).sort()) ||
    wantTaints.some((t) => haveTaints.some((h) => sameTaint(h, t) && (h.value ?? '') !== (t.value ?? '')))
  ) {
    const systemTaints = node.systemTaints.flatMap((layer) =>
      layer.taints.map((t) => ({ owner: layer.owner, taint: taintOut(t) })),
    );
    for (const s of systemTaints) {
      if (!wantTaints.some((t) => sameTaint(t, s.taint))) {
        throw new ApiError(
          422,
          'Invalid',
          `Node "${name}" is invalid: spec.taints: Forbidden: taint ${taintId(s.taint)} is owned by ${s.owner}; only that service removes it`,
          { name, kind: 'Node', causes: [{ reason: 'FieldValueForbidden', field: 'spec.taints' }] },
        );
      }
    }
    const operatorWanted = wantTaints.filter((t) => !systemTaints.some((s) => sameTaint(s.taint, t)));
    const operatorHave = node.operatorTaints.map(taintOut);
    const taintSet = operatorWanted.filter(
      (t) => !operatorHave.some((h) => sameTaint(h, t) && (h.value ?? '') === (t.value ?? '')),
    );
    const taintRemove = operatorHave
      .filter((h) => !operatorWanted.some((t) => sameTaint(h, t)))
      .map((t) => ({ key: t.key, effect: t.effect }));
    if (taintSet.length || taintRemove.length) {
      await ctx.upstream.taintNode({
        node: nodeRef,
        set: taintSet.map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect })),
        remove: taintRemove,
      });
    }
  }

  const wantUnschedulable = spec.unschedulable === true;
  if (wantUnschedulable && node.schedulable)
    await ctx.upstream.cordonNode({ node: nodeRef, reason: 'kubectl cordon' });
  if (!wantUnschedulable && !node.schedulable) await ctx.upstream.uncordonNode({ node: nodeRef });
  return getNode(ctx, name);
}

const str = (description: string) => ({ type: 'string', description });

export const nodesResource: ResourceDef = {
  group: '',
  versions: ['v1'],
  storageVersion: 'v1',
  plural: 'nodes',
  singular: 'node',
  kind: 'Node',
  shortNames: ['no'],
  namespaced: false,
  verbs: ['get', 'list', 'watch', 'patch', 'update'],
  watchSubject: 'edgeplane.cluster.node.>',
  list: listNodes,
  get: getNode,
  replace: replaceNode,
  columns: [
    nameColumn,
    {
      name: 'Status',
      type: 'string',
      format: '',
      description: 'The status of the node (Ready condition; SchedulingDisabled when cordoned).',
      priority: 0,
    },
    {
      name: 'Roles',
      type: 'string',
      format: '',
      description: 'The roles of the node (node-role.kubernetes.io/* labels).',
      priority: 0,
    },
    ageColumn,
    {
      name: 'Version',
      type: 'string',
      format: '',
      description: 'Kubelet version reported by the node.',
      priority: 0,
    },
    { name: 'Internal-IP', type: 'string', format: '', description: 'List of internal IPs.', priority: 1 },
    { name: 'External-IP', type: 'string', format: '', description: 'List of external IPs.', priority: 1 },
    {
      name: 'OS-Image',
      type: 'string',
      format: '',
      description: 'OS image reported by the node.',
      priority: 1,
    },
    {
      name: 'Kernel-Version',
      type: 'string',
      format: '',
      description: 'Kernel version reported by the node.',
      priority: 1,
    },
    {
      name: 'Container-Runtime',
      type: 'string',
      format: '',
      description: 'Container runtime reported by the node.',
      priority: 1,
    },
  ],
  cells(obj, now) {
    const status = obj.status as {
      addresses: { type: string; address: string }[];
      nodeInfo: Record<string, string>;
    };
    const ip = (type: string) =>
      status.addresses
        .filter((a) => a.type === type)
        .map((a) => a.address)
        .join(',') || '<none>';
    return [
      obj.metadata.name,
      nodeStatus(obj),
      nodeRoles(obj.metadata.labels ?? {}),
      humanAge(obj.metadata.creationTimestamp as string | undefined, now),
      status.nodeInfo.kubeletVersion,
      ip('InternalIP'),
      ip('ExternalIP'),
      status.nodeInfo.osImage || '<unknown>',
      status.nodeInfo.kernelVersion || '<unknown>',
      status.nodeInfo.containerRuntimeVersion || '<unknown>',
    ];
  },
  schema: () => ({
    type: 'object',
    description:
      "Node is a worker node of an edge cluster: it joined with a token and runs the edge agent. Writes become the cluster service's commands (labels, taints, cordon).",
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: objectMetaSchema,
      spec: {
        type: 'object',
        description: 'NodeSpec describes the attributes that a node is created with.',
        properties: {
          unschedulable: {
            type: 'boolean',
            description: 'Unschedulable controls node schedulability of new pods (kubectl cordon).',
          },
          taints: {
            type: 'array',
            description:
              "If specified, the node's taints (operator taints are writable; system ones belong to their owner).",
            items: {
              type: 'object',
              required: ['key', 'effect'],
              properties: {
                key: str('The taint key.'),
                value: str('The taint value.'),
                effect: str('NoSchedule, PreferNoSchedule or NoExecute.'),
              },
            },
          },
        },
      },
      status: {
        type: 'object',
        description: 'NodeStatus is information about the current status of a node.',
        properties: {
          conditions: {
            type: 'array',
            description: 'Conditions is an array of current observed node conditions.',
            items: {
              type: 'object',
              properties: {
                type: str('Type of node condition.'),
                status: str('True, False or Unknown.'),
                reason: str('Reason for the condition.'),
                message: str('Human readable message.'),
              },
            },
          },
          addresses: {
            type: 'array',
            description: 'List of addresses reachable to the node.',
            items: {
              type: 'object',
              properties: { type: str('Node address type.'), address: str('The node address.') },
            },
          },
          nodeInfo: {
            type: 'object',
            description: 'Set of ids/uuids to uniquely identify the node.',
            additionalProperties: { type: 'string' },
          },
        },
      },
    },
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Node' }],
  }),
};
