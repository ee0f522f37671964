import { useQuery, useQueryClient } from '@tanstack/react-query';
import { kubeGet, kubeRequest } from '../api';
import { keyOf, useLiveList, type LiveList } from '../grids/live';

export const SITE_GROUP = 'site.superedge.io';
export const SITE = `/apis/${SITE_GROUP}/v1alpha2`;

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}
export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
export interface NodeUnit {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    resourceVersion?: string;
    creationTimestamp?: string | null;
    labels?: Record<string, string>;
  };
  spec: {
    type?: string;
    nodes?: string[];
    selector?: Selector;
    setNode?: { labels?: Record<string, string>; annotations?: Record<string, string>; taints?: Taint[] };
  };
  status?: { readyNodes?: string[]; notReadyNodes?: string[]; readyRate?: string; kinsPhase?: string };
}
export interface NodeGroup {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; resourceVersion?: string; creationTimestamp?: string | null };
  spec: { nodeUnits?: string[]; selector?: Selector; autoFindNodeKeys?: string[] };
  status?: { nodeUnits?: string[]; unitNumber?: number };
}
export interface Kins {
  metadata: { name: string };
  status: {
    phase: 'none' | 'promoting' | 'independent' | 'failed' | 'demoting' | string;
    generation?: number;
    mode?: string;
    nodes?: { name: string; role: string }[];
    serviceCIDR?: string;
    clusterDNS?: string;
    nodePortRange?: { from: number; to: number };
    publicAccess?: boolean;
    failureReason?: string;
    apiServerEndpoint?: string;
    k3sVersion?: string;
  };
}

/** Units and groups are cached under this key; the node watch invalidates it (readiness, labels). */
export const siteKey = (clusterId: string) => ['site', clusterId];
const unitsKey = (clusterId: string) => [...siteKey(clusterId), 'nodeunits'];
const groupsKey = (clusterId: string) => [...siteKey(clusterId), 'nodegroups'];
const kinsKey = (clusterId: string, unit: string) => ['kins', clusterId, unit];

const sorted = <T extends { metadata: { name: string } }>(l: LiveList<T> | undefined) =>
  l ? [...l.byKey.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)) : undefined;

/**
 * NodeUnits: listed, then kept current by a watch (the unit's own events: created, updated, members,
 * Kins phases). Readiness follows the nodes' health, which is not a unit event: the node watch
 * (nodes.ts) invalidates the site key, and the list is read again.
 */
export function useNodeUnits(clusterId: string) {
  const client = useQueryClient();
  const q = useLiveList<NodeUnit>(unitsKey(clusterId), `${SITE}/nodeunits`, {
    onEvent: (_type, u) => void client.invalidateQueries({ queryKey: kinsKey(clusterId, u.metadata.name) }),
  });
  return { ...q, data: sorted(q.data) };
}

export function useNodeGroups(clusterId: string) {
  const q = useLiveList<NodeGroup>(groupsKey(clusterId), `${SITE}/nodegroups`);
  return { ...q, data: sorted(q.data) };
}

/** The unit's Kins state (`nodeunits/<name>/kins`), read again on every event of the unit. */
export function useKins(clusterId: string, unit: string) {
  return useQuery({
    queryKey: kinsKey(clusterId, unit),
    queryFn: ({ signal }) => kubeGet<Kins>(`${SITE}/nodeunits/${encodeURIComponent(unit)}/kins`, signal),
    refetchOnWindowFocus: false,
    retry: 1,
  });
}

export function kinsAction(
  unit: string,
  body: { action: 'promote'; mode: string; servers?: string[] } | { action: 'demote' },
) {
  return kubeRequest<Kins>('POST', `${SITE}/nodeunits/${encodeURIComponent(unit)}/kins`, { body });
}

/** Create (POST) or replace (PUT) a unit or group: the API's 422 causes name the fields. */
export function saveSite<T extends NodeUnit | NodeGroup>(
  plural: 'nodeunits' | 'nodegroups',
  obj: T,
  existing: boolean,
): Promise<T> {
  return existing
    ? kubeRequest<T>(
        'PUT',
        `${SITE}/${plural}/${encodeURIComponent(obj.metadata.name)}?fieldValidation=Strict`,
        {
          body: obj,
        },
      )
    : kubeRequest<T>('POST', `${SITE}/${plural}?fieldValidation=Strict`, { body: obj });
}

export function deleteSite(plural: 'nodeunits' | 'nodegroups', name: string) {
  return kubeRequest<unknown>('DELETE', `${SITE}/${plural}/${encodeURIComponent(name)}`);
}

export { keyOf };

// ------------------------------------------------------------------ text forms of maps and lists

export function selectorText(s: Selector | undefined): string {
  if (!s) return '';
  return [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s.matchExpressions ?? []).map(
      (e) => `${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(',')})` : ''}`,
    ),
  ].join(', ');
}

export const mapText = (m: Record<string, string> | undefined) =>
  Object.entries(m ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

export const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

/** `a, b\nc` → ['a', 'b', 'c'] (commas or new lines; blanks dropped). */
export const listOf = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** `k=v` per line (or comma): a problem names the line. */
export function parseMap(text: string): { map: Record<string, string>; problem?: string } {
  const map: Record<string, string> = {};
  for (const item of listOf(text)) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { map, problem: `"${item}" is not key=value` };
    map[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return { map };
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `key=value:Effect` per line, as kubectl taint spells them. */
export function parseTaints(text: string): { taints: Taint[]; problem?: string } {
  const taints: Taint[] = [];
  for (const item of listOf(text)) {
    const m = /^([^=:\s]+)(?:=([^:\s]*))?:(\S+)$/.exec(item);
    if (!m) return { taints, problem: `"${item}" is not key=value:Effect` };
    if (!EFFECTS.includes(m[3]!))
      return { taints, problem: `"${item}": the effect must be ${EFFECTS.join(', ')}` };
    taints.push({ key: m[1]!, ...(m[2] ? { value: m[2] } : {}), effect: m[3]! });
  }
  return { taints };
}
