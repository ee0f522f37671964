import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, type ApiCause } from '../api';
import type { LiveState } from '../nodes';
import { clearSession, loadSession, roleOf } from '../session';

/**
 * The kube API's management API (services/kube-api/src/management/clusters-api.ts), at the root:
 * `/apis/management.edgeplane.io/v1/clusters` — platform sessions only (a Credentials login).
 * Every call is the cluster service's on behalf of the user: its access table decides.
 */
const BASE = '/apis/management.edgeplane.io/v1';

export interface ClusterObject {
  metadata: { name: string; creationTimestamp: string; resourceVersion?: string };
  spec: {
    displayName: string;
    description: string;
    kubernetesVersion: string;
    runtime: string;
    region: string;
    kubeProxyMode: string;
    vpcId: string;
    vpcCidr: string;
    podCidr: string;
    serviceCidr: string;
    nodeCidrs: string[];
    tier: string;
    autoUpgrade: boolean;
    access: { public: boolean; private: boolean; privateSubnetId: string };
    remoteLogin: boolean;
  };
  status: {
    phase: string;
    usage: { nodes: number; pods: number; configMaps: number; crds: number };
    tierCaps: { nodes: number; pods: number; configMaps: number; crds: number };
    caFingerprint: string;
    overCapacityNodes: number;
  };
}

export interface JoinTokenAnswer {
  metadata: { name: string };
  status: {
    token: string;
    expirationTimestamp: string;
    joinCommand: string;
    privateAccessPreInstall: string[];
    instructions: string;
  };
}

async function failure(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let reason = '';
  let causes: ApiCause[] = [];
  try {
    const body = (await res.json()) as {
      message?: string;
      reason?: string;
      details?: { causes?: ApiCause[] };
    };
    if (body?.message) message = body.message;
    reason = body?.reason ?? '';
    causes = Array.isArray(body?.details?.causes) ? body.details.causes : [];
  } catch {
    /* not JSON */
  }
  if (res.status === 401) clearSession();
  return new ApiError(res.status, message, reason, causes);
}

/** One call of the management API with the session's bearer token; failures carry the API's words. */
export async function mgmt<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; contentType?: string; signal?: AbortSignal; query?: string } = {},
): Promise<T> {
  const session = loadSession();
  if (!session) throw new ApiError(401, 'not logged in');
  const headers: Record<string, string> = {
    authorization: `Bearer ${session.token}`,
    accept: 'application/json',
  };
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${BASE}${path}${options.query ? `?${options.query}` : ''}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** Whether the session is a platform one (a Credentials login): the clusters views need it. */
export function isPlatformSession(): boolean {
  return loadSession()?.scope === 'platform';
}

/**
 * Whether the user may create clusters: the cluster service's table gives CreateCluster to edit
 * and cluster-admin, and a credential limited to clusters creates none. The API refuses anyway;
 * this only hides the button (H5's useCan asks SelfSubjectAccessReviews of one cluster's API,
 * which the management API does not serve).
 */
export function canWriteClusters(): boolean {
  const s = loadSession();
  if (!s || s.scope !== 'platform') return false;
  const role = roleOf(s.groups);
  return (role === 'edit' || role === 'cluster-admin') && !(s.clusters?.length ?? 0);
}

/** edit or cluster-admin: access toggles, tier, join tokens (per the cluster service's table). */
export function canEditClusters(): boolean {
  const s = loadSession();
  const role = s ? roleOf(s.groups) : 'none';
  return role === 'edit' || role === 'cluster-admin';
}

/** cluster-admin: the admin kubeconfig (GetKubeconfig is cluster-admin's in the cluster service's table). */
export function canReadKubeconfig(): boolean {
  const s = loadSession();
  return !!s && roleOf(s.groups) === 'cluster-admin';
}

export const clustersKey = ['mgmt-clusters'];

/** The clusters by id and the list's resourceVersion: the query's data, kept current by the watch. */
interface ClustersState {
  byId: Map<string, ClusterObject>;
  resourceVersion: string;
}

interface ClusterList {
  metadata: { resourceVersion: string };
  items: ClusterObject[];
}

/**
 * The clusters: listed once, then kept current by a watch of the management API (the cluster
 * stream's cluster events: created, access/tier changed, usage such as a node joining, deleted)
 * from the list's resourceVersion; a watch the server ends resumes, 410 lists again, network
 * errors back off (0.5 s … 30 s).
 */
export function useClusters() {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: clustersKey,
    queryFn: async ({ signal }): Promise<ClustersState> => {
      const list = await mgmt<ClusterList>('GET', '/clusters', { signal });
      return {
        byId: new Map(list.items.map((c) => [c.metadata.name, c])),
        resourceVersion: list.metadata.resourceVersion,
      };
    },
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
    let backoff = 500;
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          rv = await watchClusters(
            rv,
            abort.signal,
            () => setLive('live'),
            (type, c) => {
              setLive('live');
              backoff = 500;
              client.setQueryData(clustersKey, (old: ClustersState | undefined) => {
                if (!old) return old;
                const byId = new Map(old.byId);
                if (type === 'DELETED') byId.delete(c.metadata.name);
                else byId.set(c.metadata.name, c);
                return { ...old, byId };
              });
            },
          );
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof ApiError && error.status === 410) {
            void client.invalidateQueries({ queryKey: clustersKey });
            return;
          }
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return;
          setLive('reconnecting');
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 30_000);
        }
      }
    })();
    return () => abort.abort();
  }, [client, listedAt]);
  const clusters = [...(query.data?.byId.values() ?? [])].sort((a, b) =>
    a.spec.displayName.localeCompare(b.spec.displayName),
  );
  return { ...query, clusters, live };
}

async function watchClusters(
  resourceVersion: string,
  signal: AbortSignal,
  onOpen: () => void,
  onEvent: (type: string, c: ClusterObject) => void,
): Promise<string> {
  const session = loadSession();
  if (!session) throw new ApiError(401, 'not logged in');
  const res = await fetch(`${BASE}/clusters?watch=1&resourceVersion=${encodeURIComponent(resourceVersion)}`, {
    headers: { authorization: `Bearer ${session.token}`, accept: 'application/json' },
    signal,
  });
  if (!res.ok || !res.body) throw await failure(res);
  onOpen(); // the server answered the watch: changes from here on arrive as they happen
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last = resourceVersion;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buffer += value;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      const event = JSON.parse(line) as {
        type: string;
        object: ClusterObject & { code?: number; message?: string };
      };
      if (event.type === 'ERROR')
        throw new ApiError(event.object.code ?? 500, event.object.message ?? 'watch error');
      if (event.object?.metadata?.resourceVersion) last = event.object.metadata.resourceVersion;
      onEvent(event.type, event.object);
    }
  }
}

/** One cluster, from the live list when it holds it, else read. */
export function useCluster(id: string) {
  const list = useClusters();
  const fromList = list.data?.byId.get(id);
  const single = useQuery({
    queryKey: ['mgmt-cluster', id],
    queryFn: ({ signal }) => mgmt<ClusterObject>('GET', `/clusters/${encodeURIComponent(id)}`, { signal }),
    enabled: !fromList && !list.isLoading,
    retry: false,
  });
  return { cluster: fromList ?? single.data, error: list.error ?? single.error, live: list.live };
}

/** "3 h", "2 d": the AGE column's words. */
export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(s)) return '';
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
