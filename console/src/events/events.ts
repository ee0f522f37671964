import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, kubeGet, kubeWatch } from '../api';
import type { LiveState } from '../nodes';

/** A core/v1 Event of the kube API (services/kube-api resources/events.ts: one per domain event). */
export interface KubeEvent {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string };
  involvedObject: { kind: string; name: string; namespace?: string; apiVersion?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning' | string;
  eventTime?: string;
  lastTimestamp?: string;
  source?: { component?: string };
}
interface EventList {
  metadata: { resourceVersion: string; continue?: string };
  items: KubeEvent[];
}

/** What the events view filters on; every field travels in the URL query. */
export interface EventFilter {
  node?: string;
  unit?: string;
  grid?: string;
  /** the domain event type (the Event's reason) */
  reason?: string;
  /** Normal or Warning */
  type?: string;
  /** an age (`1h`) or an RFC 3339 time */
  since?: string;
  until?: string;
  /** one object: kind + name (the node page's timeline) */
  kind?: string;
  name?: string;
}

/** The kube API field selector of a filter (the kube-api README documents the edgeplane.io/* fields). */
export function fieldSelectorOf(f: EventFilter): string {
  const terms: string[] = [];
  if (f.kind) terms.push(`involvedObject.kind=${f.kind}`);
  if (f.name) terms.push(`involvedObject.name=${f.name}`);
  if (f.node) terms.push(`edgeplane.io/node=${f.node}`);
  if (f.unit) terms.push(`edgeplane.io/unit=${f.unit}`);
  if (f.grid) terms.push(`edgeplane.io/grid=${f.grid}`);
  if (f.reason) terms.push(`reason=${f.reason}`);
  if (f.type) terms.push(`type=${f.type}`);
  if (f.since) terms.push(`edgeplane.io/since=${f.since}`);
  if (f.until) terms.push(`edgeplane.io/until=${f.until}`);
  return terms.join(',');
}

export function eventTime(e: KubeEvent): string {
  return e.eventTime ?? e.lastTimestamp ?? '';
}

const PAGE = 100;

/**
 * The cluster's events matching `filter`, newest first: pages of the list (`limit` + `continue`,
 * older ones on demand), and above them what a watch from the first page's resourceVersion
 * brings while the view is open. A 410 from the watch lists again; network errors back off.
 */
export function useEvents(clusterId: string, filter: EventFilter, pageSize = PAGE) {
  const client = useQueryClient();
  const selector = fieldSelectorOf(filter);
  const key = ['events', clusterId, selector, pageSize];
  const query = useInfiniteQuery({
    queryKey: key,
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      kubeGet<EventList>(
        `/api/v1/events?limit=${pageSize}${selector ? `&fieldSelector=${encodeURIComponent(selector)}` : ''}${pageParam ? `&continue=${encodeURIComponent(pageParam)}` : ''}`,
        signal,
      ),
    getNextPageParam: (last) => last.metadata.continue || undefined,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 3,
  });
  const listedAt = query.data?.pages[0]?.metadata.resourceVersion;
  const [live, setLive] = useState<LiveState>('connecting');
  const [fresh, setFresh] = useState<KubeEvent[]>([]);
  useEffect(() => {
    setFresh([]);
    if (!listedAt) return;
    const abort = new AbortController();
    let rv = listedAt;
    (async () => {
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          setLive('live');
          rv = await kubeWatch<KubeEvent>(
            `/api/v1/events${selector ? `?fieldSelector=${encodeURIComponent(selector)}` : ''}`,
            rv,
            (e) => {
              if (e.type !== 'ADDED') return;
              setFresh((old) =>
                old.some((o) => o.metadata.name === e.object.metadata.name) ? old : [e.object, ...old],
              );
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
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) return;
          setLive('reconnecting');
          failures += 1;
          await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** failures)));
        }
      }
    })();
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [clusterId, selector, listedAt]);
  const events = useMemo(() => {
    const listed = query.data?.pages.flatMap((p) => p.items) ?? [];
    const seen = new Set(fresh.map((e) => e.metadata.name));
    return [...fresh, ...listed.filter((e) => !seen.has(e.metadata.name))];
  }, [fresh, query.data]);
  return { ...query, events, live };
}

/** kubectl's short age of an event time. */
export function ago(ts: string, now = Date.now()): string {
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 120 * 60) return `${Math.floor(s / 60)}m ago`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}
