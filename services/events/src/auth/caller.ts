import { currentActor } from '@edgeplane/observability';

/**
 * The clusters the caller may read events of, undefined = all: a caller limited to some clusters
 * does not get past the interceptor (../access.ts), so every caller served here may read all.
 */
export function callerClusters(): ReadonlySet<string> | undefined {
  return undefined;
}

/** Who the caller is, for `created_by`: the actor the access interceptor set (`user:alice`). */
export function callerName(): string {
  return currentActor() ?? 'anonymous';
}
