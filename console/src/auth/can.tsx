import { useQueries, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { kubeRequest } from '../api';
import { loadSession } from '../session';

/** What a button would do, in the kube API's terms (a SelfSubjectAccessReview's resourceAttributes). */
export interface CanAsk {
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
  /** the API group: '' for core (nodes, pods), 'site.superedge.io', 'superedge.io', … */
  group: string;
  /** the plural: 'nodes', 'nodeunits', 'deploymentgrids', … */
  resource: string;
  /** e.g. 'kins', 'exec', 'log', 'rollout' */
  subresource?: string;
  namespace?: string;
  name?: string;
}

interface Review {
  status?: { allowed?: boolean; reason?: string };
}

const canKey = (ask: CanAsk) => {
  const s = loadSession();
  return [
    'can',
    s?.clusterId ?? '',
    s?.user ?? '',
    ask.verb,
    ask.group,
    ask.resource,
    ask.subresource ?? '',
    ask.namespace ?? '',
    ask.name ?? '',
  ];
};

const canQuery = (ask: CanAsk) => ({
  queryKey: canKey(ask),
  queryFn: async ({ signal }: { signal: AbortSignal }) => {
    const review = await kubeRequest<Review>(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              verb: ask.verb,
              group: ask.group,
              resource: ask.resource,
              ...(ask.subresource ? { subresource: ask.subresource } : {}),
              ...(ask.namespace ? { namespace: ask.namespace } : {}),
              ...(ask.name ? { name: ask.name } : {}),
            },
          },
        },
        signal,
      },
    );
    return { allowed: review.status?.allowed === true, reason: review.status?.reason ?? '' };
  },
  // one answer per session: the role is the credential's and does not change while logged in
  // (Log out clears the query cache; a new user is a new key)
  staleTime: Infinity,
  gcTime: Infinity,
  refetchOnWindowFocus: false,
  retry: 1,
});

/**
 * Whether the logged-in user may do `ask`, asked of the kube API once per session
 * (SelfSubjectAccessReview — the same authorizer that will decide the request). `false` while
 * the answer is pending or when the question fails, so a button is never shown before it is
 * known to be allowed. The API refuses the request anyway: this only hides what would fail.
 *
 *   const canCreate = useCan({ verb: 'create', group: 'site.superedge.io', resource: 'nodeunits' });
 *   {canCreate && <Button>Create NodeUnit</Button>}
 */
export function useCan(ask: CanAsk): boolean {
  return useQuery(canQuery(ask)).data?.allowed === true;
}

/** The answer with its state: 'unknown' while pending or when the question failed. */
export function useCanState(ask: CanAsk): 'yes' | 'no' | 'unknown' {
  const q = useQuery(canQuery(ask));
  return q.data ? (q.data.allowed ? 'yes' : 'no') : 'unknown';
}

/** Several questions at once (same cache): `const [canEdit, canDelete] = useCanAll([…])`. */
export function useCanAll(asks: CanAsk[]): boolean[] {
  return useQueries({ queries: asks.map(canQuery) }).map((q) => q.data?.allowed === true);
}

/** Renders `children` only when the user may do `ask` (see useCan). */
export function Can({ children, ...ask }: CanAsk & { children: ReactNode }) {
  return useCan(ask) ? <>{children}</> : null;
}
