import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
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
  /** the newest resourceVersion seen (the list's, then each watch event's) */
  resourceVersion: string;
  /** the list's resourceVersion: the watch starts there once every page is in */
  listedAt: string;
  /** the continue token of the pages still to read; '' once the list is complete */
  more: string;
  /** why reading the rest of the pages stopped (the API's words) */
  restError?: string;
}

/** Nodes per list request (the kube API pages by the owner's page size, 1000 at most). */
const PAGE = 500;
const listPath = (cont: string) =>
  `/api/v1/nodes?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;

/** The first page only: the list shows at once; the rest is read in the background (useNodes). */
async function listFirstPage(signal: AbortSignal): Promise<NodesState> {
  const page = await kubeGet<NodeList>(listPath(''), signal);
  const rv = page.metadata.resourceVersion;
  return {
    byName: new Map(page.items.map((n) => [n.metadata.name, n])),
    resourceVersion: rv,
    listedAt: rv,
    more: page.metadata.continue ?? '',
  };
}

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * The cluster's nodes: listed (first page at once, the other pages after it in the background),
 * then kept current by a watch from the list's resourceVersion once every page is in.
 * `data` is undefined until the list is complete, unless `partial` (the nodes list shows the
 * first pages while the rest come; pages that look a node up keep the complete list only).
 */
export function useNodes(clusterId: string, options: { partial?: boolean } = {}) {
  const client = useQueryClient();
  const key = useMemo(() => ['nodes', clusterId], [clusterId]);
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => listFirstPage(signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (n, e) => !(e instanceof ApiError && (e.status === 401 || e.status === 403)) && n < 3,
  });
  const [live, setLive] = useState<LiveState>('connecting');
  const listedAt = query.data?.listedAt;
  const complete = query.data !== undefined && !query.data.more;

  // the rest of the pages, one after the other, each merged into the cache as it comes
  const reading = query.data !== undefined && !!query.data.more && !query.data.restError;
  useEffect(() => {
    if (!listedAt || !reading) return;
    const abort = new AbortController();
    (async () => {
      let failures = 0;
      for (;;) {
        const cont = client.getQueryData<NodesState>(key)?.more ?? '';
        if (!cont || abort.signal.aborted) return;
        try {
          const page = await kubeGet<NodeList>(listPath(cont), abort.signal);
          failures = 0;
          client.setQueryData<NodesState>(key, (old) => {
            if (!old || old.listedAt !== listedAt) return old;
            const byName = new Map(old.byName);
            for (const n of page.items) byName.set(n.metadata.name, n);
            return { ...old, byName, more: page.metadata.continue ?? '' };
          });
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof ApiError && error.status === 410) {
            // the continue token expired: list again from the first page
            void client.invalidateQueries({ queryKey: key });
            return;
          }
          if (
            ++failures > 3 ||
            (error instanceof ApiError && (error.status === 401 || error.status === 403))
          ) {
            const restError = (error as Error).message;
            client.setQueryData<NodesState>(key, (old) => old && { ...old, restError });
            return;
          }
          await new Promise((r) => setTimeout(r, 500 * 2 ** failures));
        }
      }
    })();
    return () => abort.abort();
  }, [client, key, listedAt, reading]);

  useEffect(() => {
    if (!listedAt || !complete) return;
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
                if (!old) return old;
                const byName = new Map(old.byName);
                if (e.type === 'DELETED') byName.delete(e.object.metadata.name);
                else byName.set(e.object.metadata.name, e.object);
                return { ...old, byName, resourceVersion: e.object.metadata.resourceVersion ?? rv };
              });
            },
            abort.signal,
          );
          failures = 0;
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof ApiError && error.status === 410) {
            // the position is gone: list again (the effects restart from the new list)
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
  }, [client, key, clusterId, listedAt, complete]);

  const data = query.data && (options.partial || complete) ? query.data : undefined;
  return {
    ...query,
    data,
    isPending: query.isPending || (!data && !query.error),
    /** every page is in (the watch runs from then on) */
    complete,
    live,
  };
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
