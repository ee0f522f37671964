import { VersionConflictError } from '@edgeplane/es-kit';

/** How many times a decision is made again after losing an optimistic-concurrency race. */
export const DEFAULT_VERSION_RETRIES = 4;

/**
 * Runs `attempt` (load → decide → append, usually one transaction) and runs it again on fresh
 * state when a stream moved on between read and append. Bounded: after `retries` lost races the
 * VersionConflictError reaches the caller as ABORTED. Never wrap work that runs inside someone
 * else's transaction: PostgreSQL has aborted that transaction, only its owner can retry it.
 */
export async function withVersionRetry<T>(
  attempt: () => Promise<T>,
  retries = DEFAULT_VERSION_RETRIES,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof VersionConflictError && n < retries) continue;
      throw error;
    }
  }
}
