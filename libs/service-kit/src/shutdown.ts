import type * as grpc from '@grpc/grpc-js';

export interface DrainResult {
  /** true when every call finished within the timeout; false when the rest had to be cancelled */
  drained: boolean;
  ms: number;
}

/**
 * Graceful stop of a grpc-js server: it stops listening and sends every connection a GOAWAY, so
 * no new call starts (clients see UNAVAILABLE and may retry elsewhere), while the calls already
 * running finish and send their answers. A call a client was not answered for is a call it may
 * retry after it committed; so only when `timeoutMs` passes are the calls still running cancelled.
 */
export function drainGrpcServer(
  server: Pick<grpc.Server, 'tryShutdown' | 'forceShutdown'>,
  timeoutMs: number,
): Promise<DrainResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (drained: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ drained, ms: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(() => {
      server.forceShutdown();
      finish(false);
    }, timeoutMs);
    server.tryShutdown(() => finish(true));
  });
}

/** Resolves with the value, or with `fallback` once `ms` passed (a stop step that must not hang). */
export function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** Awaits a stop step for at most `ms` (its failure counts as done); `onTimeout` when it took longer. */
export async function boundedStep(work: Promise<unknown>, ms: number, onTimeout: () => void): Promise<void> {
  const done = await within(
    work.then(
      () => true,
      () => true,
    ),
    ms,
    false,
  );
  if (!done) onTimeout();
}
