import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, kubeGet, kubeWatch } from './api';
import { siteKey } from './sites/site';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}
export interface KubeNode {
  metadata: {
    name: string;
    resourceVersion?: string;
    creationTimestamp?: string | null;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: {
    conditions?: {
      type: string;
      status: string;
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: {
      kubeletVersion?: string;
      architecture?: string;
      osImage?: string;
      containerRuntimeVersion?: string;
    };
  };
}
interface NodeList {
  metadata: { resourceVersion: string; continue?: string };
  items: KubeNode[];
}
export interface NodesState {
  /** by name, sorted on read */
  byName: Map<string, KubeNode>;
  resourceVersion: string;
}

const PAGE = 500;

async function listNodes(signal: AbortSignal): Promise<NodesState> {
  const byName = new Map<string, KubeNode>();
  let cont = '';
  let resourceVersion = '';
  do {
    const page = await kubeGet<NodeList>(
      `/api/v1/nodes?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
      signal,
    );
    if (!resourceVersion) resourceVersion = page.metadata.resourceVersion;
    for (const n of page.items) byName.set(n.metadata.name, n);
    cont = page.metadata.continue ?? '';
  } while (cont);
  return { byName, resourceVersion };
}

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** The cluster's nodes: listed once, then kept current by a watch from the list's resourceVersion. */
export function useNodes(clusterId: string) {
  const client = useQueryClient();
  const key = ['nodes', clusterId];
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => listNodes(signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (n, e) => !(e instanceof ApiError && (e.status === 401 || e.status === 403)) && n < 3,
  });
  const [live, setLive] = useState<LiveState>('connecting');
  const listedAt = query.data?.resourceVersion;
  useEffect(() => {
    if (!listedAt) return;
    const abort = new AbortController();
    let rv = listedAt;
    (async () => {
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          setLive('live');
          rv = await kubeWatch<KubeNode>(
            '/api/v1/nodes',
            rv,
            (e) => {
              if (e.type === 'BOOKMARK') return;
              const before = client.getQueryData<NodesState>(key)?.byName.get(e.object.metadata.name);
              if (!before || e.type === 'DELETED' || siteSignature(before) !== siteSignature(e.object))
                void client.invalidateQueries({ queryKey: siteKey(clusterId) });
              client.setQueryData<NodesState>(key, (old) => {
                const byName = new Map(old?.byName);
                if (e.type === 'DELETED') byName.delete(e.object.metadata.name);
                else byName.set(e.object.metadata.name, e.object);
                return {
                  byName,
                  resourceVersion: e.object.metadata.resourceVersion ?? old?.resourceVersion ?? rv,
                };
              });
            },
            abort.signal,
          );
          failures = 0;
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof ApiError && error.status === 410) {
            // the position is gone: list again (the effect restarts from the new list)
            void client.invalidateQueries({ queryKey: key });
            return;
          }
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return;
          setLive('reconnecting');
          failures += 1;
          await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** failures)));
        }
      }
    })();
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [clusterId, listedAt]);
  return { ...query, live };
}

/** What a NodeUnit's readyRate and a NodeGroup's units depend on: membership labels and readiness. */
function siteSignature(n: KubeNode): string {
  return `${nodeUnits(n)}|${nodeStatus(n)}|${JSON.stringify(n.metadata.labels ?? {})}`;
}

export function nodeStatus(n: KubeNode): string {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const base = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
  return n.spec?.unschedulable ? `${base},SchedulingDisabled` : base;
}

export function nodeRoles(n: KubeNode): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

/** The NodeUnits a node is a member of (`<unit>: nodeunits.superedge.io`). */
export function nodeUnits(n: KubeNode): string {
  const units = Object.entries(n.metadata.labels ?? {})
    .filter(([, v]) => v === 'nodeunits.superedge.io')
    .map(([k]) => k)
    .sort();
  return units.length ? units.join(',') : '<none>';
}

export function taintText(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

/** kubectl's AGE: 5s, 3m, 2h, 4d. */
export function age(ts: string | null | undefined, now = Date.now()): string {
  if (!ts) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 120 * 60) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
