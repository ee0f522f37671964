import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, kubeGet, kubeWatch } from '../api';
import type { LiveState } from '../nodes';

/** The health arbiter's verdict vocabulary (libs/contracts VerdictSchema). */
export type Verdict = 'Ready' | 'NotReadyNoSchedule' | 'NotReadyNoExecute' | 'Unknown';
export const VERDICTS: readonly Verdict[] = ['Ready', 'NotReadyNoSchedule', 'NotReadyNoExecute', 'Unknown'];

export interface Quorum {
  peerSetSize: number;
  needed: number;
  fresh: number;
  healthyVotes: number;
  unhealthyVotes: number;
  abstained: number;
}
export interface PeerVote {
  peer: string;
  healthy: boolean;
  ageMs: number;
  fresh: boolean;
  stale: boolean;
  abstained: boolean;
  counted: boolean;
}
/** health.edgeplane.io/v1 NodeHealth (services/kube-api/src/resources/node-healths.ts). */
export interface NodeHealth {
  /** when this browser received the answer (Date.now()): ages are counted on from it */
  receivedAt?: number;
  metadata: { name: string; resourceVersion?: string; labels?: Record<string, string> };
  status: {
    verdict: Verdict | '';
    rule: string;
    since: string | null;
    units: string[];
    cloud: { lost: boolean; lastSeen: string | null; ageMs?: number | null; graceMs?: number };
    quorum: Quorum;
    evidenceAsOf: string | null;
    observedAt: string;
    // a get (and a watch event) carries the whole explanation
    explanation?: string;
    computedVerdict?: Verdict | '';
    computedRule?: string;
    scope?: string;
    peers?: PeerVote[];
    frozen?: boolean;
    darkUnits?: string[];
    taints?: { key: string; value?: string; effect: string }[];
    condition?: { status: string; reason: string; message: string };
    history?: { at: string; verdict: Verdict | ''; previous: Verdict | null; rule: string }[];
    holdingUntil?: string | null;
    fromRecord?: boolean;
  };
}
interface NodeHealthList {
  metadata: { resourceVersion: string; continue?: string };
  items: NodeHealth[];
}
export interface HealthState {
  byName: Map<string, NodeHealth>;
  resourceVersion: string;
}

export const HEALTH_PATH = '/apis/health.edgeplane.io/v1/nodehealths';
const PAGE = 1000;
/** at most this many nodes are held (pages of 1000) */
const MAX_ITEMS = 100_000;

export const healthKey = (clusterId: string) => ['nodehealths', clusterId] as const;
export const explanationKey = (clusterId: string, node: string) => ['nodehealth', clusterId, node] as const;

async function listHealth(signal: AbortSignal): Promise<HealthState> {
  const byName = new Map<string, NodeHealth>();
  let cont = '';
  let resourceVersion = '';
  do {
    const page = await kubeGet<NodeHealthList>(
      `${HEALTH_PATH}?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
      signal,
    );
    if (!resourceVersion) resourceVersion = page.metadata.resourceVersion;
    for (const n of page.items) byName.set(n.metadata.name, n);
    cont = page.metadata.continue ?? '';
  } while (cont && byName.size < MAX_ITEMS);
  return { byName, resourceVersion };
}

/**
 * Every node's verdict: listed once, then kept current by a watch of nodehealths from the list's
 * resourceVersion (the arbiter's NodeVerdictChanged events): resumed where the server ended it,
 * `410 Gone` lists again, network errors back off 0.5 s … 30 s. A watch event carries the node's
 * whole explanation, so an open explanation is updated from it too.
 */
export function useNodeHealths(clusterId: string) {
  const client = useQueryClient();
  const key = healthKey(clusterId);
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => listHealth(signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (n, e) => !(e instanceof ApiError && [401, 403, 404].includes(e.status)) && n < 3,
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
          rv = await kubeWatch<NodeHealth>(
            HEALTH_PATH,
            rv,
            (e) => {
              if (e.type === 'BOOKMARK') return;
              const name = e.object.metadata.name;
              client.setQueryData<HealthState>(key, (old) => {
                const byName = new Map(old?.byName);
                if (e.type === 'DELETED') byName.delete(name);
                else byName.set(name, e.object);
                return {
                  byName,
                  resourceVersion: e.object.metadata.resourceVersion ?? old?.resourceVersion ?? rv,
                };
              });
              if (e.type !== 'DELETED' && e.object.status?.peers)
                client.setQueryData(explanationKey(clusterId, name), { ...e.object, receivedAt: Date.now() });
            },
            abort.signal,
          );
          failures = 0;
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof ApiError && error.status === 410) {
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

/** One node's whole explanation (GET nodehealths/<node>); the list's watch replaces it on a change. */
export function useExplanation(clusterId: string, node: string | undefined) {
  return useQuery({
    queryKey: explanationKey(clusterId, node ?? ''),
    queryFn: async ({ signal }) => ({
      ...(await kubeGet<NodeHealth>(`${HEALTH_PATH}/${encodeURIComponent(node ?? '')}`, signal)),
      receivedAt: Date.now(),
    }),
    enabled: Boolean(node),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (n, e) => !(e instanceof ApiError && [401, 403, 404].includes(e.status)) && n < 2,
  });
}

export const DEFAULT_UNIT = 'unit-node-all';
export const NO_UNIT = '(no unit)';

export interface MatrixRow {
  unit: string;
  nodes: NodeHealth[];
}

/**
 * Units (rows) × nodes (cells): a node appears in every unit it is a member of; the default unit
 * (every node) is left out, and nodes of no other unit form the row "(no unit)". `filter` matches
 * a unit or node name; `verdicts` (empty: all) keeps those cells.
 */
export function matrixRows(
  byName: ReadonlyMap<string, NodeHealth>,
  filter: string,
  verdicts: readonly string[],
): MatrixRow[] {
  const units = new Map<string, NodeHealth[]>();
  const q = filter.trim().toLowerCase();
  for (const n of byName.values()) {
    if (verdicts.length && !verdicts.includes(n.status.verdict)) continue;
    const own = (n.status.units ?? []).filter((u) => u !== DEFAULT_UNIT);
    for (const u of own.length ? own : [NO_UNIT]) {
      if (q && !u.toLowerCase().includes(q) && !n.metadata.name.toLowerCase().includes(q)) continue;
      let list = units.get(u);
      if (!list) units.set(u, (list = []));
      list.push(n);
    }
  }
  return [...units.entries()]
    .sort(([a], [b]) => (a === NO_UNIT ? 1 : b === NO_UNIT ? -1 : a.localeCompare(b)))
    .map(([unit, nodes]) => ({
      unit,
      nodes: nodes.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)),
    }));
}

/** The cloud's contact with the node (as of the last change for a list row). */
export function cloudState(n: NodeHealth): 'ok' | 'lost' | 'never' {
  if (!n.status.cloud.lastSeen) return 'never';
  return n.status.cloud.lost ? 'lost' : 'ok';
}

/** A duration in words: 850 ms, 12 s, 3 min 4 s, 2 h 5 min. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const h = Math.floor(m / 60);
  return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
}
