import type { Logger } from '@edgeplane/observability';
import { isTransientError } from './transient.js';

/** Start-up retry: first wait, and the cap of the doubling wait between attempts. */
export const START_RETRY = Object.freeze({ firstMs: 500, capMs: 10_000 });

/**
 * Runs a start-up step until it succeeds: a transient failure (`isTransientError`: database
 * refused or starting up, NATS refused, timed out or disconnected) is logged and retried with
 * capped doubling backoff (0.5 s → 10 s), for as long as it lasts; any other failure (bad config,
 * a stream or consumer config conflict, NATS without JetStream) is thrown and ends the start.
 * Every start-up step that needs PostgreSQL or NATS goes through here (the service kit's
 * migration, bus connection and streams, the consumers' durables, the services' KV buckets), so
 * a service started before its dependencies waits for them instead of dying.
 */
export async function untilReachable<T>(
  logger: Pick<Logger, 'warn' | 'info'> | undefined,
  dependency: 'database' | 'message bus',
  step: string,
  work: () => Promise<T>,
): Promise<T> {
  let waitMs: number = START_RETRY.firstMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await work();
      if (attempt > 1)
        logger?.info({ dependency, step, attempts: attempt }, `${dependency} reachable; ${step} done`);
      return result;
    } catch (error) {
      if (!isTransientError(error)) throw error;
      logger?.warn(
        { dependency, step, attempt, retryInMs: waitMs, reason: reasonOf(error) },
        `${dependency} unavailable at start; waiting for it (${step})`,
      );
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      waitMs = Math.min(waitMs * 2, START_RETRY.capMs);
    }
  }
}

/**
 * The failure and its first cause in one short line ("connection refused (connect ECONNREFUSED
 * 127.0.0.1:4222)"), with any user:password of a URL blanked: the log says why, never a secret.
 */
function reasonOf(error: unknown): string {
  const e = error as { message?: unknown; cause?: { message?: unknown } };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const cause = typeof e.cause?.message === 'string' ? e.cause.message : undefined;
  const text = cause && cause !== message ? `${message} (${cause})` : message;
  return text.replace(/\/\/[^/@\s]*@/g, '//***@').slice(0, 300);
}
