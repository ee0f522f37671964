import { currentActor } from '@edgeplane/observability';
import * as grpc from '@grpc/grpc-js';

/**
 * The clusters the caller may read events of and hold webhooks for, undefined = all: its
 * credential's OU `cluster:<id>` (the service kit's access interceptor puts the caller in the
 * call's context; every method of this service is `clusters: 'handler'`, ../access.ts).
 */
export { callerClusters } from '@edgeplane/service-kit';

/** Who the caller is, for `created_by`: the actor the access interceptor set (`user:alice`). */
export function callerName(): string {
  return currentActor() ?? 'anonymous';
}

/**
 * PERMISSION_DENIED for a request naming a cluster the caller's credential does not cover (or
 * naming none when it must), undefined when it may.
 */
export function clusterRefusal(allowed: ReadonlySet<string> | undefined, cluster: string): Error | undefined {
  if (!allowed || (cluster && allowed.has(cluster))) return undefined;
  const limited = `your credential is limited to cluster${allowed.size > 1 ? 's' : ''} ${[...allowed].join(', ')}`;
  const message = cluster
    ? `${limited}: it does not cover cluster ${cluster.slice(0, 64)}`
    : `${limited}: name one of them in filter.cluster`;
  return Object.assign(new Error(message), { code: grpc.status.PERMISSION_DENIED, details: message });
}
