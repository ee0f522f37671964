import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, kubeGet, kubeWatch } from '../api';
import type { LiveState } from '../nodes';

/** Any kube object: what the generic list + watch needs of it. */
export interface Meta {
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    creationTimestamp?: string | null;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

interface List<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

export interface LiveList<T> {
  /** by namespace/name */
  byKey: Map<string, T>;
  resourceVersion: string;
}

const PAGE = 500;
/** at most this many objects are kept for one list (pages of 500) */
const MAX_ITEMS = 20_000;

export const keyOf = (o: Meta) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

async function listAll<T extends Meta>(path: string, signal: AbortSignal): Promise<LiveList<T>> {
  const byKey = new Map<string, T>();
  let cont = '';
  let resourceVersion = '';
  const sep = path.includes('?') ? '&' : '?';
  do {
    const page = await kubeGet<List<T>>(
      `${path}${sep}limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
      signal,
    );
    if (!resourceVersion) resourceVersion = page.metadata.resourceVersion;
    for (const o of page.items) byKey.set(keyOf(o), o);
    cont = page.metadata.continue ?? '';
  } while (cont && byKey.size < MAX_ITEMS);
  return { byKey, resourceVersion };
}

/**
 * A kube API collection (`path` with its selectors): listed once, then kept current by a watch from
 * the list's resourceVersion (the same rules as the nodes list: resume where the server ended,
 * `410 Gone` lists again, network errors back off 0.5 s … 30 s). `onEvent` hears every change.
 */
export function useLiveList<T extends Meta>(
  key: readonly unknown[],
  path: string,
  options: { enabled?: boolean; onEvent?: (type: string, o: T) => void } = {},
) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => listAll<T>(path, signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    enabled: options.enabled ?? true,
    retry: (n, e) => !(e instanceof ApiError && [401, 403, 404].includes(e.status)) && n < 3,
  });
  const [live, setLive] = useState<LiveState>('connecting');
  const listedAt = query.data?.resourceVersion;
  const onEvent = options.onEvent;
  useEffect(() => {
    if (!listedAt) return;
    const abort = new AbortController();
    let rv = listedAt;
    (async () => {
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          setLive('live');
          rv = await kubeWatch<T>(
            path,
            rv,
            (e) => {
              if (e.type === 'BOOKMARK') return;
              client.setQueryData<LiveList<T>>(key, (old) => {
                const byKey = new Map(old?.byKey);
                // a DELETED object may carry no namespace: drop by name then
                if (e.type === 'DELETED') {
                  for (const k of [...byKey.keys()])
                    if (k.endsWith(`/${e.object.metadata.name}`)) byKey.delete(k);
                } else byKey.set(keyOf(e.object), e.object);
                return {
                  byKey,
                  resourceVersion: e.object.metadata.resourceVersion ?? old?.resourceVersion ?? rv,
                };
              });
              onEvent?.(e.type, e.object);
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
  }, [path, listedAt]);
  return { ...query, live };
}

/** The worse of several live states (one badge for a page fed by several watches). */
export function worst(...states: LiveState[]): LiveState {
  if (states.includes('reconnecting')) return 'reconnecting';
  if (states.includes('connecting')) return 'connecting';
  return 'live';
}
