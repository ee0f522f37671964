import { STREAMS } from '@edgeplane/contracts';
import type { EdgeplaneGridV1 } from '@edgeplane/proto';
import { parse as parseYaml } from 'yaml';
import { notFound } from '../http/status.js';
import { equalityValue, fieldsMatch, parseFieldSelector } from './field-selector.js';
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
 * v1 Pods: the grid service's pods (every child's pods, placed on a node of their unit or Pending
 * with the reason), read through ListPods/GetPod. Read-only here: pods follow their grid. The pod
 * labels are those the grid renders (the template's, plus `superedge.io/grid-selector` and
 * `edgeplane.io/unit`); the namespace is the grid's. `pods/log` and `pods/exec` hang off this
 * resource (`pod-subresources.ts` uses `findPod`).
 */
const PAGE_MAX = 1000;
/** Upper bound of pods read to answer a namespace- or field-selected list (filtered here). */
const FILTERED_MAX = 20_000;
const DEFAULT_NAMESPACE = 'default';
const GRID_SELECTOR_LABEL = 'superedge.io/grid-selector';
const UNIT_LABEL = 'edgeplane.io/unit';
const FIELDS = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'];

type Pod = EdgeplaneGridV1.Pod__Output;
type Grid = EdgeplaneGridV1.Grid__Output;
type Obj = Record<string, unknown>;

/** A grid's namespace and the pod labels of each of its units' templates. */
interface GridFacts {
  namespace: string;
  labelsOf(unit: string): Record<string, string>;
}

function gridFacts(g: Grid | undefined): GridFacts {
  let manifest: Obj = {};
  try {
    manifest = ((g && parseYaml(g.manifestYaml, { maxAliasCount: 0 })) as Obj | null) ?? {};
  } catch {
    manifest = {};
  }
  const md = (manifest.metadata ?? {}) as { namespace?: string };
  const spec = (manifest.spec ?? {}) as {
    template?: Obj;
    templatePool?: Record<string, Obj>;
    templates?: Record<string, string>;
    defaultTemplateName?: string;
  };
  const podLabels = (t: Obj | undefined) =>
    ((t?.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels ??
      {}) as Record<string, string>;
  return {
    namespace: md.namespace || DEFAULT_NAMESPACE,
    labelsOf(unit) {
      const name = spec.templates?.[unit] ?? spec.defaultTemplateName ?? 'default';
      const t = name === 'default' ? spec.template : (spec.templatePool?.[name] ?? spec.template);
      return podLabels(t);
    },
  };
}

/** Grids by name, read once per request (a pod names its grid). */
class GridIndex {
  private readonly cache = new Map<string, Promise<GridFacts>>();
  private all?: Promise<void>;
  constructor(private readonly ctx: RequestContext) {}

  /** Every grid of the cluster in one go (a list of many pods touches many grids). */
  async loadAll(): Promise<void> {
    this.all ??= (async () => {
      let token = '';
      let seen = 0;
      do {
        const page = await this.ctx.upstream.listGrids({
          cluster: this.ctx.clusterId,
          kind: '',
          pageSize: PAGE_MAX,
          pageToken: token,
        });
        for (const g of page.grids) this.cache.set(g.name, Promise.resolve(gridFacts(g)));
        seen += page.grids.length;
        token = page.nextPageToken;
      } while (token && seen < FILTERED_MAX);
    })();
    return this.all;
  }

  facts(name: string): Promise<GridFacts> {
    let hit = this.cache.get(name);
    if (!hit) {
      hit = this.ctx.upstream
        .getGrid({ cluster: this.ctx.clusterId, name })
        .then(gridFacts)
        .catch(() => gridFacts(undefined));
      this.cache.set(name, hit);
    }
    return hit;
  }
}

function containersOf(specYaml: string): Obj[] {
  if (!specYaml) return [];
  try {
    const spec = parseYaml(specYaml, { maxAliasCount: 0 }) as { containers?: Obj[] } | null;
    return Array.isArray(spec?.containers) ? spec.containers : [];
  } catch {
    return [];
  }
}

/** Kubernetes' phase and the STATUS kubectl users read, from placement and the agent's report. */
function statusOf(p: Pod): { phase: string; display: string; ready: boolean; ip: string } {
  if (!p.node) return { phase: 'Pending', display: 'Pending', ready: false, ip: '' };
  if (!p.reported) return { phase: 'Pending', display: 'Scheduled', ready: false, ip: '' };
  if (p.failed) return { phase: 'Failed', display: p.statusReason || 'Failed', ready: false, ip: p.ip };
  if (p.ready) return { phase: 'Running', display: 'Running', ready: true, ip: p.ip };
  // the agent reports, and has not started it (or it is not ready yet)
  return { phase: 'Pending', display: p.statusReason || 'ContainerCreating', ready: false, ip: p.ip };
}

export function podObject(ctx: RequestContext, p: Pod, facts: GridFacts): KubeObject {
  const s = statusOf(p);
  const containers = containersOf(p.specYaml);
  const names = containers.map((c) => String(c.name ?? ''));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: facts.namespace,
      uid: stableUid(ctx.clusterId, 'pod', p.name),
      resourceVersion: ctx.resourceVersion,
      creationTimestamp: p.updatedAt || null,
      labels: { ...facts.labelsOf(p.unit), [GRID_SELECTOR_LABEL]: p.grid, [UNIT_LABEL]: p.unit },
      annotations: { 'edgeplane.io/child': p.child, 'edgeplane.io/revision': p.revision },
    },
    spec: {
      ...(p.node ? { nodeName: p.node } : {}),
      ...(containers.length ? { containers } : {}),
    },
    status: {
      phase: s.phase,
      conditions: [
        p.node
          ? { type: 'PodScheduled', status: 'True' }
          : { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: p.reason },
        ...(p.node ? [{ type: 'Ready', status: s.ready ? 'True' : 'False' }] : []),
      ],
      ...(s.ip ? { podIP: s.ip, podIPs: [{ ip: s.ip }] } : {}),
      ...(names.length
        ? {
            containerStatuses: names.map((name) => ({
              name,
              ready: s.ready,
              restartCount: 0,
              state: s.ready
                ? { running: {} }
                : { waiting: { reason: s.display === 'Pending' ? 'Unschedulable' : s.display } },
            })),
          }
        : {}),
      // what kubectl's STATUS column shows (Table); not a Kubernetes field
      reason: s.display === 'Running' ? undefined : s.display,
    },
  };
}

type ReportedPod = {
  name?: string;
  ready?: boolean;
  phase?: string;
  reason?: string;
  podIP?: string;
  revision?: string;
};
const FAILED_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff']);
const podReadyOf = (o: KubeObject) =>
  ((o.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

const fieldsOf = (o: KubeObject): Record<string, string> => ({
  'metadata.name': o.metadata.name,
  'metadata.namespace': String(o.metadata.namespace ?? ''),
  'spec.nodeName': String((o.spec as { nodeName?: string }).nodeName ?? ''),
  'status.phase': String((o.status as { phase?: string }).phase ?? ''),
});

/**
 * A pod by name in the request's namespace (404 otherwise), with the grid service's view of it —
 * what `pods/log` and `pods/exec` need to find the node.
 */
export async function findPod(ctx: RequestContext, name: string): Promise<{ pod: Pod; object: KubeObject }> {
  const pod = await ctx.upstream.getPod({ cluster: ctx.clusterId, name });
  const object = podObject(ctx, pod, await new GridIndex(ctx).facts(pod.grid));
  if (ctx.namespace !== undefined && object.metadata.namespace !== ctx.namespace)
    throw notFound('pods', name);
  return { pod, object };
}

export const podsResource: ResourceDef = {
  group: '',
  versions: ['v1'],
  storageVersion: 'v1',
  plural: 'pods',
  singular: 'pod',
  kind: 'Pod',
  shortNames: ['po'],
  namespaced: true,
  verbs: ['get', 'list', 'watch'],
  watchStream: STREAMS.GRID.name,
  watchSubject: 'edgeplane.grid.pod.>',
  watchEvent(type, data) {
    if (typeof data.pod !== 'string') return undefined;
    return { name: data.pod, added: type === 'PodScheduled' && data.previousNode === null };
  },
  // readiness, failures and IPs come from the agents' reports (tunnel stream), which the grid
  // service folds into each pod: a changed report is a MODIFIED pod once the grid shows it
  statusWatch: {
    stream: STREAMS.TUNNEL.name,
    subject: 'edgeplane.tunnel.node.pods-status-reported',
    hits(type, data) {
      if (type !== 'NodePodsStatusReported' || !Array.isArray(data.pods)) return [];
      return (data.pods as ReportedPod[])
        .filter((p): p is ReportedPod & { name: string } => typeof p?.name === 'string')
        .map((p) => {
          const ready = p.ready === true;
          const failed = p.phase === 'Failed' || FAILED_REASONS.has(p.reason ?? '');
          return {
            name: p.name,
            added: false,
            key: `${ready}|${failed}|${p.podIP ?? ''}|${p.reason ?? ''}|${p.revision ?? ''}`,
            settled: (o: KubeObject) => podReadyOf(o) === ready,
          };
        });
    },
  },
  async list(ctx, o) {
    const terms = parseFieldSelector(o.fieldSelector, FIELDS);
    const grids = new GridIndex(ctx);
    const byName = equalityValue(terms, 'metadata.name');
    const keep = (obj: KubeObject) =>
      (ctx.namespace === undefined || obj.metadata.namespace === ctx.namespace) &&
      fieldsMatch(terms, fieldsOf(obj));
    if (byName !== undefined) {
      try {
        const { object } = await findPod(ctx, byName);
        return { items: keep(object) ? [object] : [] };
      } catch (error) {
        if ((error as { code?: number }).code === 404 || (error as { code?: number }).code === 5)
          return { items: [] };
        throw error;
      }
    }
    const node = equalityValue(terms, 'spec.nodeName') ?? '';
    const toObjects = async (pods: Pod[]) => {
      if (pods.length > 1) await grids.loadAll();
      const out: KubeObject[] = [];
      for (const p of pods) {
        const obj = podObject(ctx, p, await grids.facts(p.grid));
        if (keep(obj)) out.push(obj);
      }
      return out;
    };
    const otherFilters =
      ctx.namespace !== undefined || terms.some((t) => t.field !== 'spec.nodeName' || !t.equal);
    if (!otherFilters) {
      // the owner filters by node and pages: its continue token is ours
      const page = await ctx.upstream.listPods({
        cluster: ctx.clusterId,
        grid: '',
        unit: '',
        node,
        pageSize: Math.min(o.limit || PAGE_MAX, PAGE_MAX),
        pageToken: o.continueToken,
      });
      return {
        items: await toObjects(page.pods),
        ...(page.nextPageToken ? { continueToken: page.nextPageToken } : {}),
      };
    }
    const items: KubeObject[] = [];
    let token = '';
    let seen = 0;
    do {
      const page = await ctx.upstream.listPods({
        cluster: ctx.clusterId,
        grid: '',
        unit: '',
        node,
        pageSize: PAGE_MAX,
        pageToken: token,
      });
      seen += page.pods.length;
      items.push(...(await toObjects(page.pods)));
      token = page.nextPageToken;
    } while (token && seen < FILTERED_MAX);
    return { items };
  },
  async get(ctx, name) {
    return (await findPod(ctx, name)).object;
  },
  fieldMatches(obj, fieldSelector) {
    return fieldsMatch(parseFieldSelector(fieldSelector, FIELDS), fieldsOf(obj));
  },
  columns: [
    nameColumn,
    { name: 'Ready', type: 'string', format: '', description: 'Ready containers / containers.', priority: 0 },
    {
      name: 'Status',
      type: 'string',
      format: '',
      description: 'The pod status (phase or reason).',
      priority: 0,
    },
    { name: 'Restarts', type: 'string', format: '', description: 'Container restarts.', priority: 0 },
    ageColumn,
    { name: 'IP', type: 'string', format: '', description: 'The pod IP its agent reported.', priority: 1 },
    { name: 'Node', type: 'string', format: '', description: 'The node the pod is placed on.', priority: 1 },
    { name: 'Unit', type: 'string', format: '', description: 'The NodeUnit of its child.', priority: 1 },
  ],
  cells(obj, now) {
    const status = obj.status as {
      phase: string;
      reason?: string;
      podIP?: string;
      containerStatuses?: { ready: boolean; restartCount: number }[];
    };
    const cs = status.containerStatuses ?? [];
    const total = Math.max(cs.length, 1);
    return [
      obj.metadata.name,
      `${cs.filter((c) => c.ready).length}/${total}`,
      status.reason ?? status.phase,
      String(cs.reduce((n, c) => n + c.restartCount, 0)),
      humanAge(obj.metadata.creationTimestamp as string | undefined, now),
      status.podIP ?? '<none>',
      (obj.spec as { nodeName?: string }).nodeName ?? '<none>',
      obj.metadata.labels?.[UNIT_LABEL] ?? '<none>',
    ];
  },
  schema: () => podSchema,
};

const str = (description: string) => ({ type: 'string', description });
const podSchema = {
  type: 'object',
  description:
    'Pod: one pod of a grid child, placed on a node of its unit by the grid service (read-only here: change the grid).',
  properties: {
    apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
    kind: str('Kind is a string value representing the REST resource this object represents.'),
    metadata: {
      ...objectMetaSchema,
      properties: { ...objectMetaSchema.properties, namespace: str("The grid's namespace.") },
    },
    spec: {
      type: 'object',
      description: 'The pod spec as rendered for its node.',
      properties: {
        nodeName: str('The node the pod is placed on (absent while Pending).'),
        containers: {
          type: 'array',
          description: 'Containers of the pod (GetPod only).',
          items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
    status: {
      type: 'object',
      description: 'Placement and what the node agent reported.',
      properties: {
        phase: str('Pending, Running, Succeeded, Failed or Unknown.'),
        conditions: {
          type: 'array',
          description: 'PodScheduled (with the reason while Pending) and Ready.',
          items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
        podIP: str('The pod IP its agent reported.'),
      },
    },
  },
  'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Pod' }],
};
